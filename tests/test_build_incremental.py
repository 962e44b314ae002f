"""Incremental build: a changed records file of one document replaces only that document's named
graph (and what really depends on it); every other graph is kept as it was, and the store equals
what a full rebuild gives."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from maillage.build import build
from maillage.config import Settings
from maillage.store import aggregates

GRAPH = "https://w3id.org/maillage/id/graph/"


def _by_graph(store_dir: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    store = ox.Store.read_only(str(store_dir))
    for q in store:
        out[q.graph_name.value].add(str(ox.Triple(q.subject, q.predicate, q.object)))
    return dict(out)


def _settings(data: Path, store: Path) -> Settings:
    s = Settings(store_dir=store)
    s.data_dir = data
    return s


def _rename_an_initiative(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    marker = "name: "
    start = text.index(marker, text.index("initiatives:")) + len(marker)
    end = text.index("\n", start)
    old = text[start:end].strip().strip("'\"")
    new = "Atelier renommé pour le test"
    path.write_text(text[:start] + new + text[end:], encoding="utf-8")
    return old, new


@pytest.fixture
def two_stores(tmp_path, data_copy):
    incremental = _settings(data_copy, tmp_path / "inc" / "store")
    first = build(incremental)
    assert not first.incremental
    return incremental, _by_graph(incremental.store_dir)


def test_a_changed_document_replaces_only_its_graph(two_stores, tmp_path, data_copy):
    settings, before = two_stores
    doc = data_copy / "003_51a5ec4ebfa4ed0e.yaml"
    old_name, new_name = _rename_an_initiative(doc)
    report = build(settings)
    assert report.incremental
    assert report.graphs_replaced == [GRAPH + "003_51a5ec4ebfa4ed0e"]
    after = _by_graph(settings.store_dir)
    assert set(after) == set(before)
    aggregated = aggregates.graph_iri()  # written again from every graph's facts (the renamed initiative is in it)
    for graph, triples in before.items():
        if graph not in (GRAPH + "003_51a5ec4ebfa4ed0e", aggregated):
            assert after[graph] == triples, f"{graph} changed although its inputs did not"
    changed = after[GRAPH + "003_51a5ec4ebfa4ed0e"] ^ before[GRAPH + "003_51a5ec4ebfa4ed0e"]
    assert any(new_name in t for t in changed) and any(old_name in t for t in changed)

    full = build(_settings(data_copy, tmp_path / "full" / "store"), force=True)
    assert not full.incremental and full.triples == report.triples
    assert _by_graph(tmp_path / "full" / "store") == after


def test_a_new_document_adds_its_graph_and_a_removed_one_drops_it(two_stores, tmp_path, data_copy):
    settings, before = two_stores
    (data_copy / "000_db57453d3f781195.yaml").unlink()
    report = build(settings)
    assert report.incremental and GRAPH + "000_db57453d3f781195" in report.graphs_replaced
    after = _by_graph(settings.store_dir)
    assert GRAPH + "000_db57453d3f781195" not in after
    build(_settings(data_copy, tmp_path / "full" / "store"), force=True)
    assert _by_graph(tmp_path / "full" / "store") == after
    assert after[GRAPH + "002_35e265126090b055"] == before[GRAPH + "002_35e265126090b055"]


def test_a_store_built_by_another_model_is_written_whole(two_stores, data_copy):
    import json

    settings, _ = two_stores
    meta_file = settings.store_dir / "maillage-build.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["inputs"]["model"] = "an older model"
    meta_file.write_text(json.dumps(meta), encoding="utf-8")
    report = build(settings)
    assert not report.up_to_date and not report.incremental


