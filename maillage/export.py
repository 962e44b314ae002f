"""Linked-data exports of the built graph, and GraphML of the cooperation network for Gephi."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph

from maillage.ontology import PREFIXES

RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "xml": "xml", "nq": "nquads"}
FORMATS = (*RDF_FORMATS, "graphml")


def jsonld_context(base: str) -> dict:
    """A compact context: prefixes for every vocabulary, plus the data base as @base."""
    ctx = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    ctx["@base"] = base
    ctx["id"] = base
    return ctx


def export_rdf(nquads: bytes, fmt: str, base: str) -> bytes:
    ds = Dataset()
    ds.parse(data=nquads, format="nquads")
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    ds.bind("id", base)
    if fmt in ("trig", "nq"):
        return ds.serialize(format=RDF_FORMATS[fmt], encoding="utf-8")
    union = Graph()
    for prefix, ns in ds.namespaces():
        union.bind(prefix, ns, override=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    if fmt == "jsonld":
        return union.serialize(format="json-ld", context=jsonld_context(base), auto_compact=True, encoding="utf-8")
    return union.serialize(format=RDF_FORMATS[fmt], encoding="utf-8")


def export_graphml(g: nx.Graph, path: Path) -> None:
    """GraphML keeps scalar attributes only: lists become '; '-joined text."""
    h = nx.Graph()
    for n, d in g.nodes(data=True):
        h.add_node(n, **{k: _scalar(v) for k, v in d.items()})
    for a, b, d in g.edges(data=True):
        h.add_edge(a, b, **{k: _scalar(v) for k, v in d.items() if v is not None})
    nx.write_graphml(h, path)


def _scalar(value):
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, (int, float, str, bool)):
        return value
    return json.dumps(value, default=str) if value is not None else ""
