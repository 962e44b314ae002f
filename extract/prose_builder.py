"""The Draft of one prose document, for the prose reader (extract/prose.py): organisations and
initiatives merged by name, relations attached to the initiative in context, bare heads ("la
région", "le Conseil départemental") resolved against the document, facts read before any
initiative given to the first one.
"""

from __future__ import annotations

import bisect
import re

from maillage import model
from maillage.extract.model import Draft, DraftInitiative, DraftOrganisation, DraftPartnership
from maillage.extract.prose_names import _PERSON_NAMED, Name, _generic, _level, _looks_personal, read_name
from maillage.extract.prose_nlp import _Sentence
from maillage.loaders.resolution import normalise_name

_STOP_INITIATIVE = {"politique de la ville"}
_TYPE_WORDS = {"atelier", "ateliers", "chantier", "chantiers", "insertion", "projet", "action", "actions",
               "dispositif", "initiative", "association", "structure", "entreprise", "service",
               "services", "plateforme", "programme", "aci", "siae", "ei", "etti", "ai", "iae",
               "economique", "activite", "emploi", "formation", "social", "sociale", "solidaire"}


_slug = model.slug  # the one slug (maillage.model): "Cœur d'Hérault" -> coeur-d-herault


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:.-–«»\"“”'’")


class _Builder:
    """Accumulates the facts of one document, merging organisations and initiatives by name."""

    def __init__(self, text: str, file: str):
        self.text = text
        self.draft = Draft(file=file)
        self.orgs: dict[str, DraftOrganisation] = {}      # normalised name -> organisation
        self.acronyms: dict[str, str] = {}                # "ANSA" -> normalised full name
        self.inits: dict[str, DraftInitiative] = {}
        self.current: str | None = None                   # key of the initiative in context
        self.bare: list[tuple[str, Name, str, str, float, _Sentence]] = []
        self.pending_fundings: list = []
        self.orphans: list = []                           # relations read before any initiative
        self.contexts: list[tuple[int, str | None]] = []  # (sentence start, initiative in context)
        self.places: list = []                            # PlaceMention of the text, in order
        self.story_named = False                          # the current story has named its initiative
        self.place_starts: list[int] = []

    # organisations
    def org(self, name: Name, confidence: float, sent: _Sentence | None = None) -> DraftOrganisation | None:
        label = _clean(name.text)
        if sent is not None and _looks_personal(label) \
                and any(a <= name.start and name.end <= b for a, b in sent.persons) \
                and not any(a <= name.start < b for a, b in sent.orgs):
            return None  # a person's name (spaCy says so, and it has the shape of one)
        norm = normalise_name(re.sub(r"\([^()]*\)", " ", label)) or normalise_name(label)
        if not norm or len(norm) < 2:
            return None
        acro = re.search(r"\(([A-Z][A-Z0-9.&\-]{1,12})\)\s*$", label)
        if norm in self.acronyms:
            norm = self.acronyms[norm]
        o = self.orgs.get(norm)
        if o is None:
            o = DraftOrganisation(key=self._key(label, {x.key for x in self.orgs.values()}), name=label,
                                  confidence=confidence)
            self.orgs[norm] = o
            self.draft.organisations.append(o)
        elif len(label) > len(o.name) and not label.isupper() and "(" in label:
            o.name = label
        if acro:
            self.acronyms.setdefault(normalise_name(acro.group(1)), norm)
        o.confidence = max(o.confidence, confidence)
        span = (name.start, name.end)
        if span not in o.spans:
            o.spans.append(span)
        return o

    @staticmethod
    def _key(label: str, taken: set[str]) -> str:
        base = _slug(re.sub(r"\([^()]*\)", " ", label)) or "org"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        return key

    # initiatives
    def initiative(self, name: str, span: tuple[int, int], confidence: float,
                   context: bool = True) -> DraftInitiative | None:
        """Add (or find) an initiative; ``context``: it becomes the one later facts belong to."""
        label = _clean(name)
        norm = normalise_name(label)
        if not norm or len(label) < 3 or label.lower() in _STOP_INITIATIVE or not re.search(r"[A-ZÀ-Ý]", label):
            return None
        plain = normalise_name(re.sub(r"\([^()]*\)", " ", label)).split()
        if plain and all(t in _TYPE_WORDS for t in plain):
            return None  # "Atelier chantier d'insertion": a kind of structure, not a name
        ini = self.inits.get(norm)
        if ini is None:
            ini = DraftInitiative(key=self._key(label, {i.key for i in self.inits.values()}), name=label,
                                  confidence=confidence)
            self.inits[norm] = ini
            self.draft.initiatives.append(ini)
        ini.confidence = max(ini.confidence, confidence)
        if span not in ini.spans:
            ini.spans.append(span)
        if context:
            self.current = ini.key
            self.story_named = True
        return ini

    def context(self) -> str | None:
        if self.current:
            return self.current
        return self.draft.initiatives[0].key if self.draft.initiatives else None

    # relations
    def relation(self, kind: str, role: str, names: list[Name], confidence: float, sent: _Sentence) -> None:
        for name in [part for n in names for part in self._persons_named(n, sent)]:
            if name.head_only:
                self.bare.append((kind, name, role, self.context() or "", confidence, sent))
                continue
            o = self.org(name, confidence, sent)
            if o is not None:
                self._fact(kind, role, o, confidence, sent, name)

    @staticmethod
    def _persons_named(name: Name, sent: _Sentence) -> list[Name]:
        """"Fondation Daniel et Nina Carasso" stays one name when spaCy reads a person after its
        "et"; "Fondation Macif et France Travail" is two bodies."""
        m = re.match(r"(?i)(?:" + "|".join(_PERSON_NAMED) + r")\s+\S+(\s+et\s+)", name.text)
        if name.head_only or not m or sent.nlp is None:
            return [name]
        second = name.start + m.end(1)
        if any(a <= second + 1 and b >= name.end - 1 for a, b in sent.persons):
            return [name]
        first = Name(name.start, name.start + m.start(1), name.text[:m.start(1)])
        return [first, Name(second, name.end, name.text[m.end(1):])]

    def _fact(self, kind, role, o, confidence, sent, name, initiative=None) -> None:
        initiative = initiative if initiative is not None else self.context()
        span = (sent.start, sent.end)
        if kind == "funding":
            # role "@<offset>": a funding statement said which amount this body gives
            at = int(role[1:]) if role.startswith("@") else None
            self.pending_fundings.append((o.key, initiative, span, confidence, name.start, sent, at))
        elif kind == "pilot":
            if not initiative:
                self.orphans.append((kind, role, o, confidence, sent, name))
            else:
                ini = next(i for i in self.draft.initiatives if i.key == initiative)
                if o.key not in ini.pilots:
                    ini.pilots.append(o.key)
        elif not initiative:
            self.orphans.append((kind, role, o, confidence, sent, name))
        else:
            for p in self.draft.partnerships:
                if p.initiative == initiative and p.partner == o.key and p.role == role:
                    if span not in p.spans:
                        p.spans.append(span)
                    return
            self.draft.partnerships.append(DraftPartnership(initiative, o.key, role, [span], confidence))

    def adopt_orphans(self) -> None:
        """Partners and pilots read before any initiative was named belong to the first one; a
        text that names none gets one from its title line (low confidence)."""
        if not self.orphans:
            return
        if not self.draft.initiatives:
            m = re.search(r"\S[^\n]*", self.text)
            title = re.split(r"\s[:–-]\s|,|\.\s", m.group())[0][:80] if m else "document"
            self.initiative(title, (m.start(), m.start() + len(title)) if m else (0, 1), 0.3)
        if not self.draft.initiatives:
            self.draft.warnings.append(f"{len(self.orphans)} partner or pilot mention(s) left out: "
                                       "the text names no initiative to attach them to")
            self.orphans = []
            return
        first = self.draft.initiatives[0].key
        orphans, self.orphans = self.orphans, []
        for kind, role, o, confidence, sent, name in orphans:
            self._fact(kind, role, o, confidence, sent, name, first)

    def _mentions(self, head: str, near: int, reach: int = 20_000) -> list[Name]:
        """Fuller names that start with ``head`` within ``reach`` characters of ``near``
        ("Région Occitanie")."""
        out = []
        lo, hi = max(0, near - reach), min(len(self.text), near + reach)
        for m in re.compile(r"\b" + re.escape(head) + r"\b", re.IGNORECASE).finditer(self.text, lo, hi):
            n = read_name(self.text, m.start(), allow_bare=False)
            if (n and not n.head_only and normalise_name(n.text) != normalise_name(head)
                    and not _generic(n.text)):
                out.append(n)
        return out

    def resolve_bare(self, near: int = 1_500, reach: int = 5_000) -> None:
        """A bare head ("la région", "la mairie", "le Conseil départemental") is, in order: the
        nearest fuller name with that head within ``near`` characters ("la Région Occitanie …
        la Région"); the body of that level of the nearest place named before it ("… dans le
        Rhône … le Conseil départemental" -> Département de Rhône); the nearest fuller name
        within ``reach``; or it stays as written."""
        for kind, name, role, initiative, confidence, sent in self.bare:
            o = self._fuller(name, confidence, near)
            level = _level(name.text)
            place = self._place_before(name.start, level, near) if level and o is None else None
            if place is not None:
                head = {"commune": "Ville", "departement": "Département", "region": "Région"}[level]
                of = "d'" if place.name[:1].lower() in "aeiouyéèâêîôûàh" else "de "
                full = f"{head} {of}{place.name}"
                if level != "commune":  # "Département des Landes", "Région Occitanie" (publisher.body_name)
                    from maillage.extract.publisher import body_name
                    from maillage.loaders.territories import load_cog

                    t = load_cog().get(place.ref)
                    full = body_name(t) if t is not None else full
                o = self.org(Name(name.start, name.end, full), confidence * 0.8)
                if o is not None and o.territory is None:
                    o.territory = place.ref
            if o is None:
                o = self._fuller(name, confidence, reach)
            if o is None:
                o = self.org(name, confidence * 0.7, sent)
            if o is not None:
                self._fact(kind, role, o, confidence, sent, name, initiative or None)

    def _fuller(self, name: Name, confidence: float, reach: int) -> DraftOrganisation | None:
        """The nearest organisation (drafted, or named in the text) whose name starts with the
        bare head's first word, within ``reach`` characters."""
        first = normalise_name(name.text).split()[:1]
        if not first:
            return None
        fuller = [x for n, x in self.orgs.items() if n.split()[:1] == first and n != " ".join(first)
                  and not _generic(x.name) and min(abs(a - name.start) for a, _ in x.spans) <= reach]
        if not fuller:  # a fuller mention nearby, not after a trigger
            mentions = [m for m in self._mentions(name.text.split()[0], name.start, reach)
                        if m.end <= name.start or m.start >= name.end]
            if mentions:
                found = self.org(min(mentions, key=lambda n: abs(n.start - name.start)), confidence * 0.8)
                fuller = [found] if found is not None else []
        if not fuller:
            return None
        o = min(fuller, key=lambda x: min(abs(a - name.start) for a, _ in x.spans))
        if (name.start, name.end) not in o.spans:
            o.spans.append((name.start, name.end))
        return o

    def _place_before(self, pos: int, level: str, reach: int = 3_000):
        """The nearest place of ``level`` named before ``pos`` (within ``reach`` characters)."""
        k = bisect.bisect_right(self.place_starts, pos) - 1
        while k >= 0 and pos - self.places[k].end <= reach:
            p = self.places[k]
            if p.level == level and p.ref and p.end <= pos:
                return p
            k -= 1
        return None
