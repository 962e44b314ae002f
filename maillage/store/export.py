"""The one export: `maillage export` and the explorer's /download write the graph with the same
function, so both spell every literal as the store holds it (rdflib's Turtle writer turned
"1800000"^^xsd:decimal into 1800000.0)."""

from __future__ import annotations

import pyoxigraph as ox

from maillage import model
from maillage.store.oxigraph import FORMATS

RDF_FORMATS = ("ttl", "nt", "jsonld", "trig", "xml", "nq")
DATASET_FORMATS = ("trig", "nq")   # one graph per source kept; the others write the union


def jsonld_context(base: str) -> dict:
    """A compact context: prefixes for every vocabulary, plus the data base as @base."""
    ctx = dict(model.PREFIXES)
    ctx["@base"] = base
    ctx["id"] = base
    return ctx


def _prefixes(base: str) -> dict[str, str]:
    # not the base of minted URIs: their local parts hold '/', which Turtle would write escaped
    # (id:org\\/x); written whole they read better
    return dict(model.PREFIXES)


def export_quads(quads, fmt: str, base: str) -> bytes:
    """``quads`` (any iterable of pyoxigraph quads: a store's, a writer's) in format ``fmt``."""
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r} ({', '.join(RDF_FORMATS)})")
    quads = list(quads)
    if fmt in DATASET_FORMATS:
        quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
        kwargs = {"prefixes": _prefixes(base)} if fmt == "trig" else {}
        return ox.serialize(quads, format=FORMATS[fmt], **kwargs)
    # the union: each triple once, in a stable order
    triples = sorted({q.triple for q in quads}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if fmt == "jsonld":
        return _jsonld(triples, base)
    kwargs = {"prefixes": _prefixes(base)} if fmt in ("ttl", "xml") else {}
    return ox.serialize(triples, format=FORMATS[fmt], **kwargs)


def _jsonld(triples: list, base: str) -> bytes:
    # rdflib writes the compact form with our context (pyoxigraph writes expanded JSON-LD only);
    # it keeps each literal's lexical form ({"@value": "1800000", "@type": "xsd:decimal"})
    from rdflib import Graph

    g = Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return g.serialize(format="json-ld", context=jsonld_context(base), auto_compact=True, encoding="utf-8")


def export_store(store, fmt: str, base: str) -> bytes:
    return export_quads(store.quads(), fmt, base)


def export_nquads(nquads: bytes, fmt: str, base: str) -> bytes:
    return export_quads(ox.parse(nquads, format=ox.RdfFormat.N_QUADS), fmt, base)


def triples_bytes(triples, fmt: str = "ttl") -> bytes:
    """Triples (a CONSTRUCT's) written in ``fmt`` with the vocabulary prefixes."""
    kwargs = {"prefixes": dict(model.PREFIXES)} if fmt in ("ttl", "xml") else {}
    return ox.serialize(list(triples), format=FORMATS[fmt], **kwargs)
