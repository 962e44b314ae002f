"""`maillage bench-extract`: the extractor's speed targets (issue 13), measured, never asserted in a
unit test: under 2 s per document once the models are loaded, and 100 documents drafted in one call
of `maillage extract FOLDER` under 3 minutes."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from maillage.config import REPO_ROOT

# The real documents the extractor may be run on: never blind4/, which stays unread until it is measured.
DEFAULT_FOLDERS = (REPO_ROOT / "tests" / "fixtures" / "real" / "dev", REPO_ROOT / "tests" / "fixtures" / "real" / "blind")
PER_DOCUMENT_TARGET_S = 2.0
BATCH_TARGET_S = 180.0


@dataclass
class ExtractBench:
    machine: str
    documents: int
    characters: int
    load_s: float                       # first draft of a short text: imports and spaCy models
    median_s: float
    p95_s: float
    max_s: float
    slowest: str
    batch_documents: int
    batch_s: float | None               # `maillage extract FOLDER -o OUT` in a fresh process, wall time
    batch_failed: int | None
    targets: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def documents(folders) -> list[Path]:
    from maillage.extract.batch import documents_in

    found = []
    for folder in folders:
        found.extend(documents_in(Path(folder)))
    return found


def run(folders=DEFAULT_FOLDERS, batch: int = 100, progress=None) -> ExtractBench:
    from maillage.extract.batch import extract_path
    from maillage.extract.pipeline import extract_text

    say = progress or (lambda _m: None)
    paths = documents(folders)
    if not paths:
        raise ValueError(f"no document in {', '.join(map(str, folders))}")
    t0 = time.perf_counter()
    extract_text("Le projet est financé par la Région Bretagne.", "warm-up.txt")
    load = time.perf_counter() - t0
    seconds, chars = [], 0
    for i, path in enumerate(paths, 1):
        say(f"document {i}/{len(paths)}: {path.name}")
        outcome = extract_path(path)
        seconds.append((outcome.seconds, path.name))
        chars += path.stat().st_size
    times = sorted(s for s, _ in seconds)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    slow_s, slow_name = max(seconds)
    batch_s = failed = None
    if batch > 0:
        say(f"{batch} documents in one call of maillage extract…")
        batch_s, failed = _batch(paths, batch)
    bench = ExtractBench(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                         len(paths), chars, load, statistics.median(times), p95, slow_s, slow_name, batch, batch_s, failed)
    bench.targets = [
        {"target": f"each document under {PER_DOCUMENT_TARGET_S:g} s once the models are loaded", "value": slow_s,
         "met": slow_s < PER_DOCUMENT_TARGET_S, "detail": f"slowest {slow_name}: {slow_s:.2f} s; median {bench.median_s:.2f} s"},
    ]
    if batch_s is not None:
        bench.targets.append({"target": f"{batch} documents in one call under {BATCH_TARGET_S:g} s", "value": batch_s,
                              "met": batch_s < BATCH_TARGET_S, "detail": f"{batch_s:.1f} s, models loaded once"})
    return bench


def _batch(paths: list[Path], n: int) -> tuple[float, int]:
    """Copy ``n`` documents (cycling through ``paths``) into a folder and time one CLI run over it."""
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for i in range(n):
            src = paths[i % len(paths)]
            shutil.copyfile(src, folder / f"{i:03d}_{src.name}")
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "maillage.cli", "extract", str(folder), "-o", str(Path(tmp) / "drafts")],
                           capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        failed = 0 if r.returncode == 0 else sum(1 for line in r.stderr.splitlines() if line.startswith("  "))
        return elapsed, failed
