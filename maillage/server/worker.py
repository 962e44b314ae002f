"""What runs inside a worker process: every evaluation of a query happens here, never in the
web server's process, so a query that runs too long can be stopped by killing its worker (the
only way to really stop a query running in Python: a thread cannot be killed) and its memory is
given back to the system.

A worker opens the store read-only (several processes may), answers one job at a time over a
pipe and reopens the store when the graph changed (a new build, an update). Replies are tuples:
``("ok", (status, media_type, body, headers))`` or ``("err", status, message)``; a message is
written for the client and never carries a stack trace (those go to the server's stderr).
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import tempfile
import traceback
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from maillage.server import results as R
from maillage.server.pages import Site, euros, number, render
from maillage.store import META_FILE, OxigraphStore, _ox_value, with_values

PREFIXES_TEXT = """PREFIX mai:    <https://w3id.org/maillage/def#>
PREFIX org:    <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dct:    <http://purl.org/dc/terms/>
PREFIX igeo:   <http://rdf.insee.fr/def/geo#>
"""


class Refused(Exception):
    """A request the worker will not or cannot answer, with the status and message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _prefixes(base: str) -> dict[str, str]:
    """Prefixes for Turtle and TriG. Not the base of minted URIs: their local parts hold '/',
    which Turtle would write escaped (id:org\\/x); written whole they read better."""
    from maillage.ontology import PREFIXES

    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


# ---------------------------------------------------------------- the store, reopened when it changes

class State:
    def __init__(self, store_dir: str, base: str, writable: bool = False):
        self.store_dir = Path(store_dir)
        self.base = base
        self.writable = writable
        self.ox: ox.Store | None = None
        self.gen: Any = None

    def store(self, gen: Any) -> ox.Store:
        if self.ox is None or gen != self.gen:
            if not (self.store_dir / META_FILE).exists():
                raise Refused(503, f"no graph at {self.store_dir}: run `maillage build` first")
            self.ox = None
            self.ox = ox.Store(str(self.store_dir)) if self.writable else ox.Store.read_only(str(self.store_dir))
            self.gen = gen
        return self.ox

    def wrapped(self, gen: Any) -> OxigraphStore:
        return OxigraphStore(self.store(gen), self.store_dir)


def select(store: ox.Store, text: str) -> list[dict[str, Any]]:
    """Rows of plain Python values (as maillage.store does)."""
    result = store.query(text, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: _ox_value(sol[n]) for n in names} for sol in result]


def iri(uri: str) -> str:
    """An IRI written for a query text: validated and escaped by pyoxigraph."""
    try:
        return str(ox.NamedNode(uri))
    except (ValueError, TypeError) as exc:
        raise Refused(400, f"not an IRI: {uri!r} ({exc})") from None


# ---------------------------------------------------------------- SPARQL protocol

def job_sparql(state: State, gen, *, text: str, select_fmt: str | None, graph_fmt: str | None, max_rows: int,
               default_graphs: list[str] = (), named_graphs: list[str] = (), site: Site | None = None):
    store = state.store(gen)
    kwargs: dict[str, Any] = {}
    try:
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    except ValueError as exc:
        raise Refused(400, f"default-graph-uri / named-graph-uri: not an IRI ({exc})") from None
    result = store.query(text, **kwargs)          # SyntaxError: the parser's message, 400
    if isinstance(result, ox.QueryBoolean):
        fmt = select_fmt
        if fmt is None:
            raise Refused(406, "an ASK result is given as SPARQL JSON, XML, CSV or TSV")
        if fmt == "html":
            body = render("sparql_results.html", site=site, query=text, kind="ask", boolean=bool(result),
                          variables=[], rows=[])
            return 200, R.MEDIA_TYPE_HTML, body, {}
        return 200, _media(fmt), R.ask_bytes(bool(result), fmt), {}
    if isinstance(result, ox.QuerySolutions):
        fmt = select_fmt
        if fmt is None:
            raise Refused(406, "SELECT results are given as SPARQL JSON, XML, CSV or TSV "
                               "(application/sparql-results+json, application/sparql-results+xml, "
                               "text/csv, text/tab-separated-values)")
        variables = [v.value for v in result.variables]
        rows = R.take(result, max_rows)
        if fmt == "html":
            cells = [[_display(sol[v], site) for v in variables] for sol in rows]
            body = render("sparql_results.html", site=site, query=text, kind="select", boolean=None,
                          variables=variables, rows=cells)
            return 200, R.MEDIA_TYPE_HTML, body, {}
        return 200, _media(fmt), R.SELECT_WRITERS[fmt](variables, rows), {}
    # CONSTRUCT / DESCRIBE
    fmt = graph_fmt
    if fmt is None:
        raise Refused(406, "CONSTRUCT and DESCRIBE results are given as Turtle, N-Triples, JSON-LD or RDF/XML "
                           "(text/turtle, application/n-triples, application/ld+json, application/rdf+xml)")
    triples = R.take(result, max_rows, "triples")
    if fmt == "html":
        turtle = R.graph_bytes(triples, "ttl", _prefixes(state.base)).decode("utf-8")
        body = render("sparql_results.html", site=site, query=text, kind="graph", boolean=None,
                      variables=[], rows=[], turtle=turtle, count=len(triples))
        return 200, R.MEDIA_TYPE_HTML, body, {}
    return 200, _media(fmt), R.graph_bytes(triples, fmt, _prefixes(state.base)), {}


def _media(fmt: str) -> str:
    from maillage.server.protocol import MEDIA_TYPE

    return MEDIA_TYPE[fmt]


def _display(term, site: Site | None) -> dict:
    """A result cell for the HTML table: its text, and a link for IRIs."""
    if term is None:
        return {"text": "", "href": None, "kind": "none", "suffix": ""}
    if isinstance(term, ox.NamedNode):
        return {"text": term.value, "href": site.href(term.value) if site else None, "kind": "iri", "suffix": ""}
    if isinstance(term, ox.BlankNode):
        return {"text": f"_:{term.value}", "href": None, "kind": "bnode", "suffix": ""}
    if isinstance(term, ox.Literal):
        suffix = f"@{term.language}" if term.language else ""
        return {"text": term.value, "href": None, "kind": "literal", "suffix": suffix}
    return {"text": str(term), "href": None, "kind": "other", "suffix": ""}


# ---------------------------------------------------------------- canned questions

class Recorder:
    """A store that remembers the last query text it ran, bound (to show it in the editor)."""

    def __init__(self, store: OxigraphStore):
        self.store = store
        self.last = ""
        self.name = store.name

    def select(self, query: str, bindings=None):
        self.last = with_values(query, bindings)
        return self.store.select(query, bindings)

    def __getattr__(self, name):
        return getattr(self.store, name)


def job_canned(state: State, gen, *, name: str, params: dict[str, str], fmt: str, max_rows: int,
               site: Site, choices: dict | None = None):
    from maillage import output, queries

    store = Recorder(state.wrapped(gen))
    try:
        query = queries.get(name)
        result = queries.run(store, name, params)
    except queries.QueryError as exc:
        raise Refused(400, str(exc)) from None
    except ValueError as exc:          # a value pyoxigraph will not take as an IRI or literal
        raise Refused(400, f"bad parameter value: {exc}") from None
    if max_rows and len(result.rows) > max_rows:
        raise R.TooManyRows(max_rows)
    if fmt == "csv":
        return 200, "text/csv; charset=utf-8", output.to_csv(result).encode("utf-8"), {}
    if fmt == "tsv":
        return 200, "text/tab-separated-values; charset=utf-8", output.to_csv(result, "\t").encode("utf-8"), {}
    if fmt == "json":
        return 200, "application/json", output.to_json(result).encode("utf-8"), {}
    links = _label_links(state.store(gen), result, state.base)
    rows = []
    for row in result.rows:
        cells = []
        for v in result.variables:
            cells.append(_canned_cell(v, row.get(v), links, site, state.base, queries.LIST_COLUMNS))
        rows.append(cells)
    body = render("canned.html", site=site, query=query, params=params, variables=result.variables, rows=rows,
                  sparql=store.last, choices=choices or {}, count=len(result.rows))
    return 200, R.MEDIA_TYPE_HTML, body, {}


NUMERIC_COLUMNS = {"amount_eur", "total_eur", "joint_eur"}


def _canned_cell(column: str, value: Any, links: dict[str, str], site: Site, base: str, list_columns) -> dict:
    if value is None:
        return {"parts": [], "numeric": False}
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        text = euros(value) if column in NUMERIC_COLUMNS else number(value)
        return {"parts": [{"text": text, "href": None}], "numeric": True, "sep": ""}
    text = str(value)
    if column == "source":
        parts = []
        for src in text.split():
            parts.append({"text": src, "href": site.href(base + "document/" + src)})
        return {"parts": parts, "numeric": False, "sep": " "}
    sep = list_columns.get(column)
    pieces = text.split(sep) if sep and sep.strip() and sep in text else [text]
    parts = [{"text": p, "href": site.href(links[p.strip()]) if p.strip() in links else None} for p in pieces]
    return {"parts": parts, "numeric": False, "sep": sep or ""}


def _label_links(store: ox.Store, result, base: str) -> dict[str, str]:
    """Label -> URI for the labels in a canned result that name exactly one thing of the graph."""
    from maillage import queries

    labels: set[str] = set()
    for row in result.rows:
        for column, value in row.items():
            if column == "source" or not isinstance(value, str):
                continue
            sep = queries.LIST_COLUMNS.get(column)
            pieces = value.split(sep) if sep and sep.strip() and sep in value else [value]
            labels.update(p.strip() for p in pieces if p.strip())
    if not labels:
        return {}
    found: dict[str, set[str]] = defaultdict(set)
    ordered = sorted(labels)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        values = " ".join(f"{ox.Literal(lab, language='fr')} {ox.Literal(lab)}" for lab in chunk)
        text = (PREFIXES_TEXT + f"SELECT ?s ?lit WHERE {{ VALUES ?lit {{ {values} }} ?s skos:prefLabel ?lit . "
                f"FILTER(STRSTARTS(STR(?s), {ox.Literal(base)})) }}")
        for sol in store.query(text, use_default_graph_as_union=True):
            found[sol["lit"].value].add(sol["s"].value)
    return {label: next(iter(uris)) for label, uris in found.items() if len(uris) == 1}


# ---------------------------------------------------------------- home page, search

def choices(store: ox.Store, base: str, limit: int = 2000) -> dict[str, list[str]]:
    """Values offered in the question forms (datalists): funders, initiatives, organisations,
    territories where something is located, themes, years."""
    q = PREFIXES_TEXT + """
    SELECT DISTINCT ?name WHERE { ?f a mai:Funding ; schema:funder/skos:prefLabel ?name } ORDER BY ?name LIMIT %d"""
    funders = [r["name"] for r in select(store, q % limit)]
    q = PREFIXES_TEXT + "SELECT DISTINCT ?name WHERE { ?i a mai:Initiative ; skos:prefLabel ?name } ORDER BY ?name LIMIT %d"
    initiatives = [r["name"] for r in select(store, q % limit)]
    q = PREFIXES_TEXT + """SELECT DISTINCT ?name WHERE { ?o a org:FormalOrganization ; skos:prefLabel ?name }
        ORDER BY ?name LIMIT %d"""
    organisations = [r["name"] for r in select(store, q % limit)]
    q = PREFIXES_TEXT + """SELECT DISTINCT ?name WHERE {
        { ?x schema:areaServed ?p } UNION { ?x mai:territory ?p }
        ?p mai:within* ?t . ?t skos:prefLabel ?name } ORDER BY ?name LIMIT %d"""
    territories = [r["name"] for r in select(store, q % limit)]
    q = PREFIXES_TEXT + """SELECT DISTINCT ?name WHERE { ?t skos:inScheme <https://w3id.org/maillage/def/theme/> ;
        skos:prefLabel ?name FILTER(LANG(?name) = "fr") } ORDER BY ?name"""
    themes = [r["name"] for r in select(store, q)]
    q = PREFIXES_TEXT + """SELECT DISTINCT ?name WHERE { ?r skos:inScheme <https://w3id.org/maillage/def/role/> ;
        skos:notation ?name } ORDER BY ?name"""
    roles = [r["name"] for r in select(store, q)]
    return {"organisation": organisations, "funder": funders, "initiative": initiatives,
            "territory": territories, "theme": themes, "role": roles}


def job_stats(state: State, gen):
    """Figures for the home page, the service description and VoID."""
    store = state.store(gen)
    q = PREFIXES_TEXT + """SELECT
      (COUNT(DISTINCT ?o) AS ?organisations) WHERE { ?o a org:FormalOrganization }"""
    orgs = select(store, q)[0]["organisations"]
    inis = select(store, PREFIXES_TEXT + "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a mai:Initiative }")[0]["n"]
    funds = select(store, PREFIXES_TEXT + """SELECT (COUNT(DISTINCT ?f) AS ?n) (SUM(?v) AS ?total) WHERE {
        ?f a mai:Funding OPTIONAL { ?f schema:amount/schema:value ?v } }""")[0]
    graphs = select(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    example = select(store, PREFIXES_TEXT + """SELECT ?s WHERE { ?f schema:funder ?s } GROUP BY ?s
        ORDER BY DESC(COUNT(?f)) ?s LIMIT 1""")
    return {"triples": len(store), "organisations": orgs, "initiatives": inis, "fundings": funds["n"],
            "amount": funds["total"], "graphs": [(r["g"], r["n"]) for r in graphs],
            "example": example[0]["s"] if example else None,
            "choices": choices(store, state.base)}


def job_search(state: State, gen, *, q: str, site: Site, limit: int = 200):
    from maillage.queries import normalise

    store = state.store(gen)
    wanted = normalise(q)
    rows = []
    if wanted:
        text = PREFIXES_TEXT + f"""SELECT ?s ?name (SAMPLE(?t) AS ?type) WHERE {{
            ?s skos:prefLabel ?name . OPTIONAL {{ ?s a ?t }}
            FILTER(CONTAINS(LCASE(STR(?name)), LCASE({ox.Literal(q.strip())})))
            FILTER(STRSTARTS(STR(?s), {ox.Literal(state.base)}))
        }} GROUP BY ?s ?name ORDER BY STRLEN(STR(?name)) ?name LIMIT {limit}"""
        rows = select(store, text)
        if not rows:     # accents and case: compare normalised names (slower: all labels)
            text = PREFIXES_TEXT + f"""SELECT ?s ?name (SAMPLE(?t) AS ?type) WHERE {{
                ?s skos:prefLabel ?name . OPTIONAL {{ ?s a ?t }} FILTER(STRSTARTS(STR(?s), {ox.Literal(state.base)}))
            }} GROUP BY ?s ?name"""
            rows = [r for r in select(store, text) if wanted in normalise(r["name"])][:limit]
    hits = [{"label": r["name"], "href": site.href(r["s"]), "type": TYPE_LABELS.get(r["type"], _local(r["type"]))}
            for r in rows]
    return 200, R.MEDIA_TYPE_HTML, render("search.html", site=site, q=q, hits=hits), {}


# ---------------------------------------------------------------- entity pages

TYPE_LABELS = {
    "http://www.w3.org/ns/org#FormalOrganization": "Organisation",
    "http://www.w3.org/ns/org#Membership": "Adhésion",
    "https://schema.org/GovernmentOrganization": "Organisme public",
    "https://schema.org/NGO": "Association, fondation",
    "https://schema.org/Corporation": "Entreprise",
    "https://schema.org/Organization": "Organisation",
    "https://schema.org/Project": "Projet",
    "https://schema.org/MonetaryGrant": "Subvention",
    "https://schema.org/MonetaryAmount": "Montant",
    "https://schema.org/FundingScheme": "Dispositif de financement",
    "http://rdf.insee.fr/def/geo#TerritoireFrancais": "Territoire",
    "http://rdf.insee.fr/def/geo#Region": "Région",
    "http://rdf.insee.fr/def/geo#Departement": "Département",
    "http://rdf.insee.fr/def/geo#Intercommunalite": "Intercommunalité",
    "http://rdf.insee.fr/def/geo#Commune": "Commune",
    "http://www.w3.org/2004/02/skos/core#Concept": "Concept",
    "http://www.w3.org/2004/02/skos/core#ConceptScheme": "Schéma de concepts",
    "http://www.w3.org/ns/prov#Entity": "Entité (PROV)",
}
PREDICATE_LABELS = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "type",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "nom",
    "http://www.w3.org/2004/02/skos/core#altLabel": "autre nom",
    "http://www.w3.org/2004/02/skos/core#notation": "code",
    "http://www.w3.org/2004/02/skos/core#broader": "plus large",
    "http://www.w3.org/2004/02/skos/core#inScheme": "dans le schéma",
    "http://www.w3.org/2000/01/rdf-schema#label": "libellé",
    "http://www.w3.org/2000/01/rdf-schema#comment": "commentaire",
    "https://schema.org/name": "nom",
    "https://schema.org/description": "description",
    "https://schema.org/funder": "financeur",
    "https://schema.org/fundedItem": "financement de",
    "https://schema.org/amount": "montant",
    "https://schema.org/value": "valeur",
    "https://schema.org/currency": "devise",
    "https://schema.org/unitText": "unité",
    "https://schema.org/areaServed": "territoire d'action",
    "https://schema.org/startDate": "début",
    "https://schema.org/endDate": "fin",
    "https://schema.org/population": "population",
    "https://schema.org/duration": "durée",
    "http://www.w3.org/ns/org#member": "membre",
    "http://www.w3.org/ns/org#organization": "organisation",
    "http://www.w3.org/ns/org#role": "rôle",
    "http://www.w3.org/ns/org#classification": "type de structure",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "source",
    "http://purl.org/dc/terms/title": "titre",
    "http://purl.org/dc/terms/identifier": "identifiant",
    "http://purl.org/dc/terms/type": "genre",
    "http://purl.org/dc/terms/date": "date",
    "http://www.w3.org/2002/07/owl#sameAs": "identique à",
    "http://rdf.insee.fr/def/geo#codeINSEE": "code INSEE",
    "http://rdf.insee.fr/def/geo#subdivisionDirecteDe": "subdivision de",
}
LABEL_PROPERTIES = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
                    "https://schema.org/name", "http://purl.org/dc/terms/title")


def _local(uri: Any) -> str:
    if not isinstance(uri, str):
        return ""
    tail = uri.rstrip("/#")
    for sep in ("#", "/"):
        if sep in tail:
            tail = tail.rsplit(sep, 1)[-1]
    return tail or uri


def _valid_iri(uri: str) -> bool:
    try:
        ox.NamedNode(uri)
    except ValueError:
        return False
    return True


def labels_of(store: ox.Store, uris: set[str]) -> dict[str, str]:
    """The best label of each IRI: skos:prefLabel, rdfs:label, schema:name, dct:title; French first."""
    out: dict[str, tuple] = {}
    todo = sorted(u for u in uris if isinstance(u, str) and _valid_iri(u))
    rank_prop = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
    for start in range(0, len(todo), 400):
        chunk = todo[start:start + 400]
        values = " ".join(iri(u) for u in chunk)
        props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        text = f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {props} }} ?x ?p ?l }}"
        for sol in store.query(text, use_default_graph_as_union=True):
            lit = sol["l"]
            if not isinstance(lit, ox.Literal):
                continue
            lang = lit.language or ""
            rank = (rank_prop[sol["p"].value], {"fr": 0, "": 1, "en": 2}.get(lang, 3), lit.value)
            x = sol["x"].value
            if x not in out or rank < out[x][0]:
                out[x] = (rank, lit.value)
    return {x: v[1] for x, v in out.items()}


ENTITY_QUERIES = {
    "fundings_out": """SELECT ?funding ?item ?recipient ?amount ?period ?purpose ?scheme ?object
        (GROUP_CONCAT(DISTINCT STR(?co); separator=" ") AS ?others) (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources)
        WHERE { VALUES ?u { %s } ?funding schema:funder ?u .
          OPTIONAL { ?funding schema:fundedItem ?item } OPTIONAL { ?funding mai:recipient ?recipient }
          OPTIONAL { ?funding schema:amount/schema:value ?amount } OPTIONAL { ?funding mai:period ?period }
          OPTIONAL { ?funding mai:purpose ?purpose } OPTIONAL { ?funding mai:fundingScheme ?scheme }
          OPTIONAL { ?funding schema:description ?object }
          OPTIONAL { ?funding schema:funder ?co FILTER(?co != ?u) } OPTIONAL { ?funding prov:wasDerivedFrom ?src } }
        GROUP BY ?funding ?item ?recipient ?amount ?period ?purpose ?scheme ?object ORDER BY DESC(?amount) ?funding LIMIT 1000""",
    "fundings_in": """SELECT ?funding ?item ?recipient ?amount ?period ?purpose ?scheme ?object
        (GROUP_CONCAT(DISTINCT STR(?f); separator=" ") AS ?others) (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources)
        WHERE { VALUES ?u { %s } { ?funding schema:fundedItem ?u } UNION { ?funding mai:recipient ?u }
          ?funding a mai:Funding .
          OPTIONAL { ?funding schema:fundedItem ?item } OPTIONAL { ?funding mai:recipient ?recipient }
          OPTIONAL { ?funding schema:amount/schema:value ?amount } OPTIONAL { ?funding mai:period ?period }
          OPTIONAL { ?funding mai:purpose ?purpose } OPTIONAL { ?funding mai:fundingScheme ?scheme }
          OPTIONAL { ?funding schema:description ?object }
          OPTIONAL { ?funding schema:funder ?f } OPTIONAL { ?funding prov:wasDerivedFrom ?src } }
        GROUP BY ?funding ?item ?recipient ?amount ?period ?purpose ?scheme ?object ORDER BY DESC(?amount) ?funding LIMIT 1000""",
    "takes_part": """SELECT ?fact ?other ?role ?type (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources)
        WHERE { VALUES ?u { %s } ?fact org:member ?u ; org:organization ?other . ?fact a ?type .
          OPTIONAL { ?fact org:role ?role } OPTIONAL { ?fact prov:wasDerivedFrom ?src }
          FILTER(?type IN (mai:Participation, org:Membership)) }
        GROUP BY ?fact ?other ?role ?type ORDER BY ?other LIMIT 1000""",
    "members": """SELECT ?fact ?other ?role ?type (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources)
        WHERE { VALUES ?u { %s } ?fact org:organization ?u ; org:member ?other . ?fact a ?type .
          OPTIONAL { ?fact org:role ?role } OPTIONAL { ?fact prov:wasDerivedFrom ?src }
          FILTER(?type IN (mai:Participation, org:Membership)) }
        GROUP BY ?fact ?other ?role ?type ORDER BY ?role ?other LIMIT 1000""",
    "partners": """SELECT ?other (COUNT(DISTINCT ?i) AS ?shared) (GROUP_CONCAT(DISTINCT STR(?i); separator=" ") AS ?items)
        WHERE { VALUES ?u { %s }
          { ?p1 org:member ?u ; org:organization ?i ; a mai:Participation } UNION { ?f1 schema:funder ?u ; schema:fundedItem ?i }
          { ?p2 org:member ?other ; org:organization ?i ; a mai:Participation } UNION { ?f2 schema:funder ?other ; schema:fundedItem ?i }
          FILTER(?other != ?u) }
        GROUP BY ?other ORDER BY DESC(?shared) ?other LIMIT 500""",
    "within": """SELECT ?t WHERE { VALUES ?u { %s } ?u mai:within+ ?t }""",
    "subdivisions": """SELECT ?t WHERE { VALUES ?u { %s } ?t mai:within ?u } LIMIT 500""",
    "located": """SELECT DISTINCT ?x ?kind WHERE { VALUES ?u { %s } ?place mai:within* ?u .
          { ?x schema:areaServed ?place BIND("initiative" AS ?kind) } UNION { ?x mai:territory ?place BIND("organisation" AS ?kind) } }
        LIMIT 600""",
    "facts": """SELECT ?fact ?passage ?type WHERE { VALUES ?u { %s } ?fact prov:wasDerivedFrom ?passage .
          FILTER(STRSTARTS(STR(?passage), CONCAT(STR(?u), "#")) || ?passage = ?u) OPTIONAL { ?fact a ?type } }
        LIMIT 2000""",
    "out": """SELECT ?p ?o WHERE { VALUES ?u { %s } ?u ?p ?o } LIMIT 2000""",
    "in": """SELECT DISTINCT ?s ?p WHERE { VALUES ?u { %s } ?s ?p ?u } LIMIT 500""",
}


def _rows(store: ox.Store, key: str, uri_term: str) -> list[dict]:
    return select(store, PREFIXES_TEXT + ENTITY_QUERIES[key] % uri_term)


def _split(value: Any) -> list[str]:
    return [v for v in (value or "").split() if v] if isinstance(value, str) else []


def job_entity(state: State, gen, *, uris: list[str], fmt: str, site: Site):
    """The page (or RDF description) of the first of ``uris`` the graph knows: a thing, or a
    named graph (then its content). RDF descriptions are not capped (they are bounded by the
    thing's neighbours); the time limit still holds."""
    store = state.store(gen)
    uri = term = None
    graph = False
    for candidate in uris:
        t = iri(candidate)
        if bool(store.query(f"ASK {{ {{ {t} ?p ?o }} UNION {{ ?s ?p {t} }} }}", use_default_graph_as_union=True)):
            uri, term = candidate, t
            break
        if bool(store.query(f"ASK {{ GRAPH {t} {{ ?s ?p ?o }} }}")):
            uri, term, graph = candidate, t, True
            break
    if uri is None:
        raise Refused(404, f"nothing is known about <{uris[0]}> in this graph")
    if graph:
        return _graph_document(store, uri, term, fmt, site, state.base)
    if fmt != "html":
        # the entity's own description: every triple about it, every triple pointing to it,
        # and the labels of its neighbours (so a client can show them)
        text = (f"CONSTRUCT {{ {term} ?p ?o . ?s ?q {term} . ?o <{LABEL_PROPERTIES[0]}> ?ol . ?s <{LABEL_PROPERTIES[0]}> ?sl }} "
                f"WHERE {{ {{ {term} ?p ?o OPTIONAL {{ ?o <{LABEL_PROPERTIES[0]}> ?ol }} }} "
                f"UNION {{ ?s ?q {term} OPTIONAL {{ ?s <{LABEL_PROPERTIES[0]}> ?sl }} }} }}")
        triples = list(store.query(text, use_default_graph_as_union=True))
        return 200, _media(fmt), _graph_body(triples, fmt, state.base), {}
    return 200, R.MEDIA_TYPE_HTML, render("entity.html", **entity_context(store, uri, term, site)), {}


def _graph_body(triples: list, fmt: str, base: str) -> bytes:
    if fmt == "jsonld":
        return _compact_jsonld(triples, base)
    return R.graph_bytes(triples, fmt, _prefixes(base))


def _graph_document(store: ox.Store, uri: str, term: str, fmt: str, site: Site, base: str):
    """A named graph (one per source document): its triples, or a page about it."""
    if fmt != "html":
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(uri))]
        return 200, _media(fmt), _graph_body(triples, fmt, base), {}
    count = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {term} {{ ?s ?p ?o }} }}")[0]["n"]
    rows = select(store, PREFIXES_TEXT + f"""SELECT ?s (SAMPLE(?t) AS ?type) WHERE {{ GRAPH {term} {{ ?s a ?t }}
        FILTER(isIRI(?s)) }} GROUP BY ?s ORDER BY ?s LIMIT 1000""")
    labels = labels_of(store, {r["s"] for r in rows} | {r["type"] for r in rows})
    things = sorted(({"text": labels.get(r["s"]) or _local(r["s"]), "href": site.href(r["s"]),
                      "type": labels.get(r["type"]) or TYPE_LABELS.get(r["type"]) or _local(r["type"])} for r in rows),
                    key=lambda d: (d["type"], d["text"].casefold()))
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    docs = select(store, PREFIXES_TEXT + f"""SELECT ?d WHERE {{ ?d a mai:SourceDocument ; dct:identifier ?id
        FILTER(STRSTARTS(?id, {ox.Literal(name)})) }} LIMIT 1""")
    document = {"text": name, "href": site.href(docs[0]["d"])} if docs else None
    body = render("graph.html", site=site, uri=uri, name=name, count=count, things=things, document=document)
    return 200, R.MEDIA_TYPE_HTML, body, {}


def _compact_jsonld(triples: list, base: str) -> bytes:
    """JSON-LD with the same compact context as `maillage export -f jsonld`."""
    from rdflib import Graph

    from maillage.export import jsonld_context

    g = Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return g.serialize(format="json-ld", context=jsonld_context(base), auto_compact=True, encoding="utf-8")


def entity_context(store: ox.Store, uri: str, term: str, site: Site) -> dict:
    out_rows = _rows(store, "out", term)
    props: dict[str, list] = defaultdict(list)
    for r in out_rows:
        props[r["p"]].append(r["o"])
    types = sorted(t for t in props.get(PREDICATE_RDF_TYPE, []) if isinstance(t, str))
    is_org = "http://www.w3.org/ns/org#FormalOrganization" in types
    is_initiative = "https://w3id.org/maillage/def#Initiative" in types
    is_territory = "http://rdf.insee.fr/def/geo#TerritoireFrancais" in types
    is_document = "https://w3id.org/maillage/def#SourceDocument" in types

    sections: dict[str, list] = {}
    sections["fundings_out"] = _rows(store, "fundings_out", term)
    sections["fundings_in"] = _rows(store, "fundings_in", term)
    sections["takes_part"] = _rows(store, "takes_part", term)
    sections["members"] = _rows(store, "members", term)
    sections["partners"] = _rows(store, "partners", term) if (is_org or sections["takes_part"]) else []
    sections["within"] = _rows(store, "within", term) if is_territory or "https://w3id.org/maillage/def#within" in props else []
    sections["subdivisions"] = _rows(store, "subdivisions", term) if is_territory else []
    sections["located"] = _rows(store, "located", term) if is_territory else []
    sections["facts"] = _rows(store, "facts", term) if is_document else []
    in_rows = _rows(store, "in", term)

    # every IRI shown gets a label
    uris: set[str] = {uri}
    for rows in (*sections.values(), out_rows, in_rows):
        for r in rows:
            for k, v in r.items():
                if k in ("others", "items"):
                    uris.update(_split(v))
                elif k != "sources" and isinstance(v, str) and v.startswith(("http://", "https://")):
                    uris.add(v)
    labels = labels_of(store, uris)

    def label(u: Any) -> str:
        if u is None:
            return ""
        if not isinstance(u, str):
            return str(u)
        return labels.get(u) or TYPE_LABELS.get(u) or PREDICATE_LABELS.get(u) or _local(u)

    def link(u: Any) -> dict:
        if not isinstance(u, str) or not u.startswith(("http://", "https://")):
            return {"text": "" if u is None else str(u), "href": None}
        return {"text": label(u), "href": site.href(u)}

    def source(u: str) -> dict:
        text = u[len(site.base) + len("document/"):] if u.startswith(site.base + "document/") else u
        return {"text": text, "href": site.href(u)}

    def funding_row(r: dict, incoming: bool) -> dict:
        return {"funding": link(r["funding"]), "item": link(r["item"]) if r["item"] and r["item"] != uri else None,
                "recipient": link(r["recipient"]) if r["recipient"] and r["recipient"] != uri else None,
                "amount": r["amount"], "period": r["period"] or "", "purpose": label(r["purpose"]) if r["purpose"] else "",
                "scheme": link(r["scheme"]) if r["scheme"] else None, "object": r["object"] or "",
                "others": [link(x) for x in _split(r["others"])],
                "sources": [source(s) for s in _split(r["sources"])]}

    fundings_out = [funding_row(r, False) for r in sections["fundings_out"]]
    fundings_in = [funding_row(r, True) for r in sections["fundings_in"]]
    total_out = sum((Decimal(str(r["amount"])) for r in sections["fundings_out"] if r["amount"] is not None), Decimal(0))
    total_in = sum((Decimal(str(r["amount"])) for r in sections["fundings_in"] if r["amount"] is not None), Decimal(0))

    def part_row(r: dict) -> dict:
        return {"other": link(r["other"]), "role": label(r["role"]) if r["role"] else "",
                "membership": r["type"] == "http://www.w3.org/ns/org#Membership",
                "sources": [source(s) for s in _split(r["sources"])]}

    partners = [{"other": link(r["other"]), "shared": r["shared"], "initiatives": [link(i) for i in _split(r["items"])]}
                for r in sections["partners"]]
    located_ini = [link(r["x"]) for r in sections["located"] if r["kind"] == "initiative"]
    located_org = [link(r["x"]) for r in sections["located"] if r["kind"] == "organisation"]
    for group in (located_ini, located_org):
        group.sort(key=lambda d: d["text"].casefold())
    within = sorted((link(r["t"]) for r in sections["within"]), key=lambda d: d["text"])
    subdivisions = sorted((link(r["t"]) for r in sections["subdivisions"]), key=lambda d: d["text"].casefold())
    facts = sorted(({"fact": link(r["fact"]), "type": label(r["type"]) if r["type"] else "",
                     "passage": source(r["passage"])} for r in sections["facts"]),
                   key=lambda d: (d["type"], d["fact"]["text"]))

    def value(v: Any) -> dict:
        if isinstance(v, str) and v.startswith(("http://", "https://")):
            return link(v)
        return {"text": str(v), "href": None}

    statements = []
    for p in sorted(props, key=lambda p: (p != PREDICATE_RDF_TYPE, label(p))):
        vals = props[p]
        shown = [source(v) if p == "http://www.w3.org/ns/prov#wasDerivedFrom" and isinstance(v, str) else value(v)
                 for v in vals]
        shown.sort(key=lambda d: d["text"])
        statements.append({"predicate": {"text": label(p), "href": site.href(p), "iri": p}, "objects": shown})
    incoming = sorted(({"subject": link(r["s"]), "predicate": label(r["p"])} for r in in_rows),
                      key=lambda d: (d["predicate"], d["subject"]["text"]))

    kinds = [label(k) for k in props.get("http://www.w3.org/ns/org#classification", [])]
    territory = [link(t) for t in props.get("https://w3id.org/maillage/def#territory", []) +
                 props.get("https://schema.org/areaServed", [])]
    descriptions = [str(d) for d in props.get("https://schema.org/description", [])]
    sources = sorted((source(s) for s in props.get("http://www.w3.org/ns/prov#wasDerivedFrom", []) if isinstance(s, str)),
                     key=lambda d: d["text"])
    in_network = ((is_org and (any(r["type"] != ORG_MEMBERSHIP for r in sections["takes_part"])
                               or any(r["item"] for r in sections["fundings_out"])))
                  or (is_initiative and (sections["members"] or fundings_in)))
    network = site.network_path(uri) if in_network else None
    return {
        "site": site, "uri": uri, "label": label(uri), "types": [label(t) for t in types],
        "kinds": kinds, "territory": territory, "descriptions": descriptions, "sources": sources,
        "fundings_out": fundings_out, "fundings_in": fundings_in, "total_out": total_out, "total_in": total_in,
        "takes_part": [part_row(r) for r in sections["takes_part"]],
        "members": [part_row(r) for r in sections["members"]],
        "partners": partners, "within": within, "subdivisions": subdivisions,
        "located_initiatives": located_ini, "located_organisations": located_org, "facts": facts,
        "statements": statements, "incoming": incoming, "network": network,
        "is_org": is_org, "is_initiative": is_initiative, "is_territory": is_territory, "is_document": is_document,
    }


PREDICATE_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ORG_MEMBERSHIP = "http://www.w3.org/ns/org#Membership"


# ---------------------------------------------------------------- batch jobs (their own process)

def job_dump(state: State, gen, *, fmt: str, path: str):
    """A whole-graph dump written to ``path``: TriG keeps one graph per source, Turtle is their
    union (each triple once), both written by pyoxigraph; JSON-LD is the union with the compact
    context of `maillage export -f jsonld` (written by rdflib)."""
    store = state.store(gen)
    prefixes = _prefixes(state.base)
    tmp = Path(path).with_suffix(".part")
    if fmt == "trig":
        store.dump(str(tmp), format=ox.RdfFormat.TRIG, prefixes=prefixes)
    elif fmt == "ttl":
        triples = sorted({q.triple for q in store}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        ox.serialize(triples, str(tmp), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    else:
        from maillage.export import export_rdf

        tmp.write_bytes(export_rdf(store.dump(format=ox.RdfFormat.N_QUADS), fmt, state.base))
    os.replace(tmp, path)
    return os.path.getsize(path)


class _OnceStore:
    """A store that answers each distinct query once (within one job): the cooperation and
    bipartite projections read the same participation rows."""

    def __init__(self, store: OxigraphStore):
        self.store = store
        self.name = store.name
        self._seen: dict = {}

    def select(self, query: str, bindings=None):
        key = (query, tuple(sorted((k, str(v)) for k, v in (bindings or {}).items())))
        if key not in self._seen:
            self._seen[key] = self.store.select(query, bindings)
        return self._seen[key]

    def __getattr__(self, name):
        return getattr(self.store, name)


def job_cooperation(state: State, gen):
    """The cooperation network (graph.projections, annotated by graph.metrics) and, for each
    initiative, the organisations that take part in it or fund it: computed once per graph."""
    from maillage.graph import metrics, projections

    store = _OnceStore(state.wrapped(gen))
    g = metrics.annotate(projections.cooperation(store))
    b = projections.bipartite(store)
    members = {n: sorted(b.neighbors(n)) for n, d in b.nodes(data=True) if d.get("bipartite") == "initiative"}
    labels = {n: d.get("label") for n, d in b.nodes(data=True) if d.get("bipartite") == "initiative"}
    return g, members, labels


def job_network_page(state: State, gen, *, graph, title: str, max_nodes: int):
    """The partner-network page (viz.network) of ``graph``."""
    from maillage.viz.network import write_network_page

    with tempfile.TemporaryDirectory() as tmp:
        path = write_network_page(graph, Path(tmp) / "network.html", title=title, max_nodes=max_nodes or None)
        return path.read_bytes()


def job_update(state: State, gen, *, text: str):
    store = state.store(gen)
    before = len(store)
    store.update(text)          # SyntaxError: 400
    store.flush()
    after = len(store)
    return {"before": before, "after": after}


JOBS = {
    "sparql": job_sparql, "canned": job_canned, "entity": job_entity, "stats": job_stats, "search": job_search,
    "dump": job_dump, "cooperation": job_cooperation, "network_page": job_network_page, "update": job_update,
}


# ---------------------------------------------------------------- the process

def serve(conn, store_dir: str, base: str, memory_mb: int = 0, writable: bool = False) -> None:
    """Entry point of a worker process: answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the server stops its workers itself
    if memory_mb:
        try:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
        except (ValueError, OSError):
            pass
    state = State(store_dir, base, writable)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        name, gen, kwargs = message
        try:
            reply = ("ok", JOBS[name](state, gen, **kwargs))
        except Refused as exc:
            reply = ("err", exc.status, exc.message)
        except SyntaxError as exc:
            reply = ("err", 400, f"SPARQL syntax error: {exc}")
        except R.TooManyRows as exc:
            reply = ("err", 413, f"the result has more than {exc.cap} {exc.what}, the server's cap (--max-rows): "
                                 "add a LIMIT, narrow the query, or download the whole graph from /download/")
        except MemoryError:
            reply = ("err", 503, "the query needed more memory than a query may use on this server")
        except Exception as exc:  # noqa: BLE001  (logged here, never sent to the client)
            print(f"maillage worker {os.getpid()}: {name} failed:", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            text = str(exc)
            if isinstance(exc, (OSError, RuntimeError)) and ("Transaction" in text or "lock" in text.lower()):
                reply = ("err", 503, "the store is busy or read-only: try again later")
            else:
                reply = ("err", 500, "internal error (logged by the server)")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
