"""RemoteStore: the canned queries run against a SPARQL 1.1 endpoint (here the real `maillage
serve` on a loopback port, through SPARQLWrapper) give exactly the local answers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal

from maillage import query as queries
from maillage.server.launch import ServerProcess, free_port
from maillage.store.remote import RemoteError, RemoteStore, json_value

CASES = [
    ("who-funds-what", {}),
    ("who-funds-what", {"funder": "Fondation Macif"}),
    ("who-funds-what", {"territory": "Hauts-de-France"}),
    ("who-funds-what", {"theme": "mobilite"}),
    ("funders-of", {"initiative": "Api Truck's"}),
    ("funded-by", {"funder": "MSA"}),
    ("partnerships", {}),
    ("partnerships", {"organisation": "CCAS de Barlin"}),
    ("partners-of", {"organisation": "CCAS de Barlin"}),
    ("initiatives-in", {"territory": "Hauts-de-France"}),
    ("co-funders", {}),
    ("funding-totals", {}),
    ("stats", {}),
    ("stats", {"document": "002"}),
]


@pytest.fixture(scope="module")
def remote(built):
    with ServerProcess(built.store_dir, "--timeout", "5", "--max-rows", "5000") as srv:
        yield RemoteStore(srv.endpoint)


@pytest.mark.parametrize("name,params", CASES, ids=[f"{n}-{'-'.join(p.values()) or 'all'}" for n, p in CASES])
def test_canned_queries_give_the_local_answers(remote, store, name, params):
    local = queries.run(store, name, params)
    assert local.rows, "an empty local answer would prove nothing"
    got = queries.run(remote, name, params)
    assert got.variables == local.variables
    assert got.rows == local.rows          # same values, same Python types (int, Decimal, str, None)


def test_names_resolve_remotely_like_locally(remote):
    with pytest.raises(queries.QueryError, match="no organisation called"):
        queries.run(remote, "funded-by", {"funder": "Nobody at all"})
    prepared = queries.prepare(remote, "who-funds-what", {"territory": "dep:62", "funder": "msa"})
    assert str(prepared.bindings["territoryParam"]).endswith("/territoire/departement/62")


def test_nquads_and_size(remote, store):
    paged = RemoteStore(remote.endpoint, page_size=700)
    got = ox.Dataset(ox.parse(paged.nquads(), format=ox.RdfFormat.N_QUADS))
    want = ox.Dataset(ox.parse(store.nquads(), format=ox.RdfFormat.N_QUADS))
    assert len(got) == len(want) == len(store) == len(remote)
    assert set(got) == set(want)


def test_values_are_bound_not_pasted(remote, store):
    text = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s WHERE { ?s skos:prefLabel ?name }"
    evil = '"} ; DROP ALL #'
    assert remote.select(text, {"name": Literal(evil)}).rows == []
    assert remote.select(text, {"name": Literal("Fondation Macif", lang="fr")}).rows == \
        store.select(text, {"name": Literal("Fondation Macif", lang="fr")}).rows != []
    assert len(remote) == len(store)


def test_errors_say_what_the_endpoint_said(remote):
    with pytest.raises(RemoteError, match="SPARQL syntax error"):
        remote.select("SELECT ?x WHERE { ?x ?y }")
    with pytest.raises(RemoteError, match="413.*more than 5000 rows"):
        remote.select("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(RemoteError, match="cannot reach"):
        RemoteStore(f"http://127.0.0.1:{free_port()}/sparql", timeout=2).select("ASK {}")
    with pytest.raises(RemoteError, match="not an endpoint URL"):
        RemoteStore("ftp://example.org/sparql")


def test_json_values_are_converted_like_local_terms():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert json_value({"type": "literal", "value": "15000", "datatype": xsd + "decimal"}) == 15000
    assert type(json_value({"type": "literal", "value": "15000", "datatype": xsd + "decimal"})).__name__ == "Decimal"
    assert json_value({"type": "literal", "value": "3", "datatype": xsd + "integer"}) == 3
    assert json_value({"type": "literal", "value": "2006", "datatype": xsd + "gYear"}) == "2006"
    assert json_value({"type": "literal", "value": "x", "xml:lang": "fr"}) == "x"
    assert json_value({"type": "bnode", "value": "b0"}) == "_:b0"
    assert json_value(None) is None
