"""Shared fixtures. Tests that read the source documents take the corpus folder from
MAILLAGE_CORPUS (default ../shared/corpus); they skip with a reason when it is absent, unless
MAILLAGE_STRICT_TESTS=1 (set by .ci/run), where a missing corpus is a failure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings as hypothesis_settings

# Property tests check behaviour, not speed: on a 2-core machine shared with other work, input
# generation or one example can be slow, and timing health checks made CI fail at random
# (test_any_structure_row_gives_a_structure_or_precise_errors: "Input generation is slow").
hypothesis_settings.register_profile("maillage", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("maillage")

from maillage.config import REPO_ROOT, Settings  # noqa: E402 - after the hypothesis profile

STRICT = os.environ.get("MAILLAGE_STRICT_TESTS") == "1"


def require(condition: bool, reason: str) -> None:
    """Skip (or fail in strict mode) when a real component the test needs is missing."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"{reason} (MAILLAGE_STRICT_TESTS=1: this may not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    path = Settings().corpus_dir
    require(path.is_dir() and any(path.glob("*.txt")),
            f"corpus not found at {path}: set MAILLAGE_CORPUS to the folder of the source documents")
    return path


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return REPO_ROOT / "data"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Settings:
    """The bundled records built once into a temporary store."""
    from maillage.build import build

    settings = Settings(store_dir=tmp_path_factory.mktemp("store") / "store")
    settings.data_dir = REPO_ROOT / "data"
    build(settings)
    return settings


@pytest.fixture(scope="session")
def store(built):
    from maillage.store import open_store

    return open_store(built.store_dir)


@pytest.fixture(scope="session")
def rdflib_store(built):
    from maillage.store import open_store

    return open_store(built.store_dir, "rdflib")


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    folder = os.environ.get("MAILLAGE_SCREENSHOT_DIR")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def canonical_rows(result) -> list:
    """Query rows comparable across engines: numbers as plain numbers, multi-valued cells
    (GROUP_CONCAT, whose order is engine-defined) as sorted tuples, rows sorted."""
    from decimal import Decimal

    from maillage.output import plain

    out = []
    for r in result.rows:
        row = {}
        for k, v in r.items():
            v = plain(Decimal(str(v)) if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) else v)
            if isinstance(v, str) and (" ; " in v or (k == "source" and " " in v)):
                v = tuple(sorted(v.split(" ; " if " ; " in v else " ")))
            row[k] = v
        out.append(tuple(sorted(row.items())))
    return sorted(out, key=repr)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the bundled records, for tests that break them on purpose."""
    target = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", target, ignore=shutil.ignore_patterns("territories", "__pycache__", "*.py"))
    return target
