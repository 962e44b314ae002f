"""Oxigraph, on disk (the default: persistent, fast SPARQL) or in memory, and the atomic
writing of a build (a new store swapped in whole, or named graphs replaced on a checkpoint)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from maillage.sparql_text import names_dataset
from maillage.store import aggregates, swap
from maillage.store.base import META_FILE, QueryResult, ReadOnly, StoreMissing
from maillage.store.terms import solution_table, to_term, with_values

# export / dump formats -> pyoxigraph's
FORMATS = {"nq": ox.RdfFormat.N_QUADS, "nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE,
           "trig": ox.RdfFormat.TRIG, "xml": ox.RdfFormat.RDF_XML, "rdfxml": ox.RdfFormat.RDF_XML}


def query_dataset(text: str, default_graphs: Iterable[str] | None = None,
                  named_graphs: Iterable[str] | None = None) -> dict[str, Any]:
    """Keyword arguments of pyoxigraph's ``Store.query`` for the dataset a query is evaluated over.

    - graphs given by the caller (default-graph-uri / named-graph-uri) win over the query's own
      FROM (SPARQL 1.1 Protocol §2.1.4); one list given alone leaves the other empty;
    - else a query with FROM / FROM NAMED gets exactly that dataset (Oxigraph reads the clauses;
      ``FROM <urn:nothing>`` is an empty default graph);
    - else the default graph is the union of all graphs (the build puts every source in its own).

    Raises ValueError for a graph name that is not an IRI."""
    if default_graphs is None and named_graphs is None:  # the common case: no dataset given
        return {} if names_dataset(text) else {"use_default_graph_as_union": True}
    default_graphs, named_graphs = list(default_graphs or ()), list(named_graphs or ())
    if default_graphs or named_graphs:
        return {"default_graph": [ox.NamedNode(g) for g in default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs]}
    if names_dataset(text):
        return {}
    return {"use_default_graph_as_union": True}


class OxigraphStore:
    """pyoxigraph, on disk (a directory) or in memory (path None)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, path: Path | None, *, read_only: bool = False):
        self._store = store
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: Path, *, read_only: bool = True) -> OxigraphStore:
        if not (path / META_FILE).exists():
            raise StoreMissing(f"no graph at {path}: run `maillage build` first")
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        return cls(store, path, read_only=read_only)

    @classmethod
    def open_in_memory(cls, path: Path) -> OxigraphStore:
        """The built graph at ``path`` copied into an in-memory Oxigraph. Opening costs a copy
        (about 10 s at 1 M triples) and the RAM (0.6–0.9 GB at 1 M); in return aggregations
        run 3–5× faster than on disk (RocksDB reads dominate them there): for a long session of
        heavy queries on a big graph, not for one quick question."""
        disk = cls.open(path)
        memory = ox.Store()
        memory.bulk_extend(disk._store.quads_for_pattern(None, None, None, None))
        return cls(memory, None)

    @classmethod
    def from_nquads_file(cls, path: Path) -> OxigraphStore:
        """An in-memory Oxigraph bulk-loaded from an N-Quads file, its aggregates written as a build writes them."""
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        aggregates.refresh(store)
        return cls(store, None)

    @classmethod
    def in_memory(cls, nquads: bytes | None = None) -> OxigraphStore:
        store = ox.Store()
        if nquads:
            store.load(nquads, format=ox.RdfFormat.N_QUADS)
            aggregates.refresh(store)
        return cls(store, None)

    def select(self, query: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        result = self.raw_query(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("not a SELECT query")
        return QueryResult(*solution_table(result))

    def ask(self, query: str, bindings: Mapping[str, Any] | None = None) -> bool:
        result = self.raw_query(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise ValueError("not an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Mapping[str, Any] | None = None) -> list:
        """The triples of a CONSTRUCT or DESCRIBE (pyoxigraph triples, for the RDF writers)."""
        result = self.raw_query(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise ValueError("not a CONSTRUCT or DESCRIBE query")
        return list(result)

    def query(self, query: str, bindings: Mapping[str, Any] | None = None):
        """Any query form: a QueryResult (SELECT), a bool (ASK) or a list of triples (CONSTRUCT,
        DESCRIBE: write them with maillage.store.export.triples_bytes)."""
        result = self.raw_query(query, bindings)
        if isinstance(result, ox.QuerySolutions):
            return QueryResult(*solution_table(result))
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return list(result)

    def raw_query(self, query: str, bindings: Mapping[str, Any] | None = None, *,
                  default_graphs: Iterable[str] | None = None, named_graphs: Iterable[str] | None = None,
                  base_iri: str | None = None):
        """pyoxigraph's own result object (solutions keep their terms: the streamed writers), over
        the dataset of ``query_dataset``; relative IRIs resolve against ``base_iri`` (without one
        they are a syntax error)."""
        text = with_values(query, bindings)
        return self._store.query(text, base_iri=base_iri, **query_dataset(text, default_graphs, named_graphs))

    def quads(self, graph: str | None = None) -> Iterator:
        return iter(self._store.quads_for_pattern(None, None, None, to_term(graph) if graph else None))

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def update(self, sparql: str) -> None:
        if self.read_only:
            raise ReadOnly(f"the store at {self.path} is open for reading only")
        self._store.update(sparql)

    def add_quads(self, quads: Iterable) -> None:
        if self.read_only:
            raise ReadOnly(f"the store at {self.path} is open for reading only")
        self._store.bulk_extend(quads)

    def dump(self, fmt: str = "nq", graph: str | None = None, prefixes: Mapping[str, str] | None = None) -> bytes:
        """The dataset (N-Quads, TriG) or one named graph (``graph``: N-Triples, Turtle, RDF/XML)."""
        kwargs = {"prefixes": dict(prefixes)} if prefixes and fmt in ("ttl", "trig", "xml", "rdfxml") else {}
        if graph is not None:
            return self._store.dump(format=FORMATS[fmt], from_graph=to_term(graph), **kwargs)
        return self._store.dump(format=FORMATS[fmt], **kwargs)

    def nquads(self) -> bytes:
        return self._store.dump(format=ox.RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return len(self._store)


# ---------------------------------------------------------------- writing a build atomically

def write_store(path: Path, nquads: bytes, meta: Mapping[str, Any], extra: Iterable[Path] = (),
                updates: Iterable[Mapping[str, Any]] = (), finish: Callable[[Path], None] | None = None) -> None:
    """Write a new store next to ``path`` and swap it in only once it is complete, so a failed
    or interrupted build never leaves a half-written graph where the last good one was.
    ``finish(folder)`` runs on the complete new store before the swap (the search index)."""
    path = swap.live_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.new-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = ox.Store(str(tmp))
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        for nq in extra:  # loaded sources, already validated row by row when they were loaded
            store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        _replay(store, updates)
        written = aggregates.refresh(store, meta.get("base"))  # after the replayed updates: they may change facts
        meta = _counted(meta, written)
        store.flush()
        # Compact now: a bulk load leaves many overlapping files that RocksDB would only merge in
        # the background of a read-write session, and the store is then opened read-only. Without
        # it every query at 5 M triples was 2–4× slower than on a freshly loaded store.
        store.optimize()
        del store
        (tmp / META_FILE).write_text(json.dumps(dict(meta), indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        if finish:
            finish(tmp)
        swap.swap_in(path, tmp)  # a link flip: never a moment without a graph
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _counted(meta: Mapping[str, Any], aggregated: int) -> dict[str, Any]:
    """The build's record with the aggregates' triples in its count (what the store holds)."""
    meta = dict(meta)
    if "triples" in meta:
        meta["triples"] += aggregated
    meta["aggregates"] = aggregated
    return meta


def _replay(store, updates: Iterable[Mapping[str, Any]]) -> None:
    """The updates accepted over HTTP since the records were last changed, in order (maillage.updates)."""
    from maillage.updates import ReplayFailed

    for n, entry in enumerate(updates, 1):
        try:
            store.update(entry["update"], base_iri=entry.get("base_iri"))
        except (SyntaxError, ValueError, OSError) as exc:
            raise ReplayFailed(f"update {n} of the update log no longer applies: {exc}") from None


def update_store(path: Path, replace: Mapping[str, bytes], remove: Iterable[str], meta: Mapping[str, Any],
                 extra: Mapping[str, Path] | None = None, finish: Callable[[Path], None] | None = None) -> None:
    """Replace some named graphs of the store at ``path`` and keep every other one as it is.

    ``replace`` maps a graph IRI to its new content as N-Triples, ``extra`` maps a graph IRI to an
    N-Quads file holding it (a loaded source), ``remove`` names graphs to drop. The change is made
    on a checkpoint of the store (RocksDB hard links: no copy of the unchanged graphs) that is
    swapped in only when complete, so a reader never sees a half-updated graph."""
    path = swap.live_path(path)
    tmp = path.with_name(f"{path.name}.new-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        current = ox.Store(str(path))
        current.backup(str(tmp))
        del current
        store = ox.Store(str(tmp))
        for iri in [*remove, *replace, *(extra or {})]:
            store.remove_graph(ox.NamedNode(iri))
        for iri, data in replace.items():
            if data:
                store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
        for _iri, nq in (extra or {}).items():
            store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        written = aggregates.refresh(store, meta.get("base"))  # the kept graphs and the new ones together
        meta = _counted(meta, written)
        store.flush()
        store.optimize()  # as in write_store: the removed graphs' tombstones and the new files merged once
        del store
        (tmp / META_FILE).write_text(json.dumps(dict(meta), indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        if finish:
            finish(tmp)
        swap.swap_in(path, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def read_meta(path: Path) -> dict[str, Any]:
    meta = path / META_FILE
    if not meta.exists():
        raise StoreMissing(f"no graph at {path}: run `maillage build` first")
    return json.loads(meta.read_text(encoding="utf-8"))
