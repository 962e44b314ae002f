"""The maillage vocabulary, its SHACL shapes and concept schemes, kept as Turtle data files."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

HERE = Path(__file__).resolve().parent

MAI = Namespace("https://w3id.org/maillage/def#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
IGEO = Namespace("http://rdf.insee.fr/def/geo#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
ONTOLOGY_IRI = "https://w3id.org/maillage/def"

# Concept schemes: file name -> (prefix, namespace of its concepts)
SCHEMES = {
    "typology": Namespace("https://w3id.org/maillage/def/kind/"),
    "roles": Namespace("https://w3id.org/maillage/def/role/"),
    "themes": Namespace("https://w3id.org/maillage/def/theme/"),
    "publics": Namespace("https://w3id.org/maillage/def/public/"),
    "purposes": Namespace("https://w3id.org/maillage/def/purpose/"),
}
KIND, ROLE, THEME, PUBLIC, PURPOSE = (SCHEMES[k] for k in ("typology", "roles", "themes", "publics", "purposes"))

PREFIXES = {
    "mai": MAI, "org": ORG, "schema": SCHEMA, "prov": PROV, "skos": SKOS, "dct": DCTERMS,
    "igeo": IGEO, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
    "kind": KIND, "role": ROLE, "theme": THEME, "public": PUBLIC, "purpose": PURPOSE,
}


def bind_prefixes(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


def vocabulary_files() -> list[Path]:
    return [HERE / "maillage.ttl", *sorted((HERE / "concepts").glob("*.ttl"))]


@lru_cache(maxsize=1)
def vocabulary_graph() -> Graph:
    """The ontology and every concept scheme, as one graph (cached: read-only use)."""
    g = bind_prefixes(Graph())
    for path in vocabulary_files():
        g.parse(path, format="turtle")
    return g


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(HERE / "shapes.ttl", format="turtle")


@lru_cache(maxsize=None)
def notations(scheme: str) -> frozenset[str]:
    """The skos:notation codes of one concept scheme (e.g. 'roles' -> {'pilote', …})."""
    g = Graph().parse(HERE / "concepts" / f"{scheme}.ttl", format="turtle")
    return frozenset(str(o) for o in g.objects(None, SKOS.notation))


def concept(scheme: str, code: str):
    return SCHEMES[scheme][code]
