"""maillage.store: one Store protocol over Oxigraph, rdflib and remote endpoints; one term
converter; one quad writer; one export for `maillage export` and /download."""

from __future__ import annotations

import json
from decimal import Decimal
from types import SimpleNamespace

import pyoxigraph as ox
import pytest
from hypothesis import given, strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from maillage import model
from maillage.build import build
from maillage.config import Settings
from maillage.export import export_rdf
from maillage.model import Lit
from maillage.store import QuadWriter, Store, decimal_text, to_term, value
from maillage.store.shacl import ShapesViolated

DECIMAL = model.XSD + "decimal"


def _literals(data: bytes, fmt) -> set[tuple]:
    """(subject, predicate, lexical form, datatype) of every typed literal, as a parser reads it."""
    return {(t.subject.value, t.predicate.value, t.object.value, t.object.datatype.value)
            for t in ox.parse(data, format=fmt) if isinstance(t.object, ox.Literal) and not t.object.language}


def test_backends_follow_the_store_protocol(store, rdflib_store):
    for s in (store, rdflib_store):
        assert isinstance(s, Store)
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/maillage/def#Initiative> }"
    assert store.select(q).rows == rdflib_store.select(q).rows
    ask = "ASK { ?s a <https://w3id.org/maillage/def#Funding> }"
    assert store.ask(ask) is True and rdflib_store.ask(ask) is True
    graphs = store.graphs()
    assert model.mint("graph", "territoires") in graphs and graphs == rdflib_store.graphs()
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/maillage/def#Initiative> ; ?p ?o }"
    assert set(map(str, store.construct(construct))) == set(map(str, rdflib_store.construct(construct)))
    for text in (ask, construct, q):
        a, b = store.query(text), rdflib_store.query(text)
        assert (set(map(str, a)) == set(map(str, b))) if isinstance(a, list) else a == b
    territories = model.mint("graph", "territoires")
    assert {str(q) for q in store.quads(territories)} == {str(q) for q in rdflib_store.quads(territories)}


def test_cli_export_and_download_are_the_same_graph_spelt_alike(built, store, tmp_path):
    """Regression (issue 12): `maillage export -f ttl` and /download/maillage.ttl held the same
    triples but 289 literals differed ("1800000.0"^^xsd:decimal against "1800000")."""
    from maillage.server.views.dataset import job_dump

    cli = export_rdf(store.nquads(), "ttl", built.base)
    state = SimpleNamespace(base=built.base, wrapped=lambda gen: store)
    job_dump(state, None, fmt="ttl", path=str(tmp_path / "maillage.ttl"))
    download = (tmp_path / "maillage.ttl").read_bytes()

    stored = Dataset()
    stored.parse(data=store.nquads(), format="nquads")
    union = Graph()
    for s, p, o, _ in stored.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(Graph().parse(data=cli, format="turtle"), union)
    assert isomorphic(Graph().parse(data=download, format="turtle"), union)
    # spelt alike: every typed literal has the lexical form the store holds, in both files
    held = _literals(store.nquads(), ox.RdfFormat.N_QUADS)
    assert _literals(cli, ox.RdfFormat.TURTLE) == held == _literals(download, ox.RdfFormat.TURTLE)
    assert not any(lex.endswith(".0") for _, _, lex, dt in held if dt == DECIMAL)


@pytest.mark.parametrize("fmt,parse_as", [("nt", ox.RdfFormat.N_TRIPLES), ("xml", ox.RdfFormat.RDF_XML),
                                          ("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS)])
def test_every_rdf_export_keeps_the_stored_spelling(store, built, fmt, parse_as):
    data = export_rdf(store.nquads(), fmt, built.base)
    assert _literals(data, parse_as) == _literals(store.nquads(), ox.RdfFormat.N_QUADS)


def test_jsonld_keeps_decimal_lexical_forms(store, built):
    doc = export_rdf(store.nquads(), "jsonld", built.base).decode("utf-8")
    assert "1800000.0" not in doc and json.loads(doc)["@context"]["schema"] == model.SCHEMA


@pytest.mark.parametrize("number,text", [(1800000.0, "1800000"), (1800000, "1800000"), (1234.5, "1234.5"),
                                         (Decimal("12.50"), "12.5"), (1e-09, "0.000000001"), (0, "0")])
def test_one_spelling_of_amounts(number, text):
    assert decimal_text(number) == text
    t = to_term(float(number) if isinstance(number, float) else number)
    assert t.value == (text if not isinstance(number, int) else str(number))


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**9))
def test_decimal_text_reads_back_to_the_same_number(number):
    text = decimal_text(number)
    assert "E" not in text.upper() and Decimal(text) == number
    assert value(to_term(number)) == number


def test_term_converter_reads_every_engine_alike():
    from rdflib import Literal, URIRef

    assert value(ox.Literal("42", datatype=ox.NamedNode(model.XSD + "integer"))) == 42
    assert value(Literal("42", datatype=URIRef(model.XSD + "integer"))) == 42
    assert value({"type": "literal", "value": "42", "datatype": model.XSD + "integer"}) == 42
    assert value({"type": "uri", "value": "http://x/a"}) == value(ox.NamedNode("http://x/a")) == "http://x/a"
    assert to_term("http://x/a") == ox.NamedNode("http://x/a")
    assert to_term(Lit("Cœur", "fr")) == ox.Literal("Cœur", language="fr")
    assert to_term(URIRef("http://x/a")) == ox.NamedNode("http://x/a")
    # every numeric datatype of pyoxigraph's literals, read by node (not by the string of its IRI)
    for datatype, text, expected in (("integer", "7", 7), ("int", "7", 7), ("long", "7", 7), ("decimal", "1.50", Decimal("1.50")),
                                     ("double", "2.5E0", 2.5), ("float", "2.5", 2.5), ("string", "7", "7"), ("integer", "sept", "sept")):
        cell = value(ox.Literal(text, datatype=ox.NamedNode(model.XSD + datatype)))
        assert cell == expected and type(cell) is type(expected)
    assert value(ox.Literal("Cœur", language="fr")) == "Cœur"


def test_quad_writer_keeps_each_triple_once_per_graph():
    w = QuadWriter()
    g = w.graph("http://x/g")
    g.add("http://x/s", model.SCHEMA + "name", Lit("A", "fr"))
    g.add("http://x/s", model.SCHEMA + "name", Lit("A", "fr"))
    w.add("http://x/s", model.SCHEMA + "name", Lit("A", "fr"), "http://x/h")
    assert w.count() == 2 and w.count("http://x/g") == 1 and w.graphs() == ["http://x/g", "http://x/h"]
    assert w.ntriples("http://x/g") == b'<http://x/s> <https://schema.org/name> "A"@fr .\n'
    with pytest.raises(ValueError):
        g.add("not an iri", model.SCHEMA + "name", Lit("A"))


def test_a_loaded_graph_that_breaks_the_shapes_never_enters_the_store(tmp_path):
    """SHACL runs on loaded files too (they used to go in unchecked)."""
    from maillage.loaders.sources import manifest

    settings = Settings(store_dir=tmp_path / "store")
    build(settings)
    before = (settings.store_dir / "maillage-build.json").read_text()
    graph = model.mint("graph", "scdl--bad-csv")
    funding = model.mint("funding", "scdl-bad")
    w = QuadWriter()  # a funding with neither funder nor provenance
    w.add(funding, model.RDF_TYPE, model.MAI + "Funding", graph)
    w.add(funding, model.MAI + "recipient", model.mint("org", "ccas-barlin"), graph)
    manifest.save(settings.sources_dir, manifest.Manifest(kind="scdl", file="bad.csv", sha256="x", rows=1, rejected=0,
                                                          quads=w.count(), graph=graph), w.nquads())
    with pytest.raises(ShapesViolated) as info:
        build(settings)
    assert any(funding in m and "funder" in m for m in info.value.messages)
    assert (settings.store_dir / "maillage-build.json").read_text() == before


def test_the_synthetic_graph_is_written_by_the_one_writer_and_conforms(tmp_path):
    """The benchmark's graph (loaders/synthetic.py) is made of the model's URIs through the quad
    writer: it parses, meets the shapes, and spells amounts like the records do."""
    from maillage.loaders.synthetic import synthetic_graph
    from maillage.store.shacl import check_shapes, read_nquads

    names = synthetic_graph(20000, tmp_path / "g.nq")
    quads = read_nquads(tmp_path / "g.nq")
    assert len(quads) == names["quads"] >= 20000
    assert model.parse(names["initiative"]) == ("initiative", ("i0",))
    assert model.parse(names["region"]).kind == "territory"
    check_shapes(quads)  # the vocabulary graph included: the concepts are skos:Concepts there
    amounts = {q.object.value for q in quads if q.predicate.value == model.SCHEMA + "value"}
    assert amounts and all(decimal_text(Decimal(a)) == a for a in amounts)
