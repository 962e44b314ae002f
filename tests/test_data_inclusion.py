"""data·inclusion: structures and services join the graph's organisations and territories."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from maillage import query as queries
from maillage.build import build
from maillage.config import REPO_ROOT, Settings
from maillage.load import load_file
from maillage.loaders.sources.data_inclusion import validate_structure
from maillage.loaders.sources.tabular import FileInvalid
from maillage.store import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "data-inclusion"


@pytest.fixture
def fresh(tmp_path) -> Settings:
    s = Settings(data_dir=REPO_ROOT / "data", store_dir=tmp_path / "store")
    build(s)
    return s


def test_services_are_found_through_the_territory_hierarchy(fresh):
    load_file(fresh, "data-inclusion", FIXTURES / "structures.json")
    store = open_store(fresh.store_dir)
    rows = queries.run(store, "initiatives-in", {"territory": "Hauts-de-France"}).rows
    by_name = {r["initiative"]: r for r in rows}
    assert by_name["Location de véhicules à 2 € par jour"]["pilots"] == "Garage solidaire de l'Artois"
    assert by_name["Permanence d'aide aux démarches en ligne"]["themes"] == "numerique"


def test_a_structure_already_in_the_graph_is_the_same_node(fresh):
    load_file(fresh, "data-inclusion", FIXTURES / "structures.json")
    store = open_store(fresh.store_dir)
    rows = queries.run(store, "partnerships", {"organisation": "CCAS de Barlin"}).rows
    assert {r["initiative"] for r in rows} == {"Bus de l'emploi et de l'insertion de Barlin",
                                              "Permanence d'aide aux démarches en ligne"}


def test_typology_and_themes_are_mapped(fresh):
    load_file(fresh, "data-inclusion", FIXTURES / "structures.json")
    store = open_store(fresh.store_dir)
    q = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX org: <http://www.w3.org/ns/org#>
           PREFIX mai: <https://w3id.org/maillage/def#>
           SELECT ?kind ?theme WHERE { ?o skos:prefLabel "Épicerie solidaire d'Issoire"@fr ;
             org:classification/skos:notation ?kind ; mai:theme/skos:notation ?theme }"""
    assert {(r["kind"], r["theme"]) for r in store.select(q).rows} == {("ASSO", "precarite-alimentaire")}


def test_bad_rows_refuse_the_csv_then_skip_bad_loads_the_rest(fresh, tmp_path):
    with pytest.raises(FileInvalid) as info:
        load_file(fresh, "data-inclusion", FIXTURES / "structures.csv")
    lines = sorted({(e.line, e.column) for e in info.value.errors})
    assert lines == [(4, "siret"), (5, "code_insee"), (5, "thematiques"), (5, "typologie")]
    report = load_file(fresh, "data-inclusion", FIXTURES / "structures.csv", skip_bad=True,
                       reject_path=tmp_path / "rejets.csv")
    assert (report.rows, report.rejected) == (2, 2)


@given(st.dictionaries(st.sampled_from(["id", "nom", "siret", "rna", "code_insee", "typologie", "thematiques", "source"]),
                       st.one_of(st.text(max_size=15), st.lists(st.text(max_size=10), max_size=3), st.none()), max_size=8))
def test_any_structure_row_gives_a_structure_or_precise_errors(row):
    s, errors = validate_structure(3, row, "x.json")
    assert (s is None) == bool(errors)
    assert all(e.line == 3 and e.column for e in errors)
