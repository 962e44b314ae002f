"""`maillage extract FILE` drafts records from a document; `maillage add DRAFT` validates a
reviewed draft like the curated records and adds it to the data folder (registered on the main
CLI by maillage.cli). Review, never silent merge: extract only drafts, add rebuilds nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from maillage import model
from maillage.cli.choices import DraftFormat, Reader

_err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 200)


def _say(message: str) -> None:
    _err.print(message, markup=False, highlight=False)


def _fail(message: str, code: int = 1) -> None:
    _say(message)
    raise typer.Exit(code)


def _settings(ctx: typer.Context, data: Optional[Path]):
    from maillage.config import Settings

    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    if data is not None:
        settings.data_dir = data
    return settings


def register(app: typer.Typer) -> None:
    """Add the extraction commands to the CLI."""

    @app.command()
    def extract(ctx: typer.Context,
                file: Path = typer.Argument(..., help="A UTF-8 text or Markdown document"),
                fmt: DraftFormat = typer.Option(DraftFormat.yaml, "--format", "-f", help="yaml (a records draft to review) | json"),
                output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout"),
                reader: Reader = typer.Option(Reader.auto, "--reader", help="Which reader drafts the facts (auto: chosen per document)"),
                link: bool = typer.Option(True, "--link/--no-link", help="Match names to the organisations of the records"),
                threshold: float = typer.Option(model.LINK_THRESHOLD, help="Name similarity (0-100) from which a name links to an existing organisation")) -> None:
        """Draft records (initiatives, organisations, partnerships, fundings) from a document,
        each fact with its character span and a confidence, for a person to review."""
        from maillage.extract.draft_io import to_json, to_yaml
        from maillage.extract.pipeline import ExtractError, extract_file

        settings = _settings(ctx, None)
        records, linker = None, None
        if link:
            from maillage.build import read_records
            from maillage.extract.link import Linker
            from maillage.loaders.records import RecordsInvalid

            try:
                records = read_records(settings)
                linker = Linker(records, threshold=threshold)
            except RecordsInvalid as exc:
                _say(f"warning: the records in {settings.data_dir} have {len(exc.errors)} error(s); "
                     "names are not linked (run `maillage check`)")
        try:
            draft = extract_file(file, reader.value, linker=linker, link=linker is not None)
        except ExtractError as exc:
            _fail(f"maillage extract: {exc}")
        if fmt is DraftFormat.json:
            text = json.dumps(to_json(draft), ensure_ascii=False, indent=2) + "\n"
        else:
            taken: set[str] = set()
            known = {}
            if records is not None:
                known = records.organisations
                taken = set(known) | {i.id for f in records.files for i in f.records.initiatives} \
                    | {p.id for f in records.files for p in f.records.programmes}
            text = to_yaml(draft, taken_ids=taken, known_orgs=known)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        linked = sum(1 for o in draft.organisations if o.linked_to)
        for w in draft.warnings:
            _say(f"warning: {w}")
        _say(f"maillage extract: {len(draft.initiatives)} initiative(s), {len(draft.fundings)} funding(s), "
             f"{len(draft.partnerships)} partnership(s), {len(draft.organisations)} organisation(s) "
             f"({linked} linked to existing ones, {len(draft.organisations) - linked} proposed as new)"
             + (f" → {output}" if output else ""))
        if fmt is DraftFormat.yaml:
            _say("review the draft against the document, then `maillage add " + (str(output) if output else "DRAFT") + "`")

    @app.command()
    def add(ctx: typer.Context,
            draft_path: Path = typer.Argument(..., metavar="DRAFT", help="A reviewed YAML draft from `maillage extract`"),
            data: Optional[Path] = typer.Option(None, "--data", help="Folder of curated records to add to [default: the main --data]"),
            dry_run: bool = typer.Option(False, "--dry-run", help="Validate only; write nothing")) -> None:
        """Validate a reviewed draft like the curated records (file:line errors) and add it to
        the data folder as <document stem>.yaml (or a part file). Rebuilds nothing."""
        from maillage.curation import AddRefused, add_draft

        settings = _settings(ctx, data)
        try:
            report = add_draft(settings.data_dir, draft_path, dry_run=dry_run)
        except AddRefused as exc:
            for message in exc.messages:
                _say(message)
            _fail(exc.summary)
        if not report.written:
            _say(f"maillage add --dry-run: {draft_path} is valid ({report.summary}); it would be written to {report.target}")
            return
        _say(f"maillage add: {report.summary} → {report.target}\nnothing was rebuilt: run `maillage build` to update the graph")
