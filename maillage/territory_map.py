"""The figures of the map of France: per département or région, how many initiatives act there
and the money known to be tied to it, under the search's filters (theme, kind of body, year).

Everything is read through the query layer (queries/internal/map-*.rq, filters bound, never
spliced). Places below the département (communes, EPCI, quartiers) count in their département and
région through the closure ``mai:withinOrSelf`` the build writes. Money is honest: the known total
of the fundings that have an amount, the number with and without one; a territory whose fundings
have no amount has no total (None), never 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from maillage import model, query
from maillage.store.base import QueryError

LEVELS = {"departement": model.IGEO + "Departement", "region": model.IGEO + "Region"}
LEVEL_NAMES = {"departement": "départements", "region": "régions"}
MEASURES = {"nombre": "Nombre d'initiatives", "montant": "Montant connu des financements (€)"}
FILTERS = {"theme": "Thème", "kind": "Type de structure", "year": "Année"}


@dataclass(frozen=True)
class Filters:
    """The search's filters, as people give them (French names, a year)."""
    theme: str = ""
    kind: str = ""
    year: str = ""

    def given(self) -> dict[str, str]:
        return {k: v for k, v in (("theme", self.theme), ("kind", self.kind), ("year", self.year)) if v}

    def describe(self) -> str:
        """The filters in French, for the page ("toutes les initiatives" when none)."""
        parts = [f"{FILTERS[k].lower()} : {v}" for k, v in self.given().items()]
        return " ; ".join(parts) if parts else "aucun filtre"


@dataclass
class Territory:
    code: str
    name: str
    uri: str
    initiatives: int = 0
    fundings: int = 0
    with_amount: int = 0
    known_eur: Decimal | None = None      # None: no known amount (never 0 for an unknown)

    @property
    def without_amount(self) -> int:
        return self.fundings - self.with_amount


@dataclass
class MapFigures:
    level: str
    filters: Filters
    territories: dict[str, Territory] = field(default_factory=dict)    # by INSEE code
    initiatives: int = 0            # kept by the filters, wherever they act
    initiatives_placed: int = 0     # … of which in some territory of the level
    fundings: int = 0
    fundings_placed: int = 0
    with_amount: int = 0
    known_eur: Decimal | None = None

    @property
    def initiatives_elsewhere(self) -> int:
        return self.initiatives - self.initiatives_placed

    @property
    def fundings_elsewhere(self) -> int:
        return self.fundings - self.fundings_placed


def bindings(store, filters: Filters) -> dict[str, Any]:
    """The filters as RDF terms to bind (a theme or kind by its French name or code; a year as
    four digits); QueryError in French for a value that names nothing."""
    out: dict[str, Any] = {}
    if filters.theme:
        out["theme"] = _concept(store, model.THEME, filters.theme, "theme", "Thème")
    if filters.kind:
        out["kind"] = _concept(store, model.KIND, filters.kind, "kind", "Type de structure")
    if filters.year:
        if not re.fullmatch(r"\d{4}", filters.year.strip()):
            raise QueryError(f"year: {filters.year!r} is not a year (e.g. 2022)",
                             f"« {filters.year} » n'est pas une année (par exemple 2022)")
        out["year"] = query.literal(filters.year.strip())
    return out


def _concept(store, scheme: str, value: str, name: str, label: str) -> str:
    param = query.Param(name, "theme", False, "", label)
    rows = query.select(store, "lookup-scheme", {"scheme": scheme}).rows
    wanted = query.normalise(value)
    hits = {r["s"] for r in rows if query.normalise(str(r["label"])) == wanted or r["s"] == value.strip()}
    if len(hits) == 1:
        return next(iter(hits))
    known = choices(store)[name][:12]
    raise QueryError(f"{param.name}: no single concept called {value!r}",
                     f"« {value} » : aucune valeur unique pour le champ « {label} » (par exemple : {', '.join(known)})")


def figures(store, level: str, filters: Filters = Filters()) -> MapFigures:
    """The map's figures for ``level`` ("departement" or "region") under ``filters``."""
    if level not in LEVELS:
        raise QueryError(f"level is departement or region, not {level!r}",
                         f"le niveau est « departement » ou « region », pas « {level} »")
    return figures_by_level(store, filters)[level]


def figures_by_level(store, filters: Filters = Filters()) -> dict[str, MapFigures]:
    """The map's figures for both levels under ``filters``: each query makes one pass over the
    graph for the départements and the régions together."""
    kept = bindings(store, filters)
    level_of = {cls: level for level, cls in LEVELS.items()}
    out = {level: MapFigures(level, filters) for level in LEVELS}
    by_uri: dict[str, Territory] = {}
    for r in query.select(store, "map-territories").rows:
        t = Territory(str(r["code"]), str(r["name"]), r["t"])
        out[level_of[r["levelType"]]].territories[t.code] = by_uri[t.uri] = t
    for r in query.select(store, "map-initiatives", kept).rows:
        if r["t"] in by_uri:
            by_uri[r["t"]].initiatives = int(r["initiatives"])
    for r in query.select(store, "map-fundings", kept).rows:
        if r["t"] in by_uri:
            t = by_uri[r["t"]]
            t.fundings, t.with_amount = int(r["fundings"]), int(r["with_amount"])
            t.known_eur = _money(r["known_eur"]) if t.with_amount else None
    initiatives = int(query.select(store, "map-initiatives-total", kept).rows[0]["initiatives"])
    total = query.select(store, "map-fundings-total", kept).rows[0]
    placed_i = {level_of[r["levelType"]]: int(r["placed"]) for r in query.select(store, "map-initiatives-placed", kept).rows}
    placed_f = {level_of[r["levelType"]]: int(r["placed"]) for r in query.select(store, "map-fundings-placed", kept).rows}
    for level, fig in out.items():
        fig.initiatives, fig.initiatives_placed = initiatives, placed_i.get(level, 0)
        fig.fundings, fig.fundings_placed = int(total["fundings"]), placed_f.get(level, 0)
        fig.with_amount = int(total["with_amount"])
        fig.known_eur = _money(total["known_eur"]) if fig.with_amount else None
    return out


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def choices(store) -> dict[str, list[str]]:
    """The values the filters offer (French names; years newest first)."""
    out: dict[str, set[str]] = {"theme": set(), "kind": set(), "year": set()}
    for r in query.select(store, "map-choices").rows:
        if r["facet"] in out and r["value"]:
            out[r["facet"]].add(str(r["value"]))
    return {"theme": sorted(out["theme"], key=model.fold), "kind": sorted(out["kind"], key=model.fold),
            "year": sorted((y for y in out["year"] if y.isdigit()), reverse=True)}
