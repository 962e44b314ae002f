"""`maillage extract FILE` drafts records from a document; `maillage add DRAFT` validates a
reviewed draft like the curated records and adds it to the data folder (registered on the main
CLI by maillage.cli). Review, never silent merge: extract only drafts, add rebuilds nothing."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

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


def target_name(data_dir: Path, doc_file: str) -> str:
    """data/<stem>.yaml, or the next free part file <stem>.b.yaml, <stem>.c.yaml… when the
    document already has records."""
    stem = Path(doc_file).stem
    if not (data_dir / f"{stem}.yaml").exists():
        return f"{stem}.yaml"
    for part in "bcdefghijklmnopqrstuvwxyz":
        if not (data_dir / f"{stem}.{part}.yaml").exists():
            return f"{stem}.{part}.yaml"
    raise ValueError(f"every part file of {stem} is taken")


def _same_body(draft_org, known, cog) -> bool:
    from maillage.loaders.resolution import _name_score, normalise_name

    if draft_org.get("kind") and draft_org.get("kind") != known.kind:
        return False
    if (known.kind in ("REG", "CD", "EPCI", "MUNI", "CCAS", "CIAS") and known.territory
            and draft_org.get("territory") == known.territory):
        return True
    mine = {normalise_name(str(n), cog) for n in [draft_org.get("name"), *(draft_org.get("aliases") or [])] if n}
    theirs = {normalise_name(n, cog) for n in [known.name, *known.aliases]}
    mine.discard("")
    theirs.discard("")
    if mine & theirs:
        return True
    score, _, _ = _name_score(sorted(mine), sorted(theirs))
    return score >= 88.0


def register(app: typer.Typer) -> None:
    """Add the extraction commands to the CLI."""

    @app.command()
    def extract(ctx: typer.Context,
                file: Path = typer.Argument(..., help="A UTF-8 text or Markdown document"),
                fmt: DraftFormat = typer.Option(DraftFormat.yaml, "--format", "-f", help="yaml (a records draft to review) | json"),
                output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout"),
                reader: Reader = typer.Option(Reader.auto, "--reader", help="Which reader drafts the facts (auto: chosen per document)"),
                link: bool = typer.Option(True, "--link/--no-link", help="Match names to the organisations of the records"),
                threshold: float = typer.Option(88.0, help="Name similarity (0-100) from which a name links to an existing organisation")) -> None:
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
        from maillage.build import vocabulary_for_records
        from maillage.extract.draft_io import draft_to_records
        from maillage.loaders.records import RecordsInvalid, data_files, load_records
        from maillage.loaders.territories import load_cog

        settings = _settings(ctx, data)
        data_dir = settings.data_dir
        if not data_dir.is_dir():
            _fail(f"maillage add: data folder not found: {data_dir}")
        if not draft_path.is_file():
            _fail(f"maillage add: {draft_path}: no such file")
        try:
            text, parsed = draft_to_records(draft_path)
        except ValueError as exc:
            _fail(str(exc))
        doc = parsed.get("document")
        if not isinstance(doc, dict) or not doc.get("file"):
            _fail(f"{draft_path}:1: missing 'document:' with its file (the corpus file these records come from)")
        try:
            name = target_name(data_dir, str(doc["file"]))
        except ValueError as exc:
            _fail(f"maillage add: {exc}")
        vocab = vocabulary_for_records()
        try:
            existing = load_records(data_dir, vocab)
        except RecordsInvalid as exc:
            for e in exc.errors:
                _say(str(e))
            _fail(f"maillage add: the data folder {data_dir} has {len(exc.errors)} error(s); fix them first (`maillage check`)")

        with tempfile.TemporaryDirectory(prefix="maillage-add-") as tmp:
            tmpdir = Path(tmp)
            for path in data_files(data_dir):
                (tmpdir / path.name).symlink_to(path.resolve())
            staged = tmpdir / name
            staged.write_text(text, encoding="utf-8")

            def shown(msg: str) -> str:
                return msg.replace(str(staged), str(draft_path)).replace(str(tmpdir), str(data_dir))

            try:
                rs = load_records(tmpdir, vocab)
            except RecordsInvalid as exc:
                for e in exc.errors:
                    _say(shown(str(e)))
                _fail(f"maillage add: {len(exc.errors)} error(s); nothing was added to {data_dir}")
            mine = next(f for f in rs.files if f.path.name == name)
            # an id already used by a different organisation is a clash, not a merge
            cog = load_cog()
            clashes = []
            raw_orgs = parsed.get("organisations") or []
            for i, o in enumerate(mine.records.organisations):
                known = existing.organisations.get(o.id)
                raw = raw_orgs[i] if i < len(raw_orgs) and isinstance(raw_orgs[i], dict) else {}
                if known is not None and not _same_body(raw, known, cog):
                    clashes.append(f"{draft_path}:{mine.line('organisations', i, 'id')}: organisation id {o.id!r} is "
                                   f"already {known.name!r} ({', '.join(existing.org_origin[o.id])}); the draft's "
                                   f"{o.name!r} does not look like the same body: give it another id, or add "
                                   "the name as an alias of the existing one if it is the same")
            if clashes:
                for c in clashes:
                    _say(c)
                _fail(f"maillage add: {len(clashes)} clash(es); nothing was added to {data_dir}")
            r = mine.records
            summary = (f"{len(r.organisations)} organisation(s), {len(r.initiatives)} initiative(s), "
                       f"{len(r.participations)} participation(s), {len(r.fundings)} funding(s)")
            if dry_run:
                _say(f"maillage add --dry-run: {draft_path} is valid ({summary}); it would be written to {data_dir / name}")
                return
            target = data_dir / name
            partial = target.with_suffix(".yaml.part")
            partial.write_text(text, encoding="utf-8")
            shutil.move(str(partial), str(target))
        _say(f"maillage add: {summary} → {target}\nnothing was rebuilt: run `maillage build` to update the graph")
