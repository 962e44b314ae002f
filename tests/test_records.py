"""Record validation: every bad record gives file:line and the build changes nothing."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from maillage.build import build, read_records, vocabulary_for_records
from maillage.config import Settings
from maillage.loaders.records import RecordsInvalid, load_records
from maillage.store import open_store, read_meta

GOOD = """\
document:
  file: 900_test.txt
  title: Test document
  kind: fiche
organisations:
  - id: asso-test
    name: Association Test
    kind: ASSO
    territory: com:62083
    source: [0, 10]
initiatives:
  - id: test-initiative
    name: Initiative Test
    territories: [com:62083]
    themes: [emploi]
    source: [0, 20]
participations:
  - initiative: test-initiative
    organisation: asso-test
    role: pilote
    source: [0, 20]
fundings:
  - funder: etat
    initiative: test-initiative
    amount_eur: 1000
    year: 2022
    source: [20, 40]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(folder: Path) -> list[str]:
    with pytest.raises(RecordsInvalid) as info:
        load_records(folder, vocabulary_for_records(), root=folder)
    return [str(e) for e in info.value.errors]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    common = (Path(__file__).resolve().parents[1] / "data" / "common.yaml").read_text(encoding="utf-8")
    write(tmp_path, "common.yaml", common)
    return tmp_path


def test_good_records_load(folder):
    write(folder, "900_test.yaml", GOOD)
    rs = load_records(folder, vocabulary_for_records())
    assert [f.doc_file for f in rs.documents] == ["900_test.txt"]
    assert rs.documents[0].records.fundings[0].funder == ["etat"]


def test_malformed_yaml_gives_file_and_line(folder):
    broken = GOOD.replace("    kind: ASSO\n", "    kind: [ASSO\n")
    write(folder, "900_test.yaml", broken)
    errs = errors_of(folder)
    assert len(errs) == 1
    assert re.match(r"^900_test\.yaml:\d+: malformed YAML", errs[0])


def test_unknown_territory_code_points_to_its_line(folder):
    text = GOOD.replace("territories: [com:62083]", "territories: [com:99999]")
    write(folder, "900_test.yaml", text)
    line = text.splitlines().index("    territories: [com:99999]") + 1
    assert errors_of(folder) == [f"900_test.yaml:{line}: unknown territory code 'com:99999'"]


def test_funding_without_funder_points_to_the_funding(folder):
    text = GOOD.replace("  - funder: etat\n    initiative: test-initiative\n",
                        "  - initiative: test-initiative\n")
    write(folder, "900_test.yaml", text)
    lines = text.splitlines()
    line = lines.index("  - initiative: test-initiative", lines.index("fundings:")) + 1
    errs = errors_of(folder)
    assert errs == [f"900_test.yaml:{line}: fundings.0.funder: missing required field 'funder'"]


def test_unknown_funder_and_role_are_each_reported(folder):
    text = GOOD.replace("funder: etat", "funder: nobody").replace("role: pilote", "role: captain")
    write(folder, "900_test.yaml", text)
    errs = errors_of(folder)
    lines = text.splitlines()
    assert f"900_test.yaml:{lines.index('  - funder: nobody') + 1}: unknown funder 'nobody' (declare it under organisations:)" in errs
    assert any(e.startswith(f"900_test.yaml:{lines.index('    role: captain') + 1}: unknown role 'captain'") for e in errs)


def test_amount_written_as_text_is_refused(folder):
    text = GOOD.replace("amount_eur: 1000", "amount_eur: 1 000 €")
    write(folder, "900_test.yaml", text)
    line = text.splitlines().index("    amount_eur: 1 000 €") + 1
    (err,) = errors_of(folder)
    assert err.startswith(f"900_test.yaml:{line}: fundings.0.amount_eur: amount_eur must be a plain number")


def test_amount_in_scientific_notation_is_a_number_not_text(folder):
    """Regression: PyYAML reads `1e6` as a string, and the record was refused."""
    write(folder, "900_test.yaml", GOOD.replace("amount_eur: 1000", "amount_eur: 1e6"))
    rs = load_records(folder, vocabulary_for_records())
    assert rs.documents[0].records.fundings[0].amount_eur == 1_000_000


def test_duplicate_key_and_unknown_field(folder):
    text = GOOD.replace("    kind: ASSO\n", "    kind: ASSO\n    kind: ACI\n    colour: blue\n")
    write(folder, "900_test.yaml", text)
    errs = errors_of(folder)
    lines = text.splitlines()
    assert f"900_test.yaml:{lines.index('    kind: ACI') + 1}: key 'kind' appears twice" in errs
    assert f"900_test.yaml:{lines.index('    colour: blue') + 1}: organisations.0.colour: unknown field 'colour'" in errs


def test_bad_span_is_refused(folder):
    text = GOOD.replace("source: [0, 10]", "source: [10, 3]")
    write(folder, "900_test.yaml", text)
    (err,) = errors_of(folder)
    assert "source span [10, 3] must have 0 <= start < end" in err


def test_kind_conflict_across_files(folder):
    write(folder, "900_test.yaml", GOOD)
    other = GOOD.replace("900_test", "901_test").replace("kind: ASSO", "kind: ACI").replace("test-initiative", "other-initiative")
    write(folder, "901_test.yaml", other)
    errs = errors_of(folder)
    assert any("901_test.yaml" in e and "organisation 'asso-test' is 'ACI' here but 'ASSO'" in e for e in errs)


def test_same_organisation_in_two_files_is_one_node_with_merged_aliases(folder):
    write(folder, "900_test.yaml", GOOD)
    other = (GOOD.replace("900_test", "901_test").replace("name: Association Test", "name: Asso Test")
             .replace("test-initiative", "other-initiative"))
    write(folder, "901_test.yaml", other)
    rs = load_records(folder, vocabulary_for_records())
    org = rs.organisations["asso-test"]
    assert org.name == "Association Test" and "Asso Test" in org.aliases


@pytest.mark.parametrize("breakage", ["malformed", "unknown-territory", "no-funder"])
def test_failed_build_leaves_previous_graph_intact(tmp_path, data_copy, breakage):
    settings = Settings(data_dir=data_copy, store_dir=tmp_path / "store")
    build(settings)
    before_meta = read_meta(settings.store_dir)
    before = open_store(settings.store_dir).nquads()

    target = data_copy / "000_db57453d3f781195.yaml"
    text = target.read_text(encoding="utf-8")
    if breakage == "malformed":
        text = text.replace("kind: EPCI", "kind: [EPCI", 1)
    elif breakage == "unknown-territory":
        text = text.replace("territory: reg:84", "territory: reg:99", 1)
    else:
        text = text.replace("  - funder: fondation-macif\n", "  -\n", 1)
    target.write_text(text, encoding="utf-8")
    with pytest.raises(RecordsInvalid) as info:
        build(settings)
    assert all(e.file.endswith("000_db57453d3f781195.yaml") and e.line > 1 for e in info.value.errors)
    assert read_meta(settings.store_dir) == before_meta
    assert open_store(settings.store_dir).nquads() == before
    assert not list(tmp_path.glob("store.new-*")) and not list(tmp_path.glob("store.old-*"))


def test_bundled_records_are_valid(data_dir):
    rs = read_records(Settings(data_dir=data_dir))
    assert len(rs.documents) >= 2


# ---------------------------------------------------------------- property-based

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**7), st.text(max_size=12),
                         st.floats(allow_nan=False, allow_infinity=False))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(
        ["id", "name", "kind", "source", "funder", "initiative", "amount_eur", "role", "territories",
         "year", "period", "document", "file", "title", "organisations", "fundings"]), inner, max_size=4)),
    max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.dictionaries(st.sampled_from(["document", "organisations", "initiatives", "fundings",
                                             "participations", "territories", "programmes"]),
                           yaml_values, max_size=4))
def test_arbitrary_records_never_crash_and_errors_point_into_the_file(tmp_path_factory, doc):
    folder = tmp_path_factory.mktemp("prop")
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    write(folder, "900_x.yaml", text)
    n_lines = max(1, len(text.splitlines()))
    try:
        load_records(folder, vocabulary_for_records(), root=folder)
    except RecordsInvalid as exc:
        assert exc.errors
        for e in exc.errors:
            assert e.file == "900_x.yaml"
            assert 1 <= e.line <= n_lines, (e, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.one_of(st.integers(0, 10**9), st.decimals(0, 10**9, places=2)),
       year=st.integers(1990, 2040))
def test_any_valid_amount_and_year_round_trip(tmp_path_factory, amount, year):
    folder = tmp_path_factory.mktemp("amt")
    write(folder, "common.yaml", (Path(__file__).resolve().parents[1] / "data" / "common.yaml").read_text(encoding="utf-8"))
    write(folder, "900_test.yaml", GOOD.replace("amount_eur: 1000", f"amount_eur: {amount}").replace("year: 2022", f"year: {year}"))
    rs = load_records(folder, vocabulary_for_records())
    f = rs.documents[0].records.fundings[0]
    assert f.amount_eur == Decimal(amount) and f.year == year  # exact: no float on the way


def test_build_skips_when_no_input_changed_and_names_what_changed(tmp_path, data_copy):
    settings = Settings(data_dir=data_copy, store_dir=tmp_path / "store")
    first = build(settings)
    assert not first.up_to_date
    again = build(settings)
    assert again.up_to_date and again.triples == first.triples
    target = data_copy / "003_51a5ec4ebfa4ed0e.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("Inter Insert", "Inter-Insert", 1), encoding="utf-8")
    third = build(settings)
    assert not third.up_to_date and third.changed == ["records:003_51a5ec4ebfa4ed0e.yaml"]
    assert build(settings, force=True).up_to_date is False
