"""Initiatives like mine (issue 16 item 3): the territory classes from the COG, the score and its
reasons, `maillage similar` on the bundled data, and precision at 5 against the hand judgements of
tests/fixtures/similar/judged.yaml (written before the scorer existed), which the README reports."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from maillage import similar as S
from maillage.cli import app

ROOT = Path(__file__).resolve().parent.parent
JUDGED = yaml.safe_load((ROOT / "tests/fixtures/similar/judged.yaml").read_text(encoding="utf-8"))["judged"]
runner = CliRunner()
BARLIN = "Bus de l'emploi et de l'insertion de Barlin"


def test_places_are_rural_or_urban_from_the_cog():
    assert S.place_class({"level": "commune", "population": 800}) == "rural"
    assert S.place_class({"level": "commune", "population": 45_000}) == "urbain"
    assert S.place_class({"level": "commune", "population": 4_000, "epci_nature": "CC"}) == "rural"
    assert S.place_class({"level": "commune", "population": 4_000, "epci_nature": "CA"}) == "urbain"
    assert S.place_class({"level": "epci", "nature": "CC"}) == "rural"
    assert S.place_class({"level": "epci", "nature": "METRO"}) == "urbain"
    assert S.place_class({"level": "quartier"}) == S.place_class({"level": "qpv"}) == "urbain"
    assert S.place_class({"level": "departement"}) == "departement"


def test_the_build_writes_the_epci_legal_form(store):
    from maillage import query

    rows = query.select(store, "similar-place-facts").rows
    natures = {r["nature"] for r in rows if r["level"] == "epci"}
    assert natures <= {"CC", "CA", "CU", "METRO"} and {"CC", "CA"} <= natures
    assert {r["epci_nature"] for r in rows if r["level"] == "commune"} - {None} <= {"CC", "CA", "CU", "METRO"}


def test_the_barlin_bus_is_like_other_mobile_or_aller_vers_services(store):
    uri = S.resolve(store, BARLIN)
    top = S.similar(store, uri, 5)
    assert len(top) == 5 and all(a.score >= b.score for a, b in zip(top, top[1:]))
    assert uri not in {m.uri for m in top}
    profiles = S.profiles(store, [uri, *(m.uri for m in top)])
    assert any({"mobilite", "aller-vers"} & set(profiles[m.uri].features["theme"]) for m in top)
    assert any("aller-vers" in r for m in top for r in m.reasons)
    for m in top:                                   # every reason is a true statement about both
        for r in m.reasons:
            if (found := re.match(r"(\d+) thèmes? en commun", r)):
                shared = set(profiles[uri].features["theme"]) & set(profiles[m.uri].features["theme"])
                assert int(found[1]) == len(shared)


def test_scores_are_between_0_and_100_and_a_lone_common_feature_says_little(store):
    for j in JUDGED[:3]:
        for m in S.similar(store, S.resolve(store, j["initiative"]), 20):
            assert 0 < m.score <= 100
    me = S.Profile("a", "A")
    me.features["public"] = {"salaries-insertion": "Salariés en insertion"}
    other = S.Profile("b", "B")
    other.features["public"] = {"salaries-insertion": "Salariés en insertion"}
    common = S.compare(me, other, {("public", "salaries-insertion"): 0.3})
    rare = S.compare(me, other, {("public", "salaries-insertion"): 3.0})
    assert common.score < rare.score


def test_similar_cli_csv(built):
    r = runner.invoke(app, ["--store", str(built.store_dir), "similar", BARLIN, "-n", "5", "-f", "csv"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == list(S.COLUMNS) and [x["rank"] for x in rows] == ["1", "2", "3", "4", "5"]
    assert all(x["reasons"] and x["uri"].startswith("https://") for x in rows)
    assert "en commun" in rows[0]["reasons"]


def test_similar_cli_errors(built):
    r = runner.invoke(app, ["--store", str(built.store_dir), "similar", "Bus"])
    assert r.exit_code == 2 and "Bus de l'emploi" in r.output       # a near miss is suggested


def test_the_judgements_name_real_initiatives(store):
    assert len(JUDGED) == 10
    for j in JUDGED:
        S.resolve(store, j["initiative"])
        assert len(j["alike"]) >= 5 and all(isinstance(why, str) and why for why in j["alike"].values())
        for other in j["alike"]:
            S.resolve(store, other)


@pytest.mark.parametrize("fixture, index", [("judged.yaml", 0), ("judged-2.yaml", 1)])
def test_precision_at_5_is_the_readme_figure(store, fixture, index):
    judged = yaml.safe_load((ROOT / "tests/fixtures/similar" / fixture).read_text(encoding="utf-8"))["judged"]
    result = S.precision_at(store, [{"initiative": j["initiative"], "alike": list(j["alike"])} for j in judged])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    figures = re.findall(r"precision at 5 is \*\*(\d\.\d\d)\*\*", readme)
    if len(figures) < 2:
        pytest.fail("the README states no 'precision at 5 is **0.NN**' for both sets of judgements")
    assert f"{result['precision']:.2f}" == figures[index]
