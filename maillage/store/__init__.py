"""The store core: the one place that knows which RDF engine holds the graph.

Backends behind one ``Store`` protocol (select, ask, construct, quads, graphs, update, dump):
Oxigraph on disk (the default: persistent, fast SPARQL) or in memory, rdflib in memory (the
reference implementation) and any remote SPARQL 1.1 endpoint. A query sees the union of
the named graphs as its default graph unless it names its own dataset (FROM) or the caller
gives one (see ``oxigraph.query_dataset``). Only this package (and the streamed result writers)
imports pyoxigraph or rdflib.
"""

from __future__ import annotations

from pathlib import Path

from maillage.store.base import META_FILE, QueryError, QueryResult, ReadOnly, Store, StoreMissing, timed
from maillage.store.oxigraph import OxigraphStore, read_meta, update_store, write_store
from maillage.store.terms import decimal_text, iri, json_term, json_value, literal, to_ox, to_term, value, with_values
from maillage.store.writer import GraphWriter, QuadWriter

__all__ = [
    "META_FILE", "QueryError", "QueryResult", "ReadOnly", "Store", "StoreMissing", "timed",
    "OxigraphStore", "RdflibStore", "RemoteStore", "RemoteError", "open_store", "read_meta", "update_store",
    "write_store", "decimal_text", "iri", "json_term", "json_value", "literal", "to_ox", "to_term", "value",
    "with_values", "GraphWriter", "QuadWriter",
]

# the engine-specific term readers, under the names callers used before the one converter
_ox_value = value
_rdflib_value = value


def __getattr__(name: str):
    # rdflib and SPARQLWrapper are slow to import: only when their adapter is asked for
    if name == "RdflibStore":
        from maillage.store.rdflib_store import RdflibStore

        return RdflibStore
    if name in ("RemoteStore", "RemoteError"):
        from maillage.store import remote

        return getattr(remote, name)
    raise AttributeError(f"module 'maillage.store' has no attribute {name!r}")


def open_store(path: Path, backend: str = "oxigraph"):
    """Open the built graph at ``path`` with the chosen backend (oxigraph, memory or rdflib)."""
    backend = getattr(backend, "value", backend)  # a typer Enum choice
    if backend == "oxigraph":
        return OxigraphStore.open(path)
    if backend == "memory":
        return OxigraphStore.open_in_memory(path)
    if backend == "rdflib":
        from maillage.store.rdflib_store import RdflibStore

        return RdflibStore.from_nquads(OxigraphStore.open(path).nquads())
    raise ValueError(f"unknown backend {backend!r} (oxigraph, memory or rdflib)")
