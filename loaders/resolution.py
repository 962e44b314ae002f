"""Entity resolution for organisations: which records probably name the same real body.

Identifiers first (SIREN, SIRET, RNA), then the territory a collectivité governs, then names:
normalised (case, accents, punctuation, abbreviations such as "CD 41" -> "departement loir et
cher") and compared with rapidfuzz. The result is a list for a curator to review, never a
silent merge; pairs a curator has judged distinct are kept in ``data/review/distinct.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Iterable, Mapping

import yaml
from rapidfuzz import fuzz

from maillage.loaders.records import Organisation
from maillage.loaders.territories import Cog

# Phrases first (longest wins), then single tokens.
_PHRASES = [
    ("conseil departemental", "departement"), ("conseil general", "departement"),
    ("conseil regional", "region"), ("communaute d agglomeration", "agglomeration"),
    ("communaute urbaine", "agglomeration"), ("communaute de communes", "communes"),
    ("centre communal d action sociale", "ccas"), ("pole emploi", "france travail"),
    ("mission locale", "missionlocale"), ("mairie de", "commune"), ("ville de", "commune"),
]
_TOKENS = {"cd": "departement", "cg": "departement", "dept": "departement", "dep": "departement",
           "ca": "agglomeration", "agglo": "agglomeration", "cc": "communes", "cu": "agglomeration",
           "st": "saint", "ste": "sainte"}
_STOP = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "au", "aux", "sur",
         "francaise", "francais"}
# Words that say what kind of body it is, not which one: a name made only of these plus one
# distinctive word ("departement cher") must not match a longer one ("departement loir cher").
_GENERIC = {"departement", "region", "commune", "communes", "agglomeration", "ccas", "association",
            "asso", "fondation", "federation", "reseau", "missionlocale", "centre", "service",
            "direction", "groupe", "banque", "alimentaire", "maison", "entreprise", "atelier",
            "chantier", "insertion", "saint", "sainte"}
# Kinds that govern one territory: two of the same kind on the same territory are one body.
_GOVERNING = {"REG", "CD", "EPCI", "MUNI", "CCAS", "CIAS"}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def normalise_name(name: str, cog: Cog | None = None) -> str:
    """'CD 41' and 'Conseil départemental de Loir-et-Cher' both become
    'departement loir cher'."""
    text = f" {_plain(name)} "
    for phrase, repl in _PHRASES:
        text = text.replace(f" {phrase} ", f" {repl} ")
    tokens = [_TOKENS.get(t, t) for t in text.split()]
    if cog is not None:  # a département number after "departement" -> its name
        out = []
        for i, t in enumerate(tokens):
            prev = out[-1] if out else None
            dep = cog.get(f"dep:{t.upper()}") if re.fullmatch(r"\d{2,3}|2[ab]", t) else None
            if dep is not None and prev == "departement":
                out.extend(_plain(dep.name).split())
            else:
                out.append(t)
        tokens = out
    return " ".join(t for t in tokens if t not in _STOP)


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


def suspects(orgs: Mapping[str, Organisation], cog: Cog | None = None, *, threshold: float = 90.0,
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
