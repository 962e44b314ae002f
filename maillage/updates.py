"""Updates accepted over HTTP persist across builds: each SPARQL Update the server applies (with
its token; Graph Store writes are turned into one) is appended to an update log beside the store,
and every build that writes the store replays the log, in order, before the new graph is swapped
in. While a build or a load holds the store's lock, the server refuses updates with 503 rather
than write into a graph about to be replaced."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path

LOG_NAME = "updates.jsonl"


class ReplayFailed(Exception):
    """An update of the log no longer applies: the build stops and the previous graph stays."""


class Busy(Exception):
    """A build or a load is running on this store."""


def sources_dir(store_dir: Path) -> Path:
    store_dir = Path(store_dir)
    return store_dir.parent / f"{store_dir.name}-sources"  # as Settings.sources_dir


def log_path(store_dir: Path) -> Path:
    return sources_dir(store_dir) / LOG_NAME


def read_log(store_dir: Path) -> list[dict]:
    path = log_path(store_dir)
    if not path.exists():
        return []
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:  # a line cut by a crash while it was appended: the last one
                raise ReplayFailed(f"{path}:{n}: not a complete entry (cut by a crash?); remove that line") from None
    return out


@contextlib.contextmanager
def writing(store_dir: Path):
    """Hold the store's lock for one update without waiting: Busy when a build or load has it."""
    folder = sources_dir(store_dir)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy("a build or a load is replacing the graph: send the update again when it is done") from None
        yield
    finally:
        os.close(fd)


def record(store_dir: Path, text: str, base_iri: str | None = None) -> None:
    """Append one applied update to the log, durably (called holding ``writing``)."""
    line = json.dumps({"update": text, "base_iri": base_iri}, ensure_ascii=False) + "\n"
    with open(log_path(store_dir), "a", encoding="utf-8") as f:
        f.write(line)
        f.flush()
        os.fsync(f.fileno())
