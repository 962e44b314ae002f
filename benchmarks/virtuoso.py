"""The Virtuoso column of `maillage bench`: the same synthetic N-Quads and the same canned queries,
answered by Debian's Virtuoso Open Source over SPARQL (through ``maillage.store.remote.RemoteStore``).

``virtuoso_column`` starts a Virtuoso of its own (``scripts/virtuoso start``, a fresh database
under ``workdir``, free loopback ports), always stops it and removes that database.

The "load" step is the time from having the N-Quads file to the graph being queryable and
durable in Virtuoso. By default it is Virtuoso's own bulk loader, driven through ``isql-vt`` on
the SQL port: the file is linked (or copied) into a directory the ini allows, then
``ld_dir`` + ``rdf_loader_run()`` + ``checkpoint`` (the bulk loader runs without a transaction
log, so the checkpoint is what makes the load permanent). ``loader="push"`` measures the other
path instead: pyoxigraph bulk-loads the file into a temporary store, then ``maillage push`` PUTs
each named graph through the Graph Store Protocol (what ``maillage push`` users get).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from maillage.model import W3ID

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "virtuoso"
NOT_INSTALLED = "Virtuoso is not installed (scripts/virtuoso install)"
USER, PASSWORD = "dba", "dba"
LOADERS = ("bulk", "push")
# scripts/virtuoso sets MaxQueryExecutionTime = 120: a query that runs this long may have been cut
MAX_QUERY_S = 120.0
COUNT_MAILLAGE_QUADS = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                        f"FILTER(STRSTARTS(STR(?g), '{W3ID}')) }}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _log_reason(log: str) -> str:
    """The last line of Virtuoso's log that says something: it ends with "HH:MM:SS Server exiting"
    after the line that tells why."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    while lines and lines[-1].endswith("Server exiting") and len(lines) > 1:
        lines.pop()
    return lines[-1] if lines else ""


def _sql_string(value: str) -> str:
    """A SQL string literal (quotes doubled): the loader's directory and file name are ours,
    but they are still quoted, never pasted raw."""
    return "'" + value.replace("'", "''") + "'"


def _isql(sql_port: int, script: str, timeout: float) -> str:
    """Run ``script`` with isql-vt as dba; its standard output, or RuntimeError with Virtuoso's
    message (isql-vt exits 0 after an error and prints it on standard error)."""
    proc = subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", USER, PASSWORD, "VERBOSE=OFF", "BANNER=OFF",
                           "PROMPT=OFF", "ECHO=OFF", f"exec={script}"],
                          capture_output=True, text=True, timeout=timeout, check=False)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("*** Error")]
    if proc.returncode != 0 or errors:
        raise RuntimeError(errors[0] if errors else f"isql-vt exited {proc.returncode}: {_last_line(proc.stderr)}")
    return proc.stdout


def _bulk_load(nq: Path, db: Path, sql_port: int) -> None:
    folder = db / "load"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "bench.nq"  # the bulk loader reads a file as N-Quads by its .nq extension
    try:
        os.link(nq, target)
    except OSError:  # another file system
        shutil.copyfile(nq, target)
    _isql(sql_port, f"ld_dir({_sql_string(str(folder))}, 'bench.nq', 'urn:maillage:bench:default'); "
                    "rdf_loader_run(); checkpoint;", timeout=3600)
    out = _isql(sql_port, "SELECT ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL OR ll_state <> 2;",
                timeout=60)
    if out.strip():
        raise RuntimeError(f"Virtuoso's bulk loader: {_last_line(out)}")


def _push_load(nq: Path, db: Path, endpoint: str) -> None:
    import pyoxigraph as ox

    from maillage.push import push
    from maillage.store.oxigraph import OxigraphStore

    tmp = Path(tempfile.mkdtemp(prefix="oxigraph-", dir=db.parent))
    try:
        engine = ox.Store(str(tmp / "store"))
        engine.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        store = OxigraphStore(engine, tmp / "store")     # push takes a maillage store, not the engine's
        push(store, endpoint + "-graph-crud-auth", user=USER, password=PASSWORD)
        del store, engine
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _quads_in(nq: Path) -> int:
    with nq.open("rb") as f:
        return sum(1 for line in f if line.strip() and not line.lstrip().startswith(b"#"))


class VirtuosoUnavailable(Exception):
    """Virtuoso cannot run here; the message is the one-line reason."""


@dataclass
class Server:
    endpoint: str      # SPARQL endpoint; the Graph Store Protocol is at endpoint + "-graph-crud-auth"
    sql_port: int
    db: Path           # its database folder (the bulk loader may read files under it)


@contextmanager
def running_virtuoso(workdir: Path, *, start_timeout: float = 180.0) -> Iterator[Server]:
    """A Virtuoso with a fresh database under ``workdir`` on free loopback ports, stopped and its
    database removed on exit; VirtuosoUnavailable when it is not installed or does not start."""
    if shutil.which("virtuoso-t") is None:
        raise VirtuosoUnavailable(NOT_INSTALLED)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    db = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=workdir))  # never an old database
    http, sql = _free_port(), _free_port()
    try:
        try:
            started = subprocess.run([str(SCRIPT), "start", str(db), str(http), str(sql)],
                                     capture_output=True, text=True, timeout=start_timeout, check=False)
            failed = started.returncode != 0
            said = started.stdout + started.stderr
        except subprocess.TimeoutExpired:
            failed, said = True, f"no answer in {start_timeout:.0f} s"
        if failed:
            log = db / "virtuoso.log"
            tail = _log_reason(log.read_text("utf-8", "replace")) if log.is_file() else ""
            raise VirtuosoUnavailable(f"Virtuoso did not start: {tail or _last_line(said)}")
        yield Server(f"http://127.0.0.1:{http}/sparql", sql, db)
    finally:
        subprocess.run([str(SCRIPT), "stop", str(db)], capture_output=True, timeout=120, check=False)
        shutil.rmtree(db, ignore_errors=True)


def load(server: Server, nq: str | Path, loader: str = "bulk") -> float:
    """Load the N-Quads file ``nq`` into ``server``; the seconds it took, from the file to a
    queryable, durable graph. RuntimeError / OSError when the load fails."""
    if loader not in LOADERS:
        raise ValueError(f"loader must be one of {LOADERS}, not {loader!r}")
    nq = Path(nq).resolve()
    t = time.perf_counter()
    if loader == "bulk":
        _bulk_load(nq, server.db, server.sql_port)
    else:
        _push_load(nq, server.db, server.endpoint)
    return time.perf_counter() - t


def virtuoso_column(nq: str | Path, names: dict, repeat: int, emit: Callable[[str, float | None], None], *,
                    workdir: Path, loader: str = "bulk", query_timeout: float = 180.0) -> str | None:
    """Measure the "load" step and each canned query of ``benchmarks.workload.plan(names)`` on Virtuoso.

    ``emit(step, seconds)`` is called once per step as it is measured ("load", then
    "query:NAME" with the median of ``repeat`` runs, or None for a query that failed).
    Returns None when every step was measured; otherwise one line saying why not: the column
    could not run at all (Virtuoso not installed, did not start: nothing emitted; the load
    failed: "load" emitted as None), or what went wrong with which queries, "; "-separated.
    """
    from benchmarks import workload  # looked up at call time: a test swaps the plan
    from benchmarks.timing import median
    from maillage import query as queries
    from maillage.store.remote import RemoteStore

    if loader not in LOADERS:
        raise ValueError(f"loader must be one of {LOADERS}, not {loader!r}")
    if shutil.which("virtuoso-t") is None:
        return NOT_INSTALLED
    if loader == "bulk" and shutil.which("isql-vt") is None:
        return "Virtuoso's isql-vt is not on PATH (scripts/virtuoso install)"
    nq = Path(nq).resolve()
    notes: list[str] = []
    try:
        with running_virtuoso(workdir) as server:
            try:
                seconds = load(server, nq, loader)
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
                emit("load", None)
                return f"Virtuoso's load ({loader}) failed: {exc}"[:500]
            emit("load", seconds)
            remote = RemoteStore(server.endpoint, timeout=query_timeout)
            expected = _quads_in(nq)
            try:
                held = int(remote.select(COUNT_MAILLAGE_QUADS).rows[0]["n"])
            except Exception as exc:  # noqa: BLE001 - the queries below say more
                notes.append(f"load: cannot count Virtuoso's quads: {exc}"[:500])
            else:
                if held != expected:
                    notes.append(f"load: Virtuoso holds {held:,} quads of the file's {expected:,}")
            for name, params in workload.plan(names):
                slowest = 0.0

                def once():
                    nonlocal slowest
                    t0 = time.perf_counter()
                    queries.run(remote, workload.question(name), params)  # noqa: B023 - once() runs in this iteration
                    slowest = max(slowest, time.perf_counter() - t0)

                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        seconds = median(once, repeat)
                    except Exception as exc:  # noqa: BLE001 - a failed query is a null figure and a note
                        emit(f"query:{name}", None)
                        notes.append(f"{name}: {type(exc).__name__}: {exc}"[:500])
                        continue
                emit(f"query:{name}", seconds)
                for w in caught:
                    if issubclass(w.category, RuntimeWarning):
                        notes.append(f"{name}: {w.message}")
                        break
                if slowest >= 0.95 * MAX_QUERY_S:
                    notes.append(f"{name}: a run took {slowest:.0f} s, near MaxQueryExecutionTime = "
                                 f"{MAX_QUERY_S:.0f} s: Virtuoso may have answered a partial (anytime) result")
    except VirtuosoUnavailable as exc:
        return str(exc)
    return "; ".join(notes) or None
