"""Issue 14 item 3: a kill between the two renames of the store swap left no graph. The store is
now a link flipped in one rename; a reader polling the store during builds always finds one."""

from __future__ import annotations

import os
import threading

import pytest

from maillage.build import build
from maillage.config import REPO_ROOT, Settings
from maillage.store import META_FILE, open_store, read_meta


@pytest.fixture
def settings(tmp_path) -> Settings:
    data = tmp_path / "data"
    data.mkdir()
    (data / "common.yaml").write_text((REPO_ROOT / "data" / "common.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return Settings(data_dir=data, store_dir=tmp_path / "store")


def test_a_reader_always_finds_a_graph_while_builds_swap_the_store(settings):
    build(settings)
    meta = settings.store_dir / META_FILE
    missing, stop = [], threading.Event()

    def poll():
        while not stop.is_set():
            if not os.path.exists(meta):
                missing.append(1)

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for _ in range(3):
            build(settings, force=True)
    finally:
        stop.set()
        reader.join()
    assert not missing
    assert settings.store_dir.is_symlink()
    assert len(list(settings.store_dir.parent.glob("store.gen-*"))) <= 2  # the live one and the one it replaced
    assert len(open_store(settings.store_dir)) == read_meta(settings.store_dir)["triples"]


def test_a_store_of_the_old_layout_becomes_a_link_on_its_next_build(settings):
    build(settings)
    live = settings.store_dir.resolve()
    settings.store_dir.unlink()
    live.rename(settings.store_dir)  # a plain folder, as stores were written before
    build(settings, force=True)
    assert settings.store_dir.is_symlink() and (settings.store_dir / META_FILE).exists()


def test_the_server_follows_the_flip_to_the_new_build(settings):
    import httpx

    from maillage.server.launch import ServerProcess

    build(settings)
    ask = ("SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
           "FILTER(STR(?l) = \"Organisme ajouté\") }")

    def count(srv) -> int:
        r = httpx.post(srv.endpoint, data={"query": ask}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
        r.raise_for_status()
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    with ServerProcess(settings.store_dir, "--timeout", "20") as srv:
        assert count(srv) == 0
        common = settings.data_dir / "common.yaml"
        text = common.read_text(encoding="utf-8")
        assert "\norganisations:\n" in text
        common.write_text(text.replace("\norganisations:\n", "\norganisations:\n  - id: ajout-test\n    name: Organisme ajouté\n"
                                       "    kind: ASSO\n", 1), encoding="utf-8")
        build(settings, force=True)
        assert count(srv) == 1
