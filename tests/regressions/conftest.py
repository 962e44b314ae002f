"""Fixtures shared by the regression tests."""

from __future__ import annotations

import pytest

from maillage.build import build
from maillage.config import REPO_ROOT, Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    data = tmp_path / "data"
    data.mkdir()
    (data / "common.yaml").write_text((REPO_ROOT / "data" / "common.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    s = Settings(data_dir=data, store_dir=tmp_path / "store")
    build(s)
    return s
