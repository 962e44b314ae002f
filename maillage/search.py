"""One search over everything: initiatives, organisations, territories and fundings, found by their
names and other names, descriptions, themes and publics (with every broader concept), the kinds of
body, and the territories they lie in (a territory finds what lies inside it). Accents, case,
ligatures and apostrophes do not matter (maillage.model.fold on both sides). Results are ranked
(SQLite FTS5's bm25, names first), grouped, and narrowed by facets that combine: theme, kind,
région, département, whether a funding has an amount, year. No territory: all of France.

The index is SQLite FTS5 (standard library), built from the graph through the query layer's
internal queries; the command line (`maillage search`) and the explorer (/search) share it. It is
built ahead, never by a search: `maillage build` writes it into the store's folder
(``search-index.sqlite``, stamped with the build it indexes and the length of the update log), and
`maillage serve` makes it current before it accepts a request and again after each update. A
reader opens that file when its stamp is the graph's; only an index that is missing or stale is
built in memory (a store written before this file existed, or a folder that cannot be written).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maillage import query
from maillage.model import fold
from maillage.query import FRANCE

GROUPS = {"initiative": "Initiatives", "organisation": "Organisations", "territoire": "Territoires",
          "dispositif": "Dispositifs de financement", "financement": "Financements"}
FACETS = {"theme": "Thème", "kind": "Type de structure", "region": "Région", "departement": "Département",
          "amount": "Montant", "year": "Année de début", "group": "Catégorie"}
WITH_AMOUNT, WITHOUT_AMOUNT = "avec montant", "montant non précisé"
WIDER = "~"     # facet key prefix of a thing's broader themes and kinds (filters, never counted)
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


class SearchFilterError(ValueError):
    """A filter value the index does not know (``--theme zzz``, ``year=abc``), said in French: the
    explorer answers 400, the command line exits 2. Such a value used to find nothing, silently."""


def _examples(values: Iterable[str], n: int = 8) -> str:
    values = sorted(values, key=fold)
    return ", ".join(values[:n]) + (" …" if len(values) > n else "")


class SearchIndex:
    """The full-text index of one graph (build it once per graph; searching is milliseconds)."""

    def __init__(self, store=None, *, db: sqlite3.Connection | None = None,
                 progress: Callable[[str], None] | None = None):
        if db is not None:          # an index written earlier (SearchIndex.open)
            self.db = db
            return
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.executescript("""
            CREATE TABLE stamp (value TEXT);
            CREATE TABLE docs (id INTEGER PRIMARY KEY, uri TEXT UNIQUE, grp TEXT, name TEXT, detail TEXT,
                               amount REAL, year TEXT);
            CREATE TABLE facets (doc INTEGER, facet TEXT, value TEXT);
            CREATE INDEX facets_doc ON facets (doc);
            CREATE VIRTUAL TABLE fts USING fts5(name, aliases, description, concepts, places, kind,
                                                content='', tokenize='unicode61 remove_diacritics 2');
        """)
        self._build(store, progress or (lambda _m: None))

    @classmethod
    def open(cls, path: Path) -> SearchIndex:
        """The index written at ``path`` (read-only; a rename over it later does not disturb it)."""
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        return cls(db=db)

    @property
    def stamp(self) -> str | None:
        row = self.db.execute("SELECT value FROM stamp").fetchone()
        return row[0] if row else None

    def save(self, path: Path, stamp: str) -> None:
        """Write the index to ``path`` whole, then rename it into place (a reader never sees half)."""
        self.db.execute("DELETE FROM stamp")
        self.db.execute("INSERT INTO stamp VALUES (?)", [stamp])
        self.db.commit()
        tmp = path.with_name(f"{path.name}.new-{os.getpid()}")
        tmp.unlink(missing_ok=True)
        try:
            out = sqlite3.connect(tmp)
            with out:
                self.db.backup(out)
            out.close()
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def _build(self, store, progress: Callable[[str], None]) -> None:
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
            # a broader theme or kind (a family of bodies) finds what has a narrower one; kept
            # under its own key, so that the facets' counts stay those of the things' own concepts
            values |= {(WIDER + c["facet"], c["label"]) for c in own
                       if c["facet"] in ("theme", "kind") and not c["direct"]} - {(WIDER + f, v) for f, v in values}
            values |= {(p["level"], p["label"]) for p in where if p["level"]}
            if group == "financement":
                values.add(("amount", WITH_AMOUNT if amount is not None else WITHOUT_AMOUNT))
            if year:                   # a funding's start year, an initiative's
                values.add(("year", year[:4]))
            facets.extend((doc, f, v) for f, v in values)

        progress("search index: themes and places read")
        for r in query.select(store, "search-things").rows:
            add(r["s"], r["group"], r["name"], r["aliases"], r["description"], "", year=r["year"])
        for r in query.select(store, "search-fundings").rows:
            title = f"{r['funders']} → {r['initiative_name'] or r['recipient'] or '?'}"
            detail = " · ".join(x for x in (r["programme"], r["object"]) if x)
            add(r["s"], "financement", title, " ".join(x for x in (r["programme"] or "", r["recipient"] or "") if x),
                r["object"], detail, None if r["amount_eur"] is None else float(r["amount_eur"]), r["year"],
                via=[r["initiative"]] if r["initiative"] else [], kinds_of=(r["funder_uris"] or "").split())
        progress(f"search index: {len(docs)} entries (initiatives, organisations, territories, fundings)")
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", docs)
        self.db.executemany("INSERT INTO fts (rowid, name, aliases, description, concepts, places, kind) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", texts)
        self.db.executemany("INSERT INTO facets VALUES (?, ?, ?)", facets)
        self.db.commit()

    def resolve_filters(self, filters: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
        """Each filter value as the index writes it, whatever its case, accents and apostrophes
        ("mobilité" is the theme "Mobilité", "Initiatives" the group "initiative"); a value that
        names nothing raises SearchFilterError with a few of the known ones."""
        out: dict[str, list[str]] = {}
        for facet, values in filters.items():
            values = [v.strip() for v in values if v and v.strip()]
            if facet not in FACETS or not values:
                continue
            known = {fold(v): v for (v,) in self.db.execute("SELECT DISTINCT value FROM facets WHERE facet IN (?, ?)",
                                                             [facet, WIDER + facet])}
            if facet == "group":
                known |= {fold(label): g for g, label in GROUPS.items()} | {fold(g): g for g in GROUPS}
            for value in values:
                if facet in ("region", "departement") and fold(value) in FRANCE:
                    continue           # "France", "toute la France": no territory, as in the canned questions
                found = known.get(fold(value))
                if found is None and facet == "year":
                    if not (len(value) == 4 and value.isdigit()):
                        raise SearchFilterError(f"« {value} » n'est pas une année (par exemple 2022)")
                    found = value          # a real year that no entry starts in: nothing found is the answer
                if found is None:
                    names = GROUPS if facet == "group" else known.values()
                    raise SearchFilterError(f"« {value} » : aucune valeur du filtre « {FACETS[facet]} » ne porte ce nom "
                                            f"(par exemple : {_examples(names)})")
                if found not in out.setdefault(facet, []):
                    out[facet].append(found)
        return out

    def search(self, text: str = "", filters: Mapping[str, Iterable[str]] | None = None,
               limit: int = 1000) -> Results:
        """Hits for ``text`` (every word, each as a prefix) within ``filters`` (facet -> accepted
        values: values of one facet are alternatives, facets combine)."""
        filters = self.resolve_filters(filters or {})
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
            sql += (f" AND d.id IN (SELECT doc FROM facets WHERE facet IN (?, ?) AND value IN ({', '.join('?' * len(values))}))")
            params += [facet, WIDER + facet, *values]
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


# ---------------------------------------------------------------- the index beside the store

INDEX_FILE = "search-index.sqlite"


def index_stamp(folder: Path, store_dir: Path | None = None) -> str | None:
    """What the index of the store in ``folder`` must say it indexes: the build (its meta file)
    and the length of the update log of ``store_dir`` (the store's path; an update over HTTP
    lengthens the log). None when there is no graph there."""
    from maillage import updates
    from maillage.store import META_FILE

    try:
        meta = json.loads((Path(folder) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    log = updates.log_path(Path(store_dir or folder))
    size = log.stat().st_size if log.exists() else 0
    return f"{meta.get('built')}|{meta.get('triples')}|{size}"


def current_index(store_dir: Path) -> SearchIndex | None:
    """The index file of the store at ``store_dir`` when it indexes the graph there now."""
    stamp = index_stamp(store_dir)
    path = Path(store_dir) / INDEX_FILE
    if stamp is None or not path.exists():
        return None
    try:
        index = SearchIndex.open(path)
        if index.stamp == stamp:
            return index
    except sqlite3.DatabaseError:
        pass
    return None


def write_index(folder: Path, store_dir: Path | None = None, progress: Callable[[str], None] | None = None) -> float:
    """Build the index of the store in ``folder`` and write it there; the seconds it took. Run by
    `maillage build` on the new store before it is swapped in, and by `maillage serve` at start
    when the file is missing or stale."""
    from maillage.store import open_store

    start = time.perf_counter()
    stamp = index_stamp(folder, store_dir)
    if stamp is None:
        raise FileNotFoundError(f"no graph at {folder}")
    SearchIndex(open_store(Path(folder)), progress=progress).save(Path(folder) / INDEX_FILE, stamp)
    return time.perf_counter() - start


_CACHE: dict[Any, SearchIndex] = {}


def index_for(store, key: Any, store_dir: Path | None = None) -> SearchIndex:
    """The index of the graph ``key`` names (a worker keeps the last one: one graph at a time):
    the file beside the store when it is current, else one built in memory now (said on stderr:
    with a current file this never happens)."""
    if key not in _CACHE:
        _CACHE.clear()
        index = current_index(store_dir) if store_dir is not None else None
        if index is None:
            start = time.perf_counter()
            index = SearchIndex(store)
            print(f"maillage: the search index of {store_dir or 'this graph'} was missing or stale: "
                  f"built in memory in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        _CACHE[key] = index
    return _CACHE[key]
