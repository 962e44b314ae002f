"""Structured fiches: "Pilote :", "Partenaires :", "Lieu :", "Date :", "Coût total :", "dont
cofinanceurs :" headings followed by bullets, as booklets of project sheets write them — with
their layout noise (markdown marks, bold and italic wrappers, side columns cut into the middle of
a field, a heading missing).

One initiative per fiche. A booklet is cut into fiches at its top-level headings ("# …") when
they hold fields; a text without such headings is one fiche, or several when a field (Pilote,
Lieu…) comes back. Funders come from the cofinanceurs field (amount + name per bullet: "15 242 €
CD Somme", "60 000 € de la Région", "État") and from the sentences that name financial partners
("Les partenaires financiers du projet sont l'État, la Région …", "financé par …"). A bare form
("la Région", "le Département", "la Métropole") is named after the fiche's own place.
Every name, amount and place keeps its span in the text.

The reader is cut in five modules: fiche_fields.py (heading vocabulary, headings, tables),
fiche_names.py (names in an item), fiche_layout.py (the booklet cut into fiches, their titles),
fiche_funding.py (the funding plan and funding sentences) and this one (the reader: pilots,
partners, places, dates, the organisations of the draft).
"""

from __future__ import annotations

import re

from maillage.extract.fiche_fields import _WRAP, Field, Span, _classify, _trim, find_fields
from maillage.extract.fiche_funding import _SENTENCE_END, read_fundings
from maillage.extract.fiche_layout import _Fiche, split_fiches
from maillage.extract.fiche_names import _EPCI_NAME, _FORM_WORDS, _fold, _one_name, _strip_name, _words, looks_like_org, split_names
from maillage.extract.model import Draft, DraftInitiative, DraftOrganisation, DraftPartnership
from maillage.extract.places import find_places

__all__ = ["FicheReader", "Field", "find_fields", "split_names"]
_REEXPORTED = (_classify,)   # imported from here by the tests (the heading vocabulary is in fiche_fields)

_PILOT_PHRASE = re.compile(
    r"(?i)\b(?:port[ée]e?s?|pilot[ée]e?s?|coordonn[ée]e?s?|g[ée]r[ée]e?s?|(?:coordination|pilotage|animation)"
    r"(?:\s+et\s+(?:une\s+|la\s+)?(?:coordination|animation))?[^.\n]{0,60}?\bassur[ée]e?s?)\s+par\s+"
    r"|\bà\s+l['’]initiative\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s*")

_MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
           "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12}


def _date(text: str) -> str | None:
    t = _fold(text)
    m = re.search(r"\b(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+((?:19|20)\d{2})\b", t)
    if m:
        return f"{m.group(2)}-{_MONTHS[m.group(1)]:02d}"
    m = re.search(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\b", t)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(3)}-{int(m.group(2)):02d}"
    m = re.search(r"\b((?:19|20)\d{2})\b", t)
    return m.group(1) if m else None


class FicheReader:
    """Reads structured fiches (one or many per document) into a Draft."""

    name = "fiche"

    def __init__(self, cog=None):
        self._cog = cog

    @property
    def cog(self):
        if self._cog is None:
            from maillage.loaders.territories import load_cog

            self._cog = load_cog()
        return self._cog

    # -- segmentation (extract/fiche_layout.py)

    def fiches(self, text: str) -> list[_Fiche]:
        return split_fiches(text)

    # -- reading

    def read(self, text: str, file: str) -> Draft:
        draft = Draft(file=file)
        if not text or not text.strip():
            draft.warnings.append("empty text: nothing to read")
            return draft
        fiches = self.fiches(text)
        self._orgs: dict[str, DraftOrganisation] = {}
        self._by_norm: dict[str, str] = {}
        self._norm_cache: dict[str, str] = {}
        self._spans: dict[str, set] = {}
        self._draft = draft
        for n, fiche in enumerate(fiches, start=1):
            self._read_fiche(text, fiche, n)
        draft.organisations = list(self._orgs.values())
        if not draft.initiatives:
            draft.warnings.append("no fiche found (no title and no Pilote/Partenaires/Lieu/Date/Coût headings)")
        return draft

    def _org(self, text: str, span: Span, confidence: float, *, name: str | None = None,
             territory: str | None = None, kind: str | None = None) -> str:
        from maillage.extract.draft_io import slug

        name = name or " ".join(text[span[0]:span[1]].split())
        key_norm = self._norm_cache.get(name)
        if key_norm is None:
            from maillage.loaders.resolution import normalise_name

            key_norm = self._norm_cache[name] = normalise_name(name, self.cog) or name.lower()

        known = self._by_norm.get(key_norm)
        if known is not None:
            o = self._orgs[known]
            if span not in self._spans[known]:
                self._spans[known].add(span)
                o.spans.append(span)
            o.confidence = max(o.confidence, confidence)
            return known
        key = slug(name)
        base, i = key, 2
        while key in self._orgs:
            key, i = f"{base}-{i}", i + 1
        self._orgs[key] = DraftOrganisation(key=key, name=name, kind=kind, territory=territory, spans=[span],
                                            confidence=confidence)
        self._by_norm[key_norm] = key
        self._spans[key] = {span}
        return key

    @staticmethod
    def _pilot_sentences(text: str, fiche: _Fiche) -> list[Span]:
        """Who runs it, from sentences: "porté par X", "piloté par X", "coordination … assurée(s)
        par X", "à l'initiative de X"."""
        out: list[Span] = []
        for m in _PILOT_PHRASE.finditer(text, fiche.start, fiche.end):
            stop = _SENTENCE_END.search(text, m.end(), min(fiche.end, m.end() + 200))
            end = stop.start() if stop else min(fiche.end, m.end() + 120)
            names = split_names(text, m.end(), end, enumeration=True)
            if names:
                out.append(names[0])
        return out

    def _contextual(self, text: str, span: Span, places: list) -> tuple[str | None, str | None, str | None]:
        """A bare form ("la Région", "Département", "CD", "Métropole") named after the fiche's
        place: (name, territory, kind), or (None, None, None)."""
        words = [_fold(w) for w in _words(text[span[0]:span[1]])]
        if len(words) != 1 and not (len(words) == 2 and words[0] in ("conseil",)):
            return None, None, None
        form = words[-1]
        cog = self.cog

        def ancestors(level):
            out = []
            for p in places:
                t = cog.get(p)
                if t is None:
                    continue
                if t.level == level:
                    out.append(t)
                out += [a for a in cog.ancestors(t.ref) if a.level == level]
            uniq = {t.ref: t for t in out}
            return list(uniq.values())

        if form in ("region", "regional"):
            regs = ancestors("region")
            if len(regs) == 1:
                return f"Région {regs[0].name}", regs[0].ref, "REG"
        elif form in ("departement", "departemental", "cd", "cg"):
            deps = ancestors("departement")
            if len(deps) == 1:
                return f"Département ({deps[0].name})", deps[0].ref, "CD"
        elif form in ("ccas", "mairie", "ville", "commune", "municipalite"):
            coms = ancestors("commune")
            if len(coms) == 1:
                label = "CCAS" if form == "ccas" else "Ville"
                return f"{label} de {coms[0].name}", coms[0].ref, "CCAS" if form == "ccas" else "MUNI"
        elif form in ("metropole", "agglomeration", "agglo", "communaute", "intercommunalite", "epci"):
            epcis = ancestors("epci")
            if len(epcis) == 1:
                return epcis[0].name, epcis[0].ref, "EPCI"
        return None, None, None

    def _read_fiche(self, text: str, fiche: _Fiche, n: int) -> None:
        draft = self._draft
        by_kind: dict[str, list[Field]] = {}
        for f in fiche.fields:
            by_kind.setdefault(f.kind, []).append(f)
        title = fiche.title
        for f in by_kind.get("titre", []):       # "Nom du projet : …" names the initiative
            if f.items:
                title = f.items[0]
                break
        if not by_kind.get("pilote") and by_kind.get("pilote_weak"):
            by_kind["pilote"] = by_kind["pilote_weak"]
        if not by_kind.get("pilote"):
            # "Opérateur : X" (one body, singular) leads the project when no pilot heading is there
            single = [f for f in by_kind.get("role:operateur", []) if re.fullmatch(r"(?i)op[ée]rat(?:eur|rice)", f.label)]
            if single:
                by_kind["pilote"] = single
                by_kind["role:operateur"] = [f for f in by_kind["role:operateur"] if f not in single]
        if title is None:
            draft.warnings.append(f"fiche {n} at character {fiche.start}: no title found")
            return
        title_text = text[title[0]:title[1]]
        # "Titre, Structure": the structure after the last comma (the booklet's way of naming the pilot)
        name_span, title_org = title, None
        comma = title_text.rfind(",")
        if comma > 0:
            tail = _strip_name(text, title[0] + comma + 1, title[1])
            if tail[1] > tail[0] and len(_words(text[tail[0]:tail[1]])) <= 6 and looks_like_org(text[tail[0]:tail[1]]):
                name_span, title_org = _trim(text, title[0], title[0] + comma, _WRAP + ",→"), tail
        # "Titre : sous-titre" / "Titre – sous-titre": the part before
        sub = re.search(r"\s+(?::|–|—|-)\s+", text[name_span[0]:name_span[1]])
        if sub and len(_words(text[name_span[0]:name_span[0] + sub.start()])) >= 2:
            name_span = _trim(text, name_span[0], name_span[0] + sub.start(), _WRAP)
        name = " ".join(text[name_span[0]:name_span[1]].split()).strip(" *_")
        missing = [k for k in ("pilote", "lieu", "partenaires") if k not in by_kind]
        if missing:
            draft.warnings.append(f"fiche {n} ({name[:60]}): no {', '.join(missing)} heading")

        # places: the Lieu field (names without prepositions), else the title
        places: list[str] = []
        for f in by_kind.get("lieu", []):
            for s, e in f.items:
                for p in find_places(text[s:e], self.cog, lenient=True):
                    if p.ref not in places:
                        places.append(p.ref)
        if not places:
            for p in find_places(text[title[0]:title[1]], self.cog):
                if p.ref not in places:
                    places.append(p.ref)
        if not places:
            # no Lieu field: the commune and the districts the fiche keeps coming back to
            from collections import Counter

            found = find_places(text[fiche.start:fiche.end], self.cog)
            counts = Counter(p.ref for p in found if p.level in ("commune", "qpv"))
            places = [ref for ref, c in counts.most_common() if c >= 2][:3]
        confidence = 0.9 if by_kind.get("pilote") else 0.7
        ini = DraftInitiative(key=f"fiche-{n}", name=name, territories=places, spans=[name_span],
                              confidence=confidence)
        for f in by_kind.get("date", []):
            for s, e in f.items:
                d = _date(text[s:e])
                if d:
                    ini.start = d
                    break
            if ini.start:
                break

        cog_places = [p for p in places if not p.startswith(("qpv:", "quartier:"))]

        def org_key(span: Span, conf: float) -> str | None:
            nm, terr, kind = self._contextual(text, span, cog_places)
            if nm is None and len(_words(text[span[0]:span[1]])) == 1 and _fold(text[span[0]:span[1]]) in _FORM_WORDS:
                return None                       # a bare form whose territory the fiche does not say
            return self._org(text, span, conf, name=nm, territory=terr, kind=kind)

        # pilots
        for f in by_kind.get("pilote", []):
            for s, e in f.items:
                for span in split_names(text, s, e):
                    k = org_key(span, 0.85)
                    if k and k not in ini.pilots:
                        ini.pilots.append(k)
        if not ini.pilots:
            for span in self._pilot_sentences(text, fiche):
                k = org_key(span, 0.6)
                if k and k not in ini.pilots:
                    ini.pilots.append(k)
                    break
        if not ini.pilots and title_org:
            k = org_key(title_org, 0.6)
            if k:
                ini.pilots.append(k)
        draft.initiatives.append(ini)

        # partners
        seen_partners = {(k, role) for k in ini.pilots for role in ("partenaire", "operateur", "membre")}
        role_fields = [(f, "partenaire") for f in by_kind.get("partenaires", [])]
        role_fields += [(f, kind.split(":", 1)[1]) for kind, fs in by_kind.items() if kind.startswith("role:") for f in fs]
        for f, role in role_fields:
            for s, e in f.items:
                epci = _EPCI_NAME.match(text, *_trim(text, s, e))
                whole = _trim(text, epci.start(), epci.end(), _WRAP + ",") if epci else _one_name(text, *_trim(text, s, e))
                for span in ([whole] if whole else split_names(text, s, e)):
                    k = org_key(span, 0.75)
                    if k and (k, role) not in seen_partners:
                        seen_partners.add((k, role))
                        draft.partnerships.append(DraftPartnership(ini.key, k, role, [span], 0.75))

        # fundings: the cofinanceurs field, the fiche's sentences (extract/fiche_funding.py)
        read_fundings(draft, text, fiche, by_kind, ini, org_key)
