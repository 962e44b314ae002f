"""Benchmarks: bench, bench-load."""

from __future__ import annotations

import os
import time
from pathlib import Path

import typer

from maillage.cli.common import app, err, fail, out
from maillage.config import Settings


@app.command()
def bench(triples: list[int] = typer.Option([100_000], "--triples", "-n", help="Size of the synthetic graph (repeatable: 10000, 100000, 1000000, 5000000)"),
          as_json: bool = typer.Option(False, "--json", help="Print one JSON object (a list for several sizes)"),
          repeat: int = typer.Option(3, help="Runs per query (the median is reported)"),
          rdflib_budget: float = typer.Option(3600.0, help="Seconds plain rdflib may take in all before it is stopped"),
          rdflib_query_budget: float = typer.Option(60.0, help="Seconds plain rdflib may take per step (always more than 20× maillage's time for it, so that a stopped step still decides the target)"),
          engines: str = typer.Option("maillage,pyoxigraph,maillage-memory,pyoxigraph-memory,virtuoso,rdflib",
                                      help="Columns to measure, comma-separated: maillage (Oxigraph on disk, the default backend), "
                                           "pyoxigraph (raw, on disk), maillage-memory, pyoxigraph-memory, virtuoso (scripts/virtuoso), rdflib")) -> None:
    """Benchmark maillage's backend against plain rdflib and raw pyoxigraph on a synthetic graph."""
    import json as _json

    from rich.table import Table

    from maillage import bench as b

    chosen = tuple(e.strip() for e in engines.split(",") if e.strip())
    if unknown := [e for e in chosen if e not in b.ENGINES]:
        fail(f"unknown engine(s) {', '.join(unknown)}: choose among {', '.join(b.ENGINES)}", 2)
    reports = []
    for n in triples:
        with err.status(f"bench at {n:,} triples…") as status:
            # on a terminal a spinner; in a log, one line per measured step
            say = status.update if err.is_terminal else (lambda m: err.print(m, markup=False, highlight=False))
            reports.append(b.run(n, repeat=repeat, rdflib_budget=rdflib_budget, rdflib_query_budget=rdflib_query_budget, progress=say,
                                 engines=chosen))
    if as_json:
        out.file.write(_json.dumps(reports[0] if len(reports) == 1 else reports, indent=2) + "\n")
        return
    for r in reports:
        def cell(v):
            return "—" if v is None else f"{v:.3f}"

        def ratio(a, c):
            return "—" if a is None or c is None or c == 0 else f"{a / c:.1f}×"

        table = Table(title=f"{r['triples']:,} triples on {r['machine']}", header_style="bold")
        engines = r.get("engines", ["maillage", "rdflib", "pyoxigraph"])
        pairs = [(c, raw) for c, raw in b.SAME_ENGINE.items() if c in engines]
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
        table.add_column("peak MB", justify="right")
        for s in r["steps"]:
            over = s.get("rdflib_stopped_after_s")
            cells = []
            for e in engines:
                v = s.get(b.key(e))
                cells.append(f"> {over:.0f}" if e == "rdflib" and v is None and over is not None else cell(v))
            for c, raw in pairs:
                m = s.get(b.key(c))
                if "rdflib" in engines:
                    cells.append(f"> {over / m:.0f}×" if s["rdflib_s"] is None and over is not None and m
                                 else ratio(s["rdflib_s"], m))
                if raw in engines:
                    cells.append(ratio(m, s.get(b.key(raw))))
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


@app.command("bench-load")
def bench_load(ctx: typer.Context,
               rows: int = typer.Option(100_000, help="Rows of the synthetic SCDL file"),
               seed: int = typer.Option(42, help="Random seed of the generator")) -> None:
    """Benchmark: generate a synthetic SCDL file and load it into a scratch store; print the figures."""
    import platform
    import tempfile

    from maillage.build import build
    from maillage.load import load_file
    from maillage.loaders.synthetic import scdl_rows, write_scdl

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Settings(data_dir=ctx.obj.data_dir, store_dir=Path(tmp) / "store", base=ctx.obj.base)
        t0 = time.perf_counter()
        path = write_scdl(Path(tmp) / f"synthetic-{rows}.csv", scdl_rows(rows, seed))
        generated = time.perf_counter() - t0
        seed_build = build(scratch)
        report = load_file(scratch, "scdl", path)
    out.print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    out.print(f"generated {rows:,} rows in {generated:.1f} s; seed build {seed_build.seconds:.2f} s")
    out.print(f"load scdl: {report.rows:,} rows, {report.quads:,} triples in {report.seconds:.1f} s "
              f"= {report.rows / report.seconds:,.0f} rows/s (target: 100,000 rows under 60 s)")

