"""`maillage bench-load`: a synthetic SCDL file of N rows loaded into a scratch store."""

from __future__ import annotations

import os
import platform
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from maillage.config import Settings


@dataclass
class LoadBench:
    machine: str
    rows: int
    generated_s: float
    seed_build_s: float
    loaded_rows: int
    quads: int
    load_s: float


def run(settings: Settings, rows: int = 100_000, seed: int = 42) -> LoadBench:
    """Generate ``rows`` SCDL rows, build the bundled records into a scratch store, load the file."""
    from maillage.build import build
    from maillage.load import load_file
    from maillage.loaders.synthetic import scdl_rows, write_scdl

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Settings(data_dir=settings.data_dir, store_dir=Path(tmp) / "store", base=settings.base)
        t0 = time.perf_counter()
        path = write_scdl(Path(tmp) / f"synthetic-{rows}.csv", scdl_rows(rows, seed))
        generated = time.perf_counter() - t0
        seed_build = build(scratch)
        report = load_file(scratch, "scdl", path)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return LoadBench(machine, rows, generated, seed_build.seconds, report.rows, report.quads, report.seconds)
