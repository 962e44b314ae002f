"""The SPARQL service description (at /sparql) and the VoID / DCAT description of the dataset
(at /.well-known/void), as RDF built from pyoxigraph terms (which validate every IRI)."""

from __future__ import annotations

import pyoxigraph as ox

from maillage.model import DCAT, DCT, IGEO, ONTOLOGY_IRI, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, VOID, XSD
from maillage.server.config import ServerConfig

SD = "http://www.w3.org/ns/sparql-service-description#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = ox.NamedNode(RDF + "type")
RDFS_COMMENT = ox.NamedNode(RDFS + "comment")
FORMATS = "http://www.w3.org/ns/formats/"
XSD_INTEGER = ox.NamedNode(XSD + "integer")

PREFIXES = {"sd": SD, "void": VOID, "dcat": DCAT, "dct": DCT, "foaf": FOAF, "formats": FORMATS,
            "rdfs": RDFS, "xsd": XSD}

DUMPS = {"ttl": ("text/turtle", "Turtle"), "jsonld": ("application/ld+json", "JSON-LD"),
         "trig": ("application/trig", "TriG")}
VOCABULARIES = (ONTOLOGY_IRI, ORG, SCHEMA,
                PROV, SKOS, IGEO)


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=XSD_INTEGER)


def limits_text(config: ServerConfig) -> str:
    cap = f"at most {config.max_rows:,} rows or triples per result (413 beyond)" if config.max_rows else "no result cap"
    update = ("SPARQL Update needs the server's token (Authorization: Bearer …), 403 without it"
              if config.update_token else "read-only: SPARQL Update is refused (403)")
    return (f"Time limit {config.timeout:g} s per query (504 beyond; the query is stopped); {cap}; {update}; "
            "federated queries (SERVICE) refused (403); malformed queries 400 with the parser's message. "
            "The default graph is the union of all named graphs.")


def service_description(config: ServerConfig, public: str, stats: dict) -> list[ox.Triple]:
    endpoint = n(public + "/sparql")
    t = [
        ox.Triple(endpoint, RDF_TYPE, n(SD + "Service")),
        ox.Triple(endpoint, n(SD + "endpoint"), endpoint),
        ox.Triple(endpoint, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query")),
        ox.Triple(endpoint, n(SD + "feature"), n(SD + "UnionDefaultGraph")),
        ox.Triple(endpoint, n(SD + "defaultEntailmentRegime"), n("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(endpoint, RDFS_COMMENT, ox.Literal(limits_text(config), language="en")),
    ]
    if config.update_token:
        t.append(ox.Triple(endpoint, n(SD + "supportedLanguage"), n(SD + "SPARQL11Update")))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        t.append(ox.Triple(endpoint, n(SD + "resultFormat"), n(FORMATS + fmt)))
    dataset = ox.BlankNode()
    default = ox.BlankNode()
    t += [
        ox.Triple(endpoint, n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, n(SD + "Dataset")),
        ox.Triple(dataset, n(SD + "defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, n(SD + "Graph")),
        ox.Triple(default, n(VOID + "triples"), _int(stats["triples"])),
        ox.Triple(dataset, n(DCT + "description"), n(public + "/.well-known/void")),
    ]
    for graph, count in stats["graphs"]:
        named, g = ox.BlankNode(), ox.BlankNode()
        t += [ox.Triple(dataset, n(SD + "namedGraph"), named), ox.Triple(named, RDF_TYPE, n(SD + "NamedGraph")),
              ox.Triple(named, n(SD + "name"), n(graph)), ox.Triple(named, n(SD + "graph"), g),
              ox.Triple(g, RDF_TYPE, n(SD + "Graph")), ox.Triple(g, n(VOID + "triples"), _int(count))]
    return t


def void_description(config: ServerConfig, public: str, stats: dict) -> list[ox.Triple]:
    doc = n(public + "/.well-known/void")
    ds = n(public + "/.well-known/void#maillage")
    endpoint = n(public + "/sparql")
    t = [
        ox.Triple(doc, RDF_TYPE, n(VOID + "DatasetDescription")),
        ox.Triple(doc, n(FOAF + "primaryTopic"), ds),
        ox.Triple(doc, n(DCT + "title"), ox.Literal("Description VoID du jeu de données maillage", language="fr")),
        ox.Triple(ds, RDF_TYPE, n(VOID + "Dataset")),
        ox.Triple(ds, RDF_TYPE, n(DCAT + "Dataset")),
        ox.Triple(ds, n(DCT + "title"), ox.Literal("maillage", language="fr")),
        ox.Triple(ds, n(DCT + "description"), ox.Literal(
            "Graphe de connaissances des initiatives d'inclusion sociale et d'économie solidaire en France : "
            "qui porte quoi, qui finance, avec combien, qui travaille avec qui, où. Chaque fait renvoie au "
            "passage de son document source.", language="fr")),
        ox.Triple(ds, n(DCT + "description"), ox.Literal(
            "A knowledge graph of social-inclusion and solidarity-economy initiatives in France: who runs what, "
            "who funds it and with how much, who works with whom, and where; every fact points back to its "
            "passage in the source document.", language="en")),
        ox.Triple(ds, n(VOID + "sparqlEndpoint"), endpoint),
        ox.Triple(ds, n(VOID + "uriSpace"), ox.Literal(config.base)),
        ox.Triple(ds, n(VOID + "triples"), _int(stats["triples"])),
        ox.Triple(ds, n(VOID + "entities"), _int(stats["organisations"] + stats["initiatives"] + stats["fundings"])),
        ox.Triple(ds, n(VOID + "feature"), n(FORMATS + "Turtle")),
        ox.Triple(ds, n(VOID + "feature"), n(FORMATS + "JSON-LD")),
        ox.Triple(ds, n(VOID + "feature"), n(FORMATS + "TriG")),
        ox.Triple(endpoint, RDF_TYPE, n(DCAT + "DataService")),
        ox.Triple(endpoint, n(DCAT + "endpointURL"), endpoint),
        ox.Triple(endpoint, n(DCAT + "servesDataset"), ds),
        ox.Triple(endpoint, n(DCT + "conformsTo"), n("https://www.w3.org/TR/sparql11-protocol/")),
        ox.Triple(endpoint, RDFS_COMMENT, ox.Literal(limits_text(config), language="en")),
        ox.Triple(ds, n(DCAT + "accessService"), endpoint),
    ]
    if stats.get("example"):
        t.append(ox.Triple(ds, n(VOID + "exampleResource"), n(stats["example"])))
    xsd_dt = n(XSD + "dateTime")
    for key, prop in (("created", "created"), ("modified", "modified")):
        if stats.get(key):
            t.append(ox.Triple(ds, n(DCT + prop), ox.Literal(stats[key], datatype=xsd_dt)))
    if config.licence:
        licence = n(config.licence) if config.licence.startswith(("http://", "https://")) else ox.Literal(config.licence)
        t.append(ox.Triple(ds, n(DCT + "license"), licence))
    if config.publisher:
        t.append(ox.Triple(ds, n(DCT + "publisher"), ox.Literal(config.publisher)))
    for vocab in VOCABULARIES:
        t.append(ox.Triple(ds, n(VOID + "vocabulary"), n(vocab)))
    for ext, (media, label) in DUMPS.items():
        url = n(f"{public}/download/maillage.{ext}")
        dist = n(f"{public}/.well-known/void#dump-{ext}")
        t += [ox.Triple(ds, n(VOID + "dataDump"), url),
              ox.Triple(ds, n(DCAT + "distribution"), dist),
              ox.Triple(dist, RDF_TYPE, n(DCAT + "Distribution")),
              ox.Triple(dist, n(DCT + "title"), ox.Literal(f"maillage ({label})", language="fr")),
              ox.Triple(dist, n(DCAT + "downloadURL"), url),
              ox.Triple(dist, n(DCAT + "mediaType"), n(f"https://www.iana.org/assignments/media-types/{media}"))]
    for graph, count in stats["graphs"]:
        g = n(graph)
        t += [ox.Triple(ds, n(VOID + "subset"), g), ox.Triple(g, RDF_TYPE, n(VOID + "Dataset")),
              ox.Triple(g, n(VOID + "triples"), _int(count))]
    return t


def serialize(triples: list[ox.Triple], fmt: str, base: str) -> bytes:
    """``base`` is the base of minted URIs (kept whole, not as a prefix: see worker._prefixes)."""
    prefixes = dict(PREFIXES)
    triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if fmt == "jsonld":
        return ox.serialize(triples, format=ox.RdfFormat.JSON_LD)
    fmts = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}
    kwargs = {"prefixes": prefixes} if fmt in ("ttl", "rdfxml") else {}
    return ox.serialize(triples, format=fmts[fmt], **kwargs)
