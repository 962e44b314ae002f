"""Issue 14 item 1: amounts and dates checked at the door (records, drafts, SCDL), each test named
after what got in before."""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from maillage.build import vocabulary_for_records
from maillage.config import REPO_ROOT
from maillage.loaders.records import RecordsInvalid, load_records, parse_yaml
from maillage.loaders.sources.scdl import validate_row
from maillage.loaders.values import AMOUNT_MAX, check_amount, check_date, parse_amount_text

GOOD = """\
document:
  file: 900_test.txt
  title: Test document
organisations:
  - id: asso-test
    name: Association Test
    kind: ASSO
    source: [0, 10]
initiatives:
  - id: test-initiative
    name: Initiative Test
    start: 2021
    source: [0, 20]
fundings:
  - funder: etat
    initiative: test-initiative
    amount_eur: 1000
    source: [20, 40]
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "common.yaml").write_text((REPO_ROOT / "data" / "common.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def errors(folder: Path, text: str) -> list[str]:
    (folder / "900_test.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RecordsInvalid) as info:
        load_records(folder, vocabulary_for_records(), root=folder)
    return [str(e) for e in info.value.errors]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("written", [".inf", "-.inf", ".nan", "1e20", "12345678901234567.89", "-5", "10.555"])
def test_infinite_huge_or_odd_amount_in_a_record_is_refused_with_its_line(folder, written):
    text = GOOD.replace("amount_eur: 1000", f"amount_eur: {written}")
    (err,) = errors(folder, text)
    assert err.startswith(f"900_test.yaml:{line_of(text, 'amount_eur')}: fundings.0.amount_eur")


def test_record_amount_is_an_exact_decimal_never_a_float(folder):
    (folder / "900_test.yaml").write_text(GOOD.replace("amount_eur: 1000", "amount_eur: 9999999999.99"), encoding="utf-8")
    rs = load_records(folder, vocabulary_for_records())
    amount = rs.documents[0].records.fundings[0].amount_eur
    assert isinstance(amount, Decimal) and amount == Decimal("9999999999.99")


def test_amount_in_the_warning_band_is_accepted_with_a_warning_naming_the_line(folder):
    text = GOOD.replace("amount_eur: 1000", "amount_eur: 250000000")
    (folder / "900_test.yaml").write_text(text, encoding="utf-8")
    rs = load_records(folder, vocabulary_for_records(), root=folder)
    (w,) = rs.warnings
    assert str(w).startswith(f"900_test.yaml:{line_of(text, 'amount_eur')}:") and "250 000 000,00 €" in str(w)


@pytest.mark.parametrize("written", ["2023-13-45", "2023-02-30", "0001-01-01", "2999-01-01", "'2023-13-45'"])
def test_impossible_or_implausible_date_in_a_record_gives_its_line_not_a_traceback(folder, written):
    text = GOOD.replace("start: 2021", f"start: {written}")
    (err,) = errors(folder, text)
    assert err.startswith(f"900_test.yaml:{line_of(text, 'start:')}: initiatives.0.start")


def test_same_organisation_id_twice_in_one_file_is_refused_not_merged(folder):
    text = GOOD.replace("initiatives:", "  - id: asso-test\n    name: Autre nom\n    kind: ASSO\n    source: [0, 5]\ninitiatives:")
    errs = errors(folder, text)
    assert any(e.startswith(f"900_test.yaml:{line_of(text, 'name: Autre nom') - 1}:") and "declared twice" in e for e in errs)


def test_scdl_montant_of_400_digits_or_huge_is_refused_and_parsed_exactly():
    assert parse_amount_text("12345678901234567,89") == Decimal("12345678901234567.89")
    row = {"nomAttribuant": "Ville", "idAttribuant": "21750001600019", "dateConvention": "2023-01-01",
           "nomBeneficiaire": "Asso", "objet": "x"}
    for montant in ("9" * 400, "12345678901234567,89", "0001"):
        grant, errs = validate_row(7, {**row, "montant": montant}, "f.csv")
        if montant == "0001":
            assert grant.amount == 1
        else:
            assert grant is None and str(errs[0]).startswith("f.csv:7: montant:")
    grant, errs = validate_row(7, {**row, "montant": "1 500,50", "dateConvention": "0001-01-01"}, "f.csv")
    assert grant is None and str(errs[0]).startswith("f.csv:7: dateConvention:")


def test_yaml_bomb_of_505_bytes_is_refused_in_milliseconds(folder):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    t = time.perf_counter()
    (err,) = errors(folder, bomb)
    assert time.perf_counter() - t < 5 and "aliases" in err
    with pytest.raises(ValueError, match="aliases"):
        parse_yaml(bomb)


def test_deep_flow_nesting_is_refused_instead_of_crashing_libyaml(folder):
    (err,) = errors(folder, "a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "nested more than" in err


def test_records_paths_that_are_folders_loops_or_pipes_are_refused(folder):
    (folder / "900_test.yaml").mkdir()
    (folder / "901_loop.yaml").symlink_to(folder / "901_loop.yaml")
    os.mkfifo(folder / "902_pipe.yaml")
    with pytest.raises(RecordsInvalid) as info:
        load_records(folder, vocabulary_for_records(), root=folder)
    text = "\n".join(map(str, info.value.errors))
    assert "900_test.yaml:1: is a folder" in text and "901_loop.yaml:1: cannot read it" in text
    assert "902_pipe.yaml:1: is not a regular file" in text
    with pytest.raises(RecordsInvalid, match="not a folder"):
        load_records(folder / "nowhere", vocabulary_for_records())


def test_oversized_records_file_is_refused_unread(folder):
    (err,) = errors(folder, "# x\n" * 600_000)
    assert "more than the limit" in err


# ---------------------------------------------------------------- properties of the validators

@given(st.decimals(min_value=0, max_value=AMOUNT_MAX, places=2))
def test_any_amount_in_range_is_read_back_exactly_in_french_writing(amount):
    whole, _, cents = f"{amount:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    for text in (f"{whole},{cents}", f"{grouped},{cents} €", f"{whole}.{cents}"):
        value, _ = check_amount(parse_amount_text(text))
        assert value == amount


@given(st.one_of(st.decimals(allow_nan=True, allow_infinity=True), st.integers(), st.text(max_size=30)))
def test_check_amount_accepts_only_finite_amounts_in_range(value):
    try:
        number, warning = check_amount(value)
    except ValueError:
        return
    assert number.is_finite() and 0 <= number <= AMOUNT_MAX and number.as_tuple().exponent >= -2
    assert (warning is not None) == (number > Decimal(100_000_000))


@given(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
def test_check_date_agrees_with_the_calendar_and_the_range(y, m, d):
    text = f"{y:04d}-{m:02d}-{d:02d}"
    try:
        real = dt.date(y, m, d)
    except ValueError:
        real = None
    ok = real is not None and 1900 <= y <= 2100
    try:
        assert check_date(text) == text and ok
    except ValueError:
        assert not ok


def test_source_span_past_the_end_of_its_document_is_refused_when_the_document_is_at_hand(folder, tmp_path_factory):
    from maillage.build import read_records
    from maillage.config import Settings

    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "900_test.txt").write_text("x" * 30, encoding="utf-8")  # the funding's span is [20, 40]
    (folder / "900_test.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RecordsInvalid) as info:
        read_records(Settings(data_dir=folder, corpus_dir=corpus))
    (err,) = [str(e) for e in info.value.errors]
    assert f":{line_of(GOOD, 'source: [20, 40]')}: fundings.0.source: span [20, 40] goes past the end of 900_test.txt (30 characters)" in err
    read_records(Settings(data_dir=folder, corpus_dir=tmp_path_factory.mktemp("empty")))  # no document: not checked
