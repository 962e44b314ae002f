"""SCDL subventions: rows validated, grants linked to the graph's organisations and
territories, loads persisted, bad files refused whole."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from typer.testing import CliRunner

from maillage import query as queries
from maillage.build import build
from maillage.cli import app
from maillage.config import REPO_ROOT, Settings
from maillage.load import load_file
from maillage.loaders.sources import manifest as sources
from maillage.loaders.sources.scdl import validate_row
from maillage.loaders.sources.tabular import FileInvalid, check_siret, parse_amount
from maillage.loaders.synthetic import HEADER, scdl_rows, with_check_digit, write_scdl
from maillage.output import plain
from maillage.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "scdl" / "subventions-cher-2023.csv"


@pytest.fixture
def fresh(tmp_path) -> Settings:
    s = Settings(data_dir=REPO_ROOT / "data", store_dir=tmp_path / "store")
    build(s)
    return s


def who(settings, **params):
    store = open_store(settings.store_dir)
    return [{k: plain(v) for k, v in r.items()} for r in queries.run(store, "who-funds-what", params).rows]


def test_grants_and_corpus_answer_together_by_territory(fresh):
    load_file(fresh, "scdl", FIXTURE)
    rows = who(fresh, territory="18")
    sources_seen = {r["source"].split("#")[0] for r in rows}
    assert "subventions-cher-2023.csv" in sources_seen
    assert any(s.startswith("002_") for s in sources_seen)  # the corpus's garage in the Cher
    grant = next(r for r in rows if r["object"] == "Garage associatif : location solidaire de véhicules")
    assert (grant["funder"], grant["recipient"], grant["amount_eur"], grant["period"]) == (
        "Département du Cher", "GAS 18 MobilitéS", 45000, "2023/2024")


def test_a_commune_grant_is_found_from_its_region(fresh):
    load_file(fresh, "scdl", FIXTURE)
    rows = who(fresh, territory="Centre-Val de Loire")
    bourges = [r for r in rows if r["funder"] == "Commune de Bourges"]
    assert {r["amount_eur"] for r in bourges} == {3200, 1850}


def test_beneficiary_named_in_the_corpus_is_the_same_node(fresh):
    load_file(fresh, "scdl", FIXTURE)
    store = open_store(fresh.store_dir)
    q = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX org: <http://www.w3.org/ns/org#>
           SELECT DISTINCT ?o WHERE { ?o a org:FormalOrganization ; skos:prefLabel|skos:altLabel ?l
                                      FILTER(STR(?l) = "GAS 18 MobilitéS") }"""
    assert len(store.select(q).rows) == 1
    funded = queries.run(store, "funded-by", {"funder": "Département du Cher"}).rows
    assert {r["recipient"] for r in funded} >= {"GAS 18 MobilitéS", "Épicerie sociale La Passerelle"}


def test_reloading_adds_nothing_twice_and_builds_keep_loaded_files(fresh):
    first = load_file(fresh, "scdl", FIXTURE)
    again = load_file(fresh, "scdl", FIXTURE)
    assert again.replaced and again.graph_triples == first.graph_triples
    assert len(sources.manifests(fresh.sources_dir)) == 1
    report = build(fresh)
    assert report.triples == first.graph_triples
    assert len([r for r in who(fresh) if r["source"].startswith("subventions-cher")]) == 5


def _fifty_with_three_bad(tmp_path) -> Path:
    rows = scdl_rows(47, seed=7)
    bad = [dict(rows[0]), dict(rows[1]), dict(rows[2])]
    bad[0]["idBeneficiaire"] = bad[0]["idBeneficiaire"][:-1] + str((int(bad[0]["idBeneficiaire"][-1]) + 1) % 10)
    bad[1]["montant"] = "douze mille"
    bad[2]["objet"] = ""
    rows[10:10] = [bad[0]]
    rows[20:20] = [bad[1]]
    rows[40:40] = [bad[2]]
    return write_scdl(tmp_path / "fifty.csv", rows)


def test_three_bad_rows_refuse_the_file_with_three_precise_messages(fresh, tmp_path):
    path = _fifty_with_three_bad(tmp_path)
    before = open_store(fresh.store_dir).nquads()
    with pytest.raises(FileInvalid) as info:
        load_file(fresh, "scdl", path)
    errors = [str(e) for e in info.value.errors]
    assert len(errors) == 3
    assert errors[0].startswith(f"{path}:12: idBeneficiaire: ") and "check digit" in errors[0]
    assert errors[1] == f"{path}:22: montant: 'douze mille' is not an amount in euros"
    assert errors[2] == f"{path}:42: objet: is required and empty"
    assert open_store(fresh.store_dir).nquads() == before
    assert not sources.manifests(fresh.sources_dir)


def test_skip_bad_loads_the_good_rows_and_rejects_the_bad(fresh, tmp_path):
    path = _fifty_with_three_bad(tmp_path)
    report = load_file(fresh, "scdl", path, skip_bad=True, reject_path=tmp_path / "rejets.csv")
    assert (report.rows, report.rejected) == (47, 3)
    with (tmp_path / "rejets.csv").open(encoding="utf-8") as f:
        rejected = list(csv.DictReader(f, delimiter=";"))
    assert [r["ligne"] for r in rejected] == ["12", "22", "42"]
    assert "montant" in rejected[1]["erreurs"]
    assert len([r for r in who(fresh) if r["source"].startswith("fifty.csv")]) == 47


def test_header_without_required_columns_is_refused(fresh, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("nom;montant\nX;12\n", encoding="utf-8")
    with pytest.raises(FileInvalid) as info:
        load_file(fresh, "scdl", path)
    assert f"{path}:1: idAttribuant: column missing from the header (SCDL subventions schema)" in [str(e) for e in info.value.errors]


def test_cli_load_reports_and_exit_codes(fresh, tmp_path):
    runner = CliRunner()
    base = ["--store", str(fresh.store_dir), "--data", str(fresh.data_dir)]
    r = runner.invoke(app, [*base, "load", "scdl", str(FIXTURE)])
    assert r.exit_code == 0, r.output
    assert "loaded subventions-cher-2023.csv: 5 rows" in r.stdout
    r = runner.invoke(app, [*base, "load", "scdl", str(_fifty_with_three_bad(tmp_path))])
    assert r.exit_code == 1 and "3 error(s)" in r.stderr and "nothing loaded" in r.stderr
    r = runner.invoke(app, [*base, "sources"])
    assert "subventions-cher-2023.csv" in r.stdout


# ---------------------------------------------------------------- property-based

@given(st.integers(0, 10**9), st.integers(0, 99), st.sampled_from(["{i},{c:02d}", "{i}.{c:02d}", "{g},{c:02d}", "{g}"]))
def test_parse_amount_reads_every_french_writing(whole, cents, pattern):
    grouped = f"{whole:,}".replace(",", "\u00a0")
    text = pattern.format(i=whole, c=cents, g=grouped)
    expected = Decimal(whole) + (Decimal(cents) / 100 if "{c" in pattern else 0)
    assert parse_amount(text) == expected  # exact: a Decimal, never a float


@given(st.integers(10**7, 10**8 - 1), st.integers(0, 9999), st.integers(0, 13), st.integers(1, 9))
def test_siret_check_digit_catches_any_single_digit_change(siren8, nic, position, delta):
    siret = with_check_digit(with_check_digit(str(siren8)) + f"{nic:04d}")
    assert check_siret(siret) == siret
    changed = siret[:position] + str((int(siret[position]) + delta) % 10) + siret[position + 1:]
    if not changed.startswith("356000000"):
        with pytest.raises(ValueError):
            check_siret(changed)


@hsettings(max_examples=200)
@given(st.dictionaries(st.sampled_from(HEADER), st.text(max_size=20), max_size=len(HEADER)))
def test_any_row_gives_a_grant_or_precise_errors(row):
    grant, errors = validate_row(7, row, "f.csv")
    assert (grant is None) == bool(errors)
    for e in errors:
        assert e.line == 7 and e.file == "f.csv" and e.column and e.message
