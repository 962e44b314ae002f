"""The map's totals took 11 s at 100,000 triples (and its figures 13 s per level at 1 M): "how many
are placed at this level" was an OPTIONAL subquery of the totals, which Oxigraph evaluated again
for every funding, and a bound ``?level`` in ``?t a ?level`` made it start from every territory of
the level. Fixed by queries of their own for the placed counts (map-*-placed.rq), the level
compared in a FILTER, and one pass for both levels. This checks the shape stays so; the speed
itself is the bench's `map` step (target under the server's 10 s limit)."""

from __future__ import annotations

import re

from maillage import query


def map_queries() -> dict[str, str]:
    return {name: q.text for name, q in query.internal_catalogue().items() if name.startswith("map-")}


def test_no_map_query_has_an_optional_subquery():
    for name, text in map_queries().items():
        assert not re.search(r"OPTIONAL\s*\{\s*SELECT", text), name


def test_the_level_is_compared_in_a_filter_never_bound_as_a_type():
    for name, text in map_queries().items():
        assert "?t a ?level " not in text and "?t a ?level." not in text, name
        assert "level" not in query.internal(name).binds, name


def test_both_levels_come_from_one_pass(store, monkeypatch):
    from maillage import territory_map as tm

    seen, real = [], query.select

    def counting(s, name, *args, **kwargs):
        seen.append(name)
        return real(s, name, *args, **kwargs)

    monkeypatch.setattr(query, "select", counting)
    both = tm.figures_by_level(store)
    assert set(both) == {"departement", "region"}
    counted = [n for n in seen if n.startswith("map-")]
    assert len(counted) == len(set(counted)) == 7, counted      # each map query once for both levels
