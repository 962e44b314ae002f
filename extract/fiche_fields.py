"""Fiche fields, for the fiche reader (extract/fiche.py): the heading vocabulary (the synonyms
French project sheets use for each field), the heading lines ("Label :", "### Porteur",
"**PARTENAIRES**", "2. Financements") and the markdown tables, read into Fields with one span
per bullet, inline value or table cell.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

Span = tuple[int, int]

# ---------------------------------------------------------------- field headings

# Heading vocabulary: synonyms French project fiches use for each field (matched on the whole
# label, case-insensitive, "(s)"/"(e)" marks removed). Order matters: the first match wins.
_FIELD_KINDS = [
    # funders: who pays ("dont cofinanceurs", "Financements", "Plan de financement", "Soutiens obtenus")
    ("cofin", r"(?:-\s*)?(?:dont\s+)?(?:co-?financeurs|co-?financiers|co-?financements?|financeurs?|financements?|"
              r"partenaires\s+financiers|soutiens?\s+financiers?|soutiens?\s+obtenus|subventions?|"
              r"plan\s+de\s+financement|moyens\s+financiers|aides?\s+(?:obtenues|financi[èe]res)|"
              r"origine\s+des\s+fonds)(?:\s+\w+){0,2}"),
    # pilot: the body that leads the project
    ("pilote", r"pilotes?|porteurs?(?:\s+du\s+projet|\s+de\s+projet|\s+de\s+l['’]action)?|structures?\s+porteuses?|"
               r"ma[îi]tres?\s+d['’]ouvrage|ma[îi]trise\s+d['’]ouvrage|organismes?\s+(?:responsables?|porteurs?|gestionnaires?)|"
               r"pilotage|coordination|structure\s+(?:responsable|gestionnaire)|gestionnaires?"),
    # a weaker pilot heading, often a person ("Responsable : J. Martin"): used when no pilot heading is there
    ("pilote_weak", r"responsables?(?:\s+du\s+projet)?"),
    # partners: bodies working with the pilot
    ("partenaires", r"partenaires(?:\s+(?:op[ée]rationnels|techniques|associ[ée]s|mobilis[ée]s|du\s+projet|"
                    r"institutionnels|locaux|principaux))?|partenariats?|acteurs\s+(?:associ[ée]s|mobilis[ée]s|impliqu[ée]s|"
                    r"partenaires)|structures\s+(?:associ[ée]es|partenaires)|principaux\s+partenaires"),
    ("role:operateur", r"op[ée]rateurs?|structures?\s+op[ée]ratrices?"),
    ("role:prescripteur", r"prescripteurs?|orienteurs?"),
    ("role:client", r"clients?|donneurs?\s+d['’]ordre"),
    ("role:prestataire", r"prestataires?|sous-traitants?"),
    ("role:membre", r"membres?(?:\s+du\s+(?:r[ée]seau|collectif|groupement|consortium))?"),
    # place
    ("lieu", r"lieux?(?:\s+d['’]implantation)?|localisation|territoires?(?:\s+d['’]intervention|\s+concern[ée]s?|"
             r"\s+d['’]action)?|p[ée]rim[èe]tre(?:\s+g[ée]ographique)?|zones?\s+(?:g[ée]ographiques?|d['’]intervention)|"
             r"communes?(?:\s+concern[ée]es)?|implantation"),
    # date
    ("date", r"dates?(?:\s+de\s+d[ée]but|\s+de\s+lancement|\s+de\s+d[ée]marrage|\s+de\s+cr[ée]ation)?|calendrier|"
             r"p[ée]riodes?(?:\s+de\s+r[ée]alisation)?|d[ée]marrage|ann[ée]es?(?:\s+de\s+lancement)?|dur[ée]e|lancement|"
             r"ouverture|mise\s+en\s+(?:œ|oe)uvre"),
    # cost: a figure of the project, never a funding
    ("cout", r"co[ûu]ts?(?:\s+(?:total|global|annuel|estim[ée]))?(?:\s+(?:du\s+projet|de\s+fonctionnement|de\s+l['’]action))?|"
             r"budgets?(?:\s+(?:global|total|annuel|pr[ée]visionnel))?(?:\s+du\s+projet)?|montant(?:\s+total)?\s+du\s+projet"),
    # title of the project
    ("titre", r"nom\s+du\s+projet|intitul[ée](?:\s+du\s+projet)?|titre(?:\s+du\s+projet)?|projet|nom\s+de\s+l['’]action"),
    ("other", r"(?:-\s*)?(?:dont\s+|autres\s+)?[^\W\d_][\w'’ \-()/]{1,50}"),
]
_FIELD_RE = [(kind, re.compile(rf"(?i)(?:{pattern})")) for kind, pattern in _FIELD_KINDS]
# a heading line: markdown marks, bold/italic wrappers, a label of a few words, a colon
_HEADING = re.compile(
    r"(?m)^(?P<lead>[ \t]*(?:#{1,6}[ \t]*)?(?:[*_]{1,3}[ \t]*)?(?:[-–•][ \t]*)?(?:\d{1,2}[.)][ \t]*)?(?:[*_]{1,3}[ \t]*)?)"
    r"(?P<label>[^\W\d_][^\n:*_]{0,100}?)[ \t]*(?:[*_]{1,3})?[ \t]*:[ \t]*(?:[*_]{1,3})?(?P<inline>[^\n]*)$")
# a sentence that introduces a list of partners or funders: "Les partenaires … sont :"
_LIST_INTRO = re.compile(r"(?i)\b(?:partenaires|financeurs|co-?financeurs|soutiens)\b")
# a heading line without a colon: "### Porteur", "**PARTENAIRES**", "2. Financements"
_BARE_HEADING = re.compile(
    r"(?m)^(?P<lead>[ \t]*(?:#{1,6}[ \t]*|\d{1,2}[.)][ \t]*)?(?:[*_]{1,3}[ \t]*)?)"
    r"(?P<label>[^\W\d_][^\n:*_|]{0,60}?)[ \t]*(?:[*_]{1,3})?[ \t]*$")
_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|[ \t]*(?P<label>[^|\n]{2,60}?)[ \t]*\|(?P<value>[^|\n]*)\|?[ \t]*$")
_TABLE_HEAD = re.compile(r"(?m)^(?P<head>[ \t]*\|[^\n]+\|)[ \t]*\n[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$")
_TABLE_BODY_ROW = re.compile(r"(?m)^[ \t]*\|[^\n]*\|[ \t]*$")
_MD_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+\S")
_BULLET = re.compile(r"[ \t]*(?:[-–•▪◦·*+]|\d{1,2}[.)])[ \t]+")
_WRAP = " \t*_\u00a0"


@dataclass
class Field:
    kind: str                    # cofin | pilote | partenaires | lieu | date | cout | other
    label: str
    start: int                   # the heading's start
    end: int                     # the value's end
    items: list[Span] = field(default_factory=list)   # one span per bullet (or inline value)


def _classify(label: str) -> str:
    text = " ".join(re.sub(r"\((?:e?s|e|x)\)", "", label).split()).strip(" -–*_")   # "Pilote(s)", "Partenaire(s)"
    for kind, rx in _FIELD_RE:
        if rx.fullmatch(text):
            return kind
    return "other"


def _trim(text: str, s: int, e: int, chars: str = _WRAP) -> Span:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def _line_spans(text: str, start: int, limit: int):
    """(line start, line end) from ``start`` up to ``limit``."""
    pos = start
    while pos < limit:
        nl = text.find("\n", pos, limit)
        end = limit if nl < 0 else nl
        yield pos, end
        pos = end + 1


@dataclass
class _Head:
    s: int
    e: int
    label: str
    kind: str
    inline: Span

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e


def find_fields(text: str) -> list[Field]:
    """Every heading line ("Label :") with the bullets of its value. A value ends at the next
    heading, or at a paragraph that follows its bullets (a side column resuming)."""
    heads = []
    for m in _HEADING.finditer(text):
        label = m.group("label")
        if len(label.split()) > 7 and not (_LIST_INTRO.search(label) and len(label.split()) <= 16):
            continue
        # a sentence ending with a colon is not a heading unless the line is marked up as one
        lead = m.group("lead")
        kind = _classify(label)
        if (kind == "other" and "#" not in lead and "*" not in lead and not re.search(r"\d", lead)
                and not label.strip().istitle()
                and not _LIST_INTRO.search(label)):
            continue
        inline_text = m.group("inline").strip(" \t*_")
        if kind == "other" and inline_text and (re.search(r"[-–•]", lead) or re.match(r"[ \t]*\*[ \t]", lead)):
            continue                 # "- GT associant (…) : DDT31": a bullet with a colon, not a heading
        if kind == "other" and _LIST_INTRO.search(label) and not inline_text:
            kind = "cofin" if re.search(r"(?i)financ|soutien", label) else "partenaires"
        heads.append(_Head(m.start(), m.end(), m.group("label"), kind, (m.start("inline"), m.end("inline"))))
    taken = {h.s for h in heads}
    for m in _BARE_HEADING.finditer(text):
        if m.start() in taken or len(m.group("label").split()) > 6:
            continue
        kind = _classify(m.group("label"))
        if kind in ("other", "titre"):
            continue
        if kind.startswith("role:") and not m.group("lead").strip():
            continue                 # "Clients" alone on a line: too common a word to be a heading unmarked
        heads.append(_Head(m.start(), m.end(), m.group("label"), kind, (m.end(), m.end())))
    heads.sort(key=lambda h: h.s)
    boundaries = sorted({m.start() for m in _MD_HEADING.finditer(text)} | {h.s for h in heads})
    fields: list[Field] = []
    for m, kind in ((h, h.kind) for h in heads):
        nxt_i = bisect.bisect_right(boundaries, m.start())
        limit = boundaries[nxt_i] if nxt_i < len(boundaries) else len(text)
        limit = min(limit, m.end() + 4000)
        items: list[Span] = []
        inline = _trim(text, *m.inline)
        if inline[1] > inline[0]:
            items.append(inline)
        seen_bullet, blank, end = False, False, m.end()
        current: list[int] | None = None
        for ls, le in _line_spans(text, m.end() + 1, limit):
            line = text[ls:le]
            if not line.strip():
                blank = True
                current = None
                continue
            if line.lstrip().startswith("|"):
                break                                     # a table: read on its own below
            b = _BULLET.match(line)
            if b:
                s, e = _trim(text, ls + b.end(), le)
                if e > s:
                    items.append((s, e))
                    current = [len(items) - 1]
                seen_bullet, blank, end = True, False, le
                continue
            if current is not None and not blank:        # a bullet's continuation line
                s, e = _trim(text, ls, le)
                if e > s:
                    i = current[0]
                    items[i] = (items[i][0], e)
                    end = le
                continue
            if seen_bullet or items:                      # a paragraph after the value: other text
                break
            s, e = _trim(text, ls, le)                    # a value written as one short line
            if e - s > 200:
                break
            items.append((s, e))
            current, end = [len(items) - 1], le
            if len(items) > 40:
                break
        fields.append(Field(kind, " ".join(m.label.split()), m.start(), end, items))
    # markdown tables: "| **Pilote** | Association X<br>Mairie de Y |"
    head_rows = {m.start() for m in _TABLE_HEAD.finditer(text)}
    for m in _TABLE_ROW.finditer(text):
        kind = _classify(m.group("label").strip(" *_:"))
        if kind == "other" or m.start() in head_rows:
            continue
        items = []
        pos = m.start("value")
        for piece in re.split(r"(<br\s*/?>)", m.group("value")):
            if not re.fullmatch(r"<br\s*/?>", piece):
                s, e = _trim(text, pos, pos + len(piece), _WRAP + "|")
                if e > s:
                    items.append((s, e))
            pos += len(piece)
        fields.append(Field(kind, m.group("label").strip(" *_:"), m.start(), m.end(), items))
    # tables with a header row: "| Financeur | Montant |" / "|---|---|" / "| Région X | 25 000 € |":
    # the column named by a field heading gives one item per row (the whole row for funders)
    for m in _TABLE_HEAD.finditer(text):
        cells = [c.strip(" \t*_:") for c in m.group("head").strip().strip("|").split("|")]
        kinds = [_classify(c) if c else "other" for c in cells]
        kinds = ["cofin" if k == "other" and re.fullmatch(r"(?i)(?:co-?)?financeurs?|financements?|organismes?\s+financeurs?", c)
                 else "partenaires" if k == "other" and re.fullmatch(r"(?i)partenaires?|acteurs?|structures?", c) else k
                 for k, c in zip(kinds, cells)]
        col = next((i for i, k in enumerate(kinds) if k in ("cofin", "partenaires", "pilote") or k.startswith("role:")), None)
        if col is None:
            continue
        # a two-column key/value table ("| Rubrique | Description |") is read row by row above
        items = []
        end = m.end()
        for row in _TABLE_BODY_ROW.finditer(text, m.end()):
            if row.start() != end + 1 and row.start() != end:
                break
            end = row.end()
            bounds = [row.start() + i for i, c in enumerate(text[row.start():row.end()]) if c == "|"]
            spans = [_trim(text, a + 1, b, _WRAP) for a, b in zip(bounds, bounds[1:])]
            if kinds[col] == "cofin":
                if spans:
                    items.append((spans[0][0], spans[-1][1]))
            elif col < len(spans) and spans[col][1] > spans[col][0]:
                items.append(spans[col])
        if items:
            fields.append(Field(kinds[col], cells[col], m.start(), end, items))
    fields.sort(key=lambda f: f.start)
    return fields
