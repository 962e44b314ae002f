"""Linked-data exports of the built graph, and GraphML of the cooperation network for Gephi."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from maillage.store.export import RDF_FORMATS, export_nquads, export_store, jsonld_context  # noqa: F401

FORMATS = (*RDF_FORMATS, "graphml")


def export_rdf(data, fmt: str, base: str) -> bytes:
    """The graph in an RDF format: ``data`` is a store or its N-Quads. `maillage export` and the
    explorer's /download both call this, so they write the same graph, literals spelt alike."""
    if isinstance(data, (bytes, bytearray)):
        return export_nquads(bytes(data), fmt, base)
    return export_store(data, fmt, base)


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
