"""The one place that knows which RDF engine holds the graph.

Two backends behind one interface: pyoxigraph on disk (the default: persistent, fast SPARQL,
native parameter substitution) and rdflib in memory (the reference implementation). Queries
always see the union of the named graphs as their default graph.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

META_FILE = "maillage-build.json"


class StoreMissing(Exception):
    """No graph has been built at this place yet."""


@dataclass
class QueryResult:
    """SELECT results as plain Python values (str for IRIs and strings, int/Decimal for numbers)."""

    variables: list[str]
    rows: list[dict[str, Any]]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


# ---------------------------------------------------------------- term conversion

_NUMERIC = {str(XSD.integer): int, str(XSD.int): int, str(XSD.long): int,
            str(XSD.decimal): Decimal, str(XSD.double): float, str(XSD.float): float}


def _ox_value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        cast = _NUMERIC.get(term.datatype.value)
        if cast is not None:
            try:
                return cast(term.value)
            except (ValueError, ArithmeticError):
                return term.value
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _rdflib_value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        dtype = str(term.datatype) if term.datatype else None
        if dtype in _NUMERIC:
            return _NUMERIC[dtype](str(term))
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_ox(term: Any) -> Any:
    """An rdflib term as a pyoxigraph term (both validate and escape their content)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(query: str, bindings: Mapping[str, Any] | None) -> str:
    """Bind parameters with a VALUES block at the start of every WHERE group (subqueries
    included: they do not see the outer query's bindings).

    pyoxigraph's own ``substitutions`` only accept projected variables, so parameters are bound
    here instead: each value is an RDF term object (validated and escaped by pyoxigraph when it
    is written out), never user text pasted into the query.
    """
    bound = {k: to_ox(v) for k, v in (bindings or {}).items() if v is not None}
    if not bound:
        return query
    # str() of a pyoxigraph term is its escaped N-Triples form: the cache key is the text to insert
    return _insert_values(query, " ".join(f"VALUES ?{_variable(k)} {{ {term} }}" for k, term in bound.items()))


@lru_cache(maxsize=256)
def _insert_values(query: str, block: str) -> str:
    out, found = [], False
    for line in query.splitlines(keepends=True):
        if not line.lstrip().startswith("#"):
            line, n = _WHERE.subn(lambda m: f"{m.group(0)} {block}", line)
            found = found or n > 0
        out.append(line)
    if not found:
        raise ValueError("cannot bind parameters: the query has no WHERE { … } clause")
    return "".join(out)


def _variable(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"not a SPARQL variable name: {name!r}")
    return name


# ---------------------------------------------------------------- backends

class OxigraphStore:
    """pyoxigraph, on disk (a directory) or in memory (path None)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, path: Path | None):
        self._store = store
        self.path = path

    @classmethod
    def open(cls, path: Path, *, read_only: bool = True) -> "OxigraphStore":
        if not (path / META_FILE).exists():
            raise StoreMissing(f"no graph at {path}: run `maillage build` first")
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        return cls(store, path)

    @classmethod
    def open_in_memory(cls, path: Path) -> "OxigraphStore":
        """The built graph at ``path`` copied into an in-memory Oxigraph. Opening costs a copy
        (about 10 s at 1 M triples) and the RAM (0.6–0.9 GB at 1 M); in return aggregations
        run 3–5× faster than on disk (RocksDB reads dominate them there): for a long session of
        heavy queries on a big graph, not for one quick question."""
        disk = cls.open(path)
        memory = ox.Store()
        memory.bulk_extend(disk._store.quads_for_pattern(None, None, None, None))
        return cls(memory, None)

    @classmethod
    def from_nquads_file(cls, path: Path) -> "OxigraphStore":
        """An in-memory Oxigraph bulk-loaded from an N-Quads file."""
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return cls(store, None)

    @classmethod
    def in_memory(cls, nquads: bytes | None = None) -> "OxigraphStore":
        store = ox.Store()
        if nquads:
            store.load(nquads, format=ox.RdfFormat.N_QUADS)
        return cls(store, None)

    def select(self, query: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        result = self._store.query(with_values(query, bindings), use_default_graph_as_union=True)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("not a SELECT query")
        variables = [v.value for v in result.variables]
        rows = [{name: _ox_value(sol[name]) for name in variables} for sol in result]
        return QueryResult(variables, rows)

    def raw_query(self, query: str):
        return self._store.query(query, use_default_graph_as_union=True)

    def nquads(self) -> bytes:
        return self._store.dump(format=ox.RdfFormat.N_QUADS)

    def __len__(self) -> int:
        return len(self._store)


class RdflibStore:
    """rdflib in memory: slower, but the reference the other backends are compared with."""

    name = "rdflib"

    def __init__(self, dataset: Dataset):
        dataset.default_union = True
        self.dataset = dataset

    @classmethod
    def from_nquads(cls, data: bytes) -> "RdflibStore":
        ds = Dataset()
        ds.parse(data=data, format="nquads")
        return cls(ds)

    def select(self, query: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        init = {k: v for k, v in (bindings or {}).items() if v is not None}
        result = self.dataset.query(query, initBindings=init)
        variables = [str(v) for v in result.vars]
        rows = [{name: _rdflib_value(row[name]) for name in variables} for row in result]
        return QueryResult(variables, rows)

    def nquads(self) -> bytes:
        return self.dataset.serialize(format="nquads", encoding="utf-8")

    def __len__(self) -> int:
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))


# ---------------------------------------------------------------- writing a build atomically

def write_store(path: Path, nquads: bytes, meta: Mapping[str, Any], extra: Iterable[Path] = ()) -> None:
    """Write a new store next to ``path`` and swap it in only once it is complete, so a failed
    or interrupted build never leaves a half-written graph where the last good one was."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.new-{os.getpid()}")
    old = path.with_name(f"{path.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = ox.Store(str(tmp))
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        for nq in extra:  # loaded sources, already validated row by row when they were loaded
            store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        store.flush()
        # Compact now: a bulk load leaves many overlapping files that RocksDB would only merge in
        # the background of a read-write session, and the store is then opened read-only. Without
        # it every query at 5 M triples was 2–4× slower than on a freshly loaded store.
        store.optimize()
        del store
        (tmp / META_FILE).write_text(json.dumps(dict(meta), indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        if path.exists():
            path.rename(old)
        tmp.rename(path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def update_store(path: Path, replace: Mapping[str, bytes], remove: Iterable[str], meta: Mapping[str, Any],
                 extra: Mapping[str, Path] | None = None) -> None:
    """Replace some named graphs of the store at ``path`` and keep every other one as it is.

    ``replace`` maps a graph IRI to its new content as N-Triples, ``extra`` maps a graph IRI to an
    N-Quads file holding it (a loaded source), ``remove`` names graphs to drop. The change is made
    on a checkpoint of the store (RocksDB hard links: no copy of the unchanged graphs) that is
    swapped in only when complete, so a reader never sees a half-updated graph."""
    path = path.resolve()
    tmp = path.with_name(f"{path.name}.new-{os.getpid()}")
    old = path.with_name(f"{path.name}.old-{os.getpid()}")
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
        for iri, nq in (extra or {}).items():
            store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()  # as in write_store: the removed graphs' tombstones and the new files merged once
        del store
        (tmp / META_FILE).write_text(json.dumps(dict(meta), indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        path.rename(old)
        tmp.rename(path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def read_meta(path: Path) -> dict[str, Any]:
    meta = path / META_FILE
    if not meta.exists():
        raise StoreMissing(f"no graph at {path}: run `maillage build` first")
    return json.loads(meta.read_text(encoding="utf-8"))


def open_store(path: Path, backend: str = "oxigraph"):
    """Open the built graph at ``path`` with the chosen backend."""
    if backend == "oxigraph":
        return OxigraphStore.open(path)
    if backend == "memory":
        return OxigraphStore.open_in_memory(path)
    if backend == "rdflib":
        return RdflibStore.from_nquads(OxigraphStore.open(path).nquads())
    raise ValueError(f"unknown backend {backend!r} (oxigraph, memory or rdflib)")


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start
