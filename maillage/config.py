"""Settings: where the data, the corpus and the store are, and the base of minted URIs.

Each setting can be given by an environment variable; the CLI's options override them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from maillage import model

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent
DEFAULT_BASE = model.DEFAULT_BASE


def _default_data_dir() -> Path:
    # A source checkout keeps its records in data/; an installed wheel ships them as maillage.data.
    candidate = REPO_ROOT / "data"
    if candidate.is_dir():
        return candidate
    import maillage.data  # noqa: PLC0415

    return Path(maillage.data.__file__).resolve().parent


def _default_corpus_dir() -> Path:
    return REPO_ROOT.parent / "shared" / "corpus"


@dataclass
class Settings:
    data_dir: Path = field(default_factory=lambda: Path(os.environ["MAILLAGE_DATA"]) if "MAILLAGE_DATA" in os.environ else _default_data_dir())
    corpus_dir: Path = field(default_factory=lambda: Path(os.environ["MAILLAGE_CORPUS"]) if "MAILLAGE_CORPUS" in os.environ else _default_corpus_dir())
    store_dir: Path = field(default_factory=lambda: Path(os.environ.get("MAILLAGE_STORE", ".maillage/store")))
    base: str = field(default_factory=lambda: os.environ.get("MAILLAGE_BASE", DEFAULT_BASE))

    @property
    def sources_dir(self) -> Path:
        """Files loaded with `maillage load` (N-Quads + manifest), kept beside the store so that
        every build includes them: a load persists, it does not live in one process."""
        return self.store_dir.parent / f"{self.store_dir.name}-sources"

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            self.base += "/"
