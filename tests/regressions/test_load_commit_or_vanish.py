"""Issue 14 item 3: a load commits whole or vanishes. A `maillage load` is killed (as by kill -9,
through the MAILLAGE_FAULT hook) at each step; what is registered, what the next build applies
and what the store serves are then checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from maillage.build import build
from maillage.config import REPO_ROOT, Settings
from maillage.load import load_file
from maillage.loaders.sources import manifest as sources
from maillage.loaders.synthetic import scdl_rows, write_scdl
from maillage.store import read_meta


@pytest.fixture
def settings(tmp_path) -> Settings:
    data = tmp_path / "data"
    data.mkdir()
    (data / "common.yaml").write_text((REPO_ROOT / "data" / "common.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    return s


def killed_load(settings: Settings, path: Path, step: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MAILLAGE_FAULT": step}
    cmd = [sys.executable, "-m", "maillage.cli", "--data", str(settings.data_dir), "--store", str(settings.store_dir),
           "load", "scdl", str(path)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)


def served(settings: Settings) -> dict[str, str]:
    return {s["file"]: s["sha256"] for s in read_meta(settings.store_dir).get("sources", [])}


def registered(settings: Settings) -> dict[str, str]:
    return {m.file: m.sha256 for m in sources.manifests(settings.sources_dir)}


@pytest.mark.parametrize("step", ["load:staged", "load:built"])
def test_killed_load_stays_unregistered_and_the_next_unrelated_build_does_not_apply_it(settings, tmp_path, step):
    path = write_scdl(tmp_path / "grants.csv", scdl_rows(50, seed=1))
    assert killed_load(settings, path, step).returncode == 137
    assert registered(settings) == {}
    (settings.data_dir / "common.yaml").write_text((settings.data_dir / "common.yaml").read_text() + "\n# touched\n")
    build(settings)
    assert served(settings) == {}
    assert not list(settings.sources_dir.glob("*.nq")), "the staged rows were left behind"


@pytest.mark.parametrize("step,expected", [("load:staged", "v1"), ("load:built", "v1"), ("load:committed", "v2")])
def test_killed_replacing_load_leaves_one_version_registered_and_served(settings, tmp_path, step, expected):
    path = write_scdl(tmp_path / "grants.csv", scdl_rows(30, seed=1))
    load_file(settings, "scdl", path)
    v1 = sources.file_hash(path)
    write_scdl(path, scdl_rows(40, seed=2))
    v2 = sources.file_hash(path)
    assert killed_load(settings, path, step).returncode == 137
    want = {"v1": v1, "v2": v2}[expected]
    assert registered(settings) == {"grants.csv": want}
    build(settings)
    assert served(settings) == {"grants.csv": want}
    assert len(list(settings.sources_dir.glob("*.nq"))) == 1, "an old or staged N-Quads file was left behind"


def test_leftover_store_folders_of_killed_builds_are_removed_by_the_next_run(settings):
    leftover = settings.store_dir.with_name("store.new-999999999")
    leftover.mkdir()
    (leftover / "000001.sst").write_bytes(b"x" * 1000)
    build(settings, force=True)
    assert not leftover.exists()


def test_scdl_amount_above_the_warning_band_is_loaded_with_a_warning_naming_the_row(settings, tmp_path):
    from maillage.loaders.synthetic import HEADER

    rows = scdl_rows(3, seed=3)
    rows[1]["montant"] = "250000000"
    path = write_scdl(tmp_path / "big.csv", rows)
    report = load_file(settings, "scdl", path)
    assert report.rows == 3 and len(report.warnings) == 1
    assert report.warnings[0].startswith(f"{path}:3: montant 250 000 000,00 €")
    assert HEADER[0] == "nomAttribuant"
