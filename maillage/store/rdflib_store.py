"""rdflib in memory: slower, but the reference the other backends are compared with."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset

from maillage.store.base import QueryResult
from maillage.store.terms import to_term, value


def _rdflib_term(x: Any):
    """A binding as an rdflib term (rdflib's evaluator binds its own terms)."""
    from rdflib import BNode, Literal, URIRef

    t = to_term(x)
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    return Literal(t.value, datatype=URIRef(t.datatype.value))


def _ox(term: Any):
    """An rdflib term as a pyoxigraph term (the one triple type the writers take)."""
    return to_term(term)


class RdflibStore:
    name = "rdflib"

    def __init__(self, dataset: Dataset):
        dataset.default_union = True
        self.dataset = dataset

    @classmethod
    def from_nquads(cls, data: bytes) -> RdflibStore:
        ds = Dataset()
        ds.parse(data=data, format="nquads")
        return cls(ds)

    def _query(self, query: str, bindings: Mapping[str, Any] | None):
        init = {k: _rdflib_term(v) for k, v in (bindings or {}).items() if v is not None}
        dataset, prepared = self._dataset_for(query)
        return dataset.query(prepared, initBindings=init)

    def _dataset_for(self, query: str, default_graphs=None, named_graphs=None):
        """The dataset rules of ``oxigraph.query_dataset``. rdflib would fetch FROM IRIs from the
        web (or, with SPARQL_LOAD_GRAPHS off, add them to the union): the clauses are taken out
        of the parsed query and the dataset is built here from the graphs held."""
        from rdflib import URIRef
        from rdflib.plugins.sparql import prepareQuery

        prepared = prepareQuery(query)
        clauses = prepared.algebra.get("datasetClause") or []
        default_graphs, named_graphs = list(default_graphs or ()), list(named_graphs or ())
        if not (default_graphs or named_graphs):
            if not clauses:
                return self.dataset, prepared
            default_graphs = [str(c["default"]) for c in clauses if "default" in c]
            named_graphs = [str(c["named"]) for c in clauses if "named" in c]
        prepared.algebra["datasetClause"] = None
        held = {str(g.identifier): g for g in self.dataset.graphs()}
        view = Dataset()
        for name in default_graphs:
            for triple in held.get(name, ()):
                view.default_graph.add(triple)
        for name in named_graphs:
            if name in held:
                view.graph(URIRef(name)).__iadd__(held[name])
        return view, prepared

    def select(self, query: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        result = self._query(query, bindings)
        variables = [str(v) for v in result.vars]
        rows = [{name: value(row[name]) for name in variables} for row in result]
        return QueryResult(variables, rows)

    def query(self, query: str, bindings: Mapping[str, Any] | None = None):
        """Any query form, as OxigraphStore.query gives it: QueryResult, bool or triples."""
        result = self._query(query, bindings)
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars]
            return QueryResult(variables, [{name: value(row[name]) for name in variables} for row in result])
        if result.type == "ASK":
            return bool(result.askAnswer)
        return [ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in result]

    def ask(self, query: str, bindings: Mapping[str, Any] | None = None) -> bool:
        return bool(self._query(query, bindings).askAnswer)

    def construct(self, query: str, bindings: Mapping[str, Any] | None = None) -> list:
        return [ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in self._query(query, bindings)]

    def quads(self, graph: str | None = None) -> Iterator:
        from rdflib import URIRef

        ctx = URIRef(graph) if graph else None
        for s, p, o, g in self.dataset.quads((None, None, None, ctx)):
            gname = getattr(g, "identifier", g)
            yield ox.Quad(_ox(s), _ox(p), _ox(o), _ox(gname) if gname is not None else ox.DefaultGraph())

    def graphs(self) -> list[str]:
        return sorted({str(g.identifier) for g in self.dataset.graphs() if len(g)} - {"urn:x-rdflib:default"})

    def update(self, sparql: str) -> None:
        self.dataset.update(sparql)

    def dump(self, fmt: str = "nq", graph: str | None = None) -> bytes:
        from maillage.store.oxigraph import FORMATS

        if graph is not None:
            return ox.serialize([q.triple for q in self.quads(graph)], format=FORMATS[fmt])
        return ox.serialize(list(self.quads()), format=FORMATS[fmt])

    def nquads(self) -> bytes:
        return self.dataset.serialize(format="nquads", encoding="utf-8")

    def __len__(self) -> int:
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))
