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


# ---------------------------------------------------------------- a whole result at once (solution_rows)

_XSD_TYPES = ("integer", "decimal", "double", "float", "int", "long", "short", "boolean", "string", "date", "gYear")
_lexical = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
                     st.integers(-10**6, 10**6).map(str), st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
                     st.sampled_from(["1e3", "-0.5E-2", "INF", "NaN", "true", "false", "0", "+7", ".5", "1.", "01"]))
_term = st.one_of(
    st.none(),
    st.builds(lambda t, d: ox.Literal(t, datatype=ox.NamedNode(model.XSD + d)), _lexical, st.sampled_from(_XSD_TYPES)),
    st.builds(lambda t, lang: ox.Literal(t, language=lang), _lexical, st.sampled_from(["fr", "en-GB", "fr-CA"])),
    st.builds(ox.Literal, _lexical),
    st.builds(lambda t: ox.NamedNode("https://exemple.org/" + t), st.text("abcé123-_/", max_size=8)),
    st.builds(lambda t: ox.BlankNode("b" + t), st.text("abc123", max_size=4)),
)


@given(st.lists(st.lists(_term, min_size=3, max_size=3), min_size=1, max_size=12), st.booleans())
def test_solution_rows_give_each_term_s_value(rows, repeat):
    """The whole-result converter (the engine's TSV, column by column) gives exactly what value()
    gives term by term: strings with tabs, quotes, backslashes and newlines, every numeric datatype,
    languages, IRIs, blank nodes, unbound cells; columns of one shape and mixed ones."""
    from maillage.store.terms import solution_rows, solution_table

    store = ox.Store()
    rows = rows * 3 if repeat else rows  # repeated cells take the path that converts each distinct one once
    for i, row in enumerate(rows):
        for j, term in enumerate(row):
            if term is not None:
                store.add(ox.Quad(ox.NamedNode(f"https://exemple.org/r{i}"), ox.NamedNode(f"https://exemple.org/p{j}"), term))
    text = ("SELECT ?a ?b ?c WHERE { ?r ?x ?any OPTIONAL { ?r <https://exemple.org/p0> ?a }"
            " OPTIONAL { ?r <https://exemple.org/p1> ?b } OPTIONAL { ?r <https://exemple.org/p2> ?c } } ORDER BY ?r")
    expected = [dict(zip(["a", "b", "c"], map(value, s))) for s in store.query(text)]
    for head in (0, 5, 16):  # all rows through TSV, the first five term by term, the default
        variables, got = solution_rows(store.query(text), head)
        assert variables == ["a", "b", "c"]
        # the same type and spelling (3 == Decimal(3) and NaN != NaN would hide a difference)
        assert [[(k, type(v), repr(v)) for k, v in r.items()] for r in got] == \
            [[(k, type(v), repr(v)) for k, v in r.items()] for r in expected]
        _, same, columns = solution_table(store.query(text), head)  # the same values column by column
        assert [list(r.values()) for r in same] == [list(r.values()) for r in got] or any(v != v for r in got for v in r.values())
        if columns is not None:
            assert all(columns[k][i] is row[k] for i, row in enumerate(same) for k in "abc") and all(len(c) == len(same) for c in columns.values())


_one_type = st.sampled_from(_XSD_TYPES[:6]).flatmap(lambda d: st.lists(st.one_of(
    st.none(), st.builds(lambda t: ox.Literal(t, datatype=ox.NamedNode(model.XSD + d)), _lexical),
    st.integers(0, 1100).map(lambda i: ox.Literal(str(i), datatype=ox.NamedNode(model.XSD + "integer")))),
    min_size=1, max_size=40))


@given(_one_type, st.booleans())
def test_solution_rows_of_one_datatype_give_each_term_s_value(cells, unbound_first):
    """A column of literals of one datatype (a long suffix after each cell: the split at every
    quote), counts (small ones looked up by their text), unbound cells among them: the values
    value() gives term by term, each of the same type."""
    from maillage.store.terms import solution_rows

    store = ox.Store()
    cells = [None, *cells] if unbound_first else cells
    for i, term in enumerate(cells):
        subject = ox.NamedNode(f"https://exemple.org/r{i:03d}")
        store.add(ox.Quad(subject, ox.NamedNode("https://exemple.org/at"), ox.Literal(str(i))))
        if term is not None:
            store.add(ox.Quad(subject, ox.NamedNode("https://exemple.org/v"), term))
    text = "SELECT ?v WHERE { ?r <https://exemple.org/at> ?at OPTIONAL { ?r <https://exemple.org/v> ?v } } ORDER BY ?r"
    expected = [(type(value(s["v"])), repr(value(s["v"]))) for s in store.query(text)]
    for head in (0, 3, 16):
        _, got = solution_rows(store.query(text), head)
        assert [(type(r["v"]), repr(r["v"])) for r in got] == expected


def test_rows_maker_takes_any_variable_name_as_a_key_and_runs_none():
    """The rows' dict display is compiled from the variables' names written as Python string
    literals: a name shaped like code stays a key, nothing of it runs."""
    from maillage.store.terms import _rows_maker

    hostile = ["a", "b'}, __import__('os').system('false'), {'", 'c"]} or exit() #', "d\\", "é\n}"]
    rows = _rows_maker(*hostile)([(1, 2, 3, 4, 5)])
    assert rows == [dict(zip(hostile, (1, 2, 3, 4, 5)))]


def test_solution_rows_edge_cases():
    """No variable, no row, one variable with unbound cells, a column all alike then one different;
    a result shorter than, as long as and longer than the rows converted term by term."""
    from maillage.store.terms import solution_rows

    store = ox.Store()
    assert solution_rows(store.query("SELECT * WHERE { }")) == ([], [{}])
    assert solution_rows(store.query("SELECT * WHERE { }"), 0) == ([], [{}])
    assert solution_rows(store.query("SELECT * WHERE { VALUES ?x { 1 2 3 } }"), 2) == (["x"], [{"x": 1}, {"x": 2}, {"x": 3}])
    assert solution_rows(store.query("SELECT ?x WHERE { VALUES ?x { 1 2 } }"), 2) == (["x"], [{"x": 1}, {"x": 2}])
    assert solution_rows(store.query("SELECT * WHERE { VALUES () { () () () } }"), 2) == ([], [{}, {}, {}])
    for head in (0, 16):  # through TSV, term by term
        assert solution_rows(store.query("SELECT ?x WHERE { FILTER(false) }"), head) == (["x"], [])
        got = solution_rows(store.query('SELECT ?x WHERE { VALUES ?x { UNDEF "a" UNDEF 3 "3"^^<http://www.w3.org/2001/XMLSchema#decimal> } }'), head)
        assert got == (["x"], [{"x": None}, {"x": "a"}, {"x": None}, {"x": 3}, {"x": Decimal(3)}])
        assert type(got[1][4]["x"]) is Decimal and type(got[1][3]["x"]) is int
        got = solution_rows(store.query('SELECT ?x WHERE { VALUES ?x { "1"@fr "2"@fr "3"@en "a\\tb"@fr <https://e.org/x> } }'), head)
        assert [r["x"] for r in got[1]] == ["1", "2", "3", "a\tb", "https://e.org/x"]
        dec = "<http://www.w3.org/2001/XMLSchema#decimal>"
        got = solution_rows(store.query(f'SELECT ?x WHERE {{ VALUES ?x {{ "1"^^{dec} "x"^^{dec} UNDEF "2.5"^^{dec} }} }}'), head)
        assert [r["x"] for r in got[1]] == [Decimal(1), "x", None, Decimal("2.5")]  # a bad number stays its text, as value() gives it


def test_solution_rows_datatype_column_with_look_alike_cells():
    """A column of amounts (one datatype, its text cut out of each cell by the suffix's length)
    with cells that only look like them: a string ending with the datatype's text, a long string
    of digits, another numeric datatype, a language, an escaped quote; each gives what value()
    gives term by term, whichever of them are in the column."""
    from maillage.store.terms import solution_rows

    dec = model.XSD + "decimal"
    tricky = [ox.Literal('7"^^<' + dec + ">"), ox.Literal("1" * 60), ox.Literal("5", datatype=ox.NamedNode(model.XSD + "integer")),
              ox.Literal("12", language="fr"), ox.Literal('3\\"', datatype=ox.NamedNode(dec)), ox.Literal("", datatype=ox.NamedNode(dec))]
    for odd in [None, *tricky]:
        cells = [ox.Literal(str(1000 + i), datatype=ox.NamedNode(dec)) for i in range(40)]
        if odd is not None:
            cells[23] = odd
        store = ox.Store()
        for i, term in enumerate(cells):
            store.add(ox.Quad(ox.NamedNode(f"https://exemple.org/r{i:03d}"), ox.NamedNode("https://exemple.org/v"), term))
        text = "SELECT ?v WHERE { ?r <https://exemple.org/v> ?v } ORDER BY ?r"
        expected = [(type(value(s["v"])), repr(value(s["v"]))) for s in store.query(text)]
        for head in (0, 16):
            _, got = solution_rows(store.query(text), head)
            assert [(type(r["v"]), repr(r["v"])) for r in got] == expected, odd
