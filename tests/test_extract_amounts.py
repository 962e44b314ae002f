"""Money mentions: French writings, spans, per-year lists, annual amounts; no crash, no hang."""

import time

import pytest
from hypothesis import given, settings, strategies as st

from maillage.extract.amounts import Amount, find_amounts, parse_amount


@pytest.mark.parametrize("text, value", [
    ("80 000 €", 80000), ("2 500 €", 2500), ("1,4 millions d'euros", 1_400_000), ("2,5 M€", 2_500_000),
    ("3 M€", 3_000_000), ("25 000€", 25000), ("15 242 €", 15242), ("1.500.000 EUR", 1_500_000),
    ("15 k€", 15000), ("12\u202f000\u00a0€", 12000), ("1 000 000 euros", 1_000_000), ("0,5 M€", 500_000),
    ("150 000", 150000), ("2 millions", 2_000_000), ("1 234,56 €", 1234.56),
])
def test_parse_amount_french_writings(text, value):
    assert parse_amount(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "   ", "abc", "€", "environ", "2023 et 2024 : 3 €, 5 €", None])
def test_parse_amount_rejects_what_is_not_one_amount(text):
    assert parse_amount(text) is None


def test_find_amounts_spans_point_at_the_writing():
    text = "Le projet coûte 80 000 € et reçoit 1,4 millions d'euros de la Région."
    found = find_amounts(text)
    assert [text[a.start:a.end] for a in found] == ["80 000 €", "1,4 millions d'euros"]
    assert [a.value_eur for a in found] == [80000, 1_400_000]


def test_numbers_without_currency_are_not_money():
    assert find_amounts("Soutenir 180 dossiers en 2023 pour 1 000 personnes (54%).") == []


def test_annual_amounts():
    found = find_amounts("un budget de 3 M€ annuel; 650 000 € de budget annuel; 12 000 €/an; 5 000 € une fois")
    assert [a.annual for a in found] == [True, True, True, False]


def test_per_year_list_gives_each_amount_its_year():
    text = "## Coût total :\n\n- 2023 : 1 400 000 €\n- 2024 : 1 600 000 €\n- *2025 : 1 600 000 €*\n- 30 000 € pour l'AMO\n"
    found = find_amounts(text)
    assert [(a.year, a.value_eur) for a in found] == [(2023, 1_400_000), (2024, 1_600_000), (2025, 1_600_000), (None, 30000)]


def test_year_after_the_amount():
    (a,) = find_amounts("une subvention de 80 000 € en 2022 pour le camion")
    assert a.year == 2022


def test_a_year_is_not_glued_to_the_amount_that_follows():
    (a,) = find_amounts("en 2022 : 80 000 € de la Région")
    assert a.value_eur == 80000 and a.year == 2022


def test_ten_megabytes_in_a_few_seconds():
    text = ("Le projet a reçu 80 000 € de l'État en 2022, puis 1,4 millions d'euros. " * 2000
            + "9" * 5000 + " 1 2 3 4 5 6 7 8 9 " * 20000) * 20
    assert len(text) > 10_000_000
    t0 = time.perf_counter()
    found = find_amounts(text)
    assert time.perf_counter() - t0 < 120      # a hang guard (linear reading takes seconds); speed is `maillage bench`'s
    assert len(found) == 20 * 4000


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789 ,.€kMmilonsdeurà'\u00a0\n-:2") + ["M€", " euros", "2023 : ", " millions d'euros"]),
                max_size=40).map("".join))
def test_find_amounts_never_crashes_and_spans_hold_a_digit(text):
    for a in find_amounts(text):
        assert isinstance(a, Amount)
        assert 0 <= a.start < a.end <= len(text)
        assert any(c.isdigit() for c in text[a.start:a.end])
        assert a.value_eur >= 0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_find_amounts_on_any_text(text):
    for a in find_amounts(text):
        assert 0 <= a.start < a.end <= len(text)
        assert any(c.isdigit() for c in text[a.start:a.end])


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_parse_amount_round_trips_formatted_numbers(n):
    assert parse_amount(f"{n:,}".replace(",", " ") + " €") == n
    assert parse_amount(f"{n:,}".replace(",", "\u202f") + "\u00a0€") == n
