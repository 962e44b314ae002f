"""Issue 14 item 3: a kill between the two renames of the store swap left no graph at all. A
`maillage build --force` is now killed (as by kill -9, through the MAILLAGE_FAULT hook) at each
step of the swap and just after it; the store path must still open a whole graph (the old one or
the new one, never none and never a half), and the next build must clean what the killed one left."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from maillage.build import build
from maillage.config import REPO_ROOT, Settings
from maillage.faults import STEPS
from maillage.store import open_store, read_meta

KILL_POINTS = [s for s in STEPS if s.startswith("swap:")] + ["build:written"]


@pytest.fixture
def settings(tmp_path) -> Settings:
    data = tmp_path / "data"
    data.mkdir()
    (data / "common.yaml").write_text((REPO_ROOT / "data" / "common.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    return s


def killed_build(settings: Settings, step: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MAILLAGE_FAULT": step}
    cmd = [sys.executable, "-m", "maillage.cli", "--data", str(settings.data_dir), "--store", str(settings.store_dir),
           "build", "--force"]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)


def test_every_swap_step_has_a_kill_point():
    assert {"swap:renamed", "swap:linked", "swap:flipped"} <= set(STEPS)


@pytest.mark.parametrize("step", KILL_POINTS)
def test_build_killed_during_the_store_swap_leaves_a_whole_graph(settings, step):
    triples = len(open_store(settings.store_dir))
    before = read_meta(settings.store_dir)["built"]
    time.sleep(1.1)   # the stamp has seconds: the killed build's differs
    r = killed_build(settings, step)
    assert r.returncode == 137, (r.returncode, r.stderr[-800:])
    # a graph is there, whole: the same triples, from the previous build or the killed one
    store = open_store(settings.store_dir)
    assert len(store) == triples
    assert store.ask("ASK { ?s ?p ?o }")
    served = read_meta(settings.store_dir)["built"]
    if step in ("swap:renamed", "swap:linked"):   # not flipped yet: the previous build still serves
        assert served == before
    else:                                         # flipped: the killed build's graph serves, whole
        assert served != before
    del store
    # the next run cleans up what the killed one left, and swaps normally
    build(settings, force=True)
    parent = settings.store_dir.parent
    left = sorted(p.name for p in parent.iterdir() if p.name.startswith("store.") and not p.name.startswith("store.gen-"))
    assert left == [], left
    assert len(list(parent.glob("store.gen-*"))) <= 2
    assert len(open_store(settings.store_dir)) == triples
