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

    t = Table(title=f"maillage eval-extract --set {evaluation.name}: {len(evaluation.documents)} document(s), extraction "
                    f"{evaluation.seconds:.1f} s", header_style="bold")
    for col in ("document", "reader", "category", "found", "drafted", "curated", "precision", "recall", "F1"):
        t.add_column(col, justify="left" if col in ("document", "reader", "category") else "right")
    rows = [(d.file, d.reader, d.scores) for d in evaluation.documents]
    rows.append(("overall", "", evaluation.overall))
    for _n, (name, reader, scores) in enumerate(rows):
        cats = [c for c in CATEGORIES if c in scores]
        for i, c in enumerate(cats):
            s = scores[c]
            t.add_row(name if i == 0 else "", reader if i == 0 else "", c, str(s.tp), str(s.n_draft),
                      str(s.n_gold), f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}",
                      end_section=i == len(cats) - 1)
    return t


def register(app: typer.Typer) -> None:
    """Add the evaluation command to the CLI."""

    @app.command("eval-extract")
    def eval_extract(ctx: typer.Context,
                     set_name: str = typer.Option("corpus", "--set", help="corpus | unseen | holdout | invented | real-dev | real-blind | real-blind2 | real-blind3 | real-blind4 | real-blind5 | real-blind6 | real-blind7 | real-blind8"),
                     corpus: Optional[Path] = typer.Option(None, "--corpus", help="Folder of the source documents [env MAILLAGE_CORPUS]"),
                     data: Optional[Path] = typer.Option(None, "--data", help="Folder of the curated records to compare with [default: the main --data]"),
                     as_json: bool = typer.Option(False, "--json", help="Print one JSON object (with the missed and spurious items)"),
                     doc: list[str] = typer.Option([], "--doc", help="Only this document (file name or prefix such as 002); repeatable"),
                     link: str = typer.Option("fair", "--link", help="fair: link against the other documents' records | all | none")) -> None:
        """Extract every document of a set and compare with its gold: precision, recall and F1
        of initiatives, pilots, funders, amounts, amounts tied to their funder, partners and
        territories. The corpus's gold is its curated records; the other sets' is hand-written."""
        from maillage.build import read_records
        from maillage.config import Settings
        from maillage.extract.evaluate import LINK_MODES, SETS, corpus_documents, evaluate, evaluate_set, gold_documents, set_folders
        from maillage.loaders.records import RecordsInvalid

        settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
        if link not in LINK_MODES:
            _fail(f"--link {link!r}: {' | '.join(LINK_MODES)}", 2)
        if set_name not in SETS:
            _fail(f"--set {set_name!r}: {' | '.join(SETS)}", 2)
        if set_name != "corpus":
            if not gold_documents(set_folders(set_name), doc):
                _fail(f"no annotated document in {', '.join(map(str, set_folders(set_name)))}"
                      f"{' matches ' + ' '.join(doc) if doc else ''}", 2)
            linker = None
            if link != "none":
                from maillage.extract.link import Linker

                linker = Linker(data) if data is not None else Linker()
            result = evaluate_set(set_name, doc, linker=linker)
            if as_json:
                sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
            else:
                Console(soft_wrap=True, width=_WIDTH).print(table(result))
            return
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
