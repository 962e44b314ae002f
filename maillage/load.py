"""`maillage load KIND FILE`: validate every row, convert, keep the file as a loaded source and
rebuild the graph with it. Nothing is half-loaded: either the file (or, with skip_bad, its good
rows) is in the new graph, or the previous graph stays as it was."""

from __future__ import annotations

import csv
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from maillage import model
from maillage.build import build
from maillage.config import Settings
from maillage.loaders.sources import manifest as sources
from maillage.loaders.orgindex import OrgIndex
from maillage.loaders.sources.tabular import FileInvalid, slug
from maillage.loaders.territories import load_cog
from maillage.store import OxigraphStore, StoreMissing

KINDS = ("scdl", "data-inclusion")


@dataclass
class LoadReport:
    kind: str
    file: str
    rows: int
    rejected: int
    quads: int
    seconds: float
    reject_file: Path | None
    replaced: bool
    graph_triples: int


def _reader(kind: str):
    if kind == "scdl":
        from maillage.loaders.sources import scdl

        return scdl.read_grants, scdl.grants_to_quads
    if kind == "data-inclusion":
        from maillage.loaders.sources import data_inclusion

        return data_inclusion.read_structures, data_inclusion.structures_to_quads
    raise ValueError(f"unknown source kind {kind!r}: {', '.join(KINDS)}")


def load_file(settings: Settings, kind: str, path: Path, *, skip_bad: bool = False,
              reject_path: Path | None = None, progress: Callable[[str], None] | None = None) -> LoadReport:
    say = progress or (lambda _m: None)
    start = time.perf_counter()
    read, convert = _reader(kind)
    say(f"reading and validating {path.name}")
    good, errors, bad_rows = read(path)
    if errors and not skip_bad:
        raise FileInvalid(errors, len(good) + len(bad_rows))
    try:
        store = OxigraphStore.open(settings.store_dir)
    except StoreMissing:
        say("no graph yet: building it from the records first")
        build(settings)
        store = OxigraphStore.open(settings.store_dir)
    stem = sources.source_stem(kind, path.name)
    graph = model.mint("graph", f"{kind}--{slug(path.name)}", base=settings.base)
    say("linking organisations")
    index = OrgIndex.from_store(store, load_cog(), exclude_graph=graph)
    del store
    say(f"converting {len(good)} rows")
    conversion = convert(good, path.name, settings.base, index)
    nquads = conversion.writer.nquads()
    count = conversion.writer.count()
    reject_file = None
    if bad_rows:
        reject_file = reject_path or path.with_name(f"{path.stem}.rejected.csv")
        _write_rejects(reject_file, bad_rows, errors)
    manifest = sources.Manifest(kind=kind, file=path.name, sha256=sources.file_hash(path), rows=len(good),
                                rejected=len(bad_rows), quads=count, graph=graph,
                                territory_refs=sorted(conversion.territory_refs),
                                loaded=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    backup = _backup(settings.sources_dir, stem)
    replaced = backup is not None
    sources.save(settings.sources_dir, manifest, nquads)
    say("rebuilding the graph with the loaded file")
    try:
        report = build(settings)
    except BaseException:
        sources.remove(settings.sources_dir, stem)
        _restore(settings.sources_dir, backup)
        raise
    _drop(backup)
    return LoadReport(kind, path.name, len(good), len(bad_rows), count,
                      time.perf_counter() - start, reject_file, replaced, report.triples)


def _write_rejects(target: Path, rows: list[tuple[int, dict]], errors) -> None:
    by_line: dict[int, list[str]] = {}
    for e in errors:
        by_line.setdefault(e.line, []).append(f"{e.column}: {e.message}")
    columns = sorted({k for _, r in rows for k in r if not k.startswith("__")})
    with target.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ligne", *columns, "erreurs"])
        for line, row in rows:
            w.writerow([line, *[row.get(c, "") for c in columns], " | ".join(by_line.get(line, []))])


def _backup(sources_dir: Path, stem: str) -> Path | None:
    files = [sources_dir / f"{stem}{s}" for s in (".json", ".nq")]
    if not files[0].exists():
        return None
    backup = sources_dir / f".backup-{stem}"
    backup.mkdir(parents=True, exist_ok=True)
    for f in files:
        if f.exists():
            shutil.copy2(f, backup / f.name)
    return backup


def _restore(sources_dir: Path, backup: Path | None) -> None:
    if backup is None:
        return
    for f in backup.iterdir():
        shutil.copy2(f, sources_dir / f.name)
    _drop(backup)


def _drop(backup: Path | None) -> None:
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
