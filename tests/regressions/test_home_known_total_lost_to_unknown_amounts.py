"""Regression: the home page said "11 avec un montant connu (montant non précisé au total connu …)":
the `counts` query summed the amounts over every funding, and SUM over a funding without an
amount is an error in SPARQL, so the whole known total came out unbound."""

from __future__ import annotations

import re
from decimal import Decimal

from maillage import query
from maillage.server.pages import Site, euros
from maillage.server.views.home import job_home, job_stats
from maillage.server.worker import State


def test_the_known_total_adds_the_known_amounts_only(built, store):
    rows = query.run(store, "who-funds-what").rows          # one row per funding, a joint one once
    distinct = {i: r["amount_eur"] for i, r in enumerate(rows)}
    known = [Decimal(str(v)) for v in distinct.values() if v is not None]
    assert 0 < len(known) < len(distinct)          # the bundled data has both kinds
    state = State(str(built.store_dir), built.base)
    stats = job_stats(state, 1)
    assert stats["with_amount"] == len(known) and stats["fundings"] == len(distinct)
    assert Decimal(str(stats["amount"])) == sum(known)
    page = job_home(state, 1, site=Site(built.base), public="http://x/").decode("utf-8")
    assert re.search(r'<span id="known-total">([^<]+)</span> au total connu', page).group(1) == euros(sum(known))
    assert "montant non précisé au total connu" not in page
