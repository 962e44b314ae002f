"""The W3C SPARQL 1.1 Protocol test suite (tests/fixtures/w3c/manifest.ttl), run manifest-driven
against a real `maillage serve`: one pytest case per manifest entry, in the manifest's order.

The suite ships no runner; this one follows its comment: each entry is a list of HTTP requests
(method, path, headers, body) with the expected status class, result format and ASK answer;
`ut:graphData` names the graphs to hold before the entry. Before each entry the server's graph is
emptied and those graphs are loaded (a SPARQL Update over the same server). The path prefix
`/sparql/` is the service's `/sparql`; every request carries the server's update token (the suite
says nothing of authentication, and updates are refused without it).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from maillage.server.launch import ServerProcess

FIXTURES = Path(__file__).parent / "fixtures" / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
TOKEN = "w3c-test-token"

FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "text/html", "application/xhtml+xml"},
}

# Entries allowed to fail, with the reason (at most one: the issue asks for 33 of 34).
KNOWN_FAILURES: dict[str, str] = {}


def _manifest():
    g = Graph().parse(FIXTURES / "manifest.ttl", format="turtle")
    manifest = g.value(predicate=RDF.type, object=MF.Manifest)
    entries = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[-1]
        graphs = [(str(g.value(d, RDFS_LABEL)), Path(str(g.value(d, UT.graph))).name)
                  for d in g.objects(entry, UT.graphData)]
        action = g.value(entry, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            hl = g.value(req, HT.headers)
            if hl is not None:
                for h in Collection(g, hl):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body = g.value(req, HT.body)
            resp = g.value(req, HT.resp)
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            requests.append({
                "method": str(g.value(req, HT.methodName)),
                "path": str(g.value(req, HT.absolutePath)),
                "headers": headers,
                "body": None if body is None else str(g.value(body, CNT.chars)),
                "status": sorted(int(str(s)[len(HTS)]) for s in g.objects(resp, MF.expectedStatus)),
                "boolean": None if boolean is None else boolean.toPython(),
                "format": None if fmt is None else str(fmt),
            })
        entries.append((name, str(g.value(entry, MF.name)), graphs, requests))
    return entries


ENTRIES = _manifest()


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory):
    from maillage.store import write_store

    store_dir = tmp_path_factory.mktemp("w3c") / "store"
    write_store(store_dir, b"", {"source": "W3C SPARQL 1.1 Protocol tests"})
    with ServerProcess(store_dir, "--update-token", TOKEN, "--timeout", "5", "--cache-mb", "0") as srv, \
            httpx.Client(base_url=srv.url, timeout=30, follow_redirects=False,
                         headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def _reset(client: httpx.Client, graphs: list[tuple[str, str]]) -> None:
    text = "DROP ALL"
    for label, filename in graphs:
        triples = (FIXTURES / filename).read_text(encoding="utf-8")
        text += f" ; INSERT DATA {{ GRAPH <{label}> {{ {triples} }} }}"
    r = client.post("/sparql", content=text.encode("utf-8"), headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 200, r.text


def _body(req: dict) -> bytes | None:
    if req["body"] is None:
        return None
    ctype = req["headers"].get("content-type", "").lower()
    # the non-UTF-8 entries declare UTF-16: send what they declare
    return req["body"].encode("utf-16" if "utf-16" in ctype else "utf-8")


def _boolean(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return json.loads(response.content)["boolean"]
    root = ET.fromstring(response.content)
    node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    return node.text.strip() == "true"


@pytest.mark.parametrize("name,title,graphs,requests", ENTRIES, ids=[e[0] for e in ENTRIES])
def test_w3c_protocol(w3c_server, name, title, graphs, requests):
    if name in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[name])
    _reset(w3c_server, graphs)
    for i, req in enumerate(requests):
        path = "/sparql" + req["path"][len("/sparql/"):] if req["path"].startswith("/sparql/") else req["path"]
        r = w3c_server.request(req["method"], path, headers=req["headers"], content=_body(req))
        where = f"{title} — request {i + 1}: {req['method']} {path} -> {r.status_code} {r.text[:300]!r}"
        assert r.status_code // 100 in req["status"], where
        if req["format"]:
            assert r.headers["content-type"].split(";")[0] in FORMATS[req["format"]], where
        if req["boolean"] is not None:
            assert _boolean(r) is req["boolean"], where


def test_manifest_has_34_entries():
    assert len(ENTRIES) == 34
