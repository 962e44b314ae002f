"""Curation aids: stats, coverage, orgs, span."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from maillage import model
from maillage.cli.choices import TableFormat
from maillage.cli.common import app, fail, open_graph, out, read_input


@app.command()
def stats(ctx: typer.Context,
          fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="How the numbers are printed")) -> None:
    """Numbers users compare, per document and overall (the `stats` query run on each)."""
    from maillage import curation, output

    output.emit(curation.stats(open_graph(ctx.obj)), fmt.value, out,
                title="maillage stats (counts; euros for the 'euros by…' measures)")


@app.command()
def coverage(ctx: typer.Context,
             corpus: Optional[Path] = typer.Option(None, "--corpus", help="Folder of the source documents [env MAILLAGE_CORPUS; default ../shared/corpus]"),
             show: bool = typer.Option(True, "--list/--no-list", help="List the uncovered passages"),
             template: bool = typer.Option(False, "--template", help="Print the uncovered passages as coverage_allow entries to fill in")) -> None:
    """Check that every money or cooperation passage of each document is covered by a recorded fact."""
    from rich.table import Table

    from maillage import curation
    from maillage.loaders.records import RecordsInvalid

    settings = ctx.obj
    corpus_dir = corpus or settings.corpus_dir
    if not corpus_dir.is_dir():
        fail(f"corpus folder not found: {corpus_dir} (give --corpus or set MAILLAGE_CORPUS)")
    try:
        report = curation.coverage(settings, corpus_dir)
    except RecordsInvalid as exc:
        fail(str(exc))
    table = Table(title="coverage of the source documents by the records", header_style="bold")
    for col in ("document", *curation.COVERAGE_COLUMNS):
        table.add_column(col, justify="left" if col == "document" else "right")
    totals = [0] * len(curation.COVERAGE_COLUMNS)
    for d in report:
        row = curation.coverage_counts(d)
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
        fail(f"{len(missing)} passage(s) not covered by any recorded fact")
    out.print("every money and cooperation passage is covered or justified")


@app.command()
def orgs(ctx: typer.Context,
         show_suspects: bool = typer.Option(False, "--suspects", help="List pairs that are probably the same organisation"),
         threshold: float = typer.Option(model.SIMILARITY_THRESHOLD, help="Name similarity (0-100) from which a pair is suspect"),
         all_pairs: bool = typer.Option(False, "--all", help="Include pairs already reviewed as distinct")) -> None:
    """List the organisations, or the pairs that are probably one organisation (for review)."""
    from rich.table import Table

    from maillage import curation
    from maillage.loaders.records import RecordsInvalid

    settings = ctx.obj
    try:
        records = curation.organisations(settings)
    except RecordsInvalid as exc:
        fail(str(exc))
    if not show_suspects:
        table = Table(title=f"{len(records.organisations)} organisations", header_style="bold")
        for col in ("id", "name", "kind", "territory", "aliases", "files"):
            table.add_column(col)
        for oid, o in sorted(records.organisations.items()):
            table.add_row(oid, o.name, o.kind, o.territory or "", str(len(o.aliases)), str(len(records.org_origin[oid])))
        out.print(table)
        return
    found, reviewed = curation.suspect_pairs(settings, records, threshold, all_pairs)
    if not found:
        out.print(f"no suspect pair among {len(records.organisations)} organisations ({reviewed} pairs reviewed as distinct)")
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
    from maillage.curation import find_span

    found = find_span(read_input(file, "a document", 64 * 1024 * 1024), text)
    if found is None:
        fail(f"passage not found in {file}")
    start, end, hits = found
    out.print(f"[{start}, {end}]" + (f"  (first of {hits} occurrences)" if hits > 1 else ""))
