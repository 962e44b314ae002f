"""The maillage vocabulary, its SHACL shapes and concept schemes, kept as Turtle data files.

Namespaces, code sets and URI patterns live in :mod:`maillage.model`; this module only gives
them rdflib's shape for the code that still builds rdflib graphs (moving into maillage.store).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace

from maillage import model

HERE = model.ontology_dir()

MAI = Namespace(model.MAI)
ORG = Namespace(model.ORG)
SCHEMA = Namespace(model.SCHEMA)
IGEO = Namespace(model.IGEO)
VOID = Namespace(model.VOID)
DCAT = Namespace(model.DCAT)
ONTOLOGY_IRI = model.ONTOLOGY_IRI

# Concept schemes: file name -> namespace of its concepts
SCHEMES = {
    "typology": Namespace(model.KIND), "roles": Namespace(model.ROLE), "themes": Namespace(model.THEME),
    "publics": Namespace(model.PUBLIC), "purposes": Namespace(model.PURPOSE),
}
KIND, ROLE, THEME, PUBLIC, PURPOSE = (SCHEMES[k] for k in ("typology", "roles", "themes", "publics", "purposes"))

PREFIXES = {p: Namespace(ns) for p, ns in model.PREFIXES.items()}


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


def vocabulary_files() -> list[Path]:
    return model.vocabulary_files()


@lru_cache(maxsize=1)
def vocabulary_graph() -> Graph:
    """The ontology and every concept scheme, as one graph (cached: read-only use)."""
    g = bind_prefixes(Graph())
    for path in vocabulary_files():
        g.parse(path, format="turtle")
    return g


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(model.shapes_file(), format="turtle")


def notations(scheme: str) -> frozenset[str]:
    """The skos:notation codes of one concept scheme (e.g. 'roles' -> {'pilote', …})."""
    return frozenset(model.codes(scheme))


def concept(scheme: str, code: str):
    return SCHEMES[scheme][code]
