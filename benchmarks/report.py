"""The bench's report as people read it: one table per size, the ratios side by side, then the
targets met or not (what `maillage bench` prints without --json)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from benchmarks import bench


def print_report(r: dict, out: Console) -> None:
    """Print one size's report (a dict from bench.run)."""
    def cell(v):
        return "—" if v is None else f"{v:.3f}"

    def ratio(a, c):
        return "—" if a is None or c is None or c == 0 else f"{a / c:.2f}×" if a / c < 10 else f"{a / c:.1f}×"

    table = Table(title=f"{r['triples']:,} triples on {r['machine']}", header_style="bold")
    engines = r.get("engines", ["maillage", "rdflib", "pyoxigraph"])
    pairs = [(c, raw) for c, raw in bench.SAME_ENGINE.items() if c in engines]
    short = {"maillage": "maillage", "pyoxigraph": "pyoxigraph", "maillage-memory": "mem",
             "pyoxigraph-memory": "pyox mem", "virtuoso": "virtuoso", "rdflib": "rdflib"}
    table.add_column("step (seconds)")
    for e in engines:
        table.add_column(short.get(e, e), justify="right")
    for c, raw in pairs:
        if "rdflib" in engines:
            table.add_column(f"rdflib ÷ {short[c]}", justify="right")
        if raw in engines:
            table.add_column(f"{short[c]} ÷ {short[raw]}", justify="right")
    cpu_of = [c for c in ("maillage", "maillage-memory") if c in engines]
    for c in cpu_of:  # CPU seconds beside wall time: on shared cores the load inflates the wall
        table.add_column(f"{short[c]} CPU", justify="right")
        if bench.SAME_ENGINE[c] in engines:
            table.add_column(f"{short[c]} CPU ÷ raw", justify="right")
    table.add_column("peak MB", justify="right")
    for s in r["steps"]:
        over = s.get("rdflib_stopped_after_s")
        cells = []
        for e in engines:
            v = s.get(bench.key(e))
            cells.append(f"> {over:.0f}" if e == "rdflib" and v is None and over is not None else cell(v))
        for c, raw in pairs:
            m = s.get(bench.key(c))
            if "rdflib" in engines:
                cells.append(f"> {over / m:.0f}×" if s["rdflib_s"] is None and over is not None and m
                             else ratio(s["rdflib_s"], m))
            if raw in engines:
                cells.append(ratio(m, s.get(bench.key(raw))))
        for c in cpu_of:
            own = s.get(bench.key(c).replace("_s", "_cpu_s"))
            cells.append(cell(own))
            if bench.SAME_ENGINE[c] in engines:
                other = s.get(bench.key(c).replace("_s", "_raw_same_store_cpu_s"))  # a query: timed in turn
                cells.append(ratio(own, other if other is not None else s.get(bench.key(bench.SAME_ENGINE[c]).replace("_s", "_cpu_s"))))
        table.add_row(s["step"], *cells, "—" if s["peak_mb"] is None else f"{s['peak_mb']:.0f}")
    out.print(table)
    out.print(f"peak memory by engine (MB): {r['peak_mb']}  (— : not applicable; > N : rdflib stopped after N s; "
              "mem = maillage on Oxigraph in memory, pyox mem = raw pyoxigraph in memory)")
    for note in r.get("notes", []):
        out.print(f"note: {note}")
    verdict = {True: "met", False: "NOT MET", None: "undecided"}
    for t in r.get("targets", []):
        out.print(f"target {verdict[t['met']]:>9}: {t['target']} — {t['config']} {t['step']}: {t['detail']}",
                  markup=False, highlight=False)
