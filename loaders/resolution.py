"""Entity resolution for organisations: which records probably name the same real body.

Identifiers first (SIREN, SIRET, RNA), then the territory a collectivité governs, then names:
normalised (case, accents, punctuation, abbreviations such as "CD 41" -> "departement loir et
cher") and compared with rapidfuzz. The result is a list for a curator to review, never a
silent merge; pairs a curator has judged distinct are kept in ``data/review/distinct.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from maillage import model
from maillage.loaders.records import Organisation
from maillage.loaders.territories import Cog

# Words that say what kind of body it is, not which one: a name made only of these plus one
# distinctive word ("departement cher") must not match a longer one ("departement loir cher").
_GENERIC = {"departement", "region", "commune", "communes", "agglomeration", "ccas", "association",
            "asso", "fondation", "federation", "reseau", "missionlocale", "centre", "service",
            "direction", "groupe", "banque", "alimentaire", "maison", "entreprise", "atelier",
            "chantier", "insertion", "saint", "sainte"}
# Kinds that govern one territory: two of the same kind on the same territory are one body.
_GOVERNING = model.GOVERNING_KINDS


normalise_name = model.normalise_name  # the one form, used by the extractor and the loaders too


@dataclass(frozen=True)
class Suspect:
    a: str
    b: str
    a_name: str
    b_name: str
    score: float
    why: str


def _names(o: Organisation) -> list[str]:
    return [o.name, *o.aliases]


def _name_score(xs: list[str], ys: list[str]) -> tuple[float, str, str]:
    best = (0.0, "", "")
    for x in xs:
        for y in ys:
            if not x or not y:
                continue
            if x == y:
                return (100.0, x, y)
            if min(len(x), len(y)) < 8:  # acronyms: only an exact match says anything
                continue
            shorter = min(x, y, key=lambda s: len(s.split()))
            distinctive = [t for t in shorter.split() if t not in _GENERIC]
            # a subset match only counts when the shorter name says enough on its own
            score = fuzz.token_set_ratio(x, y) if len(distinctive) >= 2 else fuzz.ratio(x, y)
            score = max(score, fuzz.ratio(x, y))
            if score > best[0]:
                best = (float(score), x, y)
    return best


def suspects(orgs: Mapping[str, Organisation], cog: Cog | None = None, *, threshold: float = model.SIMILARITY_THRESHOLD,
             reviewed: Iterable[frozenset[str]] = ()) -> list[Suspect]:
    """Pairs of organisations that probably are one body, best first; reviewed pairs left out."""
    done = set(reviewed)
    norm = {oid: sorted({normalise_name(n, cog) for n in _names(o)} - {""}) for oid, o in orgs.items()}
    out: list[Suspect] = []
    for (ida, a), (idb, b) in combinations(sorted(orgs.items()), 2):
        if frozenset((ida, idb)) in done:
            continue
        why, score = None, 0.0
        ids_a = {v for v in (a.identifiers.model_dump().values() if a.identifiers else []) if v}
        ids_b = {v for v in (b.identifiers.model_dump().values() if b.identifiers else []) if v}
        if ids_a & ids_b:
            why, score = f"same identifier {sorted(ids_a & ids_b)[0]}", 100.0
        elif a.kind == b.kind and a.kind in _GOVERNING and a.territory and a.territory == b.territory:
            why, score = f"both {a.kind} of {a.territory}", 100.0
        else:
            score, x, y = _name_score(norm[ida], norm[idb])
            if score >= threshold:
                why = f"names '{x}' ~ '{y}'"
        if why:
            out.append(Suspect(ida, idb, a.name, b.name, round(score, 1), why))
    return sorted(out, key=lambda s: (-s.score, s.a, s.b))


def read_reviewed(path: Path) -> list[frozenset[str]]:
    """Pairs a curator judged to be distinct bodies: ``distinct: [{a: id, b: id, reason: …}]``."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for i, item in enumerate(data.get("distinct", []), start=1):
        if not isinstance(item, dict) or not item.get("a") or not item.get("b") or not str(item.get("reason", "")).strip():
            raise ValueError(f"{path}: entry {i}: needs a, b and a reason")
        pairs.append(frozenset((item["a"], item["b"])))
    return pairs
