"""spaCy for the prose reader (extract/prose.py): the French pipeline loaded once, lazily and
offline; a text cut into pieces no spaCy Doc finds too long; and the sentences read from them,
whose named entities (persons, organisations) are found only when a rule asks for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

MODEL = "fr_core_news_sm"
MAX_PIECE = 20_000          # characters per spaCy Doc (well under nlp.max_length)
PLACE_BLOCK = 500_000       # characters per call of find_places (its token list is per call)
_APOS = "'’"


@lru_cache(maxsize=1)
def load_nlp():
    """The French pipeline, loaded once: tokenizer and named entities; sentences from spaCy's
    rule-based sentencizer (the small model's parser cuts these texts at every capital word of
    a long name). The lemmatizer, tagger and parser are not needed."""
    import spacy

    nlp = spacy.load(MODEL, exclude=["lemmatizer", "parser", "morphologizer", "attribute_ruler"])
    nlp.add_pipe("sentencizer")
    nlp.max_length = max(nlp.max_length, 2 * MAX_PIECE)
    return nlp


# ---------------------------------------------------------------- pieces of text for spaCy


def pieces(text: str, limit: int = MAX_PIECE) -> Iterator[tuple[int, str]]:
    """(offset, piece) for every non-blank line of ``text``; a line longer than ``limit`` is cut
    after a sentence end (or, failing that, a space) so that no piece exceeds ``limit``."""
    for m in re.finditer(r"[^\n]+", text):
        base, stop = m.start(), m.end()
        while stop - base > limit:
            window = text[base:base + limit]
            cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
            if cut < limit // 4:
                cut = window.rfind(" ")
            cut = cut + 1 if cut > 0 else limit
            if window[:cut].strip():
                yield base, window[:cut]
            base += cut
        if text[base:stop].strip():
            yield base, text[base:stop]


# ---------------------------------------------------------------- sentences


@dataclass
class _Sentence:
    """One sentence, with absolute offsets. Its named entities are found on demand (only the
    sentences where a rule fires need them), so most of a long text never goes through NER."""

    start: int
    end: int
    text: str
    line_start: bool = False
    nlp: object = None
    _ents: tuple | None = None

    def _entities(self) -> tuple[list, list]:
        if self._ents is None:
            persons, orgs = [], []
            if self.nlp is not None and self.text.strip():
                for e in self.nlp(self.text).ents:
                    span = (self.start + e.start_char, self.start + e.end_char)
                    if e.label_ == "PER":
                        persons.append(span)
                    elif e.label_ in ("ORG", "MISC"):
                        orgs.append(span)
            self._ents = (persons, orgs)
        return self._ents

    @property
    def persons(self) -> list[tuple[int, int]]:   # PER entities (absolute spans)
        return self._entities()[0]

    @property
    def orgs(self) -> list[tuple[int, int]]:      # ORG/MISC entities (absolute spans)
        return self._entities()[1]
