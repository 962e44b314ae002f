"""A real big store: Debian's Virtuoso on loopback (started by scripts/virtuoso), loaded with
`maillage push`, answers every canned query with the same rows as the local graph."""

from __future__ import annotations

import shutil
import warnings

import pytest

from benchmarks.virtuoso import PASSWORD, USER, running_virtuoso
from maillage import query as queries
from maillage.push import push
from maillage.store.remote import RemoteStore

from conftest import canonical_rows, require

PARAMS = {"funders-of": {"initiative": "Api Truck's"}, "funded-by": {"funder": "État"},
          "partners-of": {"organisation": "CCAS de Barlin"}, "initiatives-in": {"territory": "Hauts-de-France"}}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, store):
    require(shutil.which("virtuoso-t") is not None,
            "Virtuoso is not installed: run scripts/virtuoso install (Debian's virtuoso-opensource)")
    # the bench's own start/stop: a fresh database on free loopback ports, stopped and removed after
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        push(store, server.endpoint + "-graph-crud-auth", user=USER, password=PASSWORD)
        yield server.endpoint


@pytest.mark.parametrize("name", sorted(queries.catalogue()))
def test_canned_queries_answer_the_same_on_virtuoso(virtuoso, store, name):
    remote = RemoteStore(virtuoso)
    local = queries.run(store, name, PARAMS.get(name, {}))
    there = queries.run(remote, name, PARAMS.get(name, {}))
    assert there.variables == local.variables
    assert canonical_rows(there) == canonical_rows(local)


def test_pushing_twice_adds_nothing_twice(virtuoso, store):
    remote = RemoteStore(virtuoso)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/maillage/')) }"
    before = remote.select(count).rows[0]["n"]
    push(store, virtuoso + "-graph-crud-auth", user="dba", password="dba")
    assert remote.select(count).rows[0]["n"] == before == len(store)


def test_a_result_the_size_of_a_known_cap_is_flagged(virtuoso):
    remote = RemoteStore(virtuoso)
    q = "SELECT ?n WHERE { VALUES ?x { 0 1 2 3 4 5 6 7 8 9 } VALUES ?y { 0 1 2 3 4 5 6 7 8 9 } VALUES ?z { 0 1 2 3 4 5 6 7 8 9 } BIND(?x * 100 + ?y * 10 + ?z AS ?n) }"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert len(remote.select(q).rows) == 1000
    assert any("known server row cap" in str(w.message) for w in caught)


def test_push_of_a_large_graph_with_digest_auth_does_not_break_the_pipe(virtuoso, tmp_path):
    # regression: urllib's digest handler sent the whole body unauthenticated first; Virtuoso
    # answered 401 and closed the connection mid-upload (BrokenPipeError) once a graph passed
    # a few hundred kilobytes
    from maillage.store.oxigraph import OxigraphStore

    # push takes a maillage store (the Store protocol), not a raw engine store
    lines = "".join(f'<urn:s:{i}> <urn:p> "{"x" * 40}" <urn:maillage:test:big> .\n' for i in range(20000))
    big = OxigraphStore.in_memory(lines.encode())
    report = push(big, virtuoso + "-graph-crud-auth", user="dba", password="dba")
    assert report.triples == 20000
    remote = RemoteStore(virtuoso)
    assert remote.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:maillage:test:big> { ?s ?p ?o } }").rows[0]["n"] == 20000


def test_push_with_a_wrong_password_is_a_clear_error(virtuoso, store):
    with pytest.raises(RuntimeError, match="401"):
        push(store, virtuoso + "-graph-crud-auth", user="dba", password="wrong")
