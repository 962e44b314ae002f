"""The search index is built ahead, never by a search (issue 15 item 2): `maillage build` writes it
beside the store, `maillage serve` makes it current before it accepts a request and after each
update, and a reader uses the file only when it indexes the graph there now."""

from __future__ import annotations

import json
import shutil
import time

import httpx
import pytest

from maillage.build import build
from maillage.config import REPO_ROOT, Settings
from maillage.search import INDEX_FILE, SearchIndex, current_index
from maillage.server.launch import ServerProcess
from maillage.store import META_FILE

LAZY = "was missing or stale"          # what a worker says when it has to build the index itself


def names(results) -> set[str]:
    return {h.name for h in results.hits}


@pytest.fixture
def scratch(tmp_path) -> Settings:
    settings = Settings(store_dir=tmp_path / "store")
    settings.data_dir = REPO_ROOT / "data"
    build(settings)
    return settings


def test_build_writes_the_index_beside_the_store(built, store):
    assert (built.store_dir / INDEX_FILE).is_file()
    index = current_index(built.store_dir)
    assert index is not None
    fresh = SearchIndex(store)
    for text in ("mobilité", "pôle emploi", "FSE", ""):
        assert names(index.search(text)) == names(fresh.search(text)), text
    assert names(index.search("", {"theme": ["Mobilité"], "region": ["Hauts-de-France"]})) == \
        names(fresh.search("", {"theme": ["Mobilité"], "region": ["Hauts-de-France"]}))


def test_an_index_of_another_graph_is_not_used(built, tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    for name in (META_FILE, INDEX_FILE):
        shutil.copy(built.store_dir / name, folder / name)
    assert current_index(folder) is not None
    # an update accepted over HTTP lengthens the log: the index no longer says what the graph holds
    log = tmp_path / "store-sources" / "updates.jsonl"
    log.parent.mkdir()
    log.write_text(json.dumps({"update": "INSERT DATA {}"}) + "\n", encoding="utf-8")
    assert current_index(folder) is None
    log.unlink()
    assert current_index(folder) is not None
    # another build
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    meta["built"] = "2099-01-01T00:00:00+00:00"
    (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    assert current_index(folder) is None
    # a damaged file is not an index
    (folder / INDEX_FILE).write_bytes(b"not a database")
    assert current_index(folder) is None


def test_serve_builds_a_missing_index_before_it_answers_and_a_search_never_does(scratch):
    index = scratch.store_dir / INDEX_FILE
    index.unlink()                               # a store written before the index file existed
    with ServerProcess(scratch.store_dir, "--workers", "2") as srv:
        # /healthz answered: the index was written before the first request
        assert index.is_file() and current_index(scratch.store_dir) is not None
        log = srv.output()
        assert "building the search index" in log and "search index written" in log
        written = index.stat().st_mtime_ns
        with httpx.Client(base_url=srv.url, timeout=30) as client:
            for _ in range(3):                   # each worker's first search
                r = client.get("/search", params={"q": "pôle emploi", "format": "json"})
                assert r.status_code == 200
                assert "France Travail" in {row["name"] for row in r.json()["results"]}
        time.sleep(0.2)
        assert LAZY not in srv.output()
        assert index.stat().st_mtime_ns == written


def test_serve_starts_on_the_index_the_build_wrote(scratch):
    written = (scratch.store_dir / INDEX_FILE).stat().st_mtime_ns
    with ServerProcess(scratch.store_dir) as srv:
        with httpx.Client(base_url=srv.url, timeout=30) as client:
            assert client.get("/search", params={"q": "mobilité"}).status_code == 200
        assert "building the search index" not in srv.output() and LAZY not in srv.output()
    assert (scratch.store_dir / INDEX_FILE).stat().st_mtime_ns == written


def test_after_an_update_the_index_is_current_before_a_search(scratch):
    update = ('PREFIX skos: <http://www.w3.org/2004/02/skos/core#> '
              'INSERT DATA { <https://w3id.org/maillage/id/initiative/zyzzyva> a <https://w3id.org/maillage/def#Initiative> ; '
              'skos:prefLabel "Atelier Zyzzyva solidaire"@fr }')
    with ServerProcess(scratch.store_dir, "--update-token", "s3cret") as srv:
        with httpx.Client(base_url=srv.url, timeout=60) as client:
            before = client.get("/search", params={"q": "zyzzyva", "format": "json"}).json()
            assert before["count"] == 0
            r = client.post("/sparql", data={"update": update}, headers={"Authorization": "Bearer s3cret"})
            assert r.status_code in (200, 204), r.text
            assert current_index(scratch.store_dir) is not None
            after = client.get("/search", params={"q": "zyzzyva", "format": "json"}).json()
            assert [row["name"] for row in after["results"]] == ["Atelier Zyzzyva solidaire"]
        assert LAZY not in srv.output()


def test_an_incremental_build_writes_the_index_of_its_new_graph(tmp_path, data_copy):
    settings = Settings(data_dir=data_copy, store_dir=tmp_path / "store")
    build(settings)
    doc = data_copy / "003_51a5ec4ebfa4ed0e.yaml"
    text = doc.read_text(encoding="utf-8")
    assert "Bus de l'emploi et de l'insertion de Barlin" in text
    doc.write_text(text.replace("Bus de l'emploi et de l'insertion de Barlin", "Bus zyzzyva de Barlin"), encoding="utf-8")
    report = build(settings)
    assert report.incremental
    index = current_index(settings.store_dir)
    assert index is not None
    assert "Bus zyzzyva de Barlin" in names(index.search("zyzzyva"))
    assert "Bus de l'emploi et de l'insertion de Barlin" not in names(index.search("Barlin"))
