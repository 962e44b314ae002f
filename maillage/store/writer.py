"""The one quad writer: the records, the loaded public files and the synthetic graph all make
their quads here, from the model's IRIs (plain str) and plain values (see terms.to_term)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from maillage.model import RDF_TYPE, Lit
from maillage.store.terms import to_term


def _node(x: Any):
    """A subject, predicate or graph name: an IRI given as str (or a term already made)."""
    return ox.NamedNode(x) if isinstance(x, str) else x


class GraphWriter:
    """Adds triples to one named graph of a :class:`QuadWriter`."""

    def __init__(self, quads: dict, name: str):
        self._quads = quads
        self.name = name
        self._g = ox.NamedNode(name) if name else ox.DefaultGraph()

    def add(self, s: Any, p: Any, o: Any) -> None:
        """``o``: a str is an IRI; a :class:`Lit`, a number or a term is a literal (or term)."""
        self._quads[ox.Quad(_node(s), _node(p), to_term(o), self._g)] = None

    def type(self, s: Any, *classes: str) -> None:
        for c in classes:
            self.add(s, RDF_TYPE, c)

    def text(self, s: Any, p: Any, text: str, lang: str | None = None, datatype: str | None = None) -> None:
        self.add(s, p, Lit(str(text), lang, datatype))

    def __len__(self) -> int:
        return len(self._quads)


class QuadWriter:
    """Named graphs of triples, each triple once per graph (a set of quads, in insertion order)."""

    def __init__(self) -> None:
        self._graphs: dict[str, dict] = {}

    def graph(self, name: str) -> GraphWriter:
        return GraphWriter(self._graphs.setdefault(str(name), {}), str(name))

    def add(self, s: Any, p: Any, o: Any, graph: str) -> None:
        self.graph(graph).add(s, p, o)

    def add_turtle(self, path: Path, graph: str) -> None:
        """Every triple of a Turtle file (the vocabulary files) into ``graph``."""
        quads = self._graphs.setdefault(str(graph), {})
        g = ox.NamedNode(str(graph))
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            quads[ox.Quad(t.subject, t.predicate, t.object, g)] = None

    def add_quads(self, quads: Iterable) -> None:
        for q in quads:
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            self._graphs.setdefault(g, {})[q] = None

    def graphs(self) -> list[str]:
        return [g for g, t in self._graphs.items() if t]

    def count(self, graph: str | None = None) -> int:
        if graph is not None:
            return len(self._graphs.get(str(graph), ()))
        return sum(len(t) for t in self._graphs.values())

    __len__ = count

    def match(self, p: str, o: str | None = None) -> Iterator[tuple[str, str]]:
        """(subject, object) values of every triple with predicate ``p`` (and object IRI ``o``)."""
        pred = ox.NamedNode(p)
        obj = ox.NamedNode(o) if o else None
        for quads in self._graphs.values():
            for t in quads:
                if t.predicate == pred and (obj is None or t.object == obj):
                    yield t.subject.value, t.object.value

    def remove(self, s: Any = None, p: Any = None) -> int:
        """Drop every triple about ``s`` with predicate ``p`` (either may be None: any); for tests
        that break a graph on purpose and for corrections."""
        s, p = (_node(x) if x is not None else None for x in (s, p))
        n = 0
        for quads in self._graphs.values():
            for q in [q for q in quads if (s is None or q.subject == s) and (p is None or q.predicate == p)]:
                del quads[q]
                n += 1
        return n

    def quads(self, graph: str | None = None) -> Iterator:
        for g, quads in self._graphs.items():
            if graph is None or g == str(graph):
                yield from quads

    def ntriples(self, graph: str) -> bytes:
        """One graph as sorted N-Triples: the same triples give the same bytes (and hash)."""
        lines = sorted(f"{q.triple} .\n" for q in self._graphs.get(str(graph), ()))
        return "".join(lines).encode("utf-8")

    def nquads(self) -> bytes:
        return ox.serialize(list(self.quads()), format=ox.RdfFormat.N_QUADS)
