"""The one scorer of the extractor: a draft against a gold answer, precision / recall / F1 per field.

Every evaluation goes through it: the corpus (gold = the curated records of the document), the
invented sets (tests/fixtures/unseen, tests/fixtures/holdout: ``<name>.gold.yaml``) and the real
set (tests/fixtures/real/{dev,blind,blind2,blind3}: ``<name>.gold.yaml``, see tests/fixtures/real/README.md).

Fields: ``initiatives``, ``pilots``, ``funders``, ``amounts`` (the set of amount values),
``tied`` (funder AND amount drafted together: a gold (funder, amount) pair is found when one
drafted funding has that amount and a funder matching that funder; a joint funding gives one pair
per funder; one funder's two grants of one amount are two pairs, each found by its own drafted one), ``partners`` and, when the gold has them, ``territories`` (COG refs).

Names match leniently: folded (lower case, no accents, punctuation as spaces), with and without a
parenthesis ("Mutualité sociale agricole (MSA)" -> also "msa"), against the gold name and its
aliases; equal, or rapidfuzz ratio >= ``THRESHOLD``, or, for names with a distinctive word, one
contained word for word in the other. On the corpus a drafted organisation linked to the gold id
matches too. Several drafted items landing on one gold item are one true positive; unmatched
drafted items, deduplicated by folded name, are each one false positive. A drafted partner that is
a gold funder or pilot (and no gold partner), or an optional gold partner, is neither.

Empty sets: nothing drafted -> precision 1.0; nothing to find -> recall 1.0; overall figures are
micro-averaged (counts summed over documents), so these vacuous values weigh nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from maillage.extract.model import Draft

FIELDS = ("initiatives", "pilots", "funders", "amounts", "tied", "partners", "territories")
THRESHOLD = 85.0
_TERRITORY = re.compile(r"^(reg|dep|epci|com):")
# words that say what kind of body or action it is, not which one (a containment match needs more)
_GENERIC = {"departement", "region", "commune", "communes", "agglomeration", "association",
            "fondation", "federation", "reseau", "groupe", "etat", "ville", "atelier", "ateliers",
            "chantier", "chantiers", "insertion", "projet", "entreprise", "ministere", "service",
            "services", "centre", "maison", "club", "mission", "locale", "missionlocale", "caisse",
            "conseil", "fonds", "fond", "union", "europeen", "europeenne", "emploi", "solidaire",
            "garage", "ferme", "plateforme", "ccas", "direction", "structure", "cooperative",
            "general", "departemental", "regional", "communaute", "social", "sociale", "france"}
_ARTICLES = {"la", "le", "les", "l", "du", "de", "des", "d"}


# ---------------------------------------------------------------- scores

@dataclass
class Score:
    tp: int = 0
    n_draft: int = 0
    n_gold: int = 0
    missed: list[str] = field(default_factory=list)     # gold items not found
    spurious: list[str] = field(default_factory=list)   # drafted items matching nothing

    @property
    def precision(self) -> float:
        return self.tp / self.n_draft if self.n_draft else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.n_draft + other.n_draft, self.n_gold + other.n_gold,
                     self.missed + other.missed, self.spurious + other.spurious)

    def line(self) -> str:
        return f"P {self.precision:.2f} ({self.tp}/{self.n_draft})  R {self.recall:.2f} ({self.tp}/{self.n_gold})"

    def to_dict(self, details: bool = True) -> dict:
        out = {"tp": self.tp, "draft": self.n_draft, "gold": self.n_gold,
               "precision": round(self.precision, 4), "recall": round(self.recall, 4),
               "f1": round(self.f1, 4)}
        if details:
            out["missed"] = self.missed
            out["spurious"] = self.spurious
        return out


# ---------------------------------------------------------------- names

@lru_cache(maxsize=65536)  # a document's names are folded again and again by every step
def fold(name: str) -> str:
    """Lower case, no accents, punctuation as spaces, leading articles dropped."""
    t = unicodedata.normalize("NFKD", str(name).replace("œ", "oe").replace("Œ", "OE").lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", t).split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


# one body, several ways of naming it: "Conseil régional de Bretagne" = "Région Bretagne"
_LEVEL_SYNONYMS = [(re.compile(r"^conseil regional\b"), "region"),
                   (re.compile(r"^conseil (?:departemental|general)\b"), "departement"),
                   (re.compile(r"^(?:mairie|commune|municipalite)\b"), "ville")]
_CONNECTORS = re.compile(r"\b(?:de|du|des|d|la|le|les|l)\b")


def name_variants(name: str) -> set[str]:
    """The folded forms of a name (see ``_variants``), as a set the caller may change."""
    return set(_variants(name))


@lru_cache(maxsize=65536)  # each mention is compared with many names: build its variants once
def _variants(name: str) -> frozenset[str]:
    """Folded forms of a name: as written, without its parenthesis (an unclosed one too), the
    parenthesis alone ("Mutualité sociale agricole (MSA)" -> also "mutualite sociale agricole",
    "msa"), and a territorial body under its level's plain name without connectors
    ("Conseil régional de Bretagne" -> "region bretagne")."""
    out = {fold(name), fold(re.sub(r"\([^)]*(?:\)|$)", " ", name))}
    out.update(fold(i) for i in re.findall(r"\(([^()]*)\)", name))
    for v in list(out):
        for rx, plain in _LEVEL_SYNONYMS:
            if rx.match(v):
                w = " ".join(_CONNECTORS.sub(" ", rx.sub(plain, v)).split())
                if len(w.split()) > 1:
                    out.add(w)
    out.discard("")
    return frozenset(out)


def name_score(xs: Iterable[str], ys: Iterable[str]) -> float:
    """0-100: how well one of the names ``xs`` matches one of ``ys`` (raw names)."""
    best = 0.0
    nx = set().union(*(_variants(x) for x in xs))
    ny = set().union(*(_variants(y) for y in ys))
    for a in nx:
        for b in ny:
            if a == b:
                return 100.0
            if min(len(a), len(b)) < 4:  # short names and acronyms: only an exact match counts
                continue
            score = fuzz.ratio(a, b)
            ta, tb = a.split(), b.split()
            short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
            distinctive = [t for t in short if t not in _GENERIC and len(t) >= 3]
            if distinctive and set(short) <= set(long_):
                score = max(score, 90.0)
            best = max(best, score)
    return best


@dataclass
class Item:
    """One thing to compare: its names, and for organisations an id (gold id, or the draft's linked_to)."""

    label: str
    names: list[str]
    ident: str | None = None


def _best(d: Item, gold: list[Item], threshold: float) -> int | None:
    ids = {g.ident: i for i, g in enumerate(gold) if g.ident}
    if d.ident and d.ident in ids:
        return ids[d.ident]
    best, best_score = None, 0.0
    for i, g in enumerate(gold):
        s = name_score(d.names, g.names)
        if s > best_score:
            best, best_score = i, s
    return best if best is not None and best_score >= threshold else None


def match_sets(draft: list[Item], gold: list[Item], ignored: list[Item] = (),
               threshold: float = THRESHOLD) -> Score:
    found: set[int] = set()
    spurious: dict[str, str] = {}
    for d in draft:
        i = _best(d, gold, threshold)
        if i is not None:
            found.add(i)
        elif not (ignored and _best(d, list(ignored), threshold) is not None):
            spurious.setdefault(min(name_variants(d.label) or {d.label}), d.label)
    return Score(tp=len(found), n_draft=len(found) + len(spurious), n_gold=len(gold),
                 missed=[g.label for i, g in enumerate(gold) if i not in found],
                 spurious=sorted(spurious.values()))


def match_values(draft: Iterable, gold: Iterable, ignored: Iterable = ()) -> Score:
    g = set(gold)
    d = set(draft) - (set(ignored) - g)
    return Score(tp=len(d & g), n_draft=len(d), n_gold=len(g),
                 missed=sorted(map(str, g - d)), spurious=sorted(map(str, d - g)))


def match_pairs(draft: list[tuple[Item, float]], gold: list[tuple[Item, float]],
                threshold: float = THRESHOLD, optional: Iterable[float] = (),
                funders: list[Item] = ()) -> Score:
    """(funder, amount) pairs: the amount equal, the funder matching. A drafted pair with no gold
    pair whose amount is ``optional`` (one the text lets a reader compute, "60 % of 1,5 M€") and
    whose funder is one of the gold ``funders`` is neither a hit nor a false positive, as
    ``match_values`` treats the amount alone."""
    optional = set(optional)
    found: set[int] = set()
    spurious: dict[tuple, str] = {}
    for d, amount in draft:
        # a gold pair already found is taken again only when no equal one is left: one funder's two
        # grants of the same amount (two winners of 8 000 €) are two pairs, found by two drafted ones
        same = [i for i, (_, a) in enumerate(gold) if a == amount]
        free = [j for j in same if j not in found]
        i = _best(d, [gold[j][0] for j in free], threshold) if free else None
        j = free[i] if i is not None else None
        if j is None:
            i = _best(d, [gold[k][0] for k in same], threshold) if same else None
            j = same[i] if i is not None else None
        if j is not None:
            found.add(j)
        elif amount in optional and _best(d, list(funders), threshold) is not None:
            continue
        else:
            key = (min(name_variants(d.label) or {d.label}), amount)
            spurious.setdefault(key, f"{d.label}: {amount:g}")
    return Score(tp=len(found), n_draft=len(found) + len(spurious), n_gold=len(gold),
                 missed=[f"{g.label}: {a:g}" for i, (g, a) in enumerate(gold) if i not in found],
                 spurious=sorted(spurious.values()))


# ---------------------------------------------------------------- gold and draft, one shape

def amount(v) -> float:
    return round(float(v), 2)


@dataclass
class Sets:
    initiatives: list[Item] = field(default_factory=list)
    pilots: list[Item] = field(default_factory=list)
    funders: list[Item] = field(default_factory=list)
    pairs: list[tuple[Item, float]] = field(default_factory=list)
    partners: list[Item] = field(default_factory=list)
    territories: set[str] | None = None          # None: the gold says nothing of places
    # gold only: neither hits nor false positives
    optional_partners: list[Item] = field(default_factory=list)
    optional_funders: list[Item] = field(default_factory=list)   # true, with no amount in euros
    optional_territories: set[str] = field(default_factory=set)
    optional_amounts: set[float] = field(default_factory=set)

    @property
    def amounts(self) -> set[float]:
        return {a for _, a in self.pairs}


def draft_sets(draft: Draft) -> Sets:
    """What the extractor drafted, in the gold's shape."""
    orgs = {o.key: o for o in draft.organisations}

    def org(key: str) -> Item:
        o = orgs.get(key)
        return Item(o.name, [o.name], o.linked_to) if o else Item(key, [key])

    funder_keys = list(dict.fromkeys(k for fu in draft.fundings for k in fu.funders))
    partner_keys = list(dict.fromkeys(p.partner for p in draft.partnerships if p.role != "pilote"))
    pilot_keys = list(dict.fromkeys(k for i in draft.initiatives for k in i.pilots))
    pairs = [(org(k), amount(fu.amount_eur)) for fu in draft.fundings if fu.amount_eur is not None
             for k in fu.funders]
    territories = {t for ini in draft.initiatives for t in ini.territories if _TERRITORY.match(t)}
    territories |= {o.territory for o in draft.organisations if o.territory and _TERRITORY.match(o.territory)}
    return Sets(initiatives=[Item(i.name, [i.name]) for i in draft.initiatives],
                pilots=[org(k) for k in pilot_keys], funders=[org(k) for k in funder_keys],
                pairs=pairs, partners=[org(k) for k in partner_keys], territories=territories)


def compare(draft: Draft | Sets, gold: Sets) -> dict[str, Score]:
    """Scores per field (``territories`` only when the gold has them)."""
    d = draft if isinstance(draft, Sets) else draft_sets(draft)
    ignored = [x for x in gold.funders + gold.optional_funders + gold.pilots
               if _best(x, gold.partners, THRESHOLD) is None]
    out = {
        "initiatives": match_sets(d.initiatives, gold.initiatives),
        "pilots": match_sets(d.pilots, gold.pilots),
        "funders": match_sets(d.funders, gold.funders, gold.optional_funders),
        "amounts": match_values(d.amounts, gold.amounts, gold.optional_amounts),
        "tied": match_pairs(d.pairs, gold.pairs, optional=gold.optional_amounts - gold.amounts,
                            funders=gold.funders + gold.optional_funders),
        "partners": match_sets(d.partners, gold.partners, ignored + gold.optional_partners),
    }
    if gold.territories is not None:
        coarser = _coarser(gold.territories)
        out["territories"] = match_values(d.territories or set(), gold.territories,
                                          gold.optional_territories | coarser)
    return out


def _coarser(refs: set[str]) -> set[str]:
    """Refs containing a gold ref (a coarser but true place): neither hit nor false positive."""
    from maillage.loaders.territories import load_cog

    cog = load_cog()
    out = set()
    for r in refs:
        try:
            out |= {a.ref for a in cog.ancestors(r)}
        except (KeyError, AttributeError):
            pass
    return out - set(refs)


def total(scores: Iterable[dict[str, Score]]) -> dict[str, Score]:
    """Micro-averaged scores over documents."""
    out: dict[str, Score] = {}
    for s in scores:
        for f, v in s.items():
            out[f] = out.get(f, Score()) + v
    return {f: out[f] for f in FIELDS if f in out}
