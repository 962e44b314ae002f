"""Commands that make the graph: build, check, demo, load, sources."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from maillage.cli.choices import LoadKind
from maillage.cli.common import app, err, fail, open_graph, out, run_build


@app.command()
def build(ctx: typer.Context,
          force: bool = typer.Option(False, "--force", help="Rebuild even when no input changed")) -> None:
    """Validate the records, make the triples, check the SHACL shapes and replace the graph."""
    run_build(ctx.obj, force=force)


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
        fail(f"{len(exc.errors)} error(s)")
    except ShapesViolated as exc:
        fail(str(exc))
    for w in records.warnings:
        err.print(f"warning: {w}", markup=False, highlight=False)
    n = ds.count()
    out.print(f"ok: {len(records.files)} record files, {n} triples, shapes conform")


@app.command()
def demo(ctx: typer.Context,
         output_path: Path = typer.Option(Path("out/network.html"), "--output", "-o", help="Where to write the network page")) -> None:
    """Build the graph from the bundled records, print who funds what, write the network page."""
    from maillage import output, query as queries
    from maillage.cli.network import write_viz

    settings = ctx.obj
    start = time.perf_counter()
    run_build(settings, force=True)
    store = open_graph(settings)
    result = queries.run(store, "who-funds-what")
    output.emit(result, "table", out, title=queries.get("who-funds-what").question)
    path = write_viz(settings, output_path)
    out.print(f"network page: {path}  (open it in a browser; it loads nothing from the internet)")
    out.print(f"[dim]demo done in {time.perf_counter() - start:.1f} s[/dim]")


@app.command()
def load(ctx: typer.Context,
         kind: LoadKind = typer.Argument(..., help="The standard the file follows"),
         file: Path = typer.Argument(..., help="The file to load (CSV; JSON too for data-inclusion)", exists=True, dir_okay=False),
         skip_bad: bool = typer.Option(False, "--skip-bad", help="Load the good rows and write the bad ones to a reject file"),
         reject: Optional[Path] = typer.Option(None, "--reject", help="Reject file [default: FILE.rejected.csv beside FILE]")) -> None:
    """Load a file in a French public data standard into the graph; it stays loaded across builds."""
    from maillage.build import ShapesViolated
    from maillage.load import load_file
    from maillage.loaders.records import RecordsInvalid
    from maillage.loaders.sources.tabular import FileInvalid

    try:
        with err.status("loading…") as status:
            report = load_file(ctx.obj, kind.value, file, skip_bad=skip_bad, reject_path=reject,
                               progress=lambda m: status.update(m))
    except FileInvalid as exc:
        for e in exc.errors:
            err.print(str(e), markup=False, highlight=False)
        fail(f"{len(exc.errors)} error(s) in {file}: nothing loaded, the graph is unchanged "
              "(--skip-bad loads the good rows and writes the bad ones to a reject file)")
    except OSError as exc:  # a full disk (ENOSPC) or an unwritable folder
        fail(f"load stopped: cannot write {ctx.obj.store_dir} or its sources: {exc.strerror or exc}; "
             "nothing loaded, the graph is unchanged")
    except (RecordsInvalid, ShapesViolated) as exc:
        fail(f"the records do not build, nothing loaded:\n{exc}")
    verb = "replaced" if report.replaced else "loaded"
    out.print(f"{verb} {report.file}: {report.rows} rows, {report.quads} triples in {report.seconds:.1f} s "
              f"({report.rows / max(report.seconds, 1e-9):,.0f} rows/s); graph now {report.graph_triples} triples")
    if report.rejected:
        out.print(f"{report.rejected} bad row(s) written to {report.reject_file}")
    for w in report.warnings[:20]:
        err.print(f"warning: {w}", markup=False, highlight=False)
    if len(report.warnings) > 20:
        err.print(f"… and {len(report.warnings) - 20} more warning(s)", markup=False, highlight=False)


@app.command()
def sources(ctx: typer.Context) -> None:
    """List the files loaded with `maillage load`."""
    from rich.table import Table

    from maillage.loaders.sources import manifest as src

    table = Table(header_style="bold")
    for col in ("kind", "file", "rows", "rejected", "triples", "loaded"):
        table.add_column(col, justify="right" if col in ("rows", "rejected", "triples") else "left")
    for m in src.manifests(ctx.obj.sources_dir):
        table.add_row(m.kind, m.file, str(m.rows), str(m.rejected), str(m.quads), m.loaded)
    out.print(table)

