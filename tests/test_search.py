"""One search over everything (issue 15 item 2): the index maillage.search builds, the command
line's `maillage search` and the explorer's /search share it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from maillage import query
from maillage.cli import app
from maillage.search import WITH_AMOUNT, SearchIndex

runner = CliRunner()


@pytest.fixture(scope="module")
def index(store):
    return SearchIndex(store)


def names(results, group=None):
    return {h.name for h in results.hits if group is None or h.group == group}


def test_pole_emploi_finds_france_travail(index):
    for text in ("pôle emploi", "Pole Emploi", "POLE-EMPLOI"):
        results = index.search(text)
        assert "France Travail" in {h.name for h in results.best}, text


def test_mobilite_finds_every_initiative_with_that_theme(index, store):
    themed = {r["initiative"] for r in query.run(store, "initiatives-in", {"theme": "mobilite"}).rows}
    assert len(themed) >= 16
    assert themed <= names(index.search("mobilité"), "initiative")
    assert themed <= names(index.search("mobilite"), "initiative")


def test_no_territory_is_all_of_france_and_a_territory_finds_what_lies_inside(index, store):
    everything = index.search("", {"group": ["initiative"]})
    total = store.select("SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a <https://w3id.org/maillage/def#Initiative> }").rows[0]["n"]
    assert len(everything.hits) == total
    regions = dict(everything.facets["region"])
    assert len(regions) >= 8                          # initiatives all over France
    barlin = index.search("Pas-de-Calais")
    assert "Bus de l'emploi et de l'insertion de Barlin" in names(barlin, "initiative")
    assert "Barlin" in names(barlin, "territoire")


def test_facets_combine(index):
    mobility = index.search("", {"theme": ["Mobilité"]})
    both = index.search("", {"theme": ["Mobilité"], "region": ["Hauts-de-France"]})
    assert 0 < len(both.hits) < len(mobility.hits)
    funded = index.search("", {"theme": ["Mobilité"], "amount": [WITH_AMOUNT], "group": ["financement"]})
    assert funded.hits and all(h.amount is not None for h in funded.hits)


def test_apostrophes_and_ligatures_do_not_matter(index):
    assert "Rotary club d'Issoire" in names(index.search("rotary d’issoire"))
    assert "Les Restaurants du Cœur" in names(index.search("restaurants du coeur"))


def test_fse_is_found_as_a_funding_scheme(index):
    assert "Fonds social européen (FSE)" in names(index.search("FSE"), "dispositif")


def test_the_command_line_search(built):
    r = runner.invoke(app, ["--store", str(built.store_dir), "search", "pôle emploi", "--group", "organisation", "-f", "json"])
    assert r.exit_code == 0, r.output
    assert [row["name"] for row in json.loads(r.stdout)["rows"]] == ["France Travail"]
    r = runner.invoke(app, ["--store", str(built.store_dir), "search", "mobilité", "--theme", "Mobilité",
                            "--region", "Hauts-de-France", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and all(row["group"] in ("initiative", "financement") for row in rows)


def test_every_facet_exists_narrows_and_combines(index):
    """theme, kind, région, département, amount known or not, year: each one offered on a search
    of everything, each value narrowing the hits to those it names, any two together their
    intersection; the year is a funding's start year or an initiative's."""
    everything = index.search("")
    assert {"theme", "kind", "region", "departement", "amount", "year", "group"} <= set(everything.facets)
    chosen = {}
    for facet in ("theme", "kind", "region", "departement", "amount", "year"):
        value, count = everything.facets[facet][0]
        narrowed = index.search("", {facet: [value]})
        assert len(narrowed.hits) == count < len(everything.hits), facet
        chosen[facet] = (value, {h.uri for h in narrowed.hits})
    for a, b in (("theme", "departement"), ("kind", "region"), ("amount", "theme"), ("year", "theme")):
        both = index.search("", {a: [chosen[a][0]], b: [chosen[b][0]]})
        assert {h.uri for h in both.hits} == chosen[a][1] & chosen[b][1], (a, b)
    years = {h.group for h in index.search("", {"year": [v for v, _ in everything.facets["year"]]}).hits}
    assert {"initiative", "financement"} <= years
