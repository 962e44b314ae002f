"""France's territories from the bundled COG files: régions, départements, EPCI, communes.

A territory is named by a ref: ``reg:32``, ``dep:62``, ``epci:200072460``, ``com:62083``.
The whole COG is read (fast: ~35,000 communes) for validation and look-ups, but only the
territories a build needs become triples.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from maillage import model

LEVELS = {s: level for s, level in model.TERRITORY_LEVELS.items() if s in ("reg", "dep", "epci", "com")}
_CODE_SHAPES = {
    "reg": r"\d{2}",
    "dep": r"\d{2}|2[AB]|97[1-6]",
    "epci": r"\d{9}",
    "com": r"\d{5}|2[AB]\d{3}",
}


@dataclass(frozen=True)
class Territory:
    ref: str
    level: str
    code: str
    name: str
    parents: tuple[str, ...]
    siren: str | None
    population: int | None
    insee_uri: str
    nature: str | None = None       # an EPCI's legal form: CC, CA, CU or METRO (the COG's type; MET69, Lyon, is METRO)


def parse_ref(ref: str) -> tuple[str, str]:
    """``"dep:62"`` -> ``("departement", "62")``; ValueError says what is wrong with a bad ref."""
    if not isinstance(ref, str) or ":" not in ref:
        raise ValueError(f"territory ref {ref!r} must look like reg:32, dep:62, epci:200072460 or com:62083")
    scheme, code = ref.split(":", 1)
    if scheme not in LEVELS:
        raise ValueError(f"territory ref {ref!r}: unknown level {scheme!r} (reg, dep, epci, com)")
    if not re.fullmatch(_CODE_SHAPES[scheme], code):
        raise ValueError(f"territory ref {ref!r}: {code!r} is not the shape of a {LEVELS[scheme]} code")
    return LEVELS[scheme], code


def _key(name: str) -> str:
    """Case-, accent-, hyphen- and apostrophe-insensitive form: "Saint-Étienne" -> "saint etienne"."""
    return model.fold(name)


_EPCI_FORMS = {"CA": "Communauté d'agglomération", "CC": "Communauté de communes", "CU": "Communauté urbaine"}


def _aliases(t: Territory) -> list[str]:
    """Other spellings of an EPCI's name that find() also matches: the COG abbreviates the legal
    form ("CA de Béthune-Bruay, …"), documents spell it out ("Communauté d'agglomération de
    Béthune-Bruay, …") or drop it ("Agglo Pays d'Issoire"); it is dropped only when no "de",
    "du", "d'"… follows, so that "Arras" never finds "CU d'Arras"."""
    m = re.match(r"(CA|CC|CU)\s+(.+)", t.name) if t.level == "epci" else None
    if not m:
        return []
    out = [f"{_EPCI_FORMS[m.group(1)]} {m.group(2)}"]
    if not re.match(r"(?i)(de|du|des)\b|d['’]", m.group(2)):
        out.append(m.group(2))
    return out


def _int(text: str) -> int | None:
    return int(text) if text else None


class Cog:
    def __init__(self, territories: Iterable[Territory]):
        self._by_ref = {t.ref: t for t in territories}
        self._names: dict[str, list[Territory]] | None = None
        self._by_siren = {t.siren: t for t in self._by_ref.values() if t.siren}

    @property
    def _by_name(self) -> dict[str, list[Territory]]:
        # built on first use: a build only asks whether codes exist, and this index of 36,000
        # names and their spelled-out forms is a third of the time to read the COG
        if self._names is None:
            by_name: dict[str, list[Territory]] = {}
            aliases: dict[str, list[Territory]] = {}
            for t in self._by_ref.values():
                by_name.setdefault(_key(t.name), []).append(t)
                for alias in _aliases(t):
                    aliases.setdefault(_key(alias), []).append(t)
            for key, found in aliases.items():  # official names first, then the spelled-out forms
                by_name.setdefault(key, []).extend(t for t in found if t not in by_name[key])
            self._names = by_name
        return self._names

    def __len__(self) -> int:
        return len(self._by_ref)

    def get(self, ref: str) -> Territory | None:
        return self._by_ref.get(ref)

    def __contains__(self, ref: object) -> bool:
        return ref in self._by_ref

    def ancestors(self, ref: str) -> list[Territory]:
        """Every territory containing ``ref``, nearest first, each once."""
        seen: dict[str, Territory] = {}
        frontier = list(self._by_ref[ref].parents) if ref in self._by_ref else []
        while frontier:
            nxt = []
            for parent in frontier:
                if parent not in seen and parent in self._by_ref:
                    seen[parent] = self._by_ref[parent]
                    nxt.extend(self._by_ref[parent].parents)
            frontier = nxt
        return list(seen.values())

    def closure(self, refs: Iterable[str]) -> list[Territory]:
        out: dict[str, Territory] = {}
        for ref in refs:
            if ref in self._by_ref:
                out.setdefault(ref, self._by_ref[ref])
                for a in self.ancestors(ref):
                    out.setdefault(a.ref, a)
        return list(out.values())

    def communes(self) -> list[Territory]:
        return [t for t in self._by_ref.values() if t.level == "commune"]

    def regions(self) -> list[Territory]:
        return [t for t in self._by_ref.values() if t.level == "region"]

    def departements(self) -> list[Territory]:
        return [t for t in self._by_ref.values() if t.level == "departement"]

    def find(self, name: str, level: str | None = None) -> list[Territory]:
        """Territories named exactly ``name``, ignoring case, accents, hyphens and apostrophes
        (and, for an EPCI, whether its legal form is abbreviated, spelled out or left off)."""
        return [t for t in self._by_name.get(_key(name), []) if level is None or t.level == level]

    def by_siren(self, siren: str) -> Territory | None:
        return self._by_siren.get(siren)


def _territory(scheme: str, code: str, name: str, parents: tuple[str, ...], siren=None, population=None,
               nature=None) -> Territory:
    level = LEVELS[scheme]
    return Territory(f"{scheme}:{code}", level, code, name, parents, siren or None, population,
                     model.mint("insee", f"{scheme}:{code}"), nature)


EPCI_NATURES = {"CC": "CC", "CA": "CA", "CU": "CU", "METRO": "METRO", "MET69": "METRO"}


def default_directory() -> Path:
    here = Path(__file__).resolve().parent.parent / "data" / "territories"
    if here.is_dir():
        return here
    from importlib.resources import files  # installed as a wheel: the data package ships the files

    return Path(str(files("maillage.data") / "territories"))


def _read(directory: Path) -> Cog:
    def rows(name: str):
        path = directory / name
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            # rows as small dicts without DictReader's per-row overhead (35,000 communes, every build)
            for row in reader:
                yield dict(zip(header, row))

    territories = [_territory("reg", r["code"], r["name"], ()) for r in rows("regions.csv")]
    territories += [_territory("dep", d["code"], d["name"], (f"reg:{d['region']}",)) for d in rows("departements.csv")]
    region_of = {t.code: t.parents[0] for t in territories if t.level == "departement"}
    for e in rows("epci.csv"):
        # An EPCI lies within a département only when all its communes do; one that spans
        # several lies within their région (if they share one): otherwise "everything in the
        # département" would take in the communes of its neighbours.
        deps = e["departements"].split()
        regions = {region_of[d] for d in deps if d in region_of}
        parents = (f"dep:{deps[0]}",) if len(deps) == 1 else tuple(sorted(regions)) if len(regions) == 1 else ()
        territories.append(_territory("epci", e["siren"], e["name"], parents, siren=e["siren"], population=_int(e["population"]),
                                      nature=EPCI_NATURES.get(e.get("type", ""))))
    for c in rows("communes.csv.gz"):
        parents = (f"dep:{c['departement']}",) + ((f"epci:{c['epci']}",) if c["epci"] else ())
        territories.append(_territory("com", c["code"], c["name"], parents, siren=c["siren"], population=_int(c["population"])))
    return Cog(territories)


@lru_cache(maxsize=1)
def _default() -> Cog:
    return _read(default_directory())


def load_cog(directory: Path | None = None) -> Cog:
    """The COG read from ``directory`` (default: the bundled files, read once and cached)."""
    return _default() if directory is None else _read(directory)
