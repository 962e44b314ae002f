"""`maillage search "" --theme mobilité` (lower case, as people type it) found nothing, and so did
`--theme zzz`, `--year abc`, `--group initiatives` or `/search?region=hauts-de-france`: a filter
value had to be written exactly as the index stores it, and a wrong one answered "0 résultat"
without a word. Values now match as names do elsewhere (case, accents, apostrophes do not
matter) and a value that names nothing is refused in French, listing some that exist."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from typer.testing import CliRunner

from maillage.cli import app
from maillage.search import SearchFilterError, SearchIndex
from maillage.server.launch import ServerProcess


@pytest.fixture(scope="module")
def index(store):
    return SearchIndex(store)


@pytest.mark.parametrize("facet, typed, stored", [
    ("theme", "mobilité", "Mobilité"), ("theme", "MOBILITE", "Mobilité"),
    ("region", "hauts de france", "Hauts-de-France"), ("group", "Initiatives", "initiative"),
    ("amount", "Montant non precise", "montant non précisé"),
])
def test_a_filter_value_matches_whatever_its_case_and_accents(index, facet, typed, stored):
    exact = index.search("", {facet: [stored]})
    typed_results = index.search("", {facet: [typed]})
    assert exact.hits and [h.uri for h in typed_results.hits] == [h.uri for h in exact.hits]
    assert typed_results.filters[facet] == [stored]


@pytest.mark.parametrize("facet, value, says", [
    ("theme", "zzz", "Thème"), ("kind", "zzz", "Type de structure"), ("region", "Atlantis", "Région"),
    ("group", "zzz", "Catégorie"), ("year", "abc", "n'est pas une année"),
])
def test_a_filter_value_naming_nothing_is_refused_in_french(index, facet, value, says):
    with pytest.raises(SearchFilterError) as caught:
        index.search("", {facet: [value]})
    assert f"« {value} »" in str(caught.value) and says in str(caught.value)


def test_a_real_year_without_entries_finds_nothing_without_an_error(index):
    assert index.search("", {"year": ["1901"]}).hits == []


def test_the_command_line_refuses_an_unknown_filter_and_reads_a_lower_case_one(built):
    runner = CliRunner()
    bad = runner.invoke(app, ["--store", str(built.store_dir), "search", "", "--theme", "zzz"])
    assert bad.exit_code == 2 and "« zzz »" in bad.output and "Traceback" not in bad.output
    good = runner.invoke(app, ["--store", str(built.store_dir), "search", "", "--theme", "mobilité", "-f", "csv"])
    assert good.exit_code == 0
    assert len(list(csv.DictReader(io.StringIO(good.output)))) > 10


def test_the_explorer_answers_400_in_french(built):
    with ServerProcess(built.store_dir, "--timeout", "20") as srv:
        with httpx.Client(base_url=srv.url, timeout=60) as http:
            r = http.get("/search", params={"theme": "zzz"}, headers={"Accept": "text/html"})
            assert r.status_code == 400 and "« zzz »" in r.text and 'lang="fr"' in r.text
            r = http.get("/search", params={"year": "abc", "format": "csv"})
            assert r.status_code == 400 and "n'est pas une année" in r.text
            r = http.get("/search", params={"theme": "mobilité", "format": "csv"})
            assert r.status_code == 200 and len(r.text.splitlines()) > 10


def test_a_family_of_bodies_or_a_broader_theme_finds_what_lies_under_it(index, store):
    """A concept page links to the search for what uses it; for a family of bodies ("Collectivité
    territoriale") that search found nothing (only things' own kinds were filters)."""
    family = index.search("", {"kind": ["collectivité territoriale"]})
    kinds = {k for h in family.hits if h.group == "organisation" for k in h.detail.split(", ")}
    assert {"Région (conseil régional)", "Département (conseil départemental)"} <= kinds, kinds
    assert "Collectivité territoriale" not in dict(family.facets.get("kind", []))   # counts: own kinds only


@pytest.mark.parametrize("facet", ["region", "departement"])
def test_france_as_a_place_filter_is_all_of_france(index, facet):
    """`initiatives-in -p territory=France` is everywhere; the search's place filters read it alike."""
    everything = index.search("", {})
    for value in ("France", "toute la France"):
        assert len(index.search("", {facet: [value]}).hits) == len(everything.hits)
