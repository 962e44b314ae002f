"""One search over everything: initiatives, organisations, territories and fundings, found by their
names and other names, descriptions, themes and publics (with every broader concept), the kinds of
body, and the territories they lie in (a territory finds what lies inside it). Accents, case,
ligatures and apostrophes do not matter (maillage.model.fold on both sides). Results are ranked
(SQLite FTS5's bm25, names first), grouped, and narrowed by facets that combine: theme, kind,
région, département, whether a funding has an amount, year. No territory: all of France.

The index is SQLite FTS5 (standard library) in memory, built from the graph through the query
layer's internal queries; the command line (`maillage search`) and the explorer (/search) share it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from maillage import query
from maillage.model import fold

GROUPS = {"initiative": "Initiatives", "organisation": "Organisations", "territoire": "Territoires",
          "dispositif": "Dispositifs de financement", "financement": "Financements"}
FACETS = {"theme": "Thème", "kind": "Type de structure", "region": "Région", "departement": "Département",
          "amount": "Montant", "year": "Année", "group": "Catégorie"}
WITH_AMOUNT, WITHOUT_AMOUNT = "avec montant", "montant non précisé"
# bm25 weights of the indexed columns: a name counts more than a description
_COLUMNS = ("name", "aliases", "description", "concepts", "places", "kind")
_WEIGHTS = (10.0, 6.0, 1.0, 3.0, 2.0, 2.0)


@dataclass
class Hit:
    uri: str
    group: str
    name: str
    detail: str = ""
    amount: Any = None
    year: str | None = None
    score: float = 0.0
    exact: bool = False       # its name or another name holds the words as written, in order


@dataclass
class Results:
    text: str
    filters: dict[str, list[str]]
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def best(self) -> list[Hit]:
        return [h for h in self.hits if h.exact]

    @property
    def groups(self) -> dict[str, list[Hit]]:
        out: dict[str, list[Hit]] = {g: [] for g in GROUPS}
        for h in self.hits:
            out[h.group].append(h)
        return {g: hs for g, hs in out.items() if hs}

    def rows(self) -> list[dict]:
        """One plain row per hit, for CSV and JSON."""
        return [{"group": h.group, "name": h.name, "uri": h.uri, "detail": h.detail,
                 "amount_eur": h.amount, "year": h.year} for h in self.hits]


def _tokens(text: str) -> list[str]:
    words = fold(text).split()
    kept = [w for w in words if len(w) > 1 or w.isdigit()]
    return kept or words


class SearchIndex:
    """The full-text index of one graph (build it once per graph; searching is milliseconds)."""

    def __init__(self, store):
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.executescript("""
            CREATE TABLE docs (id INTEGER PRIMARY KEY, uri TEXT UNIQUE, grp TEXT, name TEXT, detail TEXT,
                               amount REAL, year TEXT);
            CREATE TABLE facets (doc INTEGER, facet TEXT, value TEXT);
            CREATE INDEX facets_doc ON facets (doc);
            CREATE VIRTUAL TABLE fts USING fts5(name, aliases, description, concepts, places, kind,
                                                content='', tokenize='unicode61 remove_diacritics 2');
        """)
        self._build(store)

    def _build(self, store) -> None:
        concepts: dict[str, list[dict]] = defaultdict(list)
        for r in query.select(store, "search-concepts").rows:
            concepts[r["s"]].append(r)
        places: dict[str, list[dict]] = defaultdict(list)
        for r in query.select(store, "search-places").rows:
            places[r["s"]].append(r)
        docs, texts, facets = [], [], []

        def add(uri, group, name, aliases, description, detail, amount=None, year=None, via=(), kinds_of=()):
            # a funding is found by its initiative's themes and places, and its funders' kinds
            doc = len(docs) + 1
            own = (concepts.get(uri, []) + [c for v in via for c in concepts.get(v, []) if c["facet"] != "kind"]
                   + [c for v in kinds_of for c in concepts.get(v, []) if c["facet"] == "kind"])
            where = places.get(uri, []) + [p for v in via for p in places.get(v, [])]
            kinds = sorted({c["label"] for c in own if c["facet"] == "kind" and c["direct"]})
            docs.append((doc, uri, group, name, detail or ", ".join(kinds), amount, year))
            texts.append((doc, fold(name), fold(aliases or ""), fold(description or ""),
                          fold(" ".join(sorted({c["label"] for c in own if c["facet"] != "kind"}))),
                          fold(" ".join(sorted({p["label"] for p in where}))), fold(" ".join(kinds))))
            values = {("group", group)}
            values |= {("theme", c["label"]) for c in own if c["facet"] == "theme" and c["direct"]}
            values |= {("kind", k) for k in kinds}
            values |= {(p["level"], p["label"]) for p in where if p["level"]}
            if group == "financement":
                values.add(("amount", WITH_AMOUNT if amount is not None else WITHOUT_AMOUNT))
                if year:
                    values.add(("year", year[:4]))
            facets.extend((doc, f, v) for f, v in values)

        for r in query.select(store, "search-things").rows:
            add(r["s"], r["group"], r["name"], r["aliases"], r["description"], "")
        for r in query.select(store, "search-fundings").rows:
            title = f"{r['funders']} → {r['initiative_name'] or r['recipient'] or '?'}"
            detail = " · ".join(x for x in (r["programme"], r["object"]) if x)
            add(r["s"], "financement", title, " ".join(x for x in (r["programme"] or "", r["recipient"] or "") if x),
                r["object"], detail, None if r["amount_eur"] is None else float(r["amount_eur"]), r["year"],
                via=[r["initiative"]] if r["initiative"] else [], kinds_of=(r["funder_uris"] or "").split())
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", docs)
        self.db.executemany("INSERT INTO fts (rowid, name, aliases, description, concepts, places, kind) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", texts)
        self.db.executemany("INSERT INTO facets VALUES (?, ?, ?)", facets)
        self.db.commit()

    def search(self, text: str = "", filters: Mapping[str, Iterable[str]] | None = None,
               limit: int = 1000) -> Results:
        """Hits for ``text`` (every word, each as a prefix) within ``filters`` (facet -> accepted
        values: values of one facet are alternatives, facets combine)."""
        filters = {k: [v for v in vs if v] for k, vs in (filters or {}).items() if k in FACETS}
        filters = {k: vs for k, vs in filters.items() if vs}
        words = _tokens(text)
        params: list[Any] = []
        if words:
            match = " AND ".join('"' + w.replace('"', "") + '"*' for w in words)
            sql = (f"SELECT d.id, d.uri, d.grp, d.name, d.detail, d.amount, d.year, bm25(fts, {', '.join(map(str, _WEIGHTS))}) "
                   "FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?")
            params.append(match)
        else:
            sql = "SELECT d.id, d.uri, d.grp, d.name, d.detail, d.amount, d.year, 0 FROM docs d WHERE 1"
        for facet, values in sorted(filters.items()):
            sql += (f" AND d.id IN (SELECT doc FROM facets WHERE facet = ? AND value IN ({', '.join('?' * len(values))}))")
            params += [facet, *values]
        rows = self.db.execute(sql, params).fetchall()
        exact: set[int] = set()
        if words:
            phrase = '{name aliases} : "' + " ".join(w.replace('"', "") for w in words) + '"'
            exact = {r[0] for r in self.db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", [phrase])}
        order = {g: i for i, g in enumerate(GROUPS)}
        rows.sort(key=lambda r: (order.get(r[2], 9), r[0] not in exact, r[7], fold(r[3])))
        ids = [r[0] for r in rows]
        counts: dict[str, Counter] = defaultdict(Counter)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for facet, value in self.db.execute(
                    f"SELECT facet, value FROM facets WHERE doc IN ({', '.join('?' * len(chunk))})", chunk):
                counts[facet][value] += 1
        facets = {f: sorted(counts[f].items(), key=lambda kv: (-kv[1], fold(kv[0]))) for f in FACETS if counts.get(f)}
        hits = [Hit(r[1], r[2], r[3], r[4] or "", r[5], r[6], r[7], r[0] in exact) for r in rows[:limit]]
        return Results(text, filters, hits, facets)


_CACHE: dict[Any, SearchIndex] = {}


def index_for(store, key: Any) -> SearchIndex:
    """The index of the graph ``key`` names (a worker keeps the last one: one graph at a time)."""
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = SearchIndex(store)
    return _CACHE[key]
