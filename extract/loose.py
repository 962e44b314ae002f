"""Amounts of money a sentence gives without naming who pays: "Le budget accordé est de 7 000 €",
"l'attribution d'une subvention d'un montant de 8 162 €". The payer is the document's funder
said nearest before (in a list of winners, the foundation that introduces the list), or its only
funder. The words that say an amount is given (``money_cues``) and that it is a total or a cost
(``not_given``) are lexicon data (extract/lexicon/relations.yaml).

    loose = loose_amounts(sent_text, sent_start, facts_of_the_sentence)   # [Amount], absolute offsets
    attach_loose(combiner, loose)
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from maillage.extract.amounts import GRANT_OF_KIND, Amount, find_amounts, per_unit, share_of_whole, whole_not_share
from maillage.extract.lexicon import load_word_list
from maillage.extract.model import DraftFunding
from maillage.extract.syntax import for_several

_BEFORE = 90          # characters before an amount where its cue word is looked for
_REACH = 2_500        # how far back the funder that pays it may be named
_WORD = re.compile(r"[\wÀ-ÿ'’\-]+")
_IN_ALL = re.compile(r"\b(?:au\s+total|en\s+tout|au\s+global|en\s+cumul[ée]?)\b[^.;:]{0,40}$", re.I)


def loose_amounts(s: str, base: int, facts, text: str | None = None) -> list[Amount]:
    """The amounts of one sentence ``s`` (at ``base`` of ``text``) that a cue says are given and
    that no fact of the sentence took. An item of a bulleted list takes its cue from the line that
    introduces the list ("Les lauréats : / - Atelier X (Brest), 20 000 €")."""
    if any(f.relation == "funding" and f.names and (f.amounts or f.pairs) for f in facts):
        return []
    cues, totals = load_word_list("money_cues"), load_word_list("not_given")
    listed = text is not None and (_list_cue(text, base) or _grant_row(text, base))
    out = []
    money = find_amounts(s)
    several = for_several(s)
    if several and len(money) < several:
        return []   # "61 000 € de subventions à 7 associations": a total for several
    for a in money:
        window = s[max(0, a.start - _BEFORE):a.start]
        if _IN_ALL.search(window):
            continue   # "Au total, plus de 3,6 millions d'euros ont été attribués": a sum
        if out and re.search(r"\bdont\s+(?:près\s+de\s+|environ\s+)?$", window, re.I):
            continue   # "11 500 € …, dont 4 000 € par le don d'un camion": a part of the grant just read
        if text is not None and not window.strip():
            window = _line_before(text, base + a.start)
        clauses = re.split(r"[,;:()]", window)
        window = clauses[-1]  # the cue is in the amount's own clause
        if not window.strip() and len(clauses) > 1 and window_colon(s, a.start):
            window = clauses[-2]  # a field's label: "Subvention : 40 000 €", "Aide accordée : 9 000 €"
        before = [re.sub(r"^[ldjnmcs]'", "", w.lower().replace("’", "'")) for w in _WORD.findall(window)]
        after = [w.lower() for w in _WORD.findall(re.split(r"[,;:()]", s[a.end:a.end + 40])[0])][:5]
        if GRANT_OF_KIND.search(s[max(0, a.start - 60):a.start]):
            before = [w for w in before if w not in totals]  # "subvention d'investissement de A": a grant
        if not (listed or set(before) & cues or _given_after(after, cues)) or set(before[-6:] + after) & totals:
            continue
        if per_unit(s, a.end):
            continue  # "88 euros par ordinateur": a rate
        out.append(replace(a, start=a.start + base, end=a.end + base))
    return out


_BULLET = re.compile(r"[ \t]*(?:[-–—•*▪►]|\d{1,2}[.)])\s")


def _list_cue(text: str, pos: int) -> bool:
    """``pos`` is on a bulleted line, and the line that introduces the list (the nearest line
    before it that is no item) has a ``list_cues`` word: the amounts of the items are given."""
    start = text.rfind("\n", 0, pos) + 1
    if not _BULLET.match(text, start):
        return False
    lines = text[:start].splitlines()[-40:]
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line.strip() or _BULLET.match(line):
            continue
        if any(_BULLET.match(x) for x in lines[max(0, i - 3):i]) and not line.rstrip(" *_").endswith(":"):
            continue  # an item's own lines under it ("- 2e prix - 8 000 €" / "Café X / Tarn" / what it does), not
            # a line that opens a list with its colon
        words = {re.sub(r"^[ldjnmcs]'", "", w.lower().replace("’", "'")) for w in _WORD.findall(line)}
        return bool(words & load_word_list("list_cues"))
    return False


def _line_before(text: str, at: int) -> str:
    """The end of the line before the one an amount opens, when that line runs on into it (no
    full stop): "Le budget accordé est de\n22 500 €"."""
    start = text.rfind("\n", 0, at)
    if start < 0 or text[start + 1:at].strip():
        return ""
    prev = text[max(0, start - _BEFORE):start]
    prev = prev[prev.rfind("\n") + 1:].rstrip()
    return "" if not prev or prev[-1] in ".!?;:»\"" else prev


def _given_after(after: list[str], cues) -> bool:
    """A passive participle of a cue right after the amount: "5 000 € ont été versés", "(8 000 €
    attribués en 2020)" (not a noun: "800 000 € de dons reçus" is no cue)."""
    rest = [w for w in after if w not in _AUX]
    return bool(rest) and rest[0] in cues and rest[0].endswith(("é", "ée", "és", "ées"))


_AUX = {"a", "ont", "avait", "avaient", "aura", "auront", "été", "sont", "est", "seront", "sera", "ainsi", "bien",
        "déjà", "en", "effet", "être", "peut", "peuvent", "pourra", "pourront", "donc"}  # "A peuvent donc être attribués"


def attach_loose(combiner, amounts: list[Amount]) -> None:
    """Give each loose amount to the funder named nearest before it (else the only funder)."""
    draft = combiner.draft
    attach_shares(combiner)
    funder_keys = combiner.funders()
    giver = combiner.giver()   # the page's publisher, when its page's grants are its own
    if not funder_keys and not giver:
        # no funder drafted: the one public body of a level the text names only generically ("le
        # Conseil départemental a attribué …" on a press page) gives the grants said after it
        level = _level_body(combiner.text, amounts[0].start) if amounts else None
        if level is None:
            return
        giver = level
    spans = [(s[0], o.key) for o in draft.organisations if o.key in funder_keys for s in o.spans]
    for a in amounts:
        if any(f.amount_eur == a.value_eur and (not f.spans or any(x <= a.start < y for x, y in f.spans))
               for f in draft.fundings):
            continue  # a reader or a fact already gave this amount to someone
        if whole_not_share(combiner.text, a.start, a.end):
            continue  # "180 000 € … une aide de la CAF de 50 %": a whole, not a grant
        before = [(start, k) for start, k in spans if a.start - _REACH <= start < a.start]
        if before:
            key = max(before)[1]
        elif len(funder_keys) == 1:
            key = next(iter(funder_keys))
        elif giver:
            key = combiner.org(giver, (a.start, a.end), 0.55)
        else:
            continue
        mine = [f for f in draft.fundings if key in f.funders]
        bare = [f for f in mine if f.amount_eur is None and len(f.funders) == 1]
        if bare:
            bare[0].amount_eur = a.value_eur
            bare[0].spans.append((a.start, a.end))
        else:
            draft.fundings.append(DraftFunding([key], combiner.initiative_at(a.start), a.value_eur, a.year,
                                               spans=[(a.start, a.end)], confidence=0.55, by="rule"))


def attach_shares(combiner) -> None:
    """A funder drafted with no amount that the text says pays a share of a whole said just before
    ("d'un coût de 300 000 €, financé à hauteur des deux tiers par le Département") gets that share
    (amounts.share_of_whole)."""
    draft = combiner.draft
    spans = {o.key: o.spans for o in draft.organisations}
    for f in draft.fundings:
        if f.amount_eur is not None or len(f.funders) != 1:
            continue
        for start, end in sorted(spans.get(f.funders[0], ())):
            value = share_of_whole(combiner.text, start)
            if value is not None:
                f.amount_eur = value
                f.spans.append((start, end))
                break


def _level_body(text: str, before: int) -> str | None:
    """The plain name ("Conseil départemental", "Communauté de communes") of the one body of a level
    (lexicon ``level_bodies``) the text names before ``before`` (its last name: "le Département" and
    "le Conseil départemental" are one body), none when it names bodies of two levels."""
    words = sorted(load_word_list("level_bodies"), key=len, reverse=True)
    rx = re.compile(r"(?<![\wÀ-ÿ])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?![\wÀ-ÿ\-])", re.I)
    from maillage.extract.prose_names import _level

    named = [re.sub(r"\s+", " ", m.group()) for m in rx.finditer(text, 0, before)]
    if len({_level(n) or n.lower() for n in named}) != 1:
        return None   # none, or two levels: which one gives is not said
    name = named[-1]
    return name[:1].upper() + name[1:]


# a row of a list or table of grants: a short line, no sentence in it, that ends with its one amount
# ("Projet n°3 : Atelier X, Brest - 10 000€", "Atelier X Chantier Y 13 221 €", "♦ Subvention : 40 000 €")
_ROW = re.compile(r"(?m)^[^\n.!?]{3,110}?\d[\d \u00a0\u202f.,]*\s?(?:€|euros?)[ \t*_]*$")


def _grant_row(text: str, pos: int) -> bool:
    """``pos`` is on a grant row (``_ROW``) and the text has two such rows at least: a list of
    grants, whose amounts are given."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start:end if end >= 0 else len(text)]
    if not _ROW.fullmatch(line) or len(find_amounts(line)) != 1 or not re.search(r"[^\W\d_]{2}", line[:find_amounts(line)[0].start]):
        return False   # an amount alone on its line: its giver may be the line after ("182 940 € / ADEME")
    words = {w.lower() for w in _WORD.findall(line)}
    if words & load_word_list("not_given"):
        return False
    return _rows(text) >= 2


@lru_cache(maxsize=8)
def _rows(text: str) -> int:
    return sum(1 for m in _ROW.finditer(text) if len(find_amounts(m.group())) == 1)


def window_colon(s: str, at: int) -> bool:
    """Only a colon (and blanks) between the amount at ``s[at]`` and the words before it."""
    return bool(re.search(r":\s*$", s[:at])) and not re.search(r"[,;()]\s*:?\s*$", s[:at])
