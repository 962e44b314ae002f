"""The aggregates the store writes for co-funders and funding-totals (maillage/store/aggregates.py):
the canned questions read them, and must answer exactly what computing the rows from every
funding answers (queries/live/*.rq), after a build, an incremental build, an accepted
update and in a store loaded in memory."""

from __future__ import annotations

import pytest

from maillage import model, query
from maillage.build import build
from maillage.config import Settings
from maillage.store import OxigraphStore, aggregates, open_store

CASES = [("co-funders", {}), ("co-funders", {"funder": "Fondation Macif"}),
         ("co-funders", {"funder": "Département du Pas-de-Calais"}),
         ("funding-totals", {}), ("funding-totals", {"territory": "Hauts-de-France"}),
         ("funding-totals", {"territory": "Puy-de-Dôme"})]


def _same_as_live(store, name: str, params: dict) -> list:
    read = query.run(store, name, params)
    live = query.run(store, query.live(name), params)
    assert read.variables == live.variables
    assert read.rows == live.rows, f"{name} {params}: the aggregates and the facts disagree"
    return read.rows


@pytest.mark.parametrize("name, params", CASES)
def test_canned_rows_read_from_the_aggregates_are_the_live_rows(store, name, params):
    rows = _same_as_live(store, name, params)
    assert rows or params.get("territory") == "Puy-de-Dôme"


def test_the_canned_text_without_parameters_reads_only_the_aggregates(store):
    """Not the facts: a store without its aggregates graph answers nothing (so the speed comes
    from the aggregates, and a store that lost them is noticed)."""
    for name in ("co-funders", "funding-totals"):
        counted = [line for line in query.get(name).text_for([]).splitlines() if not line.lstrip().startswith("#")]
        assert not [line for line in counted if "schema:funder" in line], name
    bare = OxigraphStore.in_memory(None)
    bare.add_quads(q for q in store.quads() if q.graph_name.value != aggregates.graph_iri())
    assert not query.run(bare, "co-funders").rows and not query.run(bare, "funding-totals").rows


def test_a_funding_rows_with_an_unknown_amount_read_back_empty_never_zero(store):
    rows = query.run(store, "funding-totals").rows
    assert any(r["total_eur"] is None for r in rows) or any(r["joint_eur"] is None for r in rows)
    assert all(r["total_eur"] is None or r["total_eur"] > 0 or r["with_amount"] == 0 for r in rows)


def test_a_synthetic_graph_loaded_in_memory_gets_its_aggregates(tmp_path):
    from benchmarks import workload

    names = workload.synthetic_nquads(10_000, tmp_path / "g.nq")
    memory = OxigraphStore.from_nquads_file(tmp_path / "g.nq")
    assert len(query.run(memory, "co-funders").rows) > 5
    _same_as_live(memory, "co-funders", {})
    _same_as_live(memory, "co-funders", {"funder": names["funder"]})
    _same_as_live(memory, "funding-totals", {})
    _same_as_live(memory, "funding-totals", {"territory": names["region"]})


def _remove_fundings_of(path, funder_id: str) -> None:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["fundings"] = [f for f in data.get("fundings", []) if funder_id not in (f.get("funders") or [f.get("funder")])]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_incremental_build_writes_the_aggregates_again(tmp_path, data_copy):
    settings = Settings(store_dir=tmp_path / "store")
    settings.data_dir = data_copy
    build(settings)
    before = query.run(open_store(settings.store_dir), "co-funders").rows
    doc = next(p for p in sorted(data_copy.glob("*.yaml")) if "fundings:" in p.read_text(encoding="utf-8"))
    doc.unlink()
    report = build(settings)
    assert report.incremental
    store = open_store(settings.store_dir)
    for name, params in CASES[:1] + CASES[3:4]:
        _same_as_live(store, name, params)
    assert query.run(store, "co-funders").rows != before
    full = Settings(store_dir=tmp_path / "full")
    full.data_dir = data_copy
    build(full, force=True)
    assert sorted(map(str, open_store(full.store_dir).quads(aggregates.graph_iri()))) == \
        sorted(map(str, store.quads(aggregates.graph_iri())))


def test_an_accepted_update_writes_the_aggregates_again(tmp_path):
    from maillage.store import endpoint

    settings = Settings(store_dir=tmp_path / "store")
    build(settings)
    writable = endpoint.open_for_worker(settings.store_dir, writable=True)
    funder = query.resolve(writable, query.get("co-funders").param("funder"), "Fondation Macif")
    before = {(r["funder_a"], r["funder_b"]) for r in query.run(writable, "co-funders").rows}
    # a new funding by the Fondation Macif of an initiative only the Département funds today
    departement = query.resolve(writable, query.get("co-funders").param("funder"), "Département du Pas-de-Calais")
    rows = writable.select("SELECT ?i WHERE { ?f ?item ?i ; ?by ?d }",
                           {"item": model.SCHEMA + "fundedItem", "by": model.SCHEMA + "funder", "d": departement}).rows
    initiative = sorted(r["i"] for r in rows)[0]
    quad = "<{}> <{}> <{}> ."
    new = model.mint("funding", "test-update")
    facts = " ".join([quad.format(new, model.RDF_TYPE, model.MAI + "Funding"), quad.format(new, model.SCHEMA + "funder", funder),
                      quad.format(new, model.SCHEMA + "fundedItem", initiative)])
    endpoint.apply_update(writable, f"INSERT DATA {{ GRAPH <{model.mint('graph', 'notes')}> {{ {facts} }} }}")
    after = {(r["funder_a"], r["funder_b"]) for r in query.run(writable, "co-funders").rows}
    assert after != before
    _same_as_live(writable, "co-funders", {})
    _same_as_live(writable, "funding-totals", {})
