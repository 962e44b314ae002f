"""A booklet cut into fiches, for the fiche reader (extract/fiche.py): at its top-level headings
("# …", "Fiche n°2 – …") when they hold fields, else one fiche, or a new one each time a Pilote or
Lieu field comes back; and each fiche's title.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from maillage.extract.fiche_fields import Field, Span, _line_spans, _trim, find_fields
from maillage.extract.fiche_names import _words

_MAIN = {"pilote", "partenaires", "lieu", "date", "cout", "cofin"}
# "Fiche n°2 – Garage solidaire", "Action 3 : …": a numbered item starts a fiche
_NUMBERED_TITLE = re.compile(r"(?im)^[ \t#*_]*(?:fiche|action|initiative|projet|exp[ée]rience)\s*(?:n[°o]\.?|no\.?|#)?\s*\d{1,3}\b"
                             r"[ \t]*(?:[:–—.\-][ \t]*)?(?P<title>[^\n]*)$")
_TITLE_SKIP = re.compile(r"(?i)^\s*(?:fiche(?:\s+\w+)?|sommaire|introduction|remerciements|contexte|enjeux|"
                         r"retour\s+d['’]exp[ée]rience.*|mots?\s+cl[ée]s|annexes?)\s*:?\s*$")


@dataclass
class _Fiche:
    start: int
    end: int
    title: Span | None
    fields: list[Field]


def split_fiches(text: str) -> list[_Fiche]:
    """The fiches of a text, each with its part of the text, its title and its fields."""
    fields = find_fields(text)
    # fiche titles: level-1 headings, and headings of any level marked as a new item ("# → …")
    h1 = sorted({m.start() for m in re.finditer(r"(?m)^[ \t]*(?:#[ \t]+|#{1,6}[ \t]+(?:[*_]{1,3}[ \t]*)?(?:→|->|➜|►|▶)[ \t]*)\S", text)}
                | {m.start() for m in _NUMBERED_TITLE.finditer(text)})
    fiches: list[_Fiche] = []
    if h1:
        bounds = h1 + [len(text)]
        starts = [f.start for f in fields]
        for a, b in zip(bounds, bounds[1:]):
            inside = fields[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]
            if len({f.kind for f in inside} & _MAIN) < 2:
                continue
            line_end = text.find("\n", a)
            title = _trim(text, a, line_end if line_end >= 0 else b, " \t#*_→->➜►▶")
            numbered = _NUMBERED_TITLE.match(text, a, title[1])
            if numbered and numbered.group("title"):
                title = _trim(text, numbered.start("title"), title[1], " \t#*_")
            for g_start, group in _groups(text, a, inside):
                t = title if g_start == a else _heading_before(text, a, group[0].start) or title
                fiches.append(_Fiche(g_start, b, t, group))
        for i in range(len(fiches) - 1):
            fiches[i].end = min(fiches[i].end, fiches[i + 1].start)
    if not fiches:
        # no sectioned fiches: one fiche, or a new one each time a main field comes back
        group: list[Field] = []
        groups: list[list[Field]] = []
        for f in fields:
            if f.kind in ("pilote", "lieu") and any(g.kind == f.kind for g in group):
                groups.append(group)
                group = []
            group.append(f)
        groups.append(group)
        starts = [0] + [g[0].start for g in groups[1:]]
        for i, g in enumerate(groups):
            a = starts[i]
            b = starts[i + 1] if i + 1 < len(starts) else len(text)
            fiches.append(_Fiche(a, b, _title(text, a, b, g), g))
    return fiches


def _groups(text: str, a: int, fields: list[Field]) -> list[tuple[int, list[Field]]]:
    """The fields of one section, cut where a Pilote or Lieu field comes back (two fiches
    under one heading); each group with the start of its part of the text."""
    groups: list[tuple[int, list[Field]]] = []
    group: list[Field] = []
    start = a
    for f in fields:
        if f.kind in ("pilote", "lieu") and any(g.kind == f.kind for g in group):
            groups.append((start, group))
            heading = _heading_before(text, group[-1].end, f.start)
            start, group = (heading[0] if heading else f.start), []
        group.append(f)
    groups.append((start, group))
    return groups


def _heading_before(text: str, a: int, b: int) -> Span | None:
    """The last markdown heading in text[a:b] that is neither a field nor a section name."""
    best = None
    for m in re.finditer(r"(?m)^[ \t]*#{1,6}[ \t]+(.+)$", text[a:b]):
        s, e = _trim(text, a + m.start(1), a + m.end(1), " \t#*_→->➜►▶")
        line = text[s:e]
        if not line or line.endswith(":") or _TITLE_SKIP.match(line) or len(_words(line)) < 3:
            continue
        best = (s, e)
    return best


def _title(text: str, a: int, b: int, fields: list[Field]) -> Span | None:
    """The first heading-like line of the fiche that is not a generic section name."""
    main = [f for f in fields if f.kind != "other"] or fields
    limit = min(b, main[0].start, a + 3000) if main else min(b, a + 3000)
    prev_fiche = False
    for ls, le in _line_spans(text, a, max(limit, a + 1)):
        s, e = _trim(text, ls, le, " \t#*_→->•")
        line = text[s:e]
        if not line or len(line) > 200:
            continue
        if line.isupper() and re.match(r"(?i)(?:r[ée]pertoire|recueil|catalogue|annuaire|guide|livret|sommaire)\b", line):
            continue                     # the booklet's running title, not the fiche's
        if re.match(r"(?i)^fiche\b", line):
            prev_fiche = True
            continue
        if _TITLE_SKIP.match(line) or line.endswith(":") and not prev_fiche:
            continue
        return s, e
    return None
