"""The `maillage` command: wires the pieces together, holds no logic of its own."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from maillage.config import Settings

app = typer.Typer(help="maillage: a knowledge graph of social-inclusion and solidarity-economy initiatives in France.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
# Piped output keeps full-width tables (rich assumes 80 columns when not on a terminal).
_WIDTH = None if sys.stdout.isatty() else 200
out = Console(soft_wrap=True, width=_WIDTH)
err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 200)


@app.callback()
def main(ctx: typer.Context,
         data: Optional[Path] = typer.Option(None, "--data", help="Folder of curated YAML records [env MAILLAGE_DATA; default: the bundled data/]"),
         store: Optional[Path] = typer.Option(None, "--store", help="Folder of the built graph [env MAILLAGE_STORE; default .maillage/store]"),
         base: Optional[str] = typer.Option(None, "--base", help="Base of minted URIs [env MAILLAGE_BASE; default https://w3id.org/maillage/id/]")) -> None:
    settings = Settings()
    if data:
        settings.data_dir = data
    if store:
        settings.store_dir = store
    if base:
        settings.base = base if base.endswith(("/", "#")) else base + "/"
    ctx.obj = settings


def _fail(message: str, code: int = 1) -> None:
    err.print(message, markup=False, highlight=False)
    raise typer.Exit(code)


def _run_build(settings: Settings, quiet: bool = False, force: bool = False):
    from maillage.build import ShapesViolated, build
    from maillage.loaders.records import RecordsInvalid

    try:
        with err.status("building…") as status:
            report = build(settings, progress=lambda msg: status.update(msg), force=force)
    except RecordsInvalid as exc:
        for e in exc.errors:
            err.print(str(e), markup=False, highlight=False)
        _fail(f"build stopped: {len(exc.errors)} error(s) in the records; the previous graph is unchanged.")
    except ShapesViolated as exc:
        _fail(f"{exc}\nbuild stopped; the previous graph is unchanged.")
    if report.up_to_date:
        err.print(f"maillage build: up to date ({report.triples} triples in {settings.store_dir}; no input changed, "
                  "nothing rebuilt — --force rebuilds anyway)")
        return report
    if not quiet:
        from rich.table import Table

        title = f"maillage build: {report.triples} triples in {report.seconds:.2f} s → {settings.store_dir}"
        if report.changed:
            title += f"\nchanged: {', '.join(report.changed[:6])}{' …' if len(report.changed) > 6 else ''}"
        if report.incremental:
            names = [g.rstrip("/").rsplit("/", 1)[-1] for g in report.graphs_replaced]
            title += f"\nreplaced {len(names)} named graph(s), kept the others: {', '.join(names[:6])}{' …' if len(names) > 6 else ''}"
        table = Table(title=title)
        for col in ("document", "triples", "initiatives", "organisations", "fundings", "with amount", "participations"):
            table.add_column(col, justify="left" if col == "document" else "right")
        for d in report.documents:
            table.add_row(d.file, str(d.triples), str(d.initiatives), str(d.organisations), str(d.fundings),
                          str(d.fundings_with_amount), str(d.participations))
        err.print(table)
    return report


def _open(settings: Settings, backend: str = "oxigraph"):
    from maillage.store import StoreMissing, open_store

    try:
        return open_store(settings.store_dir, backend)
    except StoreMissing as exc:
        _fail(str(exc))
    except ValueError as exc:  # an unknown --backend
        _fail(f"error: {exc}", 2)


def _params(values: list[str]) -> dict[str, str]:
    params = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            _fail(f"--param {item!r}: write key=value (e.g. --param funder=\"Fondation Macif\")", 2)
        params[key.strip()] = value
    return params


@app.command()
def build(ctx: typer.Context,
          force: bool = typer.Option(False, "--force", help="Rebuild even when no input changed")) -> None:
    """Validate the records, make the triples, check the SHACL shapes and replace the graph."""
    _run_build(ctx.obj, force=force)


@app.command()
def check(ctx: typer.Context) -> None:
    """Validate the records and the shapes without writing anything."""
    from maillage.build import ShapesViolated, compile_dataset
    from maillage.loaders.records import RecordsInvalid

    try:
        ds, records, _ = compile_dataset(ctx.obj)
    except RecordsInvalid as exc:
        for e in exc.errors:
            err.print(str(e), markup=False, highlight=False)
        _fail(f"{len(exc.errors)} error(s)")
    except ShapesViolated as exc:
        _fail(str(exc))
    n = sum(1 for _ in ds.quads((None, None, None, None)))
    out.print(f"ok: {len(records.files)} record files, {n} triples, shapes conform")


@app.command("queries")
def list_queries() -> None:
    """List the canned queries and their parameters."""
    from rich.table import Table

    from maillage.queries import catalogue

    table = Table(header_style="bold")
    table.add_column("name")
    table.add_column("answers")
    table.add_column("parameters")
    for q in catalogue().values():
        params = ", ".join(f"{p.name} ({p.type}{'' if p.required else ', optional'})" for p in q.params)
        table.add_row(q.name, q.question, params or "—")
    out.print(table)


@app.command()
def query(ctx: typer.Context,
          name: str = typer.Argument(..., help="A canned query (see `maillage queries`)"),
          param: list[str] = typer.Option([], "--param", "-p", help="key=value, repeatable"),
          fmt: str = typer.Option("table", "--format", "-f", help="table | csv | tsv | json"),
          backend: str = typer.Option("oxigraph", "--backend", help="oxigraph (on disk) | memory (Oxigraph in memory: a copy at open, faster aggregations) | rdflib"),
          endpoint: Optional[str] = typer.Option(None, "--endpoint", help="Run it on this SPARQL 1.1 endpoint instead (e.g. http://127.0.0.1:8000/sparql)")) -> None:
    """Run a canned query; parameters are bound, never spliced into the query text."""
    from maillage import output, queries

    if fmt not in output.FORMATS:
        _fail(f"unknown format {fmt!r}: {' | '.join(output.FORMATS)}", 2)
    try:
        if endpoint:
            from maillage.remote import RemoteStore

            store = RemoteStore(endpoint)
        else:
            store = _open(ctx.obj, backend)
        result = queries.run(store, name, _params(param))
    except queries.QueryError as exc:
        _fail(f"error: {exc}", 2)
    output.emit(result, fmt, out, title=queries.get(name).question)


@app.command()
def sparql(ctx: typer.Context,
           file: str = typer.Argument(..., help="A .rq file, or - to read the query from standard input"),
           fmt: str = typer.Option("table", "--format", "-f", help="table | csv | tsv | json (SELECT); CONSTRUCT prints Turtle")) -> None:
    """Run an ad-hoc SPARQL query over the union of all graphs."""
    import pyoxigraph as ox

    from maillage import output
    from maillage.store import QueryResult, _ox_value

    text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    store = _open(ctx.obj)
    try:
        result = store.raw_query(text)
    except SyntaxError as exc:
        _fail(f"SPARQL syntax error: {exc}", 2)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [{v: _ox_value(s[v]) for v in variables} for s in result]
        output.emit(QueryResult(variables, rows), fmt, out)
    elif isinstance(result, ox.QueryBoolean):
        out.print("true" if bool(result) else "false")
    else:
        sys.stdout.write(result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8"))


@app.command()
def viz(ctx: typer.Context,
        output_path: Path = typer.Option(Path("out/network.html"), "--output", "-o", help="Where to write the page"),
        max_nodes: Optional[int] = typer.Option(500, "--max-nodes", help="Keep the N most central organisations (0: all); the page says what was left out"),
        funders: bool = typer.Option(True, "--funders/--no-funders", help="Include funders as participants")) -> None:
    """Write the partner-network page (pyvis; works offline)."""
    path = _write_viz(ctx.obj, output_path, max_nodes, funders)
    out.print(f"network page written to {path}")


def _write_viz(settings: Settings, output_path: Path, max_nodes=500, funders=True) -> Path:
    from maillage.graph import metrics, projections
    from maillage.viz.network import write_network_page

    store = _open(settings)
    g = metrics.annotate(projections.cooperation(store, include_funders=funders))
    output_path.parent.mkdir(parents=True, exist_ok=True)
    return write_network_page(g, output_path, max_nodes=max_nodes or None)


@app.command()
def network(ctx: typer.Context, top: int = typer.Option(10, help="How many organisations to list")) -> None:
    """Print the most central organisations of the cooperation network and its communities."""
    from rich.table import Table

    from maillage.graph import metrics, projections

    g = metrics.annotate(projections.cooperation(_open(ctx.obj)))
    table = Table(title=f"cooperation network: {g.number_of_nodes()} organisations, {g.number_of_edges()} links",
                  header_style="bold")
    for col in ("organisation", "kind", "degree", "betweenness", "community"):
        table.add_column(col, justify="left" if col in ("organisation", "kind") else "right")
    ranked = sorted(g.nodes, key=lambda n: (-g.nodes[n]["betweenness"], -g.nodes[n]["degree"], g.nodes[n]["label"]))
    for n in ranked[:top]:
        d = g.nodes[n]
        table.add_row(d["label"], d["kind"], f"{d['degree']:.3f}", f"{d['betweenness']:.3f}", str(d["community"]))
    out.print(table)


@app.command()
def export(ctx: typer.Context,
           fmt: str = typer.Option("ttl", "--format", "-f", help="ttl | nt | jsonld | trig | xml | nq | graphml"),
           output_path: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: standard output; required for graphml)")) -> None:
    """Export the graph as linked data, or the cooperation network as GraphML for Gephi."""
    from maillage import export as ex

    if fmt not in ex.FORMATS:
        _fail(f"unknown format {fmt!r}: {' | '.join(ex.FORMATS)}", 2)
    store = _open(ctx.obj)
    if fmt == "graphml":
        from maillage.graph import metrics, projections

        if output_path is None:
            _fail("graphml needs --output FILE", 2)
        ex.export_graphml(metrics.annotate(projections.cooperation(store)), output_path)
        out.print(f"GraphML written to {output_path}")
        return
    data = ex.export_rdf(store.nquads(), fmt, ctx.obj.base)
    if output_path:
        output_path.parent.mkdir(parents=True, exist_ok=True)
        output_path.write_bytes(data)
        out.print(f"{fmt} written to {output_path}")
    else:
        sys.stdout.buffer.write(data)


@app.command()
def push(ctx: typer.Context,
         endpoint: str = typer.Option(..., "--endpoint", help="The store's SPARQL endpoint, e.g. http://127.0.0.1:8891/sparql"),
         gsp: Optional[str] = typer.Option(None, "--gsp", help="Its Graph Store Protocol URL [default: ENDPOINT-graph-crud-auth, Virtuoso's]"),
         user: Optional[str] = typer.Option(None, "--user", envvar="MAILLAGE_PUSH_USER", help="User for HTTP digest/basic auth"),
         password: Optional[str] = typer.Option(None, "--password", envvar="MAILLAGE_PUSH_PASSWORD", help="Password (or env MAILLAGE_PUSH_PASSWORD)")) -> None:
    """Copy the built graph into a SPARQL store, one named graph per PUT (Graph Store Protocol)."""
    from maillage.push import push as do_push

    store = _open(ctx.obj)
    target = gsp or endpoint.rstrip("/") + "-graph-crud-auth"
    try:
        with err.status("pushing…") as status:
            report = do_push(store._store, target, user=user, password=password, progress=lambda m: status.update(m))
    except (RuntimeError, OSError) as exc:
        _fail(f"push failed: {exc}")
    out.print(f"pushed {report.graphs} graphs, {report.triples:,} triples to {target} in {report.seconds:.1f} s")


@app.command()
def demo(ctx: typer.Context,
         output_path: Path = typer.Option(Path("out/network.html"), "--output", "-o", help="Where to write the network page")) -> None:
    """Build the graph from the bundled records, print who funds what, write the network page."""
    from maillage import output, queries

    settings = ctx.obj
    start = time.perf_counter()
    _run_build(settings, force=True)
    store = _open(settings)
    result = queries.run(store, "who-funds-what")
    output.emit(result, "table", out, title=queries.get("who-funds-what").question)
    path = _write_viz(settings, output_path)
    out.print(f"network page: {path}  (open it in a browser; it loads nothing from the internet)")
    out.print(f"[dim]demo done in {time.perf_counter() - start:.1f} s[/dim]")


@app.command()
def load(ctx: typer.Context,
         kind: str = typer.Argument(..., help="scdl | data-inclusion"),
         file: Path = typer.Argument(..., help="The file to load (CSV; JSON too for data-inclusion)", exists=True, dir_okay=False),
         skip_bad: bool = typer.Option(False, "--skip-bad", help="Load the good rows and write the bad ones to a reject file"),
         reject: Optional[Path] = typer.Option(None, "--reject", help="Reject file [default: FILE.rejected.csv beside FILE]")) -> None:
    """Load a file in a French public data standard into the graph; it stays loaded across builds."""
    from maillage.build import ShapesViolated
    from maillage.load import KINDS, load_file
    from maillage.loaders.records import RecordsInvalid
    from maillage.loaders.tabular import FileInvalid

    if kind not in KINDS:
        _fail(f"unknown kind {kind!r}: {' | '.join(KINDS)}", 2)
    try:
        with err.status("loading…") as status:
            report = load_file(ctx.obj, kind, file, skip_bad=skip_bad, reject_path=reject,
                               progress=lambda m: status.update(m))
    except FileInvalid as exc:
        for e in exc.errors:
            err.print(str(e), markup=False, highlight=False)
        _fail(f"{len(exc.errors)} error(s) in {file}: nothing loaded, the graph is unchanged "
              "(--skip-bad loads the good rows and writes the bad ones to a reject file)")
    except (RecordsInvalid, ShapesViolated) as exc:
        _fail(f"the records do not build, nothing loaded:\n{exc}")
    verb = "replaced" if report.replaced else "loaded"
    out.print(f"{verb} {report.file}: {report.rows} rows, {report.quads} triples in {report.seconds:.1f} s "
              f"({report.rows / max(report.seconds, 1e-9):,.0f} rows/s); graph now {report.graph_triples} triples")
    if report.rejected:
        out.print(f"{report.rejected} bad row(s) written to {report.reject_file}")


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
        _fail(f"unknown engine(s) {', '.join(unknown)}: choose among {', '.join(b.ENGINES)}", 2)
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


@app.command()
def sources(ctx: typer.Context) -> None:
    """List the files loaded with `maillage load`."""
    from rich.table import Table

    from maillage.loaders import sources as src

    table = Table(header_style="bold")
    for col in ("kind", "file", "rows", "rejected", "triples", "loaded"):
        table.add_column(col, justify="right" if col in ("rows", "rejected", "triples") else "left")
    for m in src.manifests(ctx.obj.sources_dir):
        table.add_row(m.kind, m.file, str(m.rows), str(m.rejected), str(m.quads), m.loaded)
    out.print(table)


@app.command()
def stats(ctx: typer.Context,
          fmt: str = typer.Option("table", "--format", "-f", help="table | csv | json")) -> None:
    """Numbers users compare, per document and overall (the `stats` query run on each)."""
    from maillage import output, queries
    from maillage.store import QueryResult

    store = _open(ctx.obj)
    documents = sorted(r["name"] for r in store.select(queries._DOCUMENT_LOOKUP).rows)
    runs = {"all": queries.run(store, "stats")}
    for doc in documents:
        runs[doc.split("_")[0]] = queries.run(store, "stats", {"document": doc})
    keys: list[tuple[str, str]] = []
    cells: dict[tuple[str, str, str], object] = {}
    for column, result in runs.items():
        for row in result.rows:
            key = (row["measure"], row["category"] or "")
            if key not in keys:
                keys.append(key)
            money = row["measure"].startswith("euros")
            cells[(*key, column)] = output.plain(row["amount_eur"] if money else row["count"])
    keys.sort()
    columns = ["measure", "category", *runs]
    rows = [{"measure": m, "category": c, **{col: cells.get((m, c, col)) for col in runs}} for m, c in keys]
    output.emit(QueryResult(columns, rows), fmt, out,
                title="maillage stats (counts; euros for the 'euros by…' measures)")


@app.command()
def coverage(ctx: typer.Context,
             corpus: Optional[Path] = typer.Option(None, "--corpus", help="Folder of the source documents [env MAILLAGE_CORPUS; default ../shared/corpus]"),
             show: bool = typer.Option(True, "--list/--no-list", help="List the uncovered passages"),
             template: bool = typer.Option(False, "--template", help="Print the uncovered passages as coverage_allow entries to fill in")) -> None:
    """Check that every money or cooperation passage of each document is covered by a recorded fact."""
    from rich.table import Table

    from maillage.build import read_records
    from maillage.loaders.coverage import check_corpus
    from maillage.loaders.records import RecordsInvalid

    settings = ctx.obj
    corpus_dir = corpus or settings.corpus_dir
    if not corpus_dir.is_dir():
        _fail(f"corpus folder not found: {corpus_dir} (give --corpus or set MAILLAGE_CORPUS)")
    try:
        records = read_records(settings)
    except RecordsInvalid as exc:
        _fail(str(exc))
    report = check_corpus(records, corpus_dir)
    table = Table(title="coverage of the source documents by the records", header_style="bold")
    for col in ("document", "money", "uncovered", "cooperation", "allowed", "uncovered "):
        table.add_column(col, justify="left" if col == "document" else "right")
    totals = [0] * 5
    for d in report:
        row = [d.count("money"), d.count("money", "uncovered"), d.count("cooperation"),
               d.count("cooperation", "allowed") + d.count("money", "allowed"), d.count("cooperation", "uncovered")]
        totals = [a + b for a, b in zip(totals, row)]
        table.add_row(d.file, *map(str, row))
    table.add_row("total", *map(str, totals), style="bold")
    out.print(table)
    missing = [(d.file, p) for d in report for p in d.uncovered]
    if template:
        # YAML to paste under `coverage_allow:` of the document's records, once a reason is written
        # (no text of the passage in it: the records quote no sentence of the documents)
        for file, p in missing:
            out.print(f"  # {file}#char={p.start},{p.end} [{p.kind}]\n  - span: [{p.start}, {p.end}]\n    reason: TODO",
                      markup=False, highlight=False)
    elif show:
        for file, p in missing:
            snippet = " ".join(p.text.split())
            out.print(f"{file}#char={p.start},{p.end} [{p.kind}] {snippet[:110]}", markup=False, highlight=False)
    if missing:
        _fail(f"{len(missing)} passage(s) not covered by any recorded fact")
    out.print("every money and cooperation passage is covered or justified")


@app.command()
def orgs(ctx: typer.Context,
         show_suspects: bool = typer.Option(False, "--suspects", help="List pairs that are probably the same organisation"),
         threshold: float = typer.Option(90.0, help="Name similarity (0-100) from which a pair is suspect"),
         all_pairs: bool = typer.Option(False, "--all", help="Include pairs already reviewed as distinct")) -> None:
    """List the organisations, or the pairs that are probably one organisation (for review)."""
    from rich.table import Table

    from maillage.build import read_records
    from maillage.loaders.records import RecordsInvalid
    from maillage.loaders.resolution import read_reviewed, suspects
    from maillage.loaders.territories import load_cog

    settings = ctx.obj
    try:
        records = read_records(settings)
    except RecordsInvalid as exc:
        _fail(str(exc))
    if not show_suspects:
        table = Table(title=f"{len(records.organisations)} organisations", header_style="bold")
        for col in ("id", "name", "kind", "territory", "aliases", "files"):
            table.add_column(col)
        for oid, o in sorted(records.organisations.items()):
            table.add_row(oid, o.name, o.kind, o.territory or "", str(len(o.aliases)), str(len(records.org_origin[oid])))
        out.print(table)
        return
    reviewed = [] if all_pairs else read_reviewed(settings.data_dir / "review" / "distinct.yaml")
    found = suspects(records.organisations, load_cog(), threshold=threshold, reviewed=reviewed)
    if not found:
        out.print(f"no suspect pair among {len(records.organisations)} organisations ({len(reviewed)} pairs reviewed as distinct)")
        return
    table = Table(title=f"{len(found)} suspect pair(s): merge them (same id) or list them in data/review/distinct.yaml",
                  header_style="bold")
    for col in ("a", "b", "score", "why"):
        table.add_column(col, justify="right" if col == "score" else "left")
    for s in found:
        table.add_row(f"{s.a_name} ({s.a})", f"{s.b_name} ({s.b})", f"{s.score:g}", s.why)
    out.print(table)
    raise typer.Exit(1)


@app.command()
def span(file: Path = typer.Argument(..., help="A corpus document"),
         text: str = typer.Argument(..., help="A passage of it, as written")) -> None:
    """Print the character span \\[start, end] of a passage, for writing a record's source."""
    content = file.read_text(encoding="utf-8")
    start = content.find(text)
    if start < 0:
        _fail(f"passage not found in {file}")
    hits = content.count(text)
    out.print(f"[{start}, {start + len(text)}]" + (f"  (first of {hits} occurrences)" if hits > 1 else ""))


from maillage.cli_extract import register as _register_extract  # noqa: E402
from maillage.cli_eval import register as _register_eval  # noqa: E402
from maillage.cli_serve import register as _register_serve  # noqa: E402

_register_serve(app)
_register_extract(app)
_register_eval(app)

if __name__ == "__main__":
    app()
