"""The bench's workload: a synthetic graph shaped like the real one, and the canned queries with
the parameters they get at bench scale."""

from __future__ import annotations

from pathlib import Path

from maillage.model import MAI  # noqa: F401 - tests read workload.MAI


def synthetic_nquads(target: int, path: Path, seed: int = 42) -> dict:
    """Write about ``target`` quads to ``path``; return names of entities the queries can use.
    The generator is maillage.loaders.synthetic.synthetic_graph (the one quad writer)."""
    from maillage.loaders.synthetic import synthetic_graph

    return synthetic_graph(target, path, seed)


def plan(names: dict) -> list[tuple[str, dict]]:
    """The canned queries and the parameters they get at bench scale."""
    return [
        ("who-funds-what", {"territory": names["region"]}),
        ("funders-of", {"initiative": names["initiative"]}),
        ("funded-by", {"funder": names["funder"]}),
        ("partners-of", {"organisation": names["organisation"]}),
        ("partnerships", {"initiative": names["initiative"]}),
        ("initiatives-in", {"territory": names["region"]}),
        ("co-funders", {}),
        ("funding-totals", {}),
        ("stats", {}),
    ]


# questions maillage reads from the aggregates its store writes (maillage/store/aggregates.py).
# An engine given only the generated file (plain rdflib, Virtuoso) computes them from the facts
# (queries/live/NAME.rq); raw pyoxigraph writes the same aggregates with the same SPARQL
# as part of its load, so that it still runs the very text maillage sends.
AGGREGATED = ("co-funders", "funding-totals")


def question(name: str):
    """What an engine without the store's aggregates is asked for canned question ``name``."""
    from maillage import query

    return query.live(name) if name in AGGREGATED else name


# the order rdflib runs the canned queries in, cheapest first as measured on it (at 1 M triples
# partners-of did not finish in 400 s, who-funds-what over a région did not either)
RDFLIB_ORDER = ["funded-by", "partnerships", "funders-of", "initiatives-in", "who-funds-what", "funding-totals",
                "co-funders", "stats", "partners-of"]
