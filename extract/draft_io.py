"""A Draft written out: the JSON contract of `maillage extract --format json`, or a YAML draft in
the curated records' format (data/README.md) for a person to review; and the reviewed YAML
draft read back for `maillage add` (its ``confidence:`` keys stripped, line numbers kept).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from maillage import model
from maillage.extract.model import Draft

__all__ = ["to_json", "to_yaml", "draft_to_records", "strip_confidence", "slug"]

_LOCAL = re.compile(r"^(qpv|quartier):[a-z0-9][a-z0-9-]*$")
_COG_REF = re.compile(r"^(reg|dep|epci|com):[0-9AB]+$")


slug = model.slug  # the one slug (maillage.model)


def _norm(name: str) -> str:
    from maillage.loaders.resolution import normalise_name
    from maillage.loaders.territories import load_cog

    return normalise_name(name, load_cog())


def _spans(spans) -> list[list[int]]:
    return [[int(s), int(e)] for s, e in spans]


# ---------------------------------------------------------------- JSON contract

def to_json(draft: Draft) -> dict:
    """{initiatives: [{name, pilots, territories}], fundings: [{funder, initiative, amount_eur,
    period, purpose}], partnerships: [{initiative, partner, role}]}, names not keys, each item
    with its spans and confidence; plus organisations and warnings."""
    orgs = {o.key: o for o in draft.organisations}
    inis = {i.key: i for i in draft.initiatives}

    def name(key):
        o = orgs.get(key)
        return o.name if o else key

    def linked(key):
        o = orgs.get(key)
        return o.linked_to if o else None

    def ini_name(key):
        i = inis.get(key)
        return i.name if i else key

    return {
        "file": draft.file,
        "url": draft.url,
        "document": dict(draft.document),
        "initiatives": [
            {"name": i.name, "pilots": [name(k) for k in i.pilots], "territories": list(i.territories),
             "start": i.start, "key": i.key, "pilot_ids": [linked(k) for k in i.pilots],
             "spans": _spans(i.spans), "confidence": round(i.confidence, 3)}
            for i in draft.initiatives],
        "fundings": [
            {"funder": " ; ".join(name(k) for k in f.funders), "funders": [name(k) for k in f.funders],
             "funder_ids": [linked(k) for k in f.funders],
             "initiative": ini_name(f.initiative) if f.initiative else None,
             "amount_eur": f.amount_eur, "year": f.year, "period": f.period, "purpose": f.purpose,
             "spans": _spans(f.spans), "confidence": round(f.confidence, 3), "by": f.by}
            for f in draft.fundings],
        "partnerships": [
            {"initiative": ini_name(p.initiative), "partner": name(p.partner), "partner_id": linked(p.partner),
             "role": p.role, "spans": _spans(p.spans), "confidence": round(p.confidence, 3), "by": p.by}
            for p in draft.partnerships],
        "organisations": [
            {"key": o.key, "name": o.name, "kind": o.kind, "territory": o.territory, "linked_to": o.linked_to,
             "match_score": o.match_score, "spans": _spans(o.spans), "confidence": round(o.confidence, 3)}
            for o in draft.organisations],
        "warnings": list(draft.warnings),
    }


# ---------------------------------------------------------------- YAML records draft

def _s(value: Any) -> str:
    """One YAML scalar or flow list, quoted when it needs to be."""
    return yaml.safe_dump([value], allow_unicode=True, default_flow_style=True, width=10**9).strip()[1:-1]


def _source(spans) -> str:
    spans = _spans(spans)
    if len(spans) == 1:
        return f"[{spans[0][0]}, {spans[0][1]}]"
    return "[" + ", ".join(f"[{s}, {e}]" for s, e in spans) + "]"


def _unique(base: str, taken: set[str], _next: dict | None = None) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free (``_next`` remembers where to
    resume for each base, so that many equal names stay linear)."""
    nxt = _next if _next is not None else {}
    out, n = base, nxt.get(base, 2)
    if out in taken:
        out = f"{base}-{n}"
        while out in taken:
            n += 1
            out = f"{base}-{n}"
        nxt[base] = n + 1
    taken.add(out)
    return out


def to_yaml(draft: Draft, *, taken_ids: set[str] | None = None, known_orgs: dict | None = None) -> str:
    """The draft in the records format: document / territories / organisations / initiatives /
    participations / fundings, each fact with its ``source`` span and a ``confidence:`` that
    `maillage add` strips. Linked organisations keep their existing id. ``taken_ids``: ids
    already used by other organisations or initiatives (new ids avoid them); ``known_orgs``:
    id -> existing Organisation (its name and kind are reused)."""
    taken = set(taken_ids or ())
    known_orgs = known_orgs or {}
    lines: list[str] = [
        f"# Draft records of {draft.file}, written by `maillage extract`: review every fact against",
        "# the document (names, kinds, roles, amounts, spans), then `maillage add` this file.",
        "# `confidence:` keys are the extractor's and are removed by `maillage add`.",
    ]
    for w in draft.warnings:
        lines.append(f"# warning: {' '.join(str(w).split())}")
    title = draft.initiatives[0].name if len(draft.initiatives) == 1 else Path(draft.file).stem
    kind = "fiche" if len(draft.initiatives) == 1 else ("recueil" if draft.initiatives else "article")
    read_text = draft.document.get("read_text")   # HTML/PDF: the spans point into the text read from the file
    if read_text:
        lines.append(f"# read from {draft.file} ({draft.document.get('kind')}); the spans point into {read_text}, "
                     "the text that was read: add it to the corpus with this draft")
    lines += ["document:", f"  file: {_s(read_text or draft.file)}", f"  title: {_s(title[:120])}   # TODO: a short title in your words",
              f"  kind: {kind}"]
    if draft.url and re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", draft.url):
        lines.append(f"  url: {_s(draft.url)}")
    lines.append("")

    # ids: linked organisations keep theirs, new ones get a fresh slug
    org_id: dict[str, str] = {}
    for o in draft.organisations:
        if o.linked_to:
            org_id[o.key] = o.linked_to
    used = taken | set(org_id.values())
    resume: dict[str, int] = {}
    for o in draft.organisations:
        if o.key not in org_id:
            org_id[o.key] = _unique(slug(o.name), used, resume)
    ini_id: dict[str, str] = {}
    for i in draft.initiatives:
        ini_id[i.key] = _unique(slug(i.name), used, resume)

    # local places (QPV, districts) used by initiatives, declared within a COG territory
    locals_: dict[str, tuple[str, str, list]] = {}
    for i in draft.initiatives:
        cog_refs = [t for t in i.territories if _COG_REF.match(t)]
        within = next((t for t in cog_refs if t.startswith("com:")), cog_refs[0] if cog_refs else None)
        for t in i.territories:
            if _LOCAL.match(t) and within and t not in locals_:
                locals_[t] = (within, t.split(":", 1)[1].replace("-", " ").title(), i.spans[:1])
    if locals_:
        lines.append("territories:")
        for ref, (within, name, spans) in locals_.items():
            lines += [f"  - id: {ref}", f"    name: {_s(name)}   # TODO: the name as the document writes it",
                      f"    level: {ref.split(':')[0]}", f"    within: {within}"]
            if spans:
                lines.append(f"    source: {_source(spans)}")
        lines.append("")

    used_orgs = ({k for i in draft.initiatives for k in i.pilots} | {k for f in draft.fundings for k in f.funders}
                 | {p.partner for p in draft.partnerships})
    declared: set[str] = set()
    org_lines: list[str] = []
    for o in draft.organisations:
        if o.key not in used_orgs or not o.spans:
            continue
        oid = org_id[o.key]
        if oid in declared:
            continue
        declared.add(oid)
        known = known_orgs.get(o.linked_to) if o.linked_to else None
        if known is not None:
            org_lines += [f"  - id: {oid}   # existing organisation (match {o.match_score:g}): check it is the same body",
                          f"    name: {_s(known.name)}"]
            if o.name != known.name and _norm(o.name) != _norm(known.name) \
                    and _norm(o.name) not in {_norm(a) for a in known.aliases}:
                org_lines.append(f"    aliases: {_s([o.name])}")   # the document's own writing
            org_lines.append(f"    kind: {known.kind}")
        else:
            note = "new organisation" if not o.linked_to else f"existing organisation (match {o.match_score:g})"
            org_lines += [f"  - id: {oid}   # {note}: check the id, name and kind",
                          f"    name: {_s(o.name)}",
                          f"    kind: {o.kind or 'AUTRE'}" + ("" if o.kind else "   # TODO: typology notation")]
        if o.territory:
            org_lines.append(f"    territory: {o.territory}")
        org_lines += [f"    source: {_source(o.spans)}", f"    confidence: {o.confidence:.2f}"]
    if org_lines:
        lines += ["organisations:", *org_lines, ""]

    if draft.initiatives:
        lines.append("initiatives:")
        for i in draft.initiatives:
            lines += [f"  - id: {ini_id[i.key]}", f"    name: {_s(i.name)}"]
            if i.start:
                lines.append(f"    start: {_s(i.start)}")
            terr = [t for t in i.territories if _COG_REF.match(t) or t in locals_]
            if terr:
                lines.append(f"    territories: {_s(terr)}")
            if i.spans:
                lines.append(f"    source: {_source(i.spans)}")
            lines += [f"    confidence: {i.confidence:.2f}"]
        lines.append("")

    parts: list[str] = []
    by_key = {x.key: x for x in draft.organisations}
    for i in draft.initiatives:
        for k in i.pilots:
            o = by_key.get(k)
            if o is None or org_id[k] not in declared:
                continue
            parts += [f"  - initiative: {ini_id[i.key]}", f"    organisation: {org_id[k]}", "    role: pilote",
                      f"    source: {_source(o.spans[:1] or i.spans[:1])}", f"    confidence: {min(o.confidence, i.confidence):.2f}"]
    for p in draft.partnerships:
        if p.initiative not in ini_id or org_id.get(p.partner) not in declared or not p.spans:
            continue
        parts += [f"  - initiative: {ini_id[p.initiative]}", f"    organisation: {org_id[p.partner]}",
                  f"    role: {p.role}", f"    source: {_source(p.spans)}",
                  f"    confidence: {p.confidence:.2f}  # by {p.by}"]
    if parts:
        lines += ["participations:", *parts, ""]

    funds: list[str] = []
    for f in draft.fundings:
        funders = [org_id[k] for k in f.funders if org_id.get(k) in declared]
        if not funders or not f.spans or (f.initiative not in ini_id):
            continue
        funds += [f"  - funder: {_s(funders)}", f"    initiative: {ini_id[f.initiative]}"]
        if f.amount_eur is not None:
            amount = int(f.amount_eur) if float(f.amount_eur).is_integer() else f.amount_eur
            funds.append(f"    amount_eur: {amount}")
        if f.year is not None:
            funds.append(f"    year: {f.year}")
        elif f.period:
            funds.append(f"    period: {f.period}")
        if f.purpose:
            funds.append(f"    purpose: {f.purpose}")
        funds += [f"    source: {_source(f.spans)}", f"    confidence: {f.confidence:.2f}  # by {f.by}"]
    if funds:
        lines += ["fundings:", *funds, ""]
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- reviewed draft -> records

_CONFIDENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?confidence[ \t]*:[^\n#]*(?:#.*)?$", re.MULTILINE)


def strip_confidence(text: str) -> str:
    """The draft without its ``confidence:`` lines, every other line at the same line number."""
    def repl(m: re.Match) -> str:
        return f"{m.group('indent')}-" if m.group("dash") else f"{m.group('indent')}#"

    return _CONFIDENCE.sub(repl, text)


def draft_to_records(yaml_path: Path | str) -> tuple[str, dict]:
    """(records text, parsed data) of a reviewed draft: ``confidence:`` removed, lines kept, so
    that errors found in the text point at the draft's own lines. ValueError for a file that is
    not UTF-8 YAML."""
    from maillage.loaders.records import MAX_FILE_BYTES, parse_yaml, read_text_file

    path = Path(yaml_path)
    # the records' reader and limits (issue 14): a folder, a pipe, a huge file, a YAML bomb or
    # 100,000 '[' end in a message, and numbers and dates are read as the records read them
    raw, why = read_text_file(path, str(path), MAX_FILE_BYTES)
    if raw is None:
        raise ValueError(f"{path}:1: {why}")
    text = strip_confidence(raw)
    try:
        data = parse_yaml(text)
    except ValueError as exc:
        raise ValueError(f"{path}:{exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ValueError(f"{path}:{mark.line + 1 if mark else 1}: malformed YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}:1: malformed YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}:1: the draft must be a mapping (document:, organisations:, …)")
    return text, data
