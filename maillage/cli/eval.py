"""`maillage eval-extract`: the extractor measured against the curated records (registered on
the main CLI by maillage.cli)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

_WIDTH = None if sys.stdout.isatty() else 200


def _fail(message: str, code: int = 1) -> None:
    Console(stderr=True, soft_wrap=True).print(message, markup=False, highlight=False)
    raise typer.Exit(code)


def table(evaluation) -> Table:
    """One row per document and category, then the overall (micro-averaged) rows."""
    from maillage.extract.evaluate import CATEGORIES

    t = Table(title=f"maillage eval-extract: {len(evaluation.documents)} document(s), extraction "
                    f"{evaluation.seconds:.1f} s", header_style="bold")
    for col in ("document", "reader", "category", "found", "drafted", "curated", "precision", "recall", "F1"):
        t.add_column(col, justify="left" if col in ("document", "reader", "category") else "right")
    rows = [(d.file, d.reader, d.scores) for d in evaluation.documents]
    rows.append(("overall", "", evaluation.overall))
    for n, (name, reader, scores) in enumerate(rows):
        for i, c in enumerate(CATEGORIES):
            s = scores[c]
            t.add_row(name if i == 0 else "", reader if i == 0 else "", c, str(s.tp), str(s.n_draft),
                      str(s.n_gold), f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}",
                      end_section=i == len(CATEGORIES) - 1)
    return t


def register(app: typer.Typer) -> None:
    """Add the evaluation command to the CLI."""

    @app.command("eval-extract")
    def eval_extract(ctx: typer.Context,
                     corpus: Optional[Path] = typer.Option(None, "--corpus", help="Folder of the source documents [env MAILLAGE_CORPUS]"),
                     data: Optional[Path] = typer.Option(None, "--data", help="Folder of the curated records to compare with [default: the main --data]"),
                     as_json: bool = typer.Option(False, "--json", help="Print one JSON object (with the missed and spurious items)"),
                     doc: list[str] = typer.Option([], "--doc", help="Only this document (file name or prefix such as 002); repeatable"),
                     link: str = typer.Option("fair", "--link", help="fair: link against the other documents' records | all | none")) -> None:
        """Extract every curated corpus document and compare with its records: precision,
        recall and F1 of initiatives, funders, amounts, partners and territories."""
        from maillage.build import read_records
        from maillage.config import Settings
        from maillage.extract.evaluate import LINK_MODES, corpus_documents, evaluate
        from maillage.loaders.records import RecordsInvalid

        settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
        if link not in LINK_MODES:
            _fail(f"--link {link!r}: {' | '.join(LINK_MODES)}", 2)
        corpus_dir = corpus or settings.corpus_dir
        if not corpus_dir.is_dir() or not any(corpus_dir.glob("*.txt")):
            _fail(f"corpus not found at {corpus_dir}: give --corpus DIR or set MAILLAGE_CORPUS to the folder of the source documents", 2)
        if data is not None:
            if not data.is_dir():
                _fail(f"--data {data}: no such folder", 2)
            settings.data_dir = data
        try:
            records = read_records(settings)
        except RecordsInvalid as exc:
            for e in exc.errors:
                Console(stderr=True).print(str(e), markup=False, highlight=False)
            _fail(f"{len(exc.errors)} error(s) in the records: nothing to compare with")
        if not corpus_documents(corpus_dir, records, doc):
            _fail(f"no curated document of {corpus_dir} matches {' '.join(doc) or 'the records'}", 2)
        result = evaluate(corpus_dir, records, doc, link=link)
        if as_json:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            Console(soft_wrap=True, width=_WIDTH).print(table(result))
