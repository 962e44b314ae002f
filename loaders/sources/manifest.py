"""Loaded sources: files brought in with `maillage load` (SCDL grants, data·inclusion
structures…), kept as N-Quads plus a JSON manifest in the sources folder beside the store.

Every build adds them after the curated records, so a load survives rebuilds; re-loading the same
file replaces its earlier version instead of adding anything twice.

Commit or vanish (issue 14): a load writes its N-Quads under a new name (``stage``), builds the
graph with it seen only by its own process (``pending``), and registers it last by renaming its
manifest into place (``commit``). Killed before that rename, it leaves nothing a later build could
apply, and a replaced file's old version stays registered; ``clean`` removes what it left.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path


@dataclass
class Manifest:
    kind: str                 # "scdl" | "data-inclusion"
    file: str                 # the loaded file's name
    sha256: str
    rows: int
    rejected: int
    quads: int
    graph: str
    territory_refs: list[str] = field(default_factory=list)
    loaded: str = ""
    nquads: str = ""          # its N-Quads file in the sources folder ("" before issue 14: <stem>.nq)

    @property
    def stem(self) -> str:
        return source_stem(self.kind, self.file)


def source_stem(kind: str, file_name: str) -> str:
    return f"{kind}--{file_name}"


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_PENDING: dict[str, Manifest] = {}   # sources folder -> the load this process is building, not yet registered


def _key(sources_dir: Path) -> str:
    return str(Path(sources_dir).absolute())


def _registered(sources_dir: Path) -> list[Manifest]:
    if not sources_dir.is_dir():
        return []
    out = []
    for p in sorted(sources_dir.glob("*.json")):
        out.append(Manifest(**json.loads(p.read_text(encoding="utf-8"))))
    return out


def manifests(sources_dir: Path) -> list[Manifest]:
    """The registered sources, plus the load this process is building (it replaces a registered
    source of the same stem): other processes never see a load before its commit."""
    found = _registered(sources_dir)
    staged = _PENDING.get(_key(sources_dir))
    if staged is not None:
        found = sorted([m for m in found if m.stem != staged.stem] + [staged], key=lambda m: m.stem)
    return found


def nq_path(sources_dir: Path, m: Manifest) -> Path:
    return sources_dir / (m.nquads or f"{m.stem}.nq")


def nquads_files(sources_dir: Path) -> list[Path]:
    return [nq_path(sources_dir, m) for m in manifests(sources_dir)]


def territory_refs(sources_dir: Path) -> set[str]:
    return {ref for m in manifests(sources_dir) for ref in m.territory_refs}


def _write_durably(target: Path, data: bytes) -> None:
    """Write to a temporary name, fsync, rename over ``target``, fsync the folder."""
    tmp = target.with_name(target.name + f".tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage(sources_dir: Path, manifest: Manifest, nquads: bytes) -> Manifest:
    """Write a load's N-Quads under a name of its own (no registered source points at it yet)."""
    sources_dir.mkdir(parents=True, exist_ok=True)
    name = f"{manifest.stem}.{hashlib.sha256(nquads).hexdigest()[:12]}.nq"
    _write_durably(sources_dir / name, nquads)
    return replace(manifest, nquads=name)


@contextlib.contextmanager
def pending(sources_dir: Path, manifest: Manifest):
    """Within this block, this process's builds include the staged load."""
    _PENDING[_key(sources_dir)] = manifest
    try:
        yield
    finally:
        _PENDING.pop(_key(sources_dir), None)


def commit(sources_dir: Path, manifest: Manifest) -> bool:
    """Register a staged load: its manifest renamed into place is the one step that makes it
    count. The replaced version's N-Quads are removed after. True when it replaced one."""
    target = sources_dir / f"{manifest.stem}.json"
    old = next((m for m in _registered(sources_dir) if m.stem == manifest.stem), None)
    _write_durably(target, json.dumps(asdict(manifest), ensure_ascii=False, indent=2).encode())
    from maillage.faults import fault

    fault("load:committed")
    if old is not None and nq_path(sources_dir, old) != nq_path(sources_dir, manifest):
        nq_path(sources_dir, old).unlink(missing_ok=True)
    return old is not None


def save(sources_dir: Path, manifest: Manifest, nquads: bytes) -> None:
    """Stage and register one source at once (tests and tools; `maillage load` builds in between)."""
    commit(sources_dir, stage(sources_dir, manifest, nquads))


def remove(sources_dir: Path, stem: str) -> None:
    for m in _registered(sources_dir):
        if m.stem == stem:
            (sources_dir / f"{stem}.json").unlink(missing_ok=True)
            nq_path(sources_dir, m).unlink(missing_ok=True)


def clean(sources_dir: Path) -> list[str]:
    """Remove what killed loads left (temporary files, N-Quads no manifest points at, old
    backups); call it holding ``locked``. Returns the names removed."""
    if not sources_dir.is_dir():
        return []
    kept = {nq_path(sources_dir, m).name for m in _registered(sources_dir)}
    staged = _PENDING.get(_key(sources_dir))
    if staged is not None:
        kept.add(nq_path(sources_dir, staged).name)
    removed = []
    for p in sources_dir.iterdir():
        if ".tmp-" in p.name or (p.suffix == ".nq" and p.name not in kept) or p.name.startswith(".backup-"):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
            removed.append(p.name)
    return removed


_HELD: dict[str, int] = {}


@contextlib.contextmanager
def locked(sources_dir: Path):
    """One load or build at a time on a store and its sources (re-entrant within a process: a
    load runs a build). Other processes wait."""
    key = _key(sources_dir)
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    sources_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(sources_dir / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _HELD[key] = 1
        try:
            yield
        finally:
            _HELD.pop(key, None)
    finally:
        os.close(fd)
