"""Facts of the dependency reader (and of the mention classifier) added to a reader's draft.

The fiche and prose readers draft first; the facts add what they did not find: a funder, a
partner, a pilot, or the amount of a funder drafted without one. A body already drafted is
recognised by its name (folded, fuzzy); a generic name ("la Région", "le Conseil départemental")
becomes the fuller name of that level the document gives ("Région Occitanie"), else it is left
out. Every added fact says which produced it (``by``) and its confidence.
"""

from __future__ import annotations

import re
from dataclasses import replace

from maillage.extract.model import Draft, DraftFunding, DraftOrganisation, DraftPartnership
from maillage.extract.scoring import fold, name_score

_FULLER = re.compile(r"(?<![\wÀ-ÿ])(?:[Rr]égion|[Dd]épartement|[Cc]onseil\s+(?:[Rr]égional|[Dd]épartemental|[Gg]énéral)|"
                     r"[Vv]ille|[Cc]ommune|[Mm]airie|[Mm]étropole|[Cc]ommunauté|CCAS|CAF|[Pp]réfecture)\b")


_BEFORE, _AFTER = 1_500, 3_000   # how far a generic name looks for its fuller name (after, before it)
# organs of a collectivité that decide its grants: what they give, the collectivité gives
_ORGAN = re.compile(r"(?i)(?:la\s+|le\s+|l['’]\s*)?(?:commission\s+permanente|assembl[ée]e\s+(?:pl[ée]ni[èe]re|d[ée]partementale|r[ée]gionale)|"
                    r"session\s+pl[ée]ni[èe]re|conseil\s+(?:municipal|communautaire|m[ée]tropolitain)|bureau\s+communautaire)\b")


class Combiner:
    def __init__(self, draft: Draft, text: str, publisher=None, url: str | None = None):
        self.publisher = publisher   # publisher.Publisher of the page, or None
        self.url = url
        self.orphans: list = []      # amounts given with no giver said, and no publisher to give them (loose.py)
        self._places: list | None = None
        self.draft = replace(draft, organisations=list(draft.organisations), fundings=list(draft.fundings),
                             partnerships=list(draft.partnerships), initiatives=list(draft.initiatives))
        self.text = text
        self._fuller: list | None = None
        self.by_key = {o.key: o for o in self.draft.organisations}

    # ------------------------------------------------------------ names -> organisations
    def fuller_names(self) -> list:
        """Names of the document that say which body of a level they are ("Région Occitanie")."""
        if self._fuller is None:
            from maillage.extract.prose import read_name

            out = []
            for m in _FULLER.finditer(self.text):
                n = read_name(self.text, m.start(), allow_bare=False)
                if n and not n.head_only and len(n.text.split()) > 1:
                    out.append(n)
            out += [_N(o.spans[0][0] if o.spans else 0, o.name) for o in self.draft.organisations
                    if len(o.name.split()) > 1]
            self._fuller = out
        return self._fuller

    def resolve(self, name) -> str | None:
        """The text of a name, a generic one replaced by the document's fuller name of its level."""
        from maillage.extract.prose import _level

        if not getattr(name, "head_only", False):
            return name.text
        level = _level(name.text)
        if level is None:  # "le CCAS": "CCAS de Brest" if the document says it, else "CCAS"
            head = name.text.split()[0].lower()
            same = [n for n in self.fuller_names() if n.text.split()[0].lower() == head
                    and -_AFTER < n.start - name.start < _BEFORE]
            if not same and self.publisher is not None and self.publisher.name.split()[0].lower() == head:
                return self.publisher.name  # "la Fondation" on the foundation's own page
            return same[0].text if same else (name.text if name.text.isupper() else None)
        # the fuller name's own head says its level ("communauté de communes de la région d'X" is no region)
        same = [n for n in self.fuller_names() if _level(" ".join(n.text.split()[:2])) == level
                and -_AFTER < n.start - name.start < _BEFORE]
        if not same:
            return self.implied(level)
        before = [n for n in same if n.start < name.start]
        text = (before[-1] if before else same[0]).text
        return text if len(text.split()) > 1 else None

    def implied(self, level: str) -> str | None:
        """A bare name of ``level`` the text never spells out: the publisher of that level, else the
        Département or Région the text names (publisher.py)."""
        from maillage.extract.publisher import territory_body

        pub = self.publisher
        if pub is not None and pub.level == level:
            return pub.name
        if level not in ("departement", "region"):
            return None
        if self._places is None:
            from maillage.extract.places import find_places

            self._places = find_places(self.text)
        from maillage.extract.publisher import path_territory

        return territory_body(self.text, level, self._places) or path_territory(self.url, level)

    def giver(self) -> str | None:
        """The publisher when its page's grants are its own (a collectivité, a foundation, a fund)."""
        pub = self.publisher
        return pub.name if pub is not None and pub.gives else None

    def organs_to_publisher(self) -> None:
        """A body the reader drafted from an organ's name ("la Commission permanente a attribué"):
        the collectivité that publishes the page, merged with it when it is drafted too."""
        pub = self.publisher
        if pub is None or pub.level is None:
            return
        for o in list(self.draft.organisations):
            if o.name == pub.name or not any(_ORGAN.match(self.text[a:a + 40]) for a, _ in o.spans):
                continue
            same = next((x for x in self.draft.organisations if x is not o and name_score([x.name], [pub.name]) >= 90), None)
            if same is None:
                o.name = pub.name
                continue
            same.spans += o.spans
            for f in self.draft.fundings:
                f.funders = list(dict.fromkeys(same.key if k == o.key else k for k in f.funders))
            for p in self.draft.partnerships:
                if p.partner == o.key:
                    p.partner = same.key
            self.draft.organisations.remove(o)

    def org(self, text: str, span: tuple[int, int], confidence: float) -> str:
        best, best_score = None, 0.0
        for o in self.draft.organisations:
            s = name_score([text], [o.name])
            if s > best_score:
                best, best_score = o, s
        if best is not None and best_score >= 90:
            if span not in best.spans:
                best.spans.append(span)
            return best.key
        from maillage.extract.draft_io import slug

        key, n = slug(text), 2
        while key in self.by_key:
            key, n = f"{slug(text)}-{n}", n + 1
        o = DraftOrganisation(key, text.strip(), spans=[span], confidence=confidence)
        self.draft.organisations.append(o)
        self.by_key[key] = o
        return key

    def initiative_at(self, pos: int) -> str | None:
        inis = self.draft.initiatives
        if not inis:
            return None
        before = [i for i in inis if i.spans and i.spans[0][0] <= pos]
        return (max(before, key=lambda i: i.spans[0][0]) if before else inis[0]).key

    # ------------------------------------------------------------ roles already drafted
    def funders(self) -> set[str]:
        return {k for f in self.draft.fundings for k in f.funders}

    def partners(self) -> set[str]:
        return {p.partner for p in self.draft.partnerships}

    def pilots(self) -> set[str]:
        return {k for i in self.draft.initiatives for k in i.pilots}

    # ------------------------------------------------------------ adding facts
    def add(self, relation: str, role: str, names: list, amounts: list, pairs: list, span: tuple[int, int],
            confidence: float, by: str = "rule") -> None:
        keyed = []
        if not names:  # a grant given on the giver's own page, no giver named
            if not self.giver():
                if relation == "funding":  # the funder named before it gives it (loose.attach_loose)
                    self.orphans += list(amounts) + [a for _, a in pairs]
                return
            names = [_N(span[0], self.giver())]
            if len(amounts) > 1:  # the grants of a list ("A pour 63 000 €, B pour 66 456 €")
                pairs, amounts = [(names[0], a) for a in amounts], []
        for n in names:
            if _ORGAN.match(self.text[n.start:n.start + 40]):  # "la Commission permanente a attribué": the collectivité
                pub = self.publisher
                if pub is None or pub.level is None:
                    continue
                n = _N(n.start, pub.name)
            text = self.resolve(n)
            if text:
                keyed.append((n, self.org(text, (n.start, n.end), confidence)))
        if not keyed:
            return
        ini = self.initiative_at(span[0])
        if relation == "funding":
            self._funding(keyed, amounts, pairs, ini, span, confidence, by)
        elif relation == "partnership":
            taken = self.partners() | self.pilots()
            # with no initiative drafted the partner is still the document's (like a funding: the
            # records writer keeps only what names its initiative)
            for k in dict.fromkeys(k for _, k in keyed):
                if k not in taken:
                    self.draft.partnerships.append(DraftPartnership(ini, k, role, [span], confidence, by))
                    taken.add(k)
        elif relation == "pilot" and ini is not None:
            i = next(i for i in self.draft.initiatives if i.key == ini)
            for _, k in keyed:
                if not i.pilots and k not in self.funders():
                    i.pilots.append(k)
                elif k not in i.pilots and k not in self.funders() | self.partners():
                    # a body that carries the initiative with its pilot ("porté par A, B et l'État"): a partner
                    self.draft.partnerships.append(DraftPartnership(ini, k, "partenaire", [span], confidence, by))

    def _funding(self, keyed, amounts, pairs, ini, span, confidence, by) -> None:
        used = {f.amount_eur for f in self.draft.fundings if f.amount_eur is not None}
        by_name = {id(n): k for n, k in keyed}
        if pairs:
            groups = [([by_name[id(n)]], a) for n, a in pairs if id(n) in by_name]
        elif len(amounts) == 1:
            groups = [(list(dict.fromkeys(k for _, k in keyed)), amounts[0])]
        else:
            groups = [([k], None) for k in dict.fromkeys(k for _, k in keyed)]
        pos = {k: n for n, k in keyed}
        for keys, amount in groups:
            value = amount.value_eur if amount is not None else None
            if value is not None and self._not_given_whole(amount, [pos[k] for k in keys if k in pos]):
                value = None
            if value is not None and value in used:
                value = None  # the reader already gave this amount to someone
            for k in list(keys):
                existing = [f for f in self.draft.fundings if k in f.funders]
                if existing:
                    if value is not None and len(keys) == 1 and all(f.amount_eur is None for f in existing):
                        existing[0].amount_eur = value
                        existing[0].spans.append(span)
                        keys.remove(k)
                    elif value is None or any(f.amount_eur == value for f in existing):
                        keys.remove(k)
                    # else: one more amount of this funder (another initiative, another purchase)
            if keys:
                self.draft.fundings.append(DraftFunding(keys, ini, value, amount.year if value is not None else None,
                                                        spans=[span], confidence=confidence, by=by))
            if value is not None:
                used.add(value)


    def _not_given_whole(self, amount, names) -> bool:
        from maillage.extract.amounts import whole_not_share

        return any(whole_not_share(self.text, amount.start, amount.end, n.start, n.end) for n in names) or (
            not names and whole_not_share(self.text, amount.start, amount.end))


def drop_split_joints(draft: Draft) -> None:
    """A joint amount that the text also splits ("A et B ont financé 40 000 €" then "35 000 € par A
    et 5 000 € par B"): each body keeps its own amount, the joint one goes."""
    own: dict[str, list[float]] = {}
    for f in draft.fundings:
        if len(f.funders) == 1 and f.amount_eur is not None:
            own.setdefault(f.funders[0], []).append(f.amount_eur)
    for f in list(draft.fundings):
        if len(f.funders) > 1 and f.amount_eur is not None and all(k in own for k in f.funders):
            parts = [v for k in f.funders for v in own[k]]
            if abs(sum(parts) - f.amount_eur) < 1:
                draft.fundings.remove(f)


# a pronoun or an office alone ("Je", "Recteur"): a person speaking or represented, no partner body
_NOT_PARTNER_WORDS = {"je", "il", "elle", "nous", "vous", "ils", "elles", "on", "leur", "leurs", "ce", "cela",
                      "recteur", "rectrice", "président", "présidente", "directeur", "directrice", "préfet",
                      "préfète", "maire", "ministre", "député", "députée", "sénateur", "sénatrice"}
_PERSON = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+[A-ZÀ-Ý]{2,}(?:[- ][A-ZÀ-Ý]{2,})?")
_LOWER_HEADS = {"foyer", "collectivité", "fabrique", "fabriques", "caf", "cpam", "msa", "agence", "réseau"}
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZÀ-Ý]")


_INTERNAL = re.compile(r"(?i)conseil\s+d['’]\s*administration|comit[ée]\s+(?:de\s+pilotage|scientifique)|bureau|[ée]quipe")
_NOUN_END = re.compile(r"(?i)(?:eur|ion|it[ée]|age|ment|ique|oire|ure|if|ive|al|ale)$")
_ARTICLE = re.compile(r"(?i)^(?:les|la|le|l['’]|un|une|des|du|de)\s*")


def not_partner_name(name: str, persons: set[str] = frozenset()) -> bool:
    """A drafted partner whose name cannot be a body: no capital letter and no organisation head
    word first ("entreprise" is one, "bénévoles" none), an internal organ ("conseil d'administration"),
    two sentences run together ("Région. Le CCAS"), a pronoun or an office alone ("Je", "Recteur"),
    a person ("Eric DUPONT"; or a name the entity recogniser read as a person and never as anything
    else: ``persons``, folded)."""
    from maillage.extract.prose import _HEADS

    n = name.strip()
    first = _ARTICLE.sub("", n).split()[0].lower() if _ARTICLE.sub("", n).split() else ""
    if _SENTENCE_BREAK.search(n) or _INTERNAL.fullmatch(_ARTICLE.sub("", n)):
        return True
    if not any(c.isupper() for c in n) and first not in _HEADS | _LOWER_HEADS:
        return True
    if n.lower() in _NOT_PARTNER_WORDS:
        return True
    if _PERSON.fullmatch(n) and first not in _HEADS and not _NOUN_END.search(first):
        return True
    return fold(n) in persons


def prune_partners(draft: Draft, mentions=()) -> None:
    """Drop the partnerships whose partner is no body (not_partner_name), whichever reader drafted
    them; a name that only persons bear among the mentions (``not_body``) counts as a person."""
    bodies = {fold(m.text) for m in mentions if not getattr(m, "not_body", False)}
    persons = {fold(m.text) for m in mentions if getattr(m, "not_body", False)} - bodies
    names = {o.key: o.name for o in draft.organisations}
    draft.partnerships[:] = [p for p in draft.partnerships
                             if not not_partner_name(names.get(p.partner, ""), persons)]


class _N:
    """A name already in the draft, in the shape of prose.Name."""

    def __init__(self, start: int, text: str):
        self.start, self.end, self.text, self.head_only = start, start + len(text), text, False


def add_facts(draft: Draft, text: str, facts) -> Draft:
    c = Combiner(draft, text)
    for f in facts:
        c.add(f.relation, f.role, f.names, f.amounts, f.pairs, f.span, f.confidence, f.by)
    return c.draft


def folded(name: str) -> str:
    return fold(name)
