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


def _linker(ctx: typer.Context, link: bool, threshold: float):
    """(records, Linker) from the curated records, (None, None) without linking or when the
    records do not load (a warning says so)."""
    if not link:
        return None, None
    from maillage.build import read_records
    from maillage.extract.link import Linker
    from maillage.loaders.records import RecordsInvalid

    settings = _settings(ctx, None)
    try:
        records = read_records(settings)
        return records, Linker(records, threshold=threshold)
    except RecordsInvalid as exc:
        _say(f"warning: the records in {settings.data_dir} have {len(exc.errors)} error(s); "
             "names are not linked (run `maillage check`)")
        return None, None


def render(draft, fmt: str, records) -> str:
    """The draft as JSON, or as a YAML records draft whose new ids avoid the records' ids."""
    from maillage.extract.draft_io import to_json, to_yaml

    if fmt == "json":
        return json.dumps(to_json(draft), ensure_ascii=False, indent=2) + "\n"
    taken: set[str] = set()
    known = {}
    if records is not None:
        known = records.organisations
        taken = set(known) | {i.id for f in records.files for i in f.records.initiatives} \
            | {p.id for f in records.files for p in f.records.programmes}
    return to_yaml(draft, taken_ids=taken, known_orgs=known)


def register(app: typer.Typer) -> None:
    """Add the extraction commands to the CLI."""

    @app.command()
    def extract(ctx: typer.Context,
                file: Path = typer.Argument(..., metavar="FILE_OR_FOLDER",
                                            help="A document (HTML page, PDF, text or Markdown), or a folder of them"),
                fmt: DraftFormat = typer.Option(DraftFormat.yaml, "--format", "-f", help="yaml (a records draft to review) | json"),
                output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout (a folder: the folder of drafts, default ./drafts)"),
                reader: Reader = typer.Option(Reader.auto, "--reader", help="Which reader drafts the facts (auto: chosen per document)"),
                link: bool = typer.Option(True, "--link/--no-link", help="Match names to the organisations of the records"),
                threshold: float = typer.Option(model.LINK_THRESHOLD, help="Name similarity (0-100) from which a name links to an existing organisation"),
                text_out: Optional[Path] = typer.Option(None, "--text", help="Write the text that was read here (the spans point into it)"),
                max_chars: int = typer.Option(12_000_000, "--max-chars", min=0, help="Refuse a document with more characters of text (0: no limit)"),
                max_seconds: float = typer.Option(120.0, "--max-seconds", min=0, help="Stop reading and drafting one document after this long (0: no limit)"),
                max_mb: float = typer.Option(50.0, "--max-mb", min=0, help="Refuse a file larger than this (0: no limit)")) -> None:
        """Draft records (initiatives, organisations, partnerships, fundings) from a document or
        from every document of a folder, each fact with its character span and a confidence,
        for a person to review. A folder run goes on past a bad file and lists the bad ones."""
        from maillage.extract.budget import Budget

        budget = Budget(max_chars=max_chars, seconds=max_seconds, max_bytes=int(max_mb * 1_000_000))
        records, linker = _linker(ctx, link, threshold)
        if file.is_dir():
            from maillage.cli.extract_folder import run_folder

            code = run_folder(file, output or Path("drafts"), fmt.value, reader.value, linker, records, budget, _say)
            raise typer.Exit(code)
        from maillage.extract.batch import extract_path

        outcome = extract_path(file, reader.value, linker=linker, link=linker is not None, budget=budget, name=str(file))
        if outcome.error:
            _fail(f"maillage extract: {outcome.error}")
        draft, doc = outcome.draft, outcome.document
        if text_out is not None:
            text_out.write_text(doc.text, encoding="utf-8")
            draft.document["read_text"] = text_out.name
        text = render(draft, fmt.value, records)
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
        if doc.kind in ("html", "pdf") and text_out is None:
            _say(f"note: {file} was read as {doc.kind}; the spans point into the text that was read: "
                 "write it with --text FILE.txt and review against it")
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
