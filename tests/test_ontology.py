"""The vocabulary, concept schemes and SHACL shapes."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from maillage import model
from maillage.build import ShapesViolated, check_shapes, read_records
from maillage.config import Settings
from maillage.loaders.territories import load_cog
from maillage.loaders.triples import build_dataset
from maillage.model import Lit, Terms

HERE = model.ontology_dir()
MAI, SCHEMA = Terms(model.MAI), Terms(model.SCHEMA)


def vocabulary_graph() -> Graph:
    g = Graph()
    for path in model.vocabulary_files():
        g.parse(path, format="turtle")
    return g


def test_every_minted_term_has_french_and_english_labels():
    g = vocabulary_graph()
    minted = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(MAI))}
    assert len(minted) >= 15
    for term in minted:
        langs = {o.language for o in g.objects(term, RDFS.label)}
        assert {"fr", "en"} <= langs, term


@pytest.mark.parametrize("scheme", ["typology", "roles", "themes", "publics", "purposes", "units", "natures", "documents"])
def test_concept_schemes_have_unique_notations_and_both_languages(scheme):
    g = Graph().parse(HERE / "concepts" / f"{scheme}.ttl")
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    notations = Counter(str(n) for c in concepts for n in g.objects(c, SKOS.notation))
    assert notations and max(notations.values()) == 1
    for c in concepts:
        assert {o.language for o in g.objects(c, SKOS.prefLabel)} == {"fr", "en"}, c
        for broader in g.objects(c, SKOS.broader):
            assert broader in concepts, (c, broader)


def test_typology_covers_the_structures_users_name():
    g = Graph().parse(HERE / "concepts" / "typology.ttl")
    codes = {str(n) for n in g.objects(None, SKOS.notation)}
    assert {"ACI", "EI", "AI", "ETTI", "EA", "CCAS", "PLIE", "ML", "COLLECTIVITE", "ETAT", "FONDATION",
            "ASSO", "ENTREPRISE", "RESEAU"} <= codes


def _dataset(data_dir):
    return build_dataset(read_records(Settings(data_dir=data_dir)), load_cog(), "https://w3id.org/maillage/id/")


def test_bundled_graph_conforms_to_the_shapes(data_dir):
    check_shapes(_dataset(data_dir))


def test_shapes_catch_a_funding_without_funder(data_dir):
    ds = _dataset(data_dir)
    funding = next(s for s, _ in ds.match(model.RDF_TYPE, MAI.Funding))
    ds.remove(funding, SCHEMA.funder)
    with pytest.raises(ShapesViolated) as info:
        check_shapes(ds)
    assert any(str(funding) in m and "needs at least one funder" in m for m in info.value.messages)


def test_shapes_catch_a_negative_amount_and_a_territory_without_level(data_dir):
    ds = _dataset(data_dir)
    amount = next(s for s, _ in ds.match(model.RDF_TYPE, SCHEMA.MonetaryAmount))
    ds.remove(amount, SCHEMA.value)
    ds.add(amount, SCHEMA.value, Lit("-5", None, model.XSD + "decimal"), ds.graphs()[0])
    territory = model.mint("territory", "com:62083")
    ds.remove(territory, MAI.level)
    with pytest.raises(ShapesViolated) as info:
        check_shapes(ds)
    text = "\n".join(info.value.messages)
    assert "non-negative" in text and "needs one level" in text


def test_within_or_self_is_a_plain_transitive_property_whose_closure_the_build_writes(data_dir):
    """Regression (issue 12): mai:withinOrSelf was an owl:ReflexiveProperty with a domain, so an
    OWL 2 reasoner put every resource within itself and typed everything as a territory."""
    g = vocabulary_graph()
    prop = URIRef(model.MAI + "withinOrSelf")
    owl = "http://www.w3.org/2002/07/owl#"
    assert set(g.objects(prop, RDF.type)) == {URIRef(owl + "ObjectProperty"), URIRef(owl + "TransitiveProperty")}
    assert not set(g.objects(prop, RDFS.domain)) and not set(g.objects(prop, RDFS.range))
    assert (URIRef(model.MAI + "within"), RDFS.subPropertyOf, prop) in g

    ds = _dataset(data_dir)
    closure = set(ds.match(model.MAI + "withinOrSelf"))
    within = set(ds.match(model.MAI + "within"))
    territories = {s for s, _ in ds.match(model.RDF_TYPE, model.IGEO + "TerritoireFrancais")}
    assert within <= closure                                       # every direct link
    assert {(t, t) for t in territories} <= closure               # the reflexive pairs queries need
    assert all((a, c) in closure for a, b in closure for b2, c in closure if b == b2)   # transitive
    assert {s for s, _ in closure} <= territories | {s for s, _ in within}               # only territories
    barlin = model.mint("territory", "com:62083")
    assert (barlin, model.mint("territory", "reg:32")) in closure
