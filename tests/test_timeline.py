"""Fundings by year (issue 16 item 2): the rule that places a funding in time (maillage.timeline),
its properties, and `maillage years` on the bundled data (38 fundings, 3 of them dated)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from hypothesis import given, strategies as st
from typer.testing import CliRunner

from maillage import timeline as T
from maillage.cli import app

runner = CliRunner()


def row(**kw):
    base = {"funding": "f", "funders": "A", "funder_count": 1, "amount_eur": None, "period": None, "start": None,
            "end": None, "duration": None, "initiative_start": None}
    return {**base, **kw}


def test_a_year_a_period_and_a_duration_are_placed():
    assert T.place(row(period="2022", start="2022", end="2022")) == T.Placed((2022,), "year")
    assert T.place(row(period="2020/2023", start="2020", end="2023")).years == (2020, 2021, 2022, 2023)
    assert T.place(row(period="2020/2023")).years == (2020, 2021, 2022, 2023)      # from the text alone
    # a duration counts from the initiative's start when the funding has none
    assert T.place(row(period="P3Y", duration="P3Y", initiative_start="2022-02")) == T.Placed((2022, 2023, 2024), "duration-initiative")
    assert T.place(row(period="P18M", duration="P18M", start="2021")).years == (2021, 2022)
    # without a known start, a duration is undated; so is nothing at all, or an impossible period
    assert T.place(row(period="P3Y", duration="P3Y")) == T.Placed((), "duration-unanchored")
    assert T.place(row()) == T.Placed((), "undated")
    assert T.place(row(start="2024", end="2020")).years == ()


def test_durations():
    assert [T.duration_months(d) for d in ("P3Y", "P1Y6M", "P18M", "P2W", "P0Y", "3 ans", None)] == [36, 18, 18, 1, None, None, None]


def test_the_timeline_keeps_unknown_amounts_unknown_and_counts_the_undated():
    tl = T.build([row(funding="a", amount_eur=90000, period="2020/2022", start="2020", end="2022"),
                  row(funding="b", period="2021", start="2021", end="2021"),            # no amount
                  row(funding="c", amount_eur=500),                                      # undated
                  row(funding="d", period="2024", start="2024", end="2024")])           # no amount, after a gap
    by = {t.label: t for t in tl.years}
    assert list(by) == ["2020", "2021", "2022", "2023", "2024"]
    assert by["2021"].fundings == 2 and by["2021"].without_amount == 1 and by["2021"].amount == Decimal(30000)
    assert by["2023"].fundings == 0 and by["2023"].amount is None                       # an empty year: no 0 €
    assert by["2024"].amount is None and by["2024"].without_amount == 1                 # unknown, not 0
    assert tl.undated.fundings == 1 and tl.undated.amount == Decimal(500)
    assert tl.rows()[-1]["year"] == T.UNDATED and tl.dated == 3


def test_a_joint_funding_counts_once_in_the_joint_column():
    tl = T.build([row(funding="j", funders="A ; B", funder_count=2, amount_eur=1000, start="2022", end="2022")])
    assert tl.years[0].fundings == 1 and tl.years[0].joint == Decimal(1000) and tl.years[0].alone is None


@given(st.decimals(min_value=0, max_value=10**9, places=2), st.integers(min_value=1, max_value=T.MAX_YEARS))
def test_shares_add_up_to_the_amount_to_the_cent(amount, n):
    parts = T.shares(amount, n)
    assert len(parts) == n and sum(parts) == amount
    assert max(parts) - min(parts) <= Decimal("0.01")


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=0, max_value=60),
       st.one_of(st.none(), st.integers(min_value=0, max_value=10**7)))
def test_years_money_adds_up_to_the_dated_money(start, length, amount):
    tl = T.build([row(amount_eur=amount, start=str(start), end=str(start + length))])
    if length >= T.MAX_YEARS:
        assert tl.undated.fundings == 1 and not tl.years
        return
    assert len(tl.years) == length + 1 and all(t.fundings == 1 for t in tl.years)
    money = [t.amount for t in tl.years]
    if amount is None:
        assert money == [None] * (length + 1)
    else:
        assert sum(money) == amount


@given(st.one_of(st.text(max_size=12), st.from_regex(r"\A[0-9]{4}(/[0-9]{4})?\Z"), st.from_regex(r"\AP[0-9]{1,3}[YMWD]\Z")))
def test_any_period_text_is_placed_or_undated_never_an_error(text):
    placed = T.place(row(period=text, duration=text))
    assert all(1000 <= y <= 9999 + T.MAX_YEARS for y in placed.years)


# ---------------------------------------------------------------- on the bundled data

def test_years_csv_on_the_bundled_data(built):
    r = runner.invoke(app, ["--store", str(built.store_dir), "years", "-f", "csv"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == list(T.Timeline.COLUMNS)
    undated = rows[-1]
    assert undated["year"] == "sans date"
    fundings = sum(int(x["fundings"]) for x in rows if x["year"] != "sans date" and x["multi_year"] == "0")
    # the 38 fundings of the records: the 3 dated ones (one of them, Api Truck's P3Y, over 3 years) and the undated
    assert int(undated["fundings"]) + fundings + 1 == 38
    assert int(undated["with_amount"]) + int(undated["without_amount"]) == int(undated["fundings"])
    api = [x for x in rows if x["multi_year"] == "1"]
    assert [x["year"] for x in api] == ["2022", "2023", "2024"]                   # P3Y from the initiative's start (2022-02)
    assert sum(Decimal(x["amount_eur"]) for x in api) == 80000                    # split evenly, adds up
    assert all(x["amount_eur"] == "" for x in rows if x["fundings"] != "0" and x["with_amount"] == "0")  # never 0


def test_years_for_a_funder_and_the_detail_rows(built):
    r = runner.invoke(app, ["--store", str(built.store_dir), "years", "--funder", "MSA", "--detail", "-f", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [d["year"] for d in data["rows"]] == ["2022", "2023", "2024"]
    assert {d["how"] for d in data["rows"]} == {"durée depuis le début de l'initiative"}
    assert [d["share_eur"] for d in data["rows"]] == [26666.67, 26666.67, 26666.66]


def test_years_table_says_how_many_are_undated(built):
    r = runner.invoke(app, ["--store", str(built.store_dir), "years", "--territory", "Pas-de-Calais"])
    assert r.exit_code == 0, r.output
    assert "sans date" in r.stdout and "daté(s)" in r.stdout


def test_years_with_an_unknown_name_is_an_error(built):
    r = runner.invoke(app, ["--store", str(built.store_dir), "years", "--funder", "Personne Nulle Part"])
    assert r.exit_code == 2 and "Personne Nulle Part" in r.output
