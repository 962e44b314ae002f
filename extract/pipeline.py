"""Read a file, pick a reader (structured fiche or narrative prose), read, link.

    extract_file("doc.txt")            -> Draft (linked to the organisations of the records)
    extract_text(text, "doc.txt", "fiche")
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from maillage.extract.model import Draft

__all__ = ["ExtractError", "extract_text", "extract_file", "pick_reader", "looks_like_fiche", "MAX_BYTES"]

MAX_BYTES = 50_000_000   # beyond this a file is not one document
FICHE_SENTENCES_MAX = 200_000   # characters of a fiche whose sentences the dependency reader also reads


class ExtractError(Exception):
    """A file the extractor cannot read; the message names the file and what is wrong."""


# Field headings of a fiche: "Pilote :", "## **Partenaires :**", "Coût total du projet :" …
_FIELD = re.compile(
    r"(?im)^[ \t#>*_•\-–]*(?:pilotes?|porteurs?(?:\s+du\s+projet)?|partenaires(?:\s+financiers)?|lieux?|"
    r"localisation|territoires?|dates?|calendrier|co[ûu]t\s+total(?:\s+du\s+projet)?|budget(?:\s+global)?|"
    r"(?:dont\s+)?co-?financ(?:eurs|iers)|financeurs|financements?|th[ée]matiques?|publics?(?:\s+directs)?|contact)"
    r"[ \t*_]*:")


_TABLE_FIELD = re.compile(r"(?im)^[ \t]*\|[ \t*_]*(pilotes?|porteurs?|partenaires|lieux?|dates?|co[ûu]t\s+total|budget|"
                          r"financeurs|co-?financeurs|territoires?)\b[^|\n]*\|")
_CAPS_HEADING = re.compile(r"(?m)^[ \t#*]*[A-ZÀ-ÝŒ][A-ZÀ-ÝŒ '’\-—–&]{3,60}[ \t*]*:?[ \t]*$")
_FICHE_TITLE = re.compile(r"(?im)^[ \t#*]*fiche(?:\s+(?:exp[ée]rience|action|projet|initiative|pratique))?\b")


def looks_like_fiche(text: str) -> bool:
    """A structured fiche: at least two distinct field headings ("Pilote :", "Lieu :", "Coût
    total :" …), or a "FICHE …" title with capitalised section headings (DIAGNOSTIC, METHODE…)."""
    kinds = set()
    for m in _TABLE_FIELD.finditer(text):
        kinds.add(re.sub(r"[^a-z]", "", m.group(1).lower())[:6])
    if len(kinds) >= 2:
        return True
    for m in _FIELD.finditer(text):
        kinds.add(re.sub(r"[^a-z]", "", m.group().lower())[:6])
        if len(kinds) >= 2:
            return True
    # the fiche reader's heading vocabulary (Porteur, Maître d'ouvrage, Zone géographique, Plan de
    # financement…) in any heading shape: "X :", "### X", "1. X :", "| X | … |"
    from maillage.extract.fiche import find_fields

    found = {f.kind.split(":")[0].removesuffix("_weak") for f in find_fields(text[:200_000]) if f.kind != "other"}
    if len(found) >= 2:
        return True
    if _FICHE_TITLE.search(text[:3000]):
        return sum(1 for _ in zip(range(3), _CAPS_HEADING.finditer(text))) >= 3
    return False


def pick_reader(text: str, reader: str = "auto"):
    """(reader object, warnings) for ``reader`` = auto | fiche | prose."""
    from maillage.extract.fiche import FicheReader

    warnings: list[str] = []
    if reader not in ("auto", "fiche", "prose"):
        raise ExtractError(f"unknown reader {reader!r} (auto, fiche or prose)")
    if reader == "fiche" or (reader == "auto" and looks_like_fiche(text)):
        return FicheReader(), warnings
    try:
        from maillage.extract.prose import ProseReader  # noqa: PLC0415 (lazy: spaCy is slow)

        return ProseReader(), warnings
    except Exception as exc:  # missing module, missing spaCy model…
        warnings.append(f"prose reader unavailable ({type(exc).__name__}: {exc}); read as a fiche instead")
        return FicheReader(), warnings


def enrich(draft: Draft, text: str, fiche: bool = False, url: str | None = None) -> Draft:
    """The reader's draft with the facts of the dependency reader (lexicon predicates) added. In a
    fiche whose fields already name funders, the sentences add partners, not funders. ``url``: the
    page's address, which says who publishes it (publisher.py: the implied giver of the grants the
    page lists without naming one, and the body a bare "le Département" means)."""
    import os

    if os.environ.get("MAILLAGE_EXTRACT_SYNTAX", "1") == "0":
        return draft
    from maillage.extract.classifier import add_predictions
    from maillage.extract.combine import Combiner, drop_split_joints, prune_partners
    from maillage.extract.loose import attach_loose
    from maillage.extract.mentions import analyse
    from maillage.extract.publisher import publisher_of

    loose: list = []
    facts, mentions = analyse(text, loose=loose)
    pub = publisher_of(url or draft.url, text, [m.text for m in mentions if not m.head_only])
    if pub is not None:
        from maillage.extract.mentions import mark_publisher

        mark_publisher(mentions, pub.name)
    if fiche and draft.fundings:
        facts = [f for f in facts if f.relation != "funding"]
        loose = []
    from maillage.extract.heading_lists import heading_facts

    combiner = Combiner(draft, text, publisher=pub, url=url or draft.url)
    combiner.organs_to_publisher()
    facts = facts + [f for f in heading_facts(text) if not (fiche and draft.fundings and f.relation == "funding")]
    for f in facts:
        combiner.add(f.relation, f.role, f.names, f.amounts, f.pairs, f.span, f.confidence, f.by)
    if not fiche:  # a drafted partner that is no body goes, with or without the model (not in fiches: their fields say)
        prune_partners(combiner.draft, mentions)
    if os.environ.get("MAILLAGE_EXTRACT_MODEL", "1") != "0" and not fiche:  # trained on prose mentions
        add_predictions(combiner, mentions)
    attach_loose(combiner, sorted(loose + combiner.orphans, key=lambda a: a.start))
    drop_split_joints(combiner.draft)
    return combiner.draft


def extract_text(text: str, file: str, reader: str = "auto", *, linker=None, link: bool = True,
                 syntax: bool = True, url: str | None = None) -> Draft:
    """Draft the records of one document's text. ``linker``: a Linker (default: one built from
    the curated records); ``link=False`` leaves organisations unlinked."""
    chosen, warnings = pick_reader(text, reader)
    draft = chosen.read(text, file)
    prose = getattr(chosen, "name", "") == "prose"
    # a fiche's fields say the roles; the sentences of a fiche of ordinary size may say more (not
    # when the prose reader could not load, nor for a fiche of megabytes: its fields are enough)
    if syntax and (prose or (not warnings and len(text) <= FICHE_SENTENCES_MAX)):
        draft = enrich(draft, text, fiche=not prose, url=url)
    if warnings:
        draft = replace(draft, warnings=[*warnings, *draft.warnings])
    if link:
        if linker is None:
            from maillage.extract.link import Linker

            linker = Linker()
        draft = linker.link(draft)
    return draft


def read_text_file(path: Path | str) -> str:
    """The UTF-8 text of ``path``; ExtractError (naming the file) when it is empty, binary,
    not UTF-8, missing or too large."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ExtractError(f"{p}: cannot read it ({exc.strerror or exc})") from None
    if not p.is_file():
        raise ExtractError(f"{p}: not a file")
    if size > MAX_BYTES:
        raise ExtractError(f"{p}: {size} bytes is more than one document ({MAX_BYTES} at most)")
    data = p.read_bytes()
    if not data.strip():
        raise ExtractError(f"{p}: the file is empty")
    if b"\x00" in data[:65536] or b"\x00" in data:
        raise ExtractError(f"{p}: a binary file (it contains NUL bytes), not UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExtractError(f"{p}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ExtractError(f"{p}: the file has no text")
    return text


def extract_file(path: Path | str, reader: str = "auto", *, linker=None, link: bool = True) -> Draft:
    """Draft the records of a UTF-8 text or Markdown file (ExtractError for unreadable files)."""
    from maillage.extract.readers import blank_header

    p = Path(path)
    # a "SOURCE: <url>" / URL / navigation header is the document's URL, never an initiative
    # (blanked with spaces: offsets stay those of the file)
    text, url, _ = blank_header(read_text_file(p))
    draft = extract_text(text, p.name, reader, linker=linker, link=link, url=url)
    return replace(draft, url=draft.url or url) if url else draft
