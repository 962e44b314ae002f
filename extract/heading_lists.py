"""Verbless lists of bodies under a heading that says their role: a page's "Ils nous soutiennent",
"Nos financeurs", "Partenaires financiers", "Nos partenaires" block, one body per line (a logo
wall's alt texts, a footer) or a list on the heading's own line after a colon.

The headings are lexicon data (``list_headings`` in extract/lexicon/relations.yaml: a heading's
words -> funding or partnership). A heading is a short line (at most 8 words) whose words start
with one of them; its items are the lines after it, up to a blank line, a line of more than 12
words, or 15 items; each item is read by the prose name reader (a list "A, B et C" too).

    facts = heading_facts(text)      # [relations.Fact], absolute offsets
"""

from __future__ import annotations

import re
from functools import lru_cache

from maillage.extract.lexicon import HERE

_MAX_ITEMS, _MAX_HEADING_WORDS, _MAX_ITEM_WORDS = 15, 8, 12
_PIECE = re.compile(r"[^.;:]+(?:\.(?=\S)[^.;:]*)*")   # "A. B" splits, "S.A." does not
_BULLET = re.compile(r"^[ \t]*(?:[-–—•*▪►·]|\d{1,2}[.)])?[ \t]*")


@lru_cache(maxsize=1)   # the lexicon file is read once, not once a document
def _headings() -> list[tuple[list[str], str]]:
    import yaml

    data = yaml.safe_load((HERE / "relations.yaml").read_text(encoding="utf-8"))
    out = []
    for phrase, relation in (data.get("list_headings") or {}).items():
        out.append((_words(phrase), relation))
    return sorted(out, key=lambda x: -len(x[0]))


@lru_cache(maxsize=1)
def _ends() -> dict[str, str]:
    import yaml

    data = yaml.safe_load((HERE / "relations.yaml").read_text(encoding="utf-8"))
    return {k.lower(): v for k, v in (data.get("list_heading_ends") or {}).items()}


def _words(s: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[\wÀ-ÿ]+", s.replace("’", "'"))]


def _heading_role(line: str, headings, ends: dict | None = None) -> tuple[str, str] | None:
    """(relation, the part after a colon) when ``line`` is a role heading: its first words are a
    ``list_headings`` phrase, or, before a colon and a value, its last word a ``list_heading_ends`` one."""
    ends = ends or {}
    head, _, rest = line.partition(":")
    words = _words(head)
    if not words or len(words) > _MAX_HEADING_WORDS or (not rest and line.rstrip().endswith((".", "!", "?", ";"))):
        return None
    for phrase, relation in headings:
        if words[:len(phrase)] == phrase:
            return relation, rest
    if rest.strip() and len(words) >= 2 and words[-1] in ends:
        return ends[words[-1]], rest
    return None


def heading_facts(text: str) -> list:
    from maillage.extract.relations import Fact
    from maillage.extract.syntax import list_from

    headings, ends = _headings(), _ends()
    out = []
    lines, at = [], 0
    for line in text.split("\n"):
        lines.append((at, line))
        at += len(line) + 1
    i = 0
    while i < len(lines):
        start, line = lines[i]
        role = _heading_role(line, headings, ends) if line.strip() else None
        i += 1
        if role is None:
            continue
        relation, rest = role
        names = []
        if rest.strip():  # "Financeurs : A, B et C" on the heading's own line
            at = start + len(line) - len(rest)
            # each piece of the value: "Pour la première année. A, B, C, fondations : D, E"
            for piece in _PIECE.finditer(rest):
                k = piece.start() + len(piece.group()) - len(piece.group().lstrip())
                names += [_shift(n, at) for n in list_from(rest, k)]
        else:
            j = i
            while j < len(lines) and j - i < _MAX_ITEMS:
                s0, item = lines[j]
                if not item.strip() or len(item.split()) > _MAX_ITEM_WORDS:
                    break
                b = _BULLET.match(item).end()
                found = list_from(item, b)
                if not found:
                    break
                names += [_shift(n, s0) for n in found]
                j += 1
            i = j
        if names:
            role_name = "financeur" if relation == "funding" else "partenaire"
            end = names[-1].end
            out.append(Fact(relation, role_name, "heading-list", names, [], (start, end), 0.7, start))
    return out + paren_facts(text)


# "ses partenaires (dont A)", "une convention de partenariat (A, B et C)": the bracket lists partners
_PAREN = re.compile(r"(?i)\b(?:partenaires?|partenariats?)\b(?P<gap>[^().\n]{0,40}?)\(\s*(?P<cue>dont|notamment)?\s*"
                    r"(?P<items>[^()\n]{2,300})\)")


def paren_facts(text: str) -> list:
    """Partners listed in brackets right after "partenaire(s)" / "partenariat": two names or more,
    or one after "dont" / "notamment" (not "partenaires financiers", a funding, read elsewhere;
    nor brackets that spell out a name: "en partenariat avec le X (…)")."""
    from maillage.extract.relations import Fact
    from maillage.extract.syntax import list_from

    out = []
    for m in _PAREN.finditer(text):
        gap = m.group("gap")
        if re.search(r"(?i)financ|\bavec\b", gap) or re.search(r"[A-ZÀ-Ý]", gap):
            continue  # a funding; or the brackets spell out a name said before them ("avec le X (…)")
        inside = m.group("items")
        names = [_shift(n, m.start("items")) for n in list_from(inside, 0)]
        if len(names) >= 2 or (names and m.group("cue")):
            out.append(Fact("partnership", "partenaire", "bracket-list", names, [], (m.start(), m.end()), 0.6, m.start()))
    return out


def _shift(n, k: int):
    from maillage.extract.syntax import _shift as shift

    return shift(n, k)
