"""`maillage load KIND FILE`: validate every row, convert, keep the file as a loaded source and
rebuild the graph with it. Nothing is half-loaded: either the file (or, with skip_bad, its good
rows) is in the new graph, or the previous graph stays as it was."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from maillage import model
from maillage.build import build
from maillage.config import Settings
from maillage.faults import fault
from maillage.loaders.orgindex import OrgIndex
from maillage.loaders.sources import manifest as sources
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
    warnings: list[str] = field(default_factory=list)  # accepted rows worth a look (an amount above 100 M€)


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
    """Commit or vanish: the rows are staged under a new name, the graph is rebuilt with them
    (seen by this process only), and the manifest renamed into place last registers the load.
    Stopped at any moment before that rename, the load leaves nothing a later build applies, and
    a file it was replacing stays registered and served in its old version."""
    say = progress or (lambda _m: None)
    start = time.perf_counter()
    read, convert = _reader(kind)
    say(f"reading and validating {path.name}")
    good, errors, bad_rows = read(path)
    if errors and not skip_bad:
        raise FileInvalid(errors, len(good) + len(bad_rows))
    with sources.locked(settings.sources_dir):
        sources.clean(settings.sources_dir)  # what killed loads left
        try:
            store = OxigraphStore.open(settings.store_dir)
        except StoreMissing:
            say("no graph yet: building it from the records first")
            build(settings)
            store = OxigraphStore.open(settings.store_dir)
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
                                    loaded=datetime.now(UTC).isoformat(timespec="seconds"))
        staged = sources.stage(settings.sources_dir, manifest, nquads)
        fault("load:staged")
        say("rebuilding the graph with the loaded file")
        try:
            with sources.pending(settings.sources_dir, staged):
                report = build(settings)
        except BaseException:
            sources.nq_path(settings.sources_dir, staged).unlink(missing_ok=True)
            raise
        fault("load:built")
        replaced = sources.commit(settings.sources_dir, staged)
    return LoadReport(kind, path.name, len(good), len(bad_rows), count,
                      time.perf_counter() - start, reject_file, replaced, report.triples,
                      [g.warning for g in good if getattr(g, "warning", None)])


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
