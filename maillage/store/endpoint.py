"""What the SPARQL endpoint's workers ask of the store beyond the ``Store`` protocol: a query
evaluated over the dataset the protocol names, its result kept as the engine's own terms (the
streamed result writers of ``maillage.server.results`` write them), the store's default graph and
named graphs as the Graph Store Protocol reads and writes them, RDF request bodies parsed, IRIs
checked, and small descriptions (service description, VoID) written as RDF documents.

The server never imports the engine itself: this module is its door to it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox

from maillage.store import aggregates
from maillage.store.base import ReadOnly, StoreMissing
from maillage.store.oxigraph import OxigraphStore, query_dataset
from maillage.store.terms import to_term

# RDF documents read as request bodies (Graph Store Protocol), by media type
BODY_MEDIA_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/n3": ox.RdfFormat.N3, "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
# RDF documents written (service description, VoID), by the server's format names
DOCUMENT_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
                    "jsonld": ox.RdfFormat.JSON_LD}


class Answer(NamedTuple):
    """A query's result: ``kind`` is "ask" (``boolean``), "select" (``variables`` and ``items``,
    the solutions, read lazily) or "graph" (``items``, the triples of a CONSTRUCT / DESCRIBE)."""

    kind: str
    boolean: bool | None = None
    variables: list[str] = []
    items: Iterable[Any] = ()


def open_for_worker(path: Path, *, writable: bool = False) -> OxigraphStore:
    """The store at ``path`` (StoreMissing if none was built): read-only unless this worker
    applies updates."""
    return OxigraphStore.open(Path(path), read_only=not writable)


def check_iri(text: str) -> str:
    """``text`` as an IRI in N-Triples syntax (``<…>``, escaped), or ValueError if it is not one."""
    return str(ox.NamedNode(text))


def evaluate(store: OxigraphStore, text: str, *, default_graphs: Iterable[str] = (),
             named_graphs: Iterable[str] = (), base_iri: str | None = None) -> Answer:
    """Evaluate ``text`` over the protocol's dataset (``query_dataset``: the caller's graphs win
    over FROM, else FROM, else the union). ValueError for a graph name that is not an IRI,
    SyntaxError (the parser's message) for a bad query."""
    dataset = query_dataset(text, default_graphs, named_graphs)
    result = store._store.query(text, base_iri=base_iri, **dataset)
    if isinstance(result, ox.QueryBoolean):
        return Answer("ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        return Answer("select", variables=[v.value for v in result.variables], items=result)
    return Answer("graph", items=result)


def apply_update(store: OxigraphStore, text: str, base_iri: str | None = None) -> None:
    """One SPARQL Update, applied whole or not at all (SyntaxError for a bad one), then flushed."""
    if store.read_only:
        raise ReadOnly(f"the store at {store.path} is open for reading only")
    store._store.update(text, base_iri=base_iri)
    aggregates.refresh(store._store, _base(store), bulk=False)  # the facts may have changed
    store._store.flush()


def _base(store: OxigraphStore) -> str | None:
    """The base IRI the store was built with (its aggregates graph is named after it)."""
    from maillage.store.oxigraph import read_meta

    try:
        return read_meta(store.path).get("base") if store.path else None
    except (OSError, ValueError, StoreMissing):
        return None


# ---------------------------------------------------------------- the Graph Store Protocol's graphs

def has_graph(store: OxigraphStore, graph: str | None) -> bool:
    """Whether the store holds the named graph ``graph`` (the default graph, None, always exists)."""
    return graph is None or store._store.contains_named_graph(ox.NamedNode(graph))


def graph_triples(store: OxigraphStore, graph: str | None) -> Iterator:
    """The triples of one named graph, or of the store's own default graph (``graph`` None: not
    the union a query sees by default)."""
    name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    return (q.triple for q in store._store.quads_for_pattern(None, None, None, name))


def parse_triples(data: bytes, media_type: str, base_iri: str | None = None) -> list:
    """The triples of an RDF document sent as ``media_type`` (one of BODY_MEDIA_TYPES). ValueError
    with the parser's message if it does not parse."""
    fmt = BODY_MEDIA_TYPES.get(media_type)
    if fmt is None:
        raise ValueError(f"not an RDF media type read here: {media_type!r}")
    try:
        return [q.triple for q in ox.parse(data, format=fmt, base_iri=base_iri)]
    except SyntaxError as exc:
        raise ValueError(str(exc)) from None


def ntriples(triples: Iterable) -> str:
    """Triples in N-Triples syntax (to be sent as the data of an INSERT DATA)."""
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


# ---------------------------------------------------------------- small descriptions as RDF documents

def blank() -> Any:
    """A fresh blank node, for a description's structure."""
    return ox.BlankNode()


def document(statements: Iterable[tuple], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Statements ``(subject, predicate, object)`` written as one RDF document in ``fmt`` (ttl, nt,
    rdfxml, jsonld), sorted. Subjects and predicates are IRIs (str) or blank nodes; objects follow
    ``terms.to_term`` (str an IRI, ``model.Lit`` a literal, int an xsd:integer); every IRI is
    validated on the way (ValueError)."""
    triples = sorted({ox.Triple(to_term(s), to_term(p), to_term(o)) for s, p, o in statements},
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    kwargs = {"prefixes": dict(prefixes)} if prefixes and fmt in ("ttl", "rdfxml") else {}
    return ox.serialize(triples, format=DOCUMENT_FORMATS[fmt], **kwargs)
