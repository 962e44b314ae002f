"""The build: records -> validated triples -> SHACL check -> a new store swapped in atomically."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from maillage import __version__, model
from maillage.config import Settings
from maillage.faults import fault
from maillage.loaders.records import RecordSet, Vocabulary, load_records
from maillage.loaders.territories import load_cog
from maillage.loaders.triples import build_dataset
from maillage.store import QuadWriter, update_store, write_store
from maillage.store.shacl import (
    ShapesViolated,  # noqa: F401 - re-exported: callers catch maillage.build.ShapesViolated
    check_shapes as _check,
    read_nquads,
)

# what the triples are made of beyond the inputs: a store built by an older model is rebuilt
MODEL = "3: one quad writer; mai:withinOrSelf a plain transitive property, closure written by the build"


@dataclass
class DocumentCounts:
    file: str
    triples: int = 0
    initiatives: int = 0
    organisations: int = 0
    fundings: int = 0
    fundings_with_amount: int = 0
    participations: int = 0


@dataclass
class BuildReport:
    triples: int
    seconds: float
    store: Path | None
    documents: list[DocumentCounts] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False        # nothing changed since the last build: nothing was rebuilt
    changed: list[str] = field(default_factory=list)
    graphs_replaced: list[str] = field(default_factory=list)  # named graphs written by this build
    incremental: bool = False       # only those graphs were replaced; the others were kept as they were


def input_hashes(settings: Settings) -> dict[str, str]:
    """A content hash for every input of a build: each records file, the vocabulary, the
    territories, each loaded source, and what shapes the output (version, base)."""
    import hashlib

    from maillage.loaders.records import data_files
    from maillage.loaders.sources import manifest as sources
    from maillage.loaders.territories import default_directory
    ONTOLOGY_DIR = model.ontology_dir()

    def digest(paths) -> str:
        h = hashlib.sha256()
        for p in sorted(paths):
            h.update(p.name.encode())
            h.update(_content(p))
        return h.hexdigest()[:16]

    # MODEL names what the triples are made of beyond the inputs (e.g. the mai:withinOrSelf
    # closure): a store built by an older model is rebuilt even when no input changed
    out = {"maillage": __version__, "model": MODEL, "base": settings.base}
    for p in data_files(settings.data_dir):
        out[f"records:{p.name}"] = digest([p])
    out["vocabulary"] = digest([*ONTOLOGY_DIR.glob("*.ttl"), *(ONTOLOGY_DIR / "concepts").glob("*.ttl")])
    out["territories"] = digest([p for p in default_directory().iterdir() if p.is_file()])
    for m in sources.manifests(settings.sources_dir):
        out[f"source:{m.kind}:{m.file}"] = m.sha256 + f":{m.rows}:{m.rejected}"
    return out


def _content(path: Path) -> bytes:
    """A file's bytes for the input hash; a folder, a pipe, a link loop or a huge file is not
    read (the records reader refuses it with its message; reading a pipe here would hang)."""
    import os
    import stat

    try:
        info = os.stat(path)
    except OSError as exc:
        return f"unreadable:{exc.errno}".encode()
    if not stat.S_ISREG(info.st_mode) or info.st_size > 64 * 1024 * 1024:
        return f"refused:{info.st_mode}:{info.st_size}:{info.st_mtime_ns}".encode()
    return path.read_bytes()


def vocabulary_for_records() -> Vocabulary:
    cog = load_cog()
    return Vocabulary(
        kinds=frozenset(model.codes("kinds")), roles=frozenset(model.codes("roles")),
        themes=frozenset(model.codes("themes")), publics=frozenset(model.codes("publics")),
        purposes=frozenset(model.codes("purposes")),
        territory_exists=lambda ref: ref in cog,
    )


def read_records(settings: Settings) -> RecordSet:
    """Validate every record file; raises RecordsInvalid (file:line errors). Source spans are
    checked against their documents when the corpus folder is at hand."""
    from maillage.loaders.records import RecordsInvalid, check_spans

    records = load_records(settings.data_dir, vocabulary_for_records(), root=Path.cwd())
    corpus = settings.corpus_dir
    if corpus.is_dir():
        errors = check_spans(records, corpus)
        if errors:
            raise RecordsInvalid(errors)
    return records


def check_shapes(ds: QuadWriter, entering: list | None = None, context: list | None = None) -> None:
    """SHACL over the records' graphs and the loaded graphs ``entering`` the store; ``context``
    (the other loaded graphs' rdf:type triples) lets a shape see the class of a body declared
    elsewhere without validating what was checked when it entered."""
    quads = [*ds.quads(), *(entering or [])]
    _check(quads, context=context or ())


def compile_dataset(settings: Settings, progress: Callable[[str], None] | None = None,
                    checked_sources: set[str] | None = None) -> tuple[QuadWriter, RecordSet, dict]:
    """Everything but writing: records, triples, shapes. Raises on the first failing step.
    ``checked_sources``: the loaded graphs entering the store (default: every loaded graph)."""
    say = progress or (lambda _msg: None)
    steps = {}
    t = time.perf_counter()
    say("reading and validating records")
    records = read_records(settings)
    steps["records"] = time.perf_counter() - t
    t = time.perf_counter()
    say("making triples")
    from maillage.loaders.sources import manifest as sources

    ds = build_dataset(records, load_cog(), settings.base, extra_refs=sources.territory_refs(settings.sources_dir))
    steps["triples"] = time.perf_counter() - t
    t = time.perf_counter()
    say("checking SHACL shapes")
    entering, context = _loaded_quads(settings, checked_sources)
    check_shapes(ds, entering, context)
    steps["shacl"] = time.perf_counter() - t
    return ds, records, steps


def _loaded_quads(settings: Settings, checked: set[str] | None) -> tuple[list, list]:
    """The quads of the loaded sources entering the store, and the rdf:type triples of the others."""
    from maillage.loaders.sources import manifest as sources

    entering, context = [], []
    for m in sources.manifests(settings.sources_dir):
        quads = read_nquads(sources.nq_path(settings.sources_dir, m))
        if checked is None or m.graph in checked:
            entering += quads
        else:
            context += [q for q in quads if q.predicate.value == model.RDF_TYPE]
    return entering, context


def count_documents(ds: QuadWriter, records: RecordSet, base: str) -> list[DocumentCounts]:
    from maillage.loaders.triples import Uris

    uris = Uris(base)
    counts: dict[str, DocumentCounts] = {}
    orgs: dict[str, set[str]] = {}
    for f in records.documents:  # a document's records may be split over several files
        r = f.records
        c = counts.setdefault(f.doc_file, DocumentCounts(file=f.doc_file, triples=ds.count(uris.graph(Path(f.doc_file).stem))))
        c.initiatives += len(r.initiatives)
        orgs.setdefault(f.doc_file, set()).update(o.id for o in r.organisations)
        c.organisations = len(orgs[f.doc_file])
        c.fundings += len(r.fundings)
        c.fundings_with_amount += sum(1 for x in r.fundings if x.amount_eur is not None)
        c.participations += len(r.participations)
    return list(counts.values())


def build(settings: Settings, progress: Callable[[str], None] | None = None, *, force: bool = False) -> BuildReport:
    """Build the graph from the records and replace the store only if every check passed.
    When no input changed since the last build (content hashes), nothing is rebuilt. One build
    or load at a time per store (a lock); leftovers of killed runs are removed first."""
    from maillage.loaders.sources import manifest as sources
    from maillage.store import swap

    swap.check_target(settings.store_dir)   # before any work: never a store written over a file or a folder of other things
    with sources.locked(settings.sources_dir):
        sources.clean(settings.sources_dir)
        _clean_store_leftovers(settings.store_dir)
        return _build(settings, progress, force=force)


def _clean_store_leftovers(store_dir: Path) -> list[str]:
    """store.new-PID / store.old-PID folders of killed builds (103 MB after three kills), when
    that process is gone."""
    removed = []
    parent = store_dir.absolute().parent
    if not parent.is_dir():
        return removed
    for p in parent.glob(f"{store_dir.name}.*-*"):
        kind, _, pid = p.name[len(store_dir.name) + 1:].partition("-")
        if kind in ("new", "old", "link") and pid.isdigit() and not _alive(int(pid)):
            p.unlink() if p.is_symlink() else shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is not writing a store yet: it is about to
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _build(settings: Settings, progress: Callable[[str], None] | None = None, *, force: bool = False) -> BuildReport:
    start = time.perf_counter()
    inputs = input_hashes(settings)
    previous = _previous_meta(settings)
    if previous and not force and previous.get("inputs") == inputs:
        return BuildReport(triples=previous.get("triples", 0), seconds=time.perf_counter() - start,
                           store=settings.store_dir, up_to_date=True,
                           documents=[DocumentCounts(**d) for d in previous.get("documents", [])])
    old = (previous or {}).get("inputs", {})
    changed = sorted(k for k in inputs.keys() | old.keys() if inputs.get(k) != old.get(k))
    from maillage.loaders.sources import manifest as sources

    old_sources = {s.get("graph"): s.get("sha256") for s in (previous or {}).get("sources", [])}
    entering = {m.graph for m in sources.manifests(settings.sources_dir) if old_sources.get(m.graph) != m.sha256}
    ds, records, steps = compile_dataset(settings, progress, checked_sources=entering)
    t = time.perf_counter()
    if progress:
        progress(f"writing the store to {settings.store_dir}")
    graphs = {iri: ds.ntriples(iri) for iri in ds.graphs()}
    graph_hashes = {iri: hashlib.sha256(data).hexdigest()[:16] for iri, data in graphs.items()}
    triples = ds.count()
    counts = count_documents(ds, records, settings.base)
    meta = {
        "maillage": __version__, "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "base": settings.base, "data_dir": str(settings.data_dir), "triples": triples,
        "documents": [c.__dict__ for c in counts], "inputs": inputs, "graphs": graph_hashes,
    }
    loaded = sources.manifests(settings.sources_dir)
    meta["sources"] = [{"kind": m.kind, "file": m.file, "rows": m.rows, "quads": m.quads, "graph": m.graph,
                        "sha256": m.sha256} for m in loaded]
    meta["triples"] = triples + sum(m.quads for m in loaded)
    from maillage import updates

    logged = updates.read_log(settings.store_dir)  # updates accepted over HTTP: replayed, whole store written
    plan = None if force or logged else _incremental_plan(previous, meta, settings.store_dir)
    if plan is None:
        nquads = b"".join(_as_nquads(data, iri) for iri, data in graphs.items())
        write_store(settings.store_dir, nquads, meta, extra=sources.nquads_files(settings.sources_dir), updates=logged,
                    finish=_search_index(settings, progress, steps))
        fault("build:written")
        replaced = sorted(graphs)
    else:
        new_graphs, dropped, new_sources = plan
        files = {m.graph: sources.nq_path(settings.sources_dir, m) for m in loaded if m.graph in new_sources}
        update_store(settings.store_dir, {iri: graphs[iri] for iri in new_graphs}, dropped, meta, extra=files,
                     finish=_search_index(settings, progress, steps))
        replaced = sorted([*new_graphs, *dropped, *new_sources])
    steps["store"] = time.perf_counter() - t
    from maillage.store import read_meta

    meta["triples"] = read_meta(settings.store_dir).get("triples", meta["triples"])  # with the store's aggregates
    return BuildReport(triples=meta["triples"], seconds=time.perf_counter() - start,
                       store=settings.store_dir, documents=counts, steps=steps, changed=changed,
                       graphs_replaced=replaced, incremental=plan is not None)


def _search_index(settings: Settings, progress: Callable[[str], None] | None, steps: dict):
    """The search index written into the new store's folder before it is swapped in: a server
    never builds it while a request waits (maillage.search)."""
    def finish(folder: Path) -> None:
        from maillage import search

        if progress:
            progress("writing the search index")
        steps["search index"] = search.write_index(folder, settings.store_dir, progress)
    return finish


def _as_nquads(ntriples: bytes, graph: str) -> bytes:
    suffix = f" <{graph}> .\n".encode()
    return b"".join(line.rstrip()[:-1].rstrip() + suffix for line in ntriples.splitlines() if line.strip())


def _incremental_plan(previous: dict | None, meta: dict, store_dir: Path):
    """Which named graphs to replace, drop and reload to turn the previous store into this build,
    or None when the store must be written whole (no previous store, or one built differently)."""
    if not previous or "graphs" not in previous or not (store_dir / "maillage-build.json").exists():
        return None
    old_inputs, new_inputs = previous.get("inputs", {}), meta["inputs"]
    for key in ("maillage", "model", "base"):
        if old_inputs.get(key) != new_inputs.get(key):
            return None
    old, new = previous["graphs"], meta["graphs"]
    replace = sorted(iri for iri in new if old.get(iri) != new[iri])
    drop = sorted(iri for iri in old if iri not in new)
    old_src = {s.get("graph"): s.get("sha256") for s in previous.get("sources", [])}
    new_src = {s["graph"]: s["sha256"] for s in meta["sources"]}
    if None in old_src:  # a store from before graphs were recorded per source
        return None
    reload = sorted(g for g in new_src if old_src.get(g) != new_src[g])
    drop += sorted(g for g in old_src if g not in new_src and g not in new)
    if set(reload) & set(new):  # a loaded source and the records share a graph: write it whole
        return None
    return replace, drop, reload


def _previous_meta(settings: Settings) -> dict | None:
    from maillage.store import StoreMissing, read_meta

    try:
        return read_meta(settings.store_dir) if (settings.store_dir / "maillage-build.json").exists() else None
    except (StoreMissing, ValueError):
        return None
