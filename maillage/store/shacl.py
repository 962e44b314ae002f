"""SHACL: every named graph that enters the store is checked against ontology/shapes.ttl, together
with the graphs it refers to (an organisation declared in another document, the territories)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox

from maillage import model


class ShapesViolated(Exception):
    """The graph breaks the SHACL shapes: the build stops and the previous graph stays."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("SHACL validation failed:\n" + "\n".join(f"  - {m}" for m in messages))


@lru_cache(maxsize=1)
def shapes_graph():
    from rdflib import Graph

    return Graph().parse(model.shapes_file(), format="turtle")


def _short(text: str) -> str:
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def check_shapes(quads: Iterable, context: Iterable = ()) -> None:
    """Validate the union of ``quads`` (pyoxigraph quads or triples, e.g. a QuadWriter's, plus the
    quads of the loaded files entering the store); raise ShapesViolated with every message.

    ``context``: triples the shapes may read (the classes of bodies declared in graphs checked
    when they entered) but which are not validated again: only the subjects of ``quads`` are."""
    import pyshacl  # imported here: it is slow to import and only the build needs it
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, SH

    triples = {q.triple if isinstance(q, ox.Quad) else q for q in quads}
    extra = {q.triple if isinstance(q, ox.Quad) else q for q in context} - triples
    focus = None
    if extra:
        focus = sorted({URIRef(t.subject.value) for t in triples if isinstance(t.subject, ox.NamedNode)})
        triples |= extra
    union = Graph()
    # N-Triples through rdflib's parser: the terms arrive exactly as written (one conversion path)
    union.parse(data=ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    # advanced=False: the shapes use core SHACL only (no SPARQL or SHACL-AF features), and the
    # advanced mode doubles the time of every build
    conforms, results, _ = pyshacl.validate(union, shacl_graph=shapes_graph(), inference="none",
                                           allow_warnings=True, advanced=False,
                                           **({"focus_nodes": focus} if focus else {}))
    if conforms:
        return
    messages = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        shown = _short(str(path)) if isinstance(path, URIRef) else str(path)
        where = f"{focus}" + (f" {shown}" if path is not None else "")
        text = f"{where}: {message}" + (f" (value: {value})" if value is not None else "")
        messages.append(text)
    raise ShapesViolated(sorted(messages))


def read_nquads(path) -> list:
    """The quads of a kept N-Quads file (a loaded source), for the check."""
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
