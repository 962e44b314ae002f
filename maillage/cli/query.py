"""Commands that read the graph: queries, query, sparql, export, push."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from maillage.cli.choices import Backend, ExportFormat, TableFormat
from maillage.cli.common import app, err, fail, open_graph, out, output_file, parse_params, read_input


@app.command("queries")
def list_queries() -> None:
    """List the canned queries and their parameters."""
    from rich.table import Table

    from maillage.query import catalogue

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
          fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="How the rows are printed"),
          backend: Backend = typer.Option(Backend.oxigraph, "--backend", help="oxigraph (on disk) | memory (Oxigraph in memory: a copy at open, faster aggregations) | rdflib"),
          endpoint: Optional[str] = typer.Option(None, "--endpoint", help="Run it on this SPARQL 1.1 endpoint instead (e.g. http://127.0.0.1:8000/sparql)")) -> None:
    """Run a canned query; parameters are bound, never spliced into the query text."""
    from maillage import output, query as queries

    try:
        if endpoint:
            from maillage.store.remote import RemoteStore

            store = RemoteStore(endpoint)
        else:
            store = open_graph(ctx.obj, backend.value)
        result = queries.run(store, name, parse_params(param))
    except queries.QueryError as exc:
        fail(f"error: {exc}", 2)
    output.emit(result, fmt.value, out, title=queries.get(name).question)


@app.command()
def sparql(ctx: typer.Context,
           file: str = typer.Argument(..., help="A .rq file, or - to read the query from standard input"),
           fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="How SELECT rows are printed; CONSTRUCT prints Turtle")) -> None:
    """Run an ad-hoc SPARQL query: over the union of all graphs, or the graphs its FROM / FROM NAMED name."""
    from maillage import output
    from maillage.server.config import MAX_QUERY_BYTES
    from maillage.sparql_text import check_nesting, keywords
    from maillage.store import QueryResult
    from maillage.store.export import triples_bytes

    text = read_input(file, "a SPARQL query file", MAX_QUERY_BYTES)
    try:
        check_nesting(text)
    except ValueError as exc:
        fail(f"{file}: SPARQL refused: {exc}", 2)
    if "SERVICE" in keywords(text):
        fail(f"{file}: federated queries (SERVICE) are not run: maillage queries its own graph and fetches nothing", 2)
    store = open_graph(ctx.obj)
    try:
        result = store.query(text)
    except SyntaxError as exc:
        fail(f"SPARQL syntax error: {exc}", 2)
    if isinstance(result, QueryResult):
        output.emit(result, fmt.value, out)
    elif isinstance(result, bool):
        out.print("true" if result else "false")
    else:
        sys.stdout.write(triples_bytes(result, "ttl").decode("utf-8"))


@app.command()
def export(ctx: typer.Context,
           fmt: ExportFormat = typer.Option(ExportFormat.ttl, "--format", "-f", help="A linked-data syntax, or graphml (the cooperation network)"),
           output_path: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: standard output; required for graphml)")) -> None:
    """Export the graph as linked data, or the cooperation network as GraphML for Gephi."""
    from maillage import export as ex

    store = open_graph(ctx.obj)
    if fmt is ExportFormat.graphml:
        from maillage.graph import metrics, projections

        if output_path is None:
            fail("graphml needs --output FILE", 2)
        output_file(output_path)
        ex.export_graphml(metrics.annotate(projections.cooperation(store)), output_path)
        out.print(f"GraphML written to {output_path}")
        return
    if output_path:
        output_file(output_path)
    data = ex.export_rdf(store.nquads(), fmt.value, ctx.obj.base)
    if output_path:
        output_path.parent.mkdir(parents=True, exist_ok=True)
        output_path.write_bytes(data)
        out.print(f"{fmt.value} written to {output_path}")
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

    for name, url in (("--endpoint", endpoint), ("--gsp", gsp)):
        if url is not None and not url.startswith(("http://", "https://")):
            fail(f"{name} must be an http(s) URL, not {url!r}", 2)
    store = open_graph(ctx.obj)
    target = gsp or endpoint.rstrip("/") + "-graph-crud-auth"
    try:
        with err.status("pushing…") as status:
            report = do_push(store, target, user=user, password=password, progress=lambda m: status.update(m))
    except (RuntimeError, OSError) as exc:
        fail(f"push failed: {exc}")
    out.print(f"pushed {report.graphs} graphs, {report.triples:,} triples to {target} in {report.seconds:.1f} s")

