"""maillage.model: the one Python face of the ontology."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, strategies as st

from maillage import model


def _ox_triples(path):
    out = set()
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        o = t.object
        obj = o.value if isinstance(o, ox.NamedNode) else (o.value, o.language, None if o.language else o.datatype.value)
        out.add((t.subject.value, t.predicate.value, obj))
    return out


@pytest.mark.parametrize("path", model.vocabulary_files(), ids=lambda p: p.name)
def test_the_small_turtle_reader_reads_what_a_real_parser_reads(path):
    mine = {(s, p, o if isinstance(o, str) else (o.value, o.lang, o.datatype or (None if o.lang else model.XSD + "string")))
            for s, p, o in model.read_turtle(path)}
    assert mine == _ox_triples(path)


def test_model_imports_neither_rdflib_nor_pyoxigraph():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(model.__file__).read_text(encoding="utf-8"))
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not names & {"rdflib", "pyoxigraph", "pyshacl"}


def test_code_sets_come_from_the_concept_schemes():
    assert model.codes("units")[:3] == ("EUR", "personnes", "menages")
    assert "subvention" in model.codes("natures") and "article" in model.codes("document-kinds")
    assert "pilote" in model.codes("roles") and "financeur" not in model.codes("roles")
    assert model.codes("derived-roles") == (model.FUNDER_ROLE,)
    assert set(model.codes("typology")) == set(model.codes("kinds"))
    assert model.kind_family("CCAS") == "Collectivités" and model.kind_family("ACI") == "SIAE et insertion"
    assert model.kind_family("NOT-A-KIND") == "Autres"
    assert model.families()[0] == "Collectivités" and model.families()[-1] == "Autres"
    assert all(model.concepts("kinds")[k].family for k in model.codes("kinds"))
    assert model.concepts("kinds")["ACI"].broader == ("SIAE",)
    assert model.concept_iri("roles", "pilote") == model.ROLE + "pilote"


@pytest.mark.parametrize("kind,key,uri", [
    ("org", ("ccas-barlin",), "https://w3id.org/maillage/id/org/ccas-barlin"),
    ("participation", ("bus", "ccas", "pilote"), "https://w3id.org/maillage/id/participation/bus/ccas/pilote"),
    ("territory", ("dep:62",), "https://w3id.org/maillage/id/territoire/departement/62"),
    ("territory", ("reg:32",), "https://w3id.org/maillage/id/territoire/region/32"),
    ("territory", ("com:62083",), "https://w3id.org/maillage/id/territoire/commune/62083"),
    ("territory", ("epci:200072460",), "https://w3id.org/maillage/id/territoire/epci/200072460"),
    ("territory", ("qpv:les-oliviers",), "https://w3id.org/maillage/id/territoire/qpv/les-oliviers"),
    ("insee", ("epci:200072460",), "http://id.insee.fr/geo/intercommunalite/200072460"),
    ("passage", ("a.txt", "1", "20"), "https://w3id.org/maillage/id/document/a.txt#char=1,20"),
    ("row", ("f.csv", "3"), "https://w3id.org/maillage/id/document/f.csv#row=3"),
    ("amount", ("k-2021",), "https://w3id.org/maillage/id/funding/k-2021/amount"),
    ("figure", ("bus", "2"), "https://w3id.org/maillage/id/initiative/bus/figure/2"),
    ("graph", ("territoires",), "https://w3id.org/maillage/id/graph/territoires"),
    ("document", ("a b.txt",), "https://w3id.org/maillage/id/document/a%20b.txt"),
    ("theme", ("emploi",), "https://w3id.org/maillage/def/theme/emploi"),
    ("kind", ("CCAS",), "https://w3id.org/maillage/def/kind/CCAS"),
])
def test_mint_and_parse_are_inverse(kind, key, uri):
    assert model.mint(kind, *key) == uri
    assert model.parse(uri) == (kind, key)


def test_mint_under_another_base_and_unknown_uris():
    assert model.mint("org", "x", base="http://example.org/") == "http://example.org/org/x"
    assert model.parse("http://example.org/org/x", base="http://example.org/") == ("org", ("x",))
    assert model.parse("http://elsewhere.org/x") is None
    with pytest.raises(ValueError):
        model.mint("spaceship", "x")


@given(st.text(max_size=80))
def test_slug_is_uri_safe_and_stable(text):
    s = model.slug(text)
    assert s and all(c.isascii() and (c.isalnum() or c == "-") for c in s) and len(s) <= 60
    assert model.slug(s) == s
    assert model.fold(model.fold(text)) == model.fold(text)


@given(st.text(max_size=60))
def test_normalise_name_is_idempotent(text):
    once = model.normalise_name(text)
    assert model.normalise_name(once) == once


def test_namespaces_and_prefixes():
    assert model.expand("schema:funder") == "https://schema.org/funder"
    assert model.compact("http://www.w3.org/ns/org#member") == "org:member"
    assert "PREFIX mai: <https://w3id.org/maillage/def#>" in model.sparql_prefixes()


def test_territory_ref_reads_a_territory_uri_under_any_base():
    """The query layer matched territory URIs by substring (a fifth territory pattern)."""
    for ref in ("dep:62", "reg:32", "com:2A004", "epci:200072460", "qpv:les-oliviers"):
        assert model.territory_ref(model.mint("territory", ref)) == ref
        assert model.territory_ref(model.mint("territory", ref, base="http://example.org/kg/")) == ref
    assert model.territory_ref(model.mint("org", "x")) is None
