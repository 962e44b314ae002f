"""Bodies that several documents name are one node each: the funders and partners that meet
across documents 000–004 answer the canned queries with rows from every document that names
them, and documents 000–003 leave no money or cooperation passage uncovered."""

from __future__ import annotations

import pytest

from maillage import query as queries
from maillage.build import read_records
from maillage.config import Settings
from maillage.loaders.coverage import AMOUNT, check_corpus
from maillage.loaders.resolution import normalise_name, read_reviewed, suspects
from maillage.loaders.territories import load_cog
from maillage.output import plain

CURATED = ("000", "001", "002", "003")  # documents whose curation is finished


def rows(store, name, **params):
    return [{k: plain(v) for k, v in r.items()} for r in queries.run(store, name, params).rows]


def documents(got) -> set[str]:
    """The document prefixes ('000'…'004') of the `source` cells of a result."""
    return {src.split("_", 1)[0] for r in got for src in (r["source"] or "").split()}


@pytest.fixture(scope="module")
def records(data_dir):
    return read_records(Settings(data_dir=data_dir))


def recorded_funded(records, funder_id) -> set[str]:
    """Names of the initiatives the records say `funder_id` funds, in every file."""
    names = {i.id: i.name for f in records.files for i in f.records.initiatives}
    return {names[fu.initiative] for f in records.files for fu in f.records.fundings
            if funder_id in fu.funder and fu.initiative}


def test_funded_by_etat_spans_documents_000_002_003_and_004(store, records):
    got = rows(store, "funded-by", funder="État")
    assert documents(got) >= {"000", "002", "003", "004"}
    table = {(r["initiative"], r["amount_eur"]) for r in got}
    assert ("Api Truck's", 80000) in table                                     # 000, with the MSA
    assert ("Ateliers et chantiers d'insertion Mobilité solidaire (APFE)", 110000) in table  # 002
    assert ("Bus de l'emploi et de l'insertion de Barlin", None) in table      # 003
    assert ("Garage associatif solidaire en Centre-Val de Loire", None) in table  # 002
    joint = next(r for r in got if r["initiative"] == "Api Truck's")
    assert joint["cofunders"] == "Mutualité sociale agricole (MSA)"
    # every initiative the records give the State, from whichever file, and nothing else
    assert {r["initiative"] for r in got} == recorded_funded(records, "etat")


def test_funded_by_region_occitanie_is_the_adie_microcredit_of_document_002(store, records):
    got = rows(store, "funded-by", funder="Région Occitanie")
    assert [(r["initiative"], r["recipient"], r["amount_eur"]) for r in got] == [
        ("Permettre la mobilité durable et solidaire des publics en situation de fragilité", "Adie", 60000)]
    assert documents(got) == {"002"}
    assert {r["initiative"] for r in got} == recorded_funded(records, "region-occitanie")
    # a partner of the Coop'Alim platform, not one of its funders
    assert "Plateforme régionale d'aide alimentaire mutualisée entre associations" not in {r["initiative"] for r in got}


def test_funded_by_departement_du_cher_is_the_gas_18_joint_funding(store, records):
    got = rows(store, "funded-by", funder="Département du Cher")
    assert [(r["initiative"], r["recipient"], r["amount_eur"], r["cofunders"]) for r in got] == [
        ("Garage associatif solidaire en Centre-Val de Loire", "GAS 18 MobilitéS", 1800000,
         "Région Centre-Val de Loire")]
    assert {r["initiative"] for r in got} == recorded_funded(records, "departement-cher")
    # the document's own name for it resolves to the same node
    assert rows(store, "funded-by", funder="CD du Cher") == got


def test_funded_by_departement_de_loir_et_cher_is_its_own_renovation_aid(store):
    got = rows(store, "funded-by", funder="CD41")
    assert [(r["initiative"], r["amount_eur"]) for r in got] == [
        ("Aide aux travaux de rénovation énergétique (Loir-et-Cher)", None)]


def test_partners_of_pole_emploi_span_documents_002_003_and_004(store):
    got = rows(store, "partners-of", organisation="Pôle emploi")
    assert rows(store, "partners-of", organisation="France Travail") == got
    assert documents(got) >= {"002", "003", "004"}
    partners = {r["partner"]: r for r in got}
    assert "CCAS de Barlin" in partners                                   # 003
    assert "Adie" in partners and "Maison de l'Emploi de Marseille" in partners  # 002
    assert "BP Conseil" in partners                                       # 004
    assert "France Travail" not in partners


def test_national_bodies_are_one_node_wherever_they_are_named(records):
    common_ids = {o.id for f in records.files if f.path.name == "common.yaml" for o in f.records.organisations}
    assert {"etat", "france-travail", "msa", "union-europeenne", "fondation-abbe-pierre"} <= common_ids
    names = {oid: {normalise_name(n) for n in (o.name, *o.aliases)} - {""}
             for oid, o in records.organisations.items()}
    for cid in common_ids:
        for oid, theirs in names.items():
            if oid != cid:
                assert not (names[cid] & theirs), f"{oid} is named like the national body {cid}: {names[cid] & theirs}"


def test_no_suspect_pair_is_left_unreviewed(records, data_dir):
    reviewed = read_reviewed(data_dir / "review" / "distinct.yaml")
    found = suspects(records.organisations, load_cog(), reviewed=reviewed)
    assert not found, "; ".join(f"{s.a} ~ {s.b} ({s.why})" for s in found)


def test_a_name_two_bodies_share_resolves_to_neither(store):
    # "CAF" is what document 002 calls both the Gers and the Haute-Garonne caisses
    with pytest.raises(queries.QueryError, match="several organisations"):
        queries.run(store, "partners-of", {"organisation": "CAF"})


def test_collectivites_and_state_services_of_000_to_003_have_their_territory(records):
    local_kinds = {"REG", "CD", "EPCI", "MUNI", "CCAS", "CIAS"}
    services = ("DDETS", "DREETS", "DDT", "Préfecture", "DIRECCTE", "ARS", "Commissaire")
    checked = 0
    for f in records.files:
        if not f.path.name.startswith(CURATED):
            continue
        for o in f.records.organisations:
            if o.kind in local_kinds or (o.kind == "ETAT" and any(s in o.name for s in services)):
                merged = records.organisations[o.id]
                assert merged.territory, f"{f.display}: {o.id} has no territory"
                checked += 1
    assert checked >= 20


@pytest.mark.corpus
def test_coverage_zero_uncovered_in_000_to_003(records, corpus_dir):
    report = {d.file[:3]: d for d in check_corpus(records, corpus_dir)}
    assert set(CURATED) <= set(report)
    for doc in CURATED:
        d = report[doc]
        assert d.passages, f"{doc}: no money or cooperation passage found"
        assert not d.uncovered, f"{doc}: uncovered " + "; ".join(
            f"[{p.start}, {p.end}] {p.kind}" for p in d.uncovered)


@pytest.mark.corpus
def test_no_euro_amount_of_000_to_003_is_excused_rather_than_recorded(records, corpus_dir):
    for d in check_corpus(records, corpus_dir):
        if d.file.startswith(CURATED):
            excused = [(p.start, p.end) for p, _ in d.allowed if AMOUNT.search(p.text)]
            assert not excused, f"{d.file}: amounts justified instead of recorded at {excused}"


@pytest.mark.corpus
def test_every_allowance_of_000_to_003_justifies_some_passage(records, corpus_dir):
    for d in check_corpus(records, corpus_dir):
        if not d.file.startswith(CURATED):
            continue
        used = {(p.start, p.end) for p, _ in d.allowed}
        mine = [a.span for f in records.documents if f.doc_file == d.file for a in f.records.coverage_allow]
        assert mine, f"{d.file}: no coverage_allow entries"
        stale = [span for span in mine if not any(span[0] <= s and e <= span[1] for s, e in used)]
        assert not stale, f"{d.file}: allowances that justify no uncovered passage: {stale}"


@pytest.mark.corpus
def test_maillage_coverage_passes_on_all_five_documents(corpus_dir, data_dir):
    from typer.testing import CliRunner

    from maillage.cli import app

    result = CliRunner().invoke(app, ["--data", str(data_dir), "coverage", "--corpus", str(corpus_dir)])
    assert result.exit_code == 0, result.output[-2000:]
    assert "every money and cooperation passage is covered or justified" in result.output
    for doc in ("000", "001", "002", "003", "004"):
        assert f"{doc}_" in result.output


@pytest.mark.corpus
def test_no_allowance_anywhere_is_stale_or_excuses_an_amount(records, corpus_dir):
    report = check_corpus(records, corpus_dir)
    assert len(report) == 5
    for d in report:
        assert d.passages and not d.uncovered, d.file
        assert not [p for p, _ in d.allowed if AMOUNT.search(p.text)], d.file
        used = {(p.start, p.end) for p, _ in d.allowed}
        mine = [a.span for f in records.documents if f.doc_file == d.file for a in f.records.coverage_allow]
        stale = [span for span in mine if not any(span[0] <= s and e <= span[1] for s, e in used)]
        assert not stale, f"{d.file}: allowances that justify no uncovered passage: {stale}"
