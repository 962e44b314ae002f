"""`maillage serve`: the real server (the CLI command, uvicorn, worker processes) on a free loopback
port, queried with SPARQLWrapper (JSON, XML, CSV, TSV), rdflib's SPARQLStore and plain HTTP;
answers are compared with the same queries run on the local store. Then the limits (update
refused, runaway query stopped, result cap, SERVICE refused), the linked data (every kind of
minted URI, content negotiation, VoID, dumps), the explorer pages, hostile labels and a
browser walk through the explorer.
"""

from __future__ import annotations

import concurrent.futures
import csv
import io
import os
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from maillage import output, query as queries
from maillage.config import REPO_ROOT, Settings
from maillage.server.launch import ServerProcess
from maillage.store import _ox_value, _rdflib_value, open_store, with_values
from maillage.store.remote import json_value

from conftest import require

TIMEOUT = 2            # the test servers' time limit (s)
MAX_ROWS = 1000
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
EVIL = '<script>alert("x")</script> Rotary "club" d\'Issoire & <img src=x onerror=alert(1)>'
INJECTION = '"} ; DROP ALL #'
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# canned questions with parameters people would give, to compare remote and local answers
CASES = [
    ("who-funds-what", {}),
    ("who-funds-what", {"funder": "Fondation Macif"}),
    ("who-funds-what", {"territory": "Hauts-de-France"}),
    ("funders-of", {"initiative": "Api Truck's"}),
    ("partners-of", {"organisation": "CCAS de Barlin"}),
    ("initiatives-in", {"territory": "Pas-de-Calais"}),
    ("co-funders", {}),
    ("funding-totals", {}),
]


# ---------------------------------------------------------------- servers

@pytest.fixture(scope="module")
def server(built):
    with ServerProcess(built.store_dir, "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS)) as srv:
        yield srv


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A store built from a copy of the records where an organisation's name is hostile HTML."""
    from maillage.build import build

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(REPO_ROOT / "data", data, ignore=shutil.ignore_patterns("territories", "__pycache__", "*.py"))
    target = data / "000_db57453d3f781195.yaml"
    text = target.read_text(encoding="utf-8")
    assert "name: Rotary club d'Issoire" in text
    yaml_name = "'" + EVIL.replace("'", "''") + "'"
    target.write_text(text.replace("name: Rotary club d'Issoire", f"name: {yaml_name}", 1), encoding="utf-8")
    settings = Settings(data_dir=data, store_dir=root / "store")
    build(settings)
    with ServerProcess(settings.store_dir, "--timeout", str(TIMEOUT)) as srv:
        yield srv


def bound(store, name: str, params: dict) -> str:
    """The query text a canned question sends with its parameters bound (as queries.run does)."""
    prepared = queries.prepare(store, name, params)
    given = [p.name for p in prepared.query.params if p.variable in prepared.bindings]
    return with_values(prepared.query.text_for(given), prepared.bindings)


def normalised(rows: list[dict]) -> list[dict]:
    """GROUP_CONCAT columns sorted inside (their order is the engine's), as queries.run does."""
    out = []
    for row in rows:
        row = dict(row)
        for column, sep in queries.LIST_COLUMNS.items():
            if isinstance(row.get(column), str):
                row[column] = sep.join(sorted(row[column].split(sep)))
        out.append(row)
    return out


def local_terms(store, text: str) -> tuple[list[str], list]:
    result = store.raw_query(text)
    variables = [v.value for v in result.variables]
    return variables, [[sol[v] for v in variables] for sol in result]


def lexical(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


# ---------------------------------------------------------------- SPARQL protocol

def test_sparqlwrapper_four_formats_equal_local(server, store):
    from SPARQLWrapper import CSV, JSON, POST, SELECT, TSV, XML, SPARQLWrapper

    def wrapper(text: str, fmt: str) -> SPARQLWrapper:
        sw = SPARQLWrapper(server.endpoint)
        sw.setMethod(POST)
        sw.setReturnFormat(fmt)
        sw.setQuery(text)
        sw.queryType = SELECT        # its regex would read the comments of the query files
        return sw

    for name, params in CASES:
        text = bound(store, name, params)
        expected = normalised(store.select(text).rows)
        variables, terms = local_terms(store, text)
        assert expected, f"{name} {params}: the local answer is empty, the comparison would prove nothing"

        data = wrapper(text, JSON).queryAndConvert()
        assert data["head"]["vars"] == variables
        got = [{v: json_value(b.get(v)) for v in variables} for b in data["results"]["bindings"]]
        assert normalised(got) == expected, (name, params, "JSON")

        doc = wrapper(text, XML).queryAndConvert()
        assert [v.getAttribute("name") for v in doc.getElementsByTagName("variable")] == variables
        got = []
        for result in doc.getElementsByTagName("result"):
            row = dict.fromkeys(variables)
            for b in result.getElementsByTagName("binding"):
                el = next(c for c in b.childNodes if c.nodeType == c.ELEMENT_NODE)
                value = "".join(t.data for t in el.childNodes if t.nodeType == t.TEXT_NODE)
                binding = {"type": el.tagName if el.tagName != "literal" else "literal", "value": value}
                if el.getAttribute("datatype"):
                    binding["datatype"] = el.getAttribute("datatype")
                row[b.getAttribute("name")] = json_value(binding)
            got.append(row)
        assert normalised(got) == expected, (name, params, "XML")

        response = wrapper(text, CSV).query()
        assert response.info()["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.convert().decode("utf-8"))))
        assert rows[0] == variables
        assert normalised([dict(zip(variables, r)) for r in rows[1:]]) == \
            normalised([dict(zip(variables, map(lexical, r))) for r in terms]), (name, params, "CSV")

        response = wrapper(text, TSV).query()
        assert response.info()["content-type"].startswith("text/tab-separated-values")   # TSV asked, TSV given
        body = response.convert()
        assert body.decode("utf-8").split("\n", 1)[0] == "\t".join(f"?{v}" for v in variables)
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
        got = [{v: _ox_value(sol[v]) for v in variables} for sol in parsed]
        assert normalised(got) == expected, (name, params, "TSV")


def test_rdflib_sparqlstore_equals_local(server, store):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(server.endpoint))      # GET, SPARQL XML results
    for name, params in CASES[:5]:
        text = bound(store, name, params)
        result = remote.query(text)
        variables = [str(v) for v in result.vars]
        got = [{v: _rdflib_value(row[v]) for v in variables} for row in result]
        assert normalised(got) == normalised(store.select(text).rows), (name, params)
    construct = ("PREFIX schema: <https://schema.org/> CONSTRUCT { ?f schema:funder ?o } "
                 "WHERE { ?f schema:funder ?o }")
    got = set(remote.query(construct).graph)
    local = {(URIRef(t.subject.value), URIRef(t.predicate.value), URIRef(t.object.value))
             for t in store.raw_query(construct)}
    assert got == local and len(got) > 10


def test_plain_http_get_post_negotiation_and_cors(http, store):
    text = bound(store, "who-funds-what", {"funder": "Fondation Macif"})
    expected = normalised(store.select(text).rows)

    def rows_of(response) -> list[dict]:
        data = response.json()
        return normalised([{v: json_value(b.get(v)) for v in data["head"]["vars"]} for b in data["results"]["bindings"]])

    r = http.get("/sparql", params={"query": text}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/sparql-results+json"
    assert r.headers["access-control-allow-origin"] == "*"
    assert rows_of(r) == expected
    r = http.post("/sparql", data={"query": text, "format": "json"})
    assert rows_of(r) == expected
    r = http.post("/sparql", content=text.encode(), headers={"Content-Type": "application/sparql-query",
                                                             "Accept": "application/json"})
    assert rows_of(r) == expected
    # every writer is read back by pyoxigraph's own parsers
    for accept, fmt in [("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
                        ("application/sparql-results+json", ox.QueryResultsFormat.JSON)]:
        r = http.post("/sparql", data={"query": text}, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == accept
        parsed = ox.parse_query_results(r.content, format=fmt)
        assert normalised([{v.value: _ox_value(s[v.value]) for v in parsed.variables} for s in parsed]) == expected
    r = http.post("/sparql", data={"query": text}, headers={"Accept": "text/csv;q=0.9, text/tab-separated-values;q=0.5"})
    assert r.headers["content-type"].startswith("text/csv") and r.text.startswith("funder,")
    # ASK, CONSTRUCT and DESCRIBE
    r = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert r.json() == {"head": {}, "boolean": True}
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER(?s = <https://w3id.org/maillage/id/org/fondation-macif>) }"
    local = Graph().parse(data=ox.serialize(list(store.raw_query(construct)), format=ox.RdfFormat.N_TRIPLES).decode(),
                          format="nt")
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")]:
        r = http.get("/sparql", params={"query": construct}, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == accept
        assert set(Graph().parse(data=r.text, format=fmt)) == set(local), accept
    r = http.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/maillage/id/org/fondation-macif>"},
                 headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "Fondation Macif" in r.text
    # nothing acceptable: 406, not some other format with 200
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = http.get("/sparql", params={"query": construct, "format": "csv"})
    assert r.status_code == 406
    # CORS preflight for read queries
    r = http.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204 and r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]


def test_service_description_and_void(http, store):
    r = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    sd = Graph().parse(data=r.text, format="turtle")
    SD = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(str(http.base_url).rstrip("/") + "/sparql")
    assert (endpoint, URIRef(SD + "endpoint"), endpoint) in sd
    assert (endpoint, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in sd
    assert (endpoint, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Update")) not in sd
    assert (endpoint, URIRef(SD + "resultFormat"), URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV")) in sd
    r = http.get("/sparql", headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/editor"

    r = http.get("/.well-known/void")
    assert r.status_code == 200
    void = Graph().parse(data=r.text, format="turtle")
    VOID = "http://rdfs.org/ns/void#"
    ds = URIRef(str(http.base_url).rstrip("/") + "/.well-known/void#maillage")
    assert (ds, URIRef(VOID + "sparqlEndpoint"), endpoint) in void
    assert int(next(void.objects(ds, URIRef(VOID + "triples")))) == len(store)
    dumps = {str(o) for o in void.objects(ds, URIRef(VOID + "dataDump"))}
    assert {u.rsplit("/", 1)[-1] for u in dumps} == {"maillage.ttl", "maillage.jsonld", "maillage.trig"}
    r = http.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert set(Graph().parse(data=r.text, format="json-ld")) == set(void)


def _by_value(triples) -> set:
    """Triples with numbers compared by value (rdflib writes the decimal 5 as 5.0)."""
    out = set()
    for s, p, o in triples:
        if isinstance(o, Literal) and o.datatype is not None and o.value is not None and not isinstance(o.value, str):
            o = (str(o.datatype), o.value)
        out.add((s, p, o))
    return out


def test_dumps_hold_the_whole_graph(http, store):
    quads = Dataset()
    quads.parse(data=store.nquads(), format="nquads")
    triples = {(s, p, o) for s, p, o, _ in quads.quads((None, None, None, None))}
    r = http.get("/download/maillage.ttl")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert _by_value(Graph().parse(data=r.text, format="turtle")) == _by_value(triples)
    r = http.get("/download/maillage.jsonld")
    assert r.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=r.text, format="json-ld")) == len(triples)
    r = http.get("/download/maillage.trig")
    ds = Dataset()
    ds.parse(data=r.text, format="trig")
    assert sum(1 for _ in ds.quads((None, None, None, None))) == len(store)
    assert http.get("/download/maillage.xml").status_code == 404


# ---------------------------------------------------------------- limits

def test_update_is_refused_without_a_token(http, store):
    before = len(store)
    insert = "INSERT DATA { <urn:x> <urn:y> <urn:z> }"
    for request in [
        lambda: http.post("/sparql", data={"update": insert}),
        lambda: http.post("/sparql", content=insert, headers={"Content-Type": "application/sparql-update"}),
        lambda: http.post("/sparql", data={"update": "DROP ALL"}, headers={"Authorization": "Bearer guess"}),
        lambda: http.post("/sparql", data={"query": "DROP ALL"}),
        lambda: http.get("/sparql", params={"update": "CLEAR DEFAULT"}),
        lambda: http.post("/sparql", content="PREFIX x: <urn:x> # comment\nDELETE WHERE { ?s ?p ?o }",
                          headers={"Content-Type": "application/sparql-query"}),
    ]:
        r = request()
        assert r.status_code == 403, r.text
        assert "refused" in r.text and "Traceback" not in r.text
    assert http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                    headers={"Accept": "text/csv"}).text.split()[1] == str(before)


def test_update_with_the_token(built, tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(built.store_dir, store_dir)
    with ServerProcess(store_dir, "--update-token", "s3cret", "--timeout", str(TIMEOUT)) as srv, \
            httpx.Client(base_url=srv.url, timeout=30) as http:
        insert = "INSERT DATA { GRAPH <urn:g> { <urn:x> <http://www.w3.org/2004/02/skos/core#prefLabel> \"ajouté\" } }"
        ask = {"query": "ASK { <urn:x> ?p \"ajouté\" }"}
        assert http.get("/sparql", params=ask).json()["boolean"] is False
        assert http.post("/sparql", data={"update": insert}).status_code == 403
        assert http.post("/sparql", data={"update": insert}, headers={"Authorization": "Bearer wrong"}).status_code == 403
        r = http.post("/sparql", data={"update": insert}, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 200, r.text
        assert http.get("/sparql", params=ask).json()["boolean"] is True       # workers see it, no stale cache
        sd = http.get("/sparql", headers={"Accept": "text/turtle"}).text
        assert "SPARQL11Update" in sd
        r = http.post("/sparql", data={"update": "INSERT DATA { <urn:x> <urn:y> "}, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 400 and "syntax" in r.text.lower()
    assert open_store(built.store_dir).select("SELECT * WHERE { <urn:x> ?p ?o }").rows == []   # the original is untouched


def test_runaway_query_is_stopped_and_the_server_still_answers(server, http):
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        start = time.perf_counter()
        runaway = pool.submit(lambda: httpx.post(server.endpoint, data={"query": RUNAWAY}, timeout=60))
        time.sleep(0.4)
        while not runaway.done():     # a cheap query meanwhile (a new text each time: no cache)
            t0 = time.perf_counter()
            r = http.post("/sparql", data={"query": f"ASK {{ ?s ?p ?o }} # {t0}"})
            assert r.status_code == 200 and time.perf_counter() - t0 < 1.0
            time.sleep(0.2)
        r = runaway.result()
        elapsed = time.perf_counter() - start
    assert r.status_code == 504, r.text
    assert f"stopped after {TIMEOUT} s" in r.text and "Traceback" not in r.text
    assert TIMEOUT <= elapsed < TIMEOUT + 3
    t0 = time.perf_counter()
    r = http.post("/sparql", data={"query": "ASK { ?s ?p ?o } # after"})
    assert r.status_code == 200 and time.perf_counter() - t0 < 1.0
    time.sleep(0.3)
    pool_state = server.health()["pool"]
    assert pool_state["timeouts"] >= 1 and pool_state["workers"] == 2      # killed and replaced


def test_malformed_capped_and_federated_queries(http):
    r = http.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400
    assert r.text.startswith("SPARQL syntax error: error at 1:") and "Traceback" not in r.text
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 413 and f"more than {MAX_ROWS} rows" in r.text
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10", "format": "csv"})
    assert r.status_code == 200 and len(r.text.strip().splitlines()) == 11
    r = http.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE" in r.text
    # a SERVICE keyword inside a string or a comment is just text
    r = http.get("/sparql", params={"query": "SELECT * WHERE { BIND(\"SERVICE\" AS ?x) } # SERVICE"})
    assert r.status_code == 200
    r = http.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_injection_in_canned_parameters_is_harmless(http, server, store):
    before = len(store)
    for key in ("funder", "initiative", "territory", "theme", "year"):
        r = http.get("/query/who-funds-what", params={key: INJECTION})
        assert r.status_code == 400, (key, r.status_code)
        assert "DROP ALL #" in r.text.replace("&#34;", '"').replace("&#39;", "'")
        assert "Traceback" not in r.text
    r = http.get("/query/who-funds-what", params={"funder": "http://x/" + INJECTION, "format": "json"})
    assert r.status_code == 400 and "Traceback" not in r.text
    # bound as a literal by a remote client: nothing matches, nothing is dropped
    from maillage.store.remote import RemoteStore

    remote = RemoteStore(server.endpoint)
    rows = remote.select("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s WHERE { ?s skos:prefLabel ?name }",
                         {"name": Literal(INJECTION)}).rows
    assert rows == []
    assert len(store) == before == len(remote)


# ---------------------------------------------------------------- linked data

def test_every_kind_of_minted_uri_dereferences(http, store):
    base = Settings().base
    minted = sorted({t.value.split("#")[0] for sol in store.raw_query(
        "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } FILTER(isIRI(?x)) }")
        for t in [sol["x"]] if t.value.startswith(base)})
    minted += [g.value for g in (sol["g"] for sol in store.raw_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
               if g.value.startswith(base)]
    kinds = {}
    for uri in minted:
        kinds.setdefault(uri[len(base):].split("/")[0], uri)
    assert {"org", "initiative", "funding", "territoire", "document", "graph", "participation"} <= set(kinds)
    sample = sorted(set(kinds.values()) | set(minted[:: max(1, len(minted) // 40)]))
    for uri in sample:
        path = "/id/" + uri[len(base):]
        r = http.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 200, (uri, r.status_code, r.text[:200])
        assert r.headers["content-type"].startswith("text/html") and r.headers.get("vary") == "Accept"
        r = http.get(path, headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle"), uri
        Graph().parse(data=r.text, format="turtle")
    assert http.get("/id/org/nobody-at-all").status_code == 404


def test_entity_content_negotiation(http, store):
    uri = "https://w3id.org/maillage/id/org/fondation-macif"
    turtle = Graph().parse(data=http.get("/id/org/fondation-macif", headers={"Accept": "text/turtle"}).text,
                           format="turtle")
    assert (URIRef(uri), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("Fondation Macif", lang="fr")) in turtle
    # the funding that names it as funder is in its description too
    assert any(p == URIRef("https://schema.org/funder") for _, p, o in turtle if o == URIRef(uri))
    r = http.get("/id/org/fondation-macif", headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json")
    assert set(Graph().parse(data=r.text, format="json-ld")) == set(turtle)
    assert set(Graph().parse(data=http.get("/id/org/fondation-macif?format=nt").text, format="nt")) == set(turtle)
    page = http.get("/id/initiative/api-trucks", headers={"Accept": "text/html"}).text
    assert "<h1 id=\"entity-label\">Api Truck&#39;s</h1>" in page
    for text in ("Financements reçus", "Fondation Macif", "20\u202f000\u00a0€", "000_db57453d3f781195.txt#char=5535,5609",
                 'href="/id/org/fondation-macif"', 'href="/network/initiative/api-trucks"', "CA Agglo Pays d&#39;Issoire"):
        assert text in page, text
    page = http.get("/id/org/fondation-macif", headers={"Accept": "text/html"}).text
    assert "Financements donnés" in page and 'href="/id/initiative/api-trucks"' in page and "Partenaires" in page
    r = http.get("/resource", params={"uri": uri}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/id/org/fondation-macif"
    r = http.get("/resource", params={"uri": "https://w3id.org/maillage/def/theme/mobilite"}, headers={"Accept": "text/html"})
    assert r.status_code == 200


# ---------------------------------------------------------------- the explorer

def test_home_and_canned_question_pages(http, store):
    home = http.get("/")
    assert home.status_code == 200 and "content-security-policy" in home.headers
    for q in queries.catalogue().values():
        if q.name != "stats":
            assert f'id="form-{q.name}"' in home.text
    r = http.get("/query/who-funds-what", params={"funder": "Fondation Macif"})
    assert r.status_code == 200
    assert 'href="/id/initiative/api-trucks">Api Truck&#39;s</a>' in r.text
    assert 'href="/id/org/fondation-macif">Fondation Macif</a>' in r.text
    for fmt, render in [("csv", output.to_csv), ("json", output.to_json)]:
        r = http.get("/query/who-funds-what", params={"funder": "Fondation Macif", "format": fmt})
        assert r.text == render(queries.run(store, "who-funds-what", {"funder": "Fondation Macif"}))
    r = http.get("/query/funded-by")          # a required parameter is missing
    assert r.status_code == 400 and "indiquez le champ « Financeur »" in r.text
    r = http.get("/query/no-such-question")
    assert r.status_code == 404
    editor = http.get("/editor", params={"example": "co-funders"}).text
    assert "SELECT ?funder_a ?funder_b" in editor and "<script" not in editor
    r = http.post("/sparql", data={"query": "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#FormalOrganization> } LIMIT 3",
                                   "format": "html"})
    assert r.status_code == 200 and r.text.count('href="/id/org/') == 3
    r = http.get("/search", params={"q": "macif"})
    assert 'href="/id/org/fondation-macif"' in r.text
    r = http.get("/network")
    assert r.status_code == 200 and "vis-network" in r.text and "connect-src 'none'" in r.headers["content-security-policy"]


def test_hostile_label_is_inert_everywhere(hostile):
    evil_uri = "https://w3id.org/maillage/id/org/rotary-club-issoire"
    with httpx.Client(base_url=hostile.url, timeout=30) as http:
        html = {"/", "/query/who-funds-what?initiative=Api+Truck%27s", "/id/org/rotary-club-issoire",
                "/id/initiative/api-trucks", "/search?q=rotary", "/network", "/network/org/rotary-club-issoire",
                "/editor?query=" + quote(f'SELECT * WHERE {{ ?s ?p "{EVIL}" }}')}
        pages = {path: http.get(path, headers={"Accept": "text/html"}) for path in html}
        pages["sparql"] = http.post("/sparql", data={"format": "html", "query": (
            f"SELECT ?s ?name WHERE {{ ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?name FILTER(?s = <{evil_uri}>) }}")})
        for path, r in pages.items():
            assert r.status_code == 200, path
            body = r.text
            assert "<script>alert" not in body and "<img src=x" not in body, path
            assert "onerror=alert(1)>" not in body.replace("onerror=alert(1)&gt;", ""), path
        # it is there, as text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Rotary &#34;club&#34; d&#39;Issoire" in pages["/id/org/rotary-club-issoire"].text
        assert "\\u003cscript\\u003ealert" in pages["/network/org/rotary-club-issoire"].text
        ttl = http.get("/id/org/rotary-club-issoire", headers={"Accept": "text/turtle"}).text
        labels = {str(o) for o in Graph().parse(data=ttl, format="turtle").objects(
            URIRef(evil_uri), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))}
        assert labels == {EVIL}
        r = http.get("/query/who-funds-what", params={"funder": EVIL, "format": "csv"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert [row[0] for row in csv.reader(io.StringIO(r.text))][1:] == [EVIL]
        require(CHROMIUM.is_file(), f"Debian's chromium is not installed at {CHROMIUM}: run scripts/install-browser")
    with _browser() as browser:
        page, errors, dialogs, requests = _watch(browser)
        page.goto(hostile.url + "/id/org/rotary-club-issoire")
        page.wait_for_timeout(300)
        assert page.inner_text("#entity-label") == EVIL
        assert page.title().startswith(EVIL)
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        page.goto(hostile.url + "/query/who-funds-what?initiative=Api+Truck%27s")
        page.wait_for_timeout(300)
        assert EVIL in page.inner_text("#results")
        assert page.evaluate("document.querySelectorAll('#results img').length") == 0
        assert errors == [] and dialogs == []
        assert all(u.startswith(hostile.url) or u.startswith(("data:", "about:")) for u in requests)


# ---------------------------------------------------------------- browser

class _browser:
    def __enter__(self):
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            require(False, "the playwright Python package is not installed: pip install -e '.[test]'")
        require(CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
                f"Debian's chromium is not installed at {CHROMIUM}: run scripts/install-browser")
        self._p = sync_playwright().start()
        self.browser = self._p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        return self.browser

    def __exit__(self, *exc):
        self.browser.close()
        self._p.stop()


def _watch(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    errors, dialogs, requests = [], [], []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    return page, errors, dialogs, requests


@pytest.mark.browser
def test_browser_walk_through_the_explorer(server, screenshot_dir):
    with _browser() as browser:
        page, errors, dialogs, requests = _watch(browser)
        page.goto(server.url + "/")
        form = page.locator("#form-who-funds-what")
        form.locator("input[name=funder]").fill("Fondation Macif")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert "/query/who-funds-what?" in page.url and "funder=Fondation+Macif" in page.url
        page.wait_for_selector("#results tbody tr")
        assert page.locator("#results tbody tr").count() == 1
        page.screenshot(path=str(screenshot_dir / "server-results.png"))
        with page.expect_navigation():
            page.locator("#results a", has_text="Api Truck's").first.click()
        assert page.url.endswith("/id/initiative/api-trucks")
        assert page.inner_text("#entity-label") == "Api Truck's"
        assert page.locator("#fundings-in tbody tr").count() >= 5
        box = page.locator("main").bounding_box()       # header and page, not the footer (test limits)
        page.screenshot(path=str(screenshot_dir / "server.png"),
                        clip={"x": 0, "y": 0, "width": 1280, "height": min(900, box["y"] + box["height"])})
        with page.expect_navigation():
            page.click("#network-link")
        assert page.url.endswith("/network/initiative/api-trucks")
        page.wait_for_function("window.maillageReady === true", timeout=30_000)
        page.wait_for_selector("#mynetwork canvas", state="attached")
        assert page.evaluate("window.maillageNetwork.body.data.nodes.length") >= 5
        page.screenshot(path=str(screenshot_dir / "server-network.png"))
        page.goto(server.url + "/editor?example=who-funds-what")
        with page.expect_navigation():
            page.click("#editor-form button[type=submit]")
        page.wait_for_selector("#results tbody tr")
        assert errors == [], errors
        assert dialogs == []
        outside = [u for u in requests if not u.startswith((server.url, "data:", "about:"))]
        assert outside == [], "a page asked the internet for something"
