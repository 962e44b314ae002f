"""The extractor measured against the curated records: precision, recall and F1 per category.

For one corpus document, the *gold* is every curated record whose ``document.file`` is that
document (a document may be split across several ``<stem>.<part>.yaml`` files). Five categories
are compared, each as a set:

- ``initiatives``: initiative names (gold: name and aliases);
- ``funders``: the organisations named as funders of a funding;
- ``amounts``: the exact ``amount_eur`` values of the fundings (to the cent);
- ``partners``: organisations with a participation role other than ``pilote`` (clients included);
- ``territories``: the ``reg:``/``dep:``/``epci:``/``com:`` references of the initiatives and of
  the organisations (local places such as ``qpv:…`` are left out).

Matching (initiatives, funders, partners): a draft item matches a gold item when its
``linked_to`` is the gold id (organisations only), or when one of its normalised names
(``resolution.normalise_name``) is equal to, fuzzily close to (rapidfuzz ratio ≥ ``THRESHOLD``),
or — for names with a distinctive word — word-contained in one of the gold item's names.
Each draft item goes to its best-scoring gold item. Draft items that land on the same gold item
denote one entity: counted once as a true positive, never as a false positive (a funder
extracted twice is not double-counted). Unmatched draft items are deduplicated by normalised
name; each is one false positive.

Conventions for empty sets: a category with an empty draft has precision 1.0 (nothing wrong was
claimed); a category with an empty gold has recall 1.0 (nothing to find). Overall figures are
micro-averaged (true positives, draft and gold counts summed over documents), so these vacuous
values do not weigh on them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from rapidfuzz import fuzz

from maillage.extract.model import Draft
from maillage.loaders.records import RecordSet
from maillage.loaders.resolution import normalise_name

CATEGORIES = ("initiatives", "funders", "amounts", "partners", "territories")
THRESHOLD = 88.0
_TERRITORY = re.compile(r"^(reg|dep|epci|com):")
# words that say what kind of body or action it is, not which one (a containment match needs more)
_GENERIC = {"departement", "region", "commune", "communes", "agglomeration", "association",
            "fondation", "federation", "reseau", "groupe", "etat", "ville", "atelier", "ateliers",
            "chantier", "chantiers", "insertion", "projet", "entreprise", "ministere", "service",
            "services", "centre", "maison", "club", "mission", "locale", "missionlocale", "caisse",
            "conseil", "fonds", "fond", "union", "europeen", "europeenne", "emploi", "solidaire",
            "garage", "ferme", "plateforme", "ccas", "direction", "structure", "cooperative"}


# ---------------------------------------------------------------- scores

@dataclass
class Score:
    tp: int = 0
    n_draft: int = 0
    n_gold: int = 0
    missed: list[str] = field(default_factory=list)     # gold items not found
    spurious: list[str] = field(default_factory=list)   # draft items matching nothing

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

    def __add__(self, other: "Score") -> "Score":
        return Score(self.tp + other.tp, self.n_draft + other.n_draft, self.n_gold + other.n_gold)

    def to_dict(self, details: bool = True) -> dict:
        out = {"tp": self.tp, "draft": self.n_draft, "gold": self.n_gold,
               "precision": round(self.precision, 4), "recall": round(self.recall, 4),
               "f1": round(self.f1, 4)}
        if details:
            out["missed"] = self.missed
            out["spurious"] = self.spurious
        return out


# ---------------------------------------------------------------- name matching

def name_variants(name: str) -> set[str]:
    """Normalised forms of a name: as written, without its parenthesis, and the parenthesis
    alone ("Mutualité sociale agricole (MSA)" -> also "mutualite sociale agricole", "msa")."""
    out = {normalise_name(name)}
    inner = re.findall(r"\(([^()]*)\)", name)
    if inner:
        out.add(normalise_name(re.sub(r"\([^()]*\)", " ", name)))
        out.update(normalise_name(i) for i in inner)
    return {v for v in out if v}


def name_score(xs: Iterable[str], ys: Iterable[str]) -> float:
    """0-100: how well one of the names ``xs`` matches one of ``ys`` (raw names)."""
    best = 0.0
    nx = set().union(*(name_variants(x) for x in xs)) if xs else set()
    ny = set().union(*(name_variants(y) for y in ys)) if ys else set()
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
    """One thing to compare: its names, and for organisations the id the linker found."""

    label: str
    names: list[str]
    ident: str | None = None  # gold id, or the draft's linked_to


def match_sets(draft: list[Item], gold: list[Item], threshold: float = THRESHOLD) -> Score:
    """Set comparison by names (see the module's docstring)."""
    gold_ids = {g.ident: i for i, g in enumerate(gold) if g.ident}
    found: set[int] = set()
    spurious: dict[str, str] = {}
    for d in draft:
        best, best_score = None, 0.0
        if d.ident and d.ident in gold_ids:
            best, best_score = gold_ids[d.ident], 100.0
        else:
            for i, g in enumerate(gold):
                s = name_score(d.names, g.names)
                if s > best_score:
                    best, best_score = i, s
        if best is not None and best_score >= threshold:
            found.add(best)
        else:
            key = min(name_variants(d.label) or {d.label})
            spurious.setdefault(key, d.label)
    return Score(tp=len(found), n_draft=len(found) + len(spurious), n_gold=len(gold),
                 missed=[g.label for i, g in enumerate(gold) if i not in found],
                 spurious=sorted(spurious.values()))


def match_values(draft: Iterable, gold: Iterable) -> Score:
    """Exact set comparison (amounts, territory references)."""
    d, g = set(draft), set(gold)
    return Score(tp=len(d & g), n_draft=len(d), n_gold=len(g),
                 missed=sorted(map(str, g - d)), spurious=sorted(map(str, d - g)))


# ---------------------------------------------------------------- gold and draft as sets

@dataclass
class Sets:
    initiatives: list[Item]
    funders: list[Item]
    amounts: set[float]
    partners: list[Item]
    territories: set[str]


def _amount(v: float) -> float:
    return round(float(v), 2)


def gold_sets(records: RecordSet, doc_file: str) -> Sets:
    """What the curators recorded for one document (all its record files)."""
    files = [f for f in records.documents if f.doc_file == doc_file]
    orgs = records.organisations

    def org_item(oid: str) -> Item:
        o = orgs.get(oid)
        return Item(o.name, [o.name, *o.aliases], oid) if o else Item(oid, [oid], oid)

    initiatives, funders, partners = {}, {}, {}
    amounts: set[float] = set()
    territories: set[str] = set()
    for f in files:
        r = f.records
        for ini in r.initiatives:
            initiatives[ini.id] = Item(ini.name, [ini.name, *ini.aliases], ini.id)
            territories.update(t for t in ini.territories if _TERRITORY.match(t))
        for o in r.organisations:
            t = orgs[o.id].territory if o.id in orgs else o.territory
            if t and _TERRITORY.match(t):
                territories.add(t)
        for fu in r.fundings:
            for oid in fu.funder:
                funders[oid] = org_item(oid)
            if fu.amount_eur is not None:
                amounts.add(_amount(fu.amount_eur))
        for p in r.participations:
            if p.role != "pilote":
                partners[p.organisation] = org_item(p.organisation)
    return Sets(list(initiatives.values()), list(funders.values()), amounts,
                list(partners.values()), territories)


def draft_sets(draft: Draft) -> Sets:
    """What the extractor drafted, in the same shape."""
    orgs = {o.key: o for o in draft.organisations}

    def org_item(key: str) -> Item:
        o = orgs.get(key)
        return Item(o.name, [o.name], o.linked_to) if o else Item(key, [key])

    funder_keys = list(dict.fromkeys(k for fu in draft.fundings for k in fu.funders))
    partner_keys = list(dict.fromkeys(p.partner for p in draft.partnerships if p.role != "pilote"))
    territories = {t for ini in draft.initiatives for t in ini.territories if _TERRITORY.match(t)}
    territories |= {o.territory for o in draft.organisations if o.territory and _TERRITORY.match(o.territory)}
    return Sets(
        initiatives=[Item(i.name, [i.name]) for i in draft.initiatives],
        funders=[org_item(k) for k in funder_keys],
        amounts={_amount(fu.amount_eur) for fu in draft.fundings if fu.amount_eur is not None},
        partners=[org_item(k) for k in partner_keys],
        territories=territories,
    )


def compare(draft: Draft, gold: Sets) -> dict[str, Score]:
    d = draft_sets(draft)
    return {
        "initiatives": match_sets(d.initiatives, gold.initiatives),
        "funders": match_sets(d.funders, gold.funders),
        "amounts": match_values(d.amounts, gold.amounts),
        "partners": match_sets(d.partners, gold.partners),
        "territories": match_values(d.territories, gold.territories),
    }


# ---------------------------------------------------------------- the corpus

@dataclass
class DocResult:
    file: str
    reader: str
    seconds: float
    scores: dict[str, Score]

    def to_dict(self, details: bool = True) -> dict:
        return {"file": self.file, "reader": self.reader, "seconds": round(self.seconds, 3),
                "scores": {c: s.to_dict(details) for c, s in self.scores.items()}}


@dataclass
class Evaluation:
    documents: list[DocResult]
    seconds: float  # extraction time of all the documents (without loading the records)

    @property
    def overall(self) -> dict[str, Score]:
        total = {c: Score() for c in CATEGORIES}
        for d in self.documents:
            for c in CATEGORIES:
                total[c] = total[c] + d.scores[c]
        return total

    def to_dict(self, details: bool = True) -> dict:
        return {"documents": [d.to_dict(details) for d in self.documents],
                "overall": {c: s.to_dict(False) for c, s in self.overall.items()},
                "seconds": round(self.seconds, 3)}


def corpus_documents(corpus_dir: Path, records: RecordSet, only: Iterable[str] = ()) -> list[Path]:
    """The corpus texts that have curated records, optionally restricted to names or prefixes
    (``--doc 002`` or ``--doc 002_35e265126090b055.txt``)."""
    curated = {f.doc_file for f in records.documents}
    paths = sorted(p for p in corpus_dir.glob("*.txt") if p.name in curated)
    only = list(only)
    if only:
        paths = [p for p in paths if any(p.name == o or p.stem == o or p.name.startswith(o) for o in only)]
    return paths


LINK_MODES = ("fair", "all", "none")


def evaluate(corpus_dir: Path, records: RecordSet, only: Iterable[str] = (),
             extract: Callable[[Path], Draft] | None = None, link: str = "fair") -> Evaluation:
    """Run the extractor on each curated corpus document and compare its draft with the
    document's records. By default the real pipeline (``pipeline.extract_file``) reads and
    links; ``link``: "fair" links each document against the records of the *other* documents
    and common.yaml (its own records are what is being guessed), "all" against every record,
    "none" not at all. ``extract`` replaces the pipeline (tests)."""
    if link not in LINK_MODES:
        raise ValueError(f"link must be one of {', '.join(LINK_MODES)}")
    results = []
    start = time.perf_counter()
    shared = None
    for path in corpus_documents(corpus_dir, records, only):
        if extract is not None:
            t = time.perf_counter()
            draft, reader = extract(path), ""
        else:
            from maillage.extract.link import Linker
            from maillage.extract.pipeline import extract_file, pick_reader, read_text_file

            reader = getattr(pick_reader(read_text_file(path))[0], "name", "")
            t = time.perf_counter()
            if link == "fair":
                linker = Linker(records, exclude_files=(path.name,))
            elif link == "all":
                shared = shared or Linker(records)
                linker = shared
            else:
                linker = None
            draft = extract_file(path, linker=linker, link=linker is not None)
        seconds = time.perf_counter() - t
        results.append(DocResult(path.name, reader, seconds, compare(draft, gold_sets(records, path.name))))
    return Evaluation(results, time.perf_counter() - start)
