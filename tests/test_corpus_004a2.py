"""Document 004, characters 21822-46463 (data/004_6542941b035b2caf.a2.yaml): the curated stories
answer the canned queries the way the catalogue states them."""

from __future__ import annotations

import re

import pytest

from maillage import query as queries
from maillage.build import read_records
from maillage.config import Settings
from maillage.output import plain

A2 = "004_6542941b035b2caf.a2.yaml"
RANGE = (21822, 46463)
OPENING_LINE = (262, 351)  # the catalogue's line naming its stories' enterprises COORACE members


def rows(store, name, **params):
    return [{k: plain(v) for k, v in r.items()} for r in queries.run(store, name, params).rows]


@pytest.fixture(scope="module")
def a2(data_dir):
    files = [f for f in read_records(Settings(data_dir=data_dir)).documents if f.display.endswith(A2)]
    assert len(files) == 1
    return files[0]


def _spans(records):
    for kind in ("organisations", "initiatives", "participations", "memberships", "programmes", "fundings"):
        for fact in getattr(records, kind):
            yield kind, fact.source
    for ini in records.initiatives:
        for fig in ini.figures:
            yield "figures", fig.source


def test_a2_spans_stay_in_their_range_except_the_coorace_opening_line(a2):
    for kind, source in _spans(a2.records):
        for start, end in source:
            inside = RANGE[0] <= start < end <= RANGE[1]
            assert inside or (kind == "memberships" and (start, end) == OPENING_LINE), (kind, start, end)


def test_a2_coorace_memberships_each_cite_the_enterprise_passage_too(a2):
    coorace = [m for m in a2.records.memberships if m.of == "coorace"]
    assert len(coorace) >= 9
    for m in coorace:
        assert OPENING_LINE in m.source and any(RANGE[0] <= s < e <= RANGE[1] for s, e in m.source), m


def test_soleni_cofunders_are_the_seven_named_bodies(store):
    got = rows(store, "who-funds-what", initiative="SOLENI")
    assert sorted(r["funder"] for r in got) == sorted([
        "AG2R La Mondiale", "CCAS de Grenoble", "Département de l'Isère", "EDF",
        "Gaz Électricité de Grenoble (GEG)", "OPAC 38", "Société Dauphinoise de l'Habitat (SDH)",
    ])
    assert {r["recipient"] for r in got} == {"ULISSE Energie"}
    assert all(r["amount_eur"] is None for r in got)  # the catalogue gives no amount
    with_programme = {r["funder"]: r["programme"] for r in got if r["programme"]}
    assert with_programme == {"Département de l'Isère": "Fonds Solidarité Logement de l'Isère (FSL)"}


def test_edf_is_one_node_for_bou_sol_partnership_and_soleni_funding(store):
    partners = rows(store, "partnerships", organisation="EDF")
    assert [(r["initiative"], r["role"]) for r in partners] == [
        ("Bou'Sol, réseau de boulangeries solidaires « Pain et Partage »", "partenaire")]
    assert [r["initiative"] for r in rows(store, "funded-by", funder="Électricité de France")] == ["SOLENI"]


def test_start_up_de_territoire_pilot_and_network_partners(store):
    got = rows(store, "partnerships", initiative="Start'up de territoire")
    assert sorted((r["partner"], r["role"]) for r in got) == [
        ("COORACE", "partenaire"), ("Groupe Archer", "pilote"),
        ("Mouves (Mouvement des entrepreneurs sociaux)", "partenaire"), ("Ronalpia", "partenaire"),
    ]


def test_clic_n_puces_citizen_money_is_a_figure_not_a_funding(a2, store, corpus_dir):
    assert rows(store, "who-funds-what", initiative="Reprise de Clic'n Puces en SCOP avec l'appui des citoyens") == []
    ini = next(i for i in a2.records.initiatives if i.id == "reprise-scop-clic-n-puces")
    euros = [f for f in ini.figures if f.unit == "EUR"]
    assert [f.value for f in euros] == [12000]
    text = (corpus_dir / a2.doc_file).read_text(encoding="utf-8")
    (start, end), = euros[0].source
    assert re.search(r"12\s000\s*€", text[start:end])


def test_initiatives_in_drome_include_the_archer_stories(store):
    got = {r["initiative"] for r in rows(store, "initiatives-in", territory="Drôme")}
    assert {"Start-up de territoire", "PTCE Pôle Sud", "Atelier cuir et chaussures Made in Romans"} <= got
