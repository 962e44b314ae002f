"""What runs inside a worker process: every evaluation of a query happens here, never in the
web server's process, so a query that runs too long can be stopped by killing its worker (the
only way to really stop a query running in Python: a thread cannot be killed) and its memory is
given back to the system.

The jobs are the SPARQL protocol's (below) and the explorer views' (maillage.server.views, one
module per concern). A worker opens the store read-only (several processes may), answers one job at a time over a
pipe and reopens the store when the graph changed (a new build, an update). Replies are tuples:
``("ok", (status, media_type, body, headers))`` or ``("err", status, message)``; a message is
written for the client and never carries a stack trace (those go to the server's stderr).
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import traceback
from pathlib import Path
from typing import Any

from maillage.server import results as R
from maillage.server.errors import Refused
from maillage.server.pages import Site, render
from maillage.sparql_text import check_nesting, with_using
from maillage.store import OxigraphStore, StoreMissing, endpoint


def _prefixes(base: str) -> dict[str, str]:
    from maillage.server.views.common import prefixes

    return prefixes()


# ---------------------------------------------------------------- the store, reopened when it changes

class State:
    def __init__(self, store_dir: str, base: str, writable: bool = False):
        self.store_dir = Path(store_dir)
        self.base = base
        self.writable = writable
        self._store: OxigraphStore | None = None
        self.gen: Any = None

    def store(self, gen: Any) -> OxigraphStore:
        if self._store is None or gen != self.gen:
            self._store = None   # the previous generation's files are let go first
            try:
                self._store = endpoint.open_for_worker(self.store_dir, writable=self.writable)
            except StoreMissing:
                raise Refused(503, f"no graph at {self.store_dir}: run `maillage build` first") from None
            except OSError as exc:   # a build stamp over no store: said once, not a traceback per job
                raise Refused(503, f"cannot open the graph at {self.store_dir}: {exc}") from None
            self.gen = gen
        return self._store

    wrapped = store   # the name the explorer's views use

    def close(self) -> None:
        """Let the store go (and RocksDB's lock, for a writable one)."""
        self._store = None
        self.gen = None


# ---------------------------------------------------------------- SPARQL protocol

def job_sparql(state: State, gen, *, text: str, select_fmt: str | None, graph_fmt: str | None, max_rows: int,
               default_graphs: list[str] = (), named_graphs: list[str] = (), base_iri: str | None = None,
               site: Site | None = None):
    _shallow(text)
    store = state.store(gen)
    for g in [*default_graphs, *named_graphs]:
        try:
            endpoint.check_iri(g)
        except ValueError as exc:
            raise Refused(400, f"default-graph-uri / named-graph-uri: not an IRI ({exc})") from None
    # SyntaxError: the parser's message, 400
    answer = endpoint.evaluate(store, text, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri)
    if answer.kind == "ask":
        fmt = select_fmt
        if fmt is None:
            raise Refused(406, "an ASK result is given as SPARQL JSON, XML, CSV or TSV")
        if fmt == "html":
            body = render("sparql_results.html", site=site, query=text, kind="ask", boolean=answer.boolean,
                          variables=[], rows=[])
            return 200, R.MEDIA_TYPE_HTML, body, {}
        return 200, _media(fmt), R.ask_bytes(answer.boolean, fmt), {}
    if answer.kind == "select":
        fmt = select_fmt
        if fmt is None:
            raise Refused(406, "SELECT results are given as SPARQL JSON, XML, CSV or TSV "
                               "(application/sparql-results+json, application/sparql-results+xml, "
                               "text/csv, text/tab-separated-values)")
        variables = answer.variables
        rows = R.take(answer.items, max_rows)
        if fmt == "html":
            href = site.href if site else None
            cells = [[R.cell(sol[v], href) for v in variables] for sol in rows]
            body = render("sparql_results.html", site=site, query=text, kind="select", boolean=None,
                          variables=variables, rows=cells)
            return 200, R.MEDIA_TYPE_HTML, body, {}
        return 200, _media(fmt), R.SELECT_WRITERS[fmt](variables, rows), {}
    # CONSTRUCT / DESCRIBE
    fmt = graph_fmt
    if fmt is None:
        raise Refused(406, "CONSTRUCT and DESCRIBE results are given as Turtle, N-Triples, JSON-LD or RDF/XML "
                           "(text/turtle, application/n-triples, application/ld+json, application/rdf+xml)")
    triples = R.take(answer.items, max_rows, "triples")
    if fmt == "html":
        turtle = R.graph_bytes(triples, "ttl", _prefixes(state.base)).decode("utf-8")
        body = render("sparql_results.html", site=site, query=text, kind="graph", boolean=None,
                      variables=[], rows=[], turtle=turtle, count=len(triples))
        return 200, R.MEDIA_TYPE_HTML, body, {}
    return 200, _media(fmt), R.graph_bytes(triples, fmt, _prefixes(state.base)), {}


def _media(fmt: str) -> str:
    from maillage.server.protocol import MEDIA_TYPE

    return MEDIA_TYPE[fmt]


def _shallow(text: str) -> None:
    """A text nested deep enough to overflow the parser's stack is refused before it is parsed
    (it killed the worker with a segmentation fault)."""
    try:
        check_nesting(text)
    except ValueError as exc:
        raise Refused(400, f"SPARQL refused: {exc}") from None


def job_update(state: State, gen, *, text: str, using: list[str] = (), using_named: list[str] = (),
               base_iri: str | None = None, generated: bool = False):
    """``generated``: the text was written by the server (a Graph Store write), not sent by a client."""
    if not generated:
        _shallow(text)
    store = state.store(gen)
    if using or using_named:
        try:
            text = with_using(text, [endpoint.check_iri(g) for g in using], [endpoint.check_iri(g) for g in using_named])
        except ValueError as exc:
            raise Refused(400, f"using-graph-uri / using-named-graph-uri: not an IRI ({exc})") from None
    from maillage import updates  # issue 14: an accepted update is logged and replayed by every build

    try:
        with updates.writing(state.store_dir):
            before = len(store)
            endpoint.apply_update(store, text, base_iri)          # SyntaxError: 400
            after = len(store)
            updates.record(state.store_dir, text, base_iri)
    except updates.Busy as exc:
        raise Refused(503, f"update refused: {exc}") from None
    return {"before": before, "after": after}


def jobs() -> dict:
    """Every job a worker runs: the protocol's here, the explorer's from its views (imported
    when the worker starts: the views import the pool, which imports this module)."""
    from maillage.server import gsp, views

    return {"sparql": job_sparql, "update": job_update, **gsp.JOBS, **views.jobs()}


# ---------------------------------------------------------------- the process

def serve(conn, store_dir: str, base: str, memory_mb: int = 0, writable: bool = False) -> None:
    """Entry point of a worker process: answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the server stops its workers itself
    if memory_mb:
        try:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
        except (ValueError, OSError):
            pass
    state = State(store_dir, base, writable)
    known = jobs()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        name, gen, kwargs = message
        try:
            reply = ("ok", known[name](state, gen, **kwargs))
        except Refused as exc:
            reply = ("err", exc.status, exc.message)
        except SyntaxError as exc:
            reply = ("err", 400, f"SPARQL syntax error: {exc}")
        except R.TooManyRows as exc:
            reply = ("err", 413, f"the result has more than {exc.cap} {exc.what}, the server's cap (--max-rows): "
                                 "add a LIMIT, narrow the query, or download the whole graph from /download/")
        except MemoryError:
            reply = ("err", 503, "the query needed more memory than a query may use on this server")
        except Exception as exc:  # noqa: BLE001  (logged here, never sent to the client)
            print(f"maillage worker {os.getpid()}: {name} failed:", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
            text = str(exc)
            if isinstance(exc, (OSError, RuntimeError)) and ("Transaction" in text or "lock" in text.lower()):
                reply = ("err", 503, "the store is busy or read-only: try again later")
            else:
                reply = ("err", 500, "internal error (logged by the server)")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
