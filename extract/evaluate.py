"""The extractor measured on the evaluation sets, through the one scorer (``scoring.py``).

Sets (``maillage eval-extract --set NAME``):

- ``corpus``: each curated corpus document against the records whose ``document.file`` is that
  document (a document may be split across ``<stem>.<part>.yaml`` files), linked against the
  *other* documents' records (``link="fair"``) so that its own records are not given away;
- ``unseen``, ``holdout`` (``invented`` = both): the invented documents of tests/fixtures/unseen
  and tests/fixtures/holdout with their hand-written ``<name>.gold.yaml``;
- ``real-dev``, ``real-blind``, ``real-blind2``, ``real-blind3``, ``real-blind4``, ``real-blind5``, ``real-blind6``, ``real-blind7``, ``real-blind8``: real French documents of
  tests/fixtures/real/{dev,blind,blind2,blind3,blind4,blind5,blind6,blind7,blind8} (``real-<folder>``: tests/fixtures/real/<folder>) with
  their ``<name>.gold.yaml`` (initiatives, pilots, funders[name, aliases, amount_eur, joint],
  partners[name, aliases]; see tests/fixtures/real/README.md).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from maillage.extract.model import Draft
from maillage.extract.scoring import FIELDS, Item, Score, Sets, amount, compare, match_sets, match_values, name_score, total  # noqa: F401

CATEGORIES = FIELDS
_TERRITORY = re.compile(r"^(reg|dep|epci|com):")
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SETS = ("corpus", "unseen", "holdout", "invented", "real-dev", "real-blind", "real-blind2", "real-blind3", "real-blind4",
        "real-blind5", "real-blind6", "real-blind7", "real-blind8")
LINK_MODES = ("fair", "all", "none")


# ---------------------------------------------------------------- gold answers

def gold_sets(records, doc_file: str) -> Sets:
    """What the curators recorded for one corpus document (all its record files)."""
    files = [f for f in records.documents if f.doc_file == doc_file]
    orgs = records.organisations

    def org(oid: str) -> Item:
        o = orgs.get(oid)
        return Item(o.name, [o.name, *o.aliases], oid) if o else Item(oid, [oid], oid)

    initiatives, funders, partners, pilots = {}, {}, {}, {}
    pairs: dict[tuple[str, float], tuple[Item, float]] = {}
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
                funders[oid] = org(oid)
                if fu.amount_eur is not None:
                    pairs[(oid, amount(fu.amount_eur))] = (org(oid), amount(fu.amount_eur))
        for p in r.participations:
            if p.role == "pilote":
                pilots[p.organisation] = org(p.organisation)
            else:
                partners[p.organisation] = org(p.organisation)
    return Sets(list(initiatives.values()), list(pilots.values()), list(funders.values()),
                list(pairs.values()), list(partners.values()), territories)


def _named(entries) -> list[Item]:
    """Gold names as written in the YAML: a string, or {name, aliases}."""
    out = []
    for e in entries or []:
        if isinstance(e, str):
            out.append(Item(e, [e]))
        elif isinstance(e, dict) and e.get("name"):
            out.append(Item(str(e["name"]), [str(e["name"]), *map(str, e.get("aliases") or [])]))
    return out


def gold_from_yaml(data: dict) -> Sets:
    """A hand-written gold: the invented sets' (``fundings: [{funder, aliases, amount_eur}]``) or
    the real set's (``funders: [{name, aliases, amount_eur, joint}]``)."""
    funders: list[Item] = []
    pairs: list[tuple[Item, float]] = []
    for f in data.get("fundings") or []:
        it = Item(str(f["funder"]), [str(f["funder"]), *map(str, f.get("aliases") or [])])
        funders.append(it)
        if f.get("amount_eur") is not None:
            pairs.append((it, amount(f["amount_eur"])))
    for f in data.get("funders") or []:
        it = _named([f])[0]
        funders.append(it)
        if isinstance(f, dict) and f.get("amount_eur") is not None:
            pairs.append((it, amount(f["amount_eur"])))
    unique: dict[str, Item] = {}
    for it in funders:
        unique.setdefault(it.label, it)
    terr = data.get("territories")
    return Sets(initiatives=_named(data.get("initiatives")), pilots=_named(data.get("pilots")),
                funders=list(unique.values()), pairs=pairs, partners=_named(data.get("partners")),
                territories=set(terr) if terr is not None else None,
                optional_partners=_named(data.get("partners_optional")),
                optional_funders=_named(data.get("funders_optional")),
                optional_territories=set(data.get("territories_optional") or []),
                optional_amounts={amount(a) for a in data.get("amounts_optional") or []})


def corpus_documents(corpus_dir: Path, records, only: Iterable[str] = ()) -> list[Path]:
    """The corpus texts that have curated records, optionally restricted to names or prefixes
    (``--doc 002`` or ``--doc 002_35e265126090b055.txt``)."""
    curated = {f.doc_file for f in records.documents}
    paths = sorted(p for p in corpus_dir.glob("*.txt") if p.name in curated)
    return _only(paths, only)


def _only(paths: list[Path], only: Iterable[str]) -> list[Path]:
    only = list(only)
    if only:
        paths = [p for p in paths if any(p.name == o or p.stem == o or p.name.startswith(o) for o in only)]
    return paths


def set_folders(name: str, root: Path = FIXTURES) -> list[Path]:
    """The folders of a hand-annotated set; ``real-<folder>`` is tests/fixtures/real/<folder>."""
    if name.startswith("real-"):
        return [root / "real" / name.removeprefix("real-")]
    return {"unseen": [root / "unseen"], "holdout": [root / "holdout"],
            "invented": [root / "unseen", root / "holdout"]}[name]


def gold_documents(folders: Iterable[Path], only: Iterable[str] = ()) -> list[tuple[Path, Path]]:
    """(document, gold) pairs of hand-annotated folders: ``<stem>.gold.yaml`` beside its document
    (the gold's ``file:``, else the file of the same stem)."""
    out = []
    for folder in folders:
        for g in sorted(folder.glob("*.gold.yaml")):
            stem = g.name.removesuffix(".gold.yaml")
            data = yaml.safe_load(g.read_text(encoding="utf-8")) or {}
            doc = folder / data["file"] if data.get("file") else None
            if doc is None or not doc.is_file():
                doc = next((p for p in sorted(folder.glob(stem + ".*")) if not p.name.endswith(".gold.yaml")), None)
            if doc is not None:
                out.append((doc, g))
    keep = set(_only([d for d, _ in out], only))
    return [(d, g) for d, g in out if d in keep]


# ---------------------------------------------------------------- running

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
    name: str = "corpus"

    @property
    def overall(self) -> dict[str, Score]:
        return total(d.scores for d in self.documents)

    def to_dict(self, details: bool = True) -> dict:
        return {"set": self.name, "documents": [d.to_dict(details) for d in self.documents],
                "overall": {c: s.to_dict(False) for c, s in self.overall.items()},
                "seconds": round(self.seconds, 3)}


def _reader_name(path: Path) -> str:
    from maillage.extract.pipeline import pick_reader, read_text_file

    try:
        return getattr(pick_reader(read_text_file(path))[0], "name", "")
    except Exception:  # readers of other formats decide for themselves
        return ""


def evaluate(corpus_dir: Path, records, only: Iterable[str] = (),
             extract: Callable[[Path], Draft] | None = None, link: str = "fair") -> Evaluation:
    """The corpus set: each curated document's draft against its records. ``link``: "fair" links
    each document against the records of the *other* documents and common.yaml, "all" against
    every record, "none" not at all. ``extract`` replaces the pipeline (tests)."""
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
            from maillage.extract.pipeline import extract_file

            reader = _reader_name(path)
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


def evaluate_set(name: str, only: Iterable[str] = (), linker=None, root: Path = FIXTURES,
                 extract: Callable[[Path], Draft] | None = None) -> Evaluation:
    """A hand-annotated set (unseen, holdout, invented, real-dev, real-blind, real-blind2,
    real-blind3). Organisations are linked with ``linker`` (None: not linked; names are what is
    scored)."""
    from maillage.extract.pipeline import extract_file

    results = []
    start = time.perf_counter()
    for doc, g in gold_documents(set_folders(name, root), only):
        gold = gold_from_yaml(yaml.safe_load(g.read_text(encoding="utf-8")) or {})
        t = time.perf_counter()
        draft = extract(doc) if extract else extract_file(doc, linker=linker, link=linker is not None)
        seconds = time.perf_counter() - t
        results.append(DocResult(doc.name, "" if extract else _reader_name(doc), seconds, compare(draft, gold)))
    return Evaluation(results, time.perf_counter() - start, name)
