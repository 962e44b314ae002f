"""Regression: funders-of and funding-totals wrapped aggregates in IF(COUNT(...) > 0, SUM(...), ...);
Virtuoso 7 refuses that (SQ156 "Bad dfe in sqlo_place_exp") and the bench's Virtuoso column and the
pushed-store tests failed. And an outer BIND whose expression errs drops the row on Virtuoso (the
joint funders vanished), so a total left unknown is made in the projection. The live check against
Virtuoso is tests/test_virtuoso.py; this one keeps the shape out of every query file."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
IF_OVER_AGGREGATE = re.compile(r"\bIF\s*\(\s*(COUNT|SUM|SAMPLE|MIN|MAX|AVG|GROUP_CONCAT)\s*\(", re.I)


def query_files():
    return sorted([*(REPO / "queries").rglob("*.rq"), *(REPO / "graph").rglob("*.rq")])


def test_no_query_wraps_an_aggregate_in_if():
    offenders = [str(p.relative_to(REPO)) for p in query_files() if IF_OVER_AGGREGATE.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_pattern_is_caught():
    assert IF_OVER_AGGREGATE.search("(IF(COUNT(?x) > 0, SUM(?v), SAMPLE(?x)) AS ?t)")
    assert not IF_OVER_AGGREGATE.search("(IF(?n > 0, ?sum, ?unknown) AS ?t)")
