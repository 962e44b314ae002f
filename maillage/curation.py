"""Curation aids behind `maillage stats`, `coverage`, `orgs` and `add`: the numbers and checks a
curator reads, computed here; the command line only prints them."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from maillage import model
from maillage.config import Settings


def stats(store):
    """The `stats` canned query over the whole graph and over each document, side by side: one
    row per (measure, category), one column per run ("all", then each document's number)."""
    from maillage import output, query as queries
    from maillage.store import QueryResult

    documents = queries.documents(store)
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
    return QueryResult(columns, rows)


COVERAGE_COLUMNS = ("money", "uncovered", "cooperation", "allowed", "uncovered ")


def coverage(settings: Settings, corpus_dir: Path):
    """Each corpus document's money and cooperation passages against the recorded facts
    (raises RecordsInvalid when the records do not read)."""
    from maillage.build import read_records
    from maillage.loaders.coverage import check_corpus

    return check_corpus(read_records(settings), corpus_dir)


def coverage_counts(document) -> list[int]:
    """One document's figures, in the order of COVERAGE_COLUMNS."""
    d = document
    return [d.count("money"), d.count("money", "uncovered"), d.count("cooperation"),
            d.count("cooperation", "allowed") + d.count("money", "allowed"), d.count("cooperation", "uncovered")]


def organisations(settings: Settings):
    """The records' organisations (raises RecordsInvalid when the records do not read)."""
    from maillage.build import read_records

    return read_records(settings)


def suspect_pairs(settings: Settings, records, threshold: float, all_pairs: bool = False):
    """Pairs of organisations that are probably one, and how many pairs were reviewed as distinct
    (those are left out unless all_pairs)."""
    from maillage.loaders.resolution import read_reviewed, suspects
    from maillage.loaders.territories import load_cog

    reviewed = [] if all_pairs else read_reviewed(settings.data_dir / "review" / "distinct.yaml")
    return suspects(records.organisations, load_cog(), threshold=threshold, reviewed=reviewed), len(reviewed)


def find_span(content: str, text: str) -> tuple[int, int, int] | None:
    """(start, end, occurrences) of the first occurrence of a passage, or None."""
    start = content.find(text)
    if start < 0:
        return None
    return start, start + len(text), content.count(text)


# --- `maillage add`: a reviewed draft joins the curated records --------------------------------

class AddRefused(Exception):
    """The draft is not added; ``messages`` say why (file:line first), ``summary`` in one line."""

    def __init__(self, summary: str, messages: list[str] | None = None):
        super().__init__(summary)
        self.summary = summary
        self.messages = messages or []


@dataclass
class AddReport:
    summary: str
    target: Path
    written: bool
    warnings: list[str] = field(default_factory=list)


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
    if (known.kind in model.GOVERNING_KINDS and known.territory
            and draft_org.get("territory") == known.territory):
        return True
    mine = {normalise_name(str(n), cog) for n in [draft_org.get("name"), *(draft_org.get("aliases") or [])] if n}
    theirs = {normalise_name(n, cog) for n in [known.name, *known.aliases]}
    mine.discard("")
    theirs.discard("")
    if mine & theirs:
        return True
    score, _, _ = _name_score(sorted(mine), sorted(theirs))
    return score >= model.LINK_THRESHOLD


def add_draft(data_dir: Path, draft_path: Path, dry_run: bool = False) -> AddReport:
    """Validate a reviewed draft like the curated records and write it to the data folder as
    <document stem>.yaml (or a part file); raises AddRefused, with file:line messages, when it
    is not added. Rebuilds nothing."""
    from maillage.build import vocabulary_for_records
    from maillage.extract.draft_io import draft_to_records
    from maillage.loaders.records import RecordsInvalid, data_files, load_records
    from maillage.loaders.territories import load_cog

    if not data_dir.is_dir():
        raise AddRefused(f"maillage add: data folder not found: {data_dir}")
    from maillage.loaders.records.yaml_reader import MAX_FILE_BYTES, path_problem

    why = path_problem(draft_path, MAX_FILE_BYTES, "a draft")
    if why:   # a folder, a link loop, a pipe were all "no such file"
        raise AddRefused(f"maillage add: {draft_path}: {why}")
    try:
        text, parsed = draft_to_records(draft_path)
    except ValueError as exc:
        raise AddRefused(str(exc)) from None
    doc = parsed.get("document")
    if not isinstance(doc, dict) or not doc.get("file"):
        raise AddRefused(f"{draft_path}:1: missing 'document:' with its file (the corpus file these records come from)")
    try:
        name = target_name(data_dir, str(doc["file"]))
    except ValueError as exc:
        raise AddRefused(f"maillage add: {exc}") from None
    vocab = vocabulary_for_records()
    try:
        existing = load_records(data_dir, vocab)
    except RecordsInvalid as exc:
        raise AddRefused(f"maillage add: the data folder {data_dir} has {len(exc.errors)} error(s); fix them first "
                         "(`maillage check`)", [str(e) for e in exc.errors]) from None

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
            raise AddRefused(f"maillage add: {len(exc.errors)} error(s); nothing was added to {data_dir}",
                             [shown(str(e)) for e in exc.errors]) from None
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
            raise AddRefused(f"maillage add: {len(clashes)} clash(es); nothing was added to {data_dir}", clashes)
        r = mine.records
        summary = (f"{len(r.organisations)} organisation(s), {len(r.initiatives)} initiative(s), "
                   f"{len(r.participations)} participation(s), {len(r.fundings)} funding(s)")
        target = data_dir / name
        if dry_run:
            return AddReport(summary, target, written=False)
        partial = target.with_suffix(".yaml.part")
        partial.write_text(text, encoding="utf-8")
        shutil.move(str(partial), str(target))
    return AddReport(summary, target, written=True)
