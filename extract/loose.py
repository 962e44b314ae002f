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

from maillage.extract.amounts import Amount, find_amounts
from maillage.extract.lexicon import load_word_list
from maillage.extract.model import DraftFunding

_BEFORE = 90          # characters before an amount where its cue word is looked for
_REACH = 2_500        # how far back the funder that pays it may be named
_WORD = re.compile(r"[\wÀ-ÿ'’\-]+")


def loose_amounts(s: str, base: int, facts) -> list[Amount]:
    """The amounts of one sentence ``s`` (at ``base``) that a cue says are given and that no fact
    of the sentence took."""
    if any(f.relation == "funding" and (f.amounts or f.pairs) for f in facts):
        return []
    cues, totals = load_word_list("money_cues"), load_word_list("not_given")
    out = []
    for a in find_amounts(s):
        window = s[max(0, a.start - _BEFORE):a.start]
        window = re.split(r"[,;:()]", window)[-1]  # the cue is in the amount's own clause
        before = [w.lower().replace("’", "'") for w in _WORD.findall(window)]
        after = [w.lower() for w in _WORD.findall(s[a.end:a.end + 40])][:5]
        if not set(before) & cues or set(before[-6:] + after) & totals:
            continue
        out.append(replace(a, start=a.start + base, end=a.end + base))
    return out


def attach_loose(combiner, amounts: list[Amount]) -> None:
    """Give each loose amount to the funder named nearest before it (else the only funder)."""
    draft = combiner.draft
    funder_keys = combiner.funders()
    if not funder_keys:
        return
    spans = [(s[0], o.key) for o in draft.organisations if o.key in funder_keys for s in o.spans]
    for a in amounts:
        if any(f.amount_eur == a.value_eur for f in draft.fundings):
            continue  # a reader or a fact already gave this amount to someone
        before = [(start, k) for start, k in spans if a.start - _REACH <= start < a.start]
        if before:
            key = max(before)[1]
        elif len(funder_keys) == 1:
            key = next(iter(funder_keys))
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
