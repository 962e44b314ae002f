"""Initiatives like mine (issue 16 item 3): for one initiative, the most similar others by themes,
publics, kind of pilot, kind of territory and kinds of partners, each with its score and its
reasons in French ("3 thèmes en commun : aller-vers, mobilité, accès aux droits ; pilote CCAS comme
vous").

How the score is made (``METHOD``, said on the page):

- themes, publics and partners' kinds (participants other than the pilot, and funders) are compared
  as sets weighted by rarity (inverse document frequency over all initiatives: sharing a rare theme
  such as "aller-vers" says more than sharing "insertion professionnelle", which most have), by the
  cosine of the two weighted sets;
- the pilot counts 1 for the same kind of body (CCAS, ACI…), 0.5 for the same family (collectivités,
  SIAE…);
- the territory counts 1 for the same kind of place: rural (a commune under 2,000 inhabitants, or
  under 10,000 in a communauté de communes; a communauté de communes), urbain (a commune of 10,000 or
  more, or in an agglomération, communauté urbaine or métropole; such an EPCI; a quartier or QPV),
  or, for initiatives that act on a whole département or région, the same scale (0.5); places come
  from the COG (population, EPCI legal form) as the build writes them; an initiative that names no
  place is placed where its pilot is based;
- the same région adds a little;
- score = 100 × the weighted mean (weights ``WEIGHTS``).

Candidates are the 300 initiatives sharing the most themes and publics (``similar-candidates.rq``)."""

from __future__ import annotations

import math
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from maillage import query

WEIGHTS = {"theme": 4.0, "public": 2.0, "pilot": 1.5, "territory": 1.5, "partner": 1.0, "region": 0.5}
METHOD = ("Score sur 100 : thèmes (poids 4), publics (2), type du pilote (1,5), type de territoire (1,5), types des "
          "partenaires et financeurs (1) et même région (0,5). Thèmes, publics et types de partenaires sont comparés "
          "en donnant plus de poids à ce qui est rare (partager « aller-vers » compte plus que partager « insertion "
          "professionnelle », que la plupart ont). Territoire rural ou urbain d'après le COG : population de la "
          "commune, nature de l'intercommunalité (communauté de communes, d'agglomération, urbaine, métropole) ; "
          "quartiers et QPV sont urbains.")
ENOUGH = 2.0      # shared rarity (sum of idf) that counts fully: about one feature held by 1 initiative in 7
RURAL, URBAN = "rural", "urbain"
SCALES = {"departement": "départementale", "region": "régionale"}
# kinds people name by their acronym ("pilote CCAS comme vous"); the others by their name
ACRONYMS = {"CCAS", "CIAS", "ACI", "EI", "AI", "ETTI", "EITI", "EA", "ESAT", "SIAE", "EPCI", "GIP", "PLIE", "CAF",
            "MSA", "CPAM", "GEIQ", "EPIC", "ESS"}
SHORT_KINDS = {"FT": "France Travail", "REG": "Région", "CD": "Département", "MUNI": "commune", "ETAT": "État",
               "UE": "Union européenne", "ML": "mission locale", "COLLECTIVITE": "collectivité", "SM": "syndicat mixte",
               "FONDATION": "fondation", "ASSO": "association", "RESEAU": "réseau", "ENTREPRISE": "entreprise",
               "BAILLEUR": "bailleur social", "OF": "organisme de formation", "AUTRE": "autre structure"}


@dataclass
class Profile:
    uri: str
    name: str = ""
    features: dict = field(default_factory=lambda: defaultdict(dict))   # facet -> code -> label
    families: dict = field(default_factory=dict)                        # pilot family code -> label
    pilots: dict = field(default_factory=dict)                          # pilot uri -> kind code
    places: list = field(default_factory=list)
    regions: dict = field(default_factory=dict)                         # uri -> label

    @property
    def territory(self) -> set[str]:
        return territory_classes(self.places)


@dataclass
class Match:
    uri: str
    name: str
    score: float
    reasons: list[str]
    parts: dict

    def row(self, rank: int) -> dict:
        return {"rank": rank, "initiative": self.name, "score": round(self.score, 1), "reasons": " ; ".join(self.reasons),
                "uri": self.uri}


COLUMNS = ("rank", "initiative", "score", "reasons", "uri")


def place_class(p: dict) -> str | None:
    """rural, urbain, or the scale (departement, region) of one place of the COG; None if unknown."""
    level, pop = p.get("level"), p.get("population")
    pop = int(pop) if pop is not None else None
    if level in ("qpv", "quartier"):
        return URBAN
    if level == "epci":
        return RURAL if p.get("nature") == "CC" else URBAN if p.get("nature") else None
    if level == "commune":
        if pop is not None and pop >= 10_000:
            return URBAN
        if pop is not None and pop < 2_000:
            return RURAL
        epci = p.get("epci_nature")
        if epci:
            return RURAL if epci == "CC" else URBAN
        return None if pop is None else RURAL if pop < 5_000 else URBAN
    return level if level in SCALES else None


def territory_classes(places: list[dict]) -> set[str]:
    return {c for c in (place_class(p) for p in places) if c}


def candidates(store, initiative: str) -> list[str]:
    """The initiatives sharing the most themes and publics with ``initiative`` (at most 300)."""
    return [r["i"] for r in query.select(store, "similar-candidates", {"target": initiative}).rows]


def profiles(store, uris: list[str]) -> dict[str, Profile]:
    """The features of these initiatives (a few hundred at a time)."""
    out: dict[str, Profile] = {}
    for r in query.select_chunked(store, "similar-features", "i", uris):
        p = out.setdefault(r["i"], Profile(r["i"], r["name"]))
        label = r["label"] or r["code"]
        p.features[r["facet"]][r["code"]] = label
        if r["facet"] == "pilot":
            if r["family"]:
                p.families[r["family"]] = r["family_label"] or r["family"]
            if r["org"]:
                p.pilots[r["org"]] = r["code"]
    served: dict[str, set] = defaultdict(set)
    seats: dict[str, set] = defaultdict(set)
    for r in query.select_chunked(store, "similar-places", "i", uris):
        if r["served"]:
            served[r["i"]].add(r["served"])
        if r["seat"] and r["rc"] == "pilote":
            seats[r["i"]].add(r["seat"])
    where = {i: served.get(i) or seats.get(i) or set() for i in set(served) | set(seats)}
    facts = place_facts(store, sorted(set().union(*where.values())) if where else [])
    for i, places in where.items():
        p = out.setdefault(i, Profile(i))
        for place in sorted(places):
            if place in facts:
                p.places.append(facts[place])
                if facts[place]["region"]:
                    p.regions[facts[place]["region"]] = facts[place]["region_label"] or facts[place]["region"]
    return out


def place_facts(store, places: list[str]) -> dict[str, dict]:
    """Each place's level, population, legal form (an EPCI's), its EPCI's legal form and its région."""
    out: dict[str, dict] = {}
    for r in query.select_chunked(store, "similar-place-facts", "place", places):
        f = out.setdefault(r["place"], {"place": r["place"], "level": r["level"], "population": r["population"],
                                        "nature": r["nature"], "epci_nature": None, "region": None, "region_label": None})
        if r["epci_nature"]:
            f["epci_nature"] = r["epci_nature"]
        if r["region_level"] == "region":
            f["region"], f["region_label"] = r["region"], r["region_label"]
    return out


_IDF: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()     # per open store (a server worker keeps one per generation)


def idf(store) -> dict[tuple[str, str], float]:
    """How rare each feature is: log((initiatives + 1) / (initiatives with it + 0.5))."""
    try:
        return _IDF[store]
    except (KeyError, TypeError):
        pass
    rows = query.select(store, "similar-frequencies").rows
    out = {(r["facet"], r["code"]): math.log((int(r["initiatives"]) + 1) / (int(r["n"]) + 0.5)) for r in rows}
    try:
        _IDF[store] = out
    except TypeError:       # a store that takes no weak reference: not cached
        pass
    return out


def _cosine(a: dict, b: dict, facet: str, weights: dict) -> tuple[float, list[str]]:
    if not a or not b:
        return 0.0, []
    w = lambda code: weights.get((facet, code), 1.0)
    shared = sorted(set(a) & set(b), key=lambda c: (-w(c), a[c]))
    dot = sum(w(c) ** 2 for c in shared)
    norm = math.sqrt(sum(w(c) ** 2 for c in a)) * math.sqrt(sum(w(c) ** 2 for c in b))
    # the cosine of two one-feature sets is 1 however common the feature: weigh it by how much the
    # shared features say (their rarity), up to ENOUGH
    evidence = min(1.0, sum(w(c) for c in shared) / ENOUGH)
    return (dot / norm * evidence if norm else 0.0), shared


def _lower(label: str) -> str:
    """A concept's label inside a sentence: "Mobilité" -> "mobilité"; one with a comma in quotes."""
    label = label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label
    return f"« {label} »" if "," in label else label


def _list(labels: list[str], n: int = 4) -> str:
    shown = [x if x in SHORT_KINDS.values() or x in ACRONYMS else _lower(x) for x in labels[:n]]
    return ", ".join(shown) + (f"… (+{len(labels) - n})" if len(labels) > n else "")


def _kind(code: str, label: str) -> str:
    return code if code in ACRONYMS else SHORT_KINDS.get(code) or _lower(label)


def compare(me: Profile, other: Profile, weights: dict) -> Match:
    parts, reasons = {}, []
    for facet, word in (("theme", ("thème", "thèmes")), ("public", ("public", "publics"))):
        s, shared = _cosine(me.features.get(facet, {}), other.features.get(facet, {}), facet, weights)
        parts[facet] = s
        if shared:
            n = len(shared)
            reasons.append(f"{n} {word[n > 1]} en commun : {_list([me.features[facet][c] for c in shared])}")
    mine, theirs = me.features.get("pilot", {}), other.features.get("pilot", {})
    same_kind = sorted(set(mine) & set(theirs))
    same_family = sorted(set(me.families) & set(other.families))
    parts["pilot"] = 1.0 if same_kind else 0.5 if same_family else 0.0
    same_pilot = set(me.pilots) & set(other.pilots)
    if same_pilot:
        reasons.append("même pilote que vous")
    elif same_kind:
        reasons.append(f"pilote {_kind(same_kind[0], mine[same_kind[0]])} comme vous")
    elif same_family:
        reasons.append(f"pilote de la même famille que vous ({_lower(me.families[same_family[0]])})")
    a, b = me.territory, other.territory
    kinds = (a & b) & {RURAL, URBAN}
    scales = (a & b) & set(SCALES)
    parts["territory"] = 1.0 if kinds else 0.5 if scales else 0.0
    if kinds:
        reasons.append(" et ".join(f"territoire {k}" for k in sorted(kinds)) + " comme vous")
    elif scales:
        reasons.append(f"même échelle que vous ({SCALES[sorted(scales)[0]]})")
    s, shared = _cosine(me.features.get("partner", {}), other.features.get("partner", {}), "partner", weights)
    parts["partner"] = s
    if shared:
        reasons.append(f"partenaires ou financeurs des mêmes types : {_list([_kind(c, me.features['partner'][c]) for c in shared], 3)}")
    regions = set(me.regions) & set(other.regions)
    parts["region"] = 1.0 if regions else 0.0
    if regions:
        reasons.append(f"même région : {me.regions[sorted(regions)[0]]}")
    score = 100 * sum(WEIGHTS[k] * v for k, v in parts.items()) / sum(WEIGHTS.values())
    return Match(other.uri, other.name, score, reasons, parts)


def similar(store, initiative: str, limit: int = 10) -> list[Match]:
    """The ``limit`` initiatives most like ``initiative`` (a URI), best first; ties by name."""
    found = profiles(store, [initiative, *candidates(store, initiative)])
    me = found.get(initiative)
    if me is None:
        return []
    weights = idf(store)
    matches = [compare(me, other, weights) for uri, other in found.items() if uri != initiative and other.name]
    matches = [m for m in matches if m.score > 0]
    matches.sort(key=lambda m: (-m.score, query.normalise(m.name), m.uri))
    return matches[:limit]


def resolve(store, name: str) -> str:
    """An initiative's name, other name or URI -> its URI; QueryError says what is wrong."""
    return query.resolve(store, query.Param("initiative", "initiative", True, "", "initiative"), name)


def precision_at(store, judged: list[dict], k: int = 5) -> dict:
    """Precision at ``k`` against hand judgements (``tests/fixtures/similar/judged.yaml``): for each
    judged initiative, the share of the scorer's first ``k`` that the judge called alike."""
    per = []
    for j in judged:
        uri = resolve(store, j["initiative"])
        alike = {resolve(store, a) for a in j["alike"]}
        top = similar(store, uri, k)
        hits = [m.name for m in top if m.uri in alike]
        per.append({"initiative": j["initiative"], "precision": len(hits) / k, "hits": hits,
                    "misses": [m.name for m in top if m.uri not in alike]})
    return {"k": k, "precision": sum(p["precision"] for p in per) / len(per) if per else 0.0, "per": per}
