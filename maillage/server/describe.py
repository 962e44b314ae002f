"""The SPARQL service description (at /sparql) and the VoID / DCAT description of the dataset
(at /.well-known/void): statements of plain values (IRIs as str, ``Lit`` literals, int counts)
written as an RDF document by the store (which validates every IRI)."""

from __future__ import annotations

from maillage.model import DCAT, DCT, ENTAILMENT_SIMPLE, FOAF, FORMATS, GRAPH_STORE_PROTOCOL, MEDIA_TYPES, RDF_TYPE, RDFS, SD, SPARQL_PROTOCOL, VOCABULARIES, VOID, XSD, Lit
from maillage.server.config import ServerConfig
from maillage.store import endpoint as rdf

RDFS_COMMENT = RDFS + "comment"
PREFIXES = {"sd": SD, "void": VOID, "dcat": DCAT, "dct": DCT, "foaf": FOAF, "formats": FORMATS,
            "rdfs": RDFS, "xsd": XSD}

DUMPS = {"ttl": ("text/turtle", "Turtle"), "jsonld": ("application/ld+json", "JSON-LD"),
         "trig": ("application/trig", "TriG")}
GRAPH_STORE_PATH = "/rdf-graphs/service"


def limits_text(config: ServerConfig) -> str:
    cap = f"at most {config.max_rows:,} rows or triples per result (413 beyond)" if config.max_rows else "no result cap"
    update = ("SPARQL Update needs the server's token (Authorization: Bearer …), 403 without it"
              if config.update_token else "read-only: SPARQL Update is refused (403)")
    return (f"Time limit {config.timeout:g} s per query (504 beyond; the query is stopped); {cap}; {update}; "
            "federated queries (SERVICE) refused (403); malformed queries 400 with the parser's message. "
            "The default graph is the union of all named graphs.")


def service_description(config: ServerConfig, public: str, stats: dict) -> list[tuple]:
    endpoint = public + "/sparql"
    t = [
        (endpoint, RDF_TYPE, SD + "Service"),
        (endpoint, SD + "endpoint", endpoint),
        (endpoint, SD + "supportedLanguage", SD + "SPARQL11Query"),
        (endpoint, SD + "feature", SD + "UnionDefaultGraph"),
        (endpoint, SD + "defaultEntailmentRegime", ENTAILMENT_SIMPLE),
        (endpoint, RDFS_COMMENT, Lit(limits_text(config), "en")),
        (endpoint, DCT + "conformsTo", SPARQL_PROTOCOL),
    ]
    if config.update_token:
        t.append((endpoint, SD + "supportedLanguage", SD + "SPARQL11Update"))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        t.append((endpoint, SD + "resultFormat", FORMATS + fmt))
    t += graph_store(config, public, endpoint)
    dataset, default = rdf.blank(), rdf.blank()
    t += [
        (endpoint, SD + "defaultDataset", dataset),
        (dataset, RDF_TYPE, SD + "Dataset"),
        (dataset, SD + "defaultGraph", default),
        (default, RDF_TYPE, SD + "Graph"),
        (default, VOID + "triples", int(stats["triples"])),
        (dataset, DCT + "description", public + "/.well-known/void"),
    ]
    for graph, count in stats["graphs"]:
        named, g = rdf.blank(), rdf.blank()
        t += [(dataset, SD + "namedGraph", named), (named, RDF_TYPE, SD + "NamedGraph"),
              (named, SD + "name", graph), (named, SD + "graph", g),
              (g, RDF_TYPE, SD + "Graph"), (g, VOID + "triples", int(count))]
    return t


def graph_store(config: ServerConfig, public: str, endpoint: str) -> list[tuple]:
    """The Graph Store HTTP Protocol service beside the SPARQL endpoint (the service description
    vocabulary has no term for it: a DCAT data service conforming to the protocol, linked with
    rdfs:seeAlso)."""
    gsp = public + GRAPH_STORE_PATH
    writes = ("PUT, POST and DELETE with the update token" if config.update_token
              else "read-only: PUT, POST and DELETE are refused (403)")
    return [
        (endpoint, RDFS + "seeAlso", gsp),
        (gsp, RDF_TYPE, DCAT + "DataService"),
        (gsp, DCAT + "endpointURL", gsp),
        (gsp, DCT + "conformsTo", GRAPH_STORE_PROTOCOL),
        (gsp, RDFS_COMMENT, Lit("SPARQL 1.1 Graph Store HTTP Protocol, indirect identification (?graph=IRI or "
                                f"?default); GET and HEAD for everyone; {writes}; POST without a graph "
                                "creates a new graph (201, Location)", "en")),
    ]


def void_description(config: ServerConfig, public: str, stats: dict) -> list[tuple]:
    doc = public + "/.well-known/void"
    ds = public + "/.well-known/void#maillage"
    endpoint = public + "/sparql"
    t = [
        (doc, RDF_TYPE, VOID + "DatasetDescription"),
        (doc, FOAF + "primaryTopic", ds),
        (doc, DCT + "title", Lit("Description VoID du jeu de données maillage", "fr")),
        (ds, RDF_TYPE, VOID + "Dataset"),
        (ds, RDF_TYPE, DCAT + "Dataset"),
        (ds, DCT + "title", Lit("maillage", "fr")),
        (ds, DCT + "description", Lit(
            "Graphe de connaissances des initiatives d'inclusion sociale et d'économie solidaire en France : "
            "qui porte quoi, qui finance, avec combien, qui travaille avec qui, où. Chaque fait renvoie au "
            "passage de son document source.", "fr")),
        (ds, DCT + "description", Lit(
            "A knowledge graph of social-inclusion and solidarity-economy initiatives in France: who runs what, "
            "who funds it and with how much, who works with whom, and where; every fact points back to its "
            "passage in the source document.", "en")),
        (ds, VOID + "sparqlEndpoint", endpoint),
        (ds, VOID + "uriSpace", Lit(config.base)),
        (ds, VOID + "triples", int(stats["triples"])),
        (ds, VOID + "entities", int(stats["organisations"] + stats["initiatives"] + stats["fundings"])),
        (ds, VOID + "feature", FORMATS + "Turtle"),
        (ds, VOID + "feature", FORMATS + "JSON-LD"),
        (ds, VOID + "feature", FORMATS + "TriG"),
        (endpoint, RDF_TYPE, DCAT + "DataService"),
        (endpoint, DCAT + "endpointURL", endpoint),
        (endpoint, DCAT + "servesDataset", ds),
        (endpoint, DCT + "conformsTo", SPARQL_PROTOCOL),
        (endpoint, RDFS_COMMENT, Lit(limits_text(config), "en")),
        (ds, DCAT + "accessService", endpoint),
    ]
    if stats.get("example"):
        t.append((ds, VOID + "exampleResource", stats["example"]))
    for key, prop in (("created", "created"), ("modified", "modified")):
        if stats.get(key):
            t.append((ds, DCT + prop, Lit(stats[key], None, XSD + "dateTime")))
    if config.licence:
        licence = config.licence if config.licence.startswith(("http://", "https://")) else Lit(config.licence)
        t.append((ds, DCT + "license", licence))
    if config.publisher:
        t.append((ds, DCT + "publisher", Lit(config.publisher)))
    for vocab in VOCABULARIES:
        t.append((ds, VOID + "vocabulary", vocab))
    for ext, (media, label) in DUMPS.items():
        url = f"{public}/download/maillage.{ext}"
        dist = f"{public}/.well-known/void#dump-{ext}"
        t += [(ds, VOID + "dataDump", url),
              (ds, DCAT + "distribution", dist),
              (dist, RDF_TYPE, DCAT + "Distribution"),
              (dist, DCT + "title", Lit(f"maillage ({label})", "fr")),
              (dist, DCAT + "downloadURL", url),
              (dist, DCAT + "mediaType", MEDIA_TYPES + media)]
    for graph, count in stats["graphs"]:
        t += [(ds, VOID + "subset", graph), (graph, RDF_TYPE, VOID + "Dataset"),
              (graph, VOID + "triples", int(count))]
    return t


def serialize(statements: list[tuple], fmt: str, base: str) -> bytes:
    """``base`` is the base of minted URIs (kept whole, not as a prefix: see worker._prefixes)."""
    return rdf.document(statements, fmt, PREFIXES)
