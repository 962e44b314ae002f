"""Loaded sources: files brought in with `maillage load` (SCDL grants, data·inclusion
structures…), kept as N-Quads plus a JSON manifest in the sources folder beside the store.

Every build adds them after the curated records, so a load survives rebuilds; re-loading the same
file replaces its earlier version instead of adding anything twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
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


def manifests(sources_dir: Path) -> list[Manifest]:
    if not sources_dir.is_dir():
        return []
    out = []
    for p in sorted(sources_dir.glob("*.json")):
        out.append(Manifest(**json.loads(p.read_text(encoding="utf-8"))))
    return out


def nquads_files(sources_dir: Path) -> list[Path]:
    return [sources_dir / f"{m.stem}.nq" for m in manifests(sources_dir)]


def territory_refs(sources_dir: Path) -> set[str]:
    return {ref for m in manifests(sources_dir) for ref in m.territory_refs}


def save(sources_dir: Path, manifest: Manifest, nquads: bytes) -> None:
    """Write (or replace) one source; the manifest is written last, so a source without its
    manifest is ignored by builds."""
    sources_dir.mkdir(parents=True, exist_ok=True)
    nq = sources_dir / f"{manifest.stem}.nq"
    meta = sources_dir / f"{manifest.stem}.json"
    for target, data in ((nq, nquads), (meta, json.dumps(asdict(manifest), ensure_ascii=False, indent=2).encode())):
        tmp = target.with_suffix(target.suffix + f".tmp-{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, target)


def remove(sources_dir: Path, stem: str) -> None:
    for suffix in (".json", ".nq"):
        (sources_dir / f"{stem}{suffix}").unlink(missing_ok=True)
