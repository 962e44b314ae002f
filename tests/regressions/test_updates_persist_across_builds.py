"""Issue 14 item 3: an update accepted over HTTP with the token was erased by the next
`build --force`. It is now logged and replayed by every build that writes the store; while a
build or load holds the store, the update is refused with 503."""

from __future__ import annotations

import pytest

from maillage.build import build
from maillage.config import REPO_ROOT, Settings
from maillage.loaders.sources import manifest as sources
from maillage.server.worker import Refused, State, job_update
from maillage.store import open_store
from maillage.updates import read_log

INSERT = 'INSERT DATA { GRAPH <urn:test:g> { <urn:test:a> <urn:test:p> "ajout\\u00e9" } }'
ASK = "SELECT ?o WHERE { GRAPH <urn:test:g> { <urn:test:a> <urn:test:p> ?o } }"


@pytest.fixture
def settings(tmp_path) -> Settings:
    data = tmp_path / "data"
    data.mkdir()
    (data / "common.yaml").write_text((REPO_ROOT / "data" / "common.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    return s


def update(settings: Settings, text: str) -> dict:
    state = State(str(settings.store_dir), settings.base, writable=True)
    try:
        return job_update(state, 1, text=text)
    finally:
        state.close()  # let RocksDB's lock go, as a worker does when the generation changes


def values(settings: Settings) -> list:
    return [r["o"] for r in open_store(settings.store_dir).select(ASK).rows]


def test_update_accepted_with_the_token_survives_build_force(settings):
    update(settings, INSERT)
    assert values(settings) == ["ajouté"]
    build(settings, force=True)
    assert values(settings) == ["ajouté"]
    (settings.data_dir / "common.yaml").write_text((settings.data_dir / "common.yaml").read_text() + "\n# edit\n")
    build(settings)  # records changed: the store is rewritten, the log replayed again
    assert values(settings) == ["ajouté"] and len(read_log(settings.store_dir)) == 1


def test_update_during_a_build_or_load_is_refused_with_503(settings):
    with sources.locked(settings.sources_dir):
        with pytest.raises(Refused) as info:
            update(settings, INSERT)
    assert info.value.status == 503 and "send the update again" in info.value.message
    assert values(settings) == [] and read_log(settings.store_dir) == []
