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

import pyoxigraph as ox

from maillage.server import results as R
from maillage.server.errors import Refused
from maillage.server.pages import Site, render
from maillage.sparql_text import with_using
from maillage.store import META_FILE, OxigraphStore
from maillage.store.oxigraph import query_dataset


def _prefixes(base: str) -> dict[str, str]:
    from maillage.server.views.common import prefixes

    return prefixes()


# ---------------------------------------------------------------- the store, reopened when it changes

class State:
    def __init__(self, store_dir: str, base: str, writable: bool = False):
        self.store_dir = Path(store_dir)
        self.base = base
        self.writable = writable
        self.ox: ox.Store | None = None
        self.gen: Any = None

    def store(self, gen: Any) -> ox.Store:
        if self.ox is None or gen != self.gen:
            if not (self.store_dir / META_FILE).exists():
                raise Refused(503, f"no graph at {self.store_dir}: run `maillage build` first")
            self.ox = None
            self.ox = ox.Store(str(self.store_dir)) if self.writable else ox.Store.read_only(str(self.store_dir))
            self.gen = gen
        return self.ox

    def wrapped(self, gen: Any) -> OxigraphStore:
        return OxigraphStore(self.store(gen), self.store_dir)


# ---------------------------------------------------------------- SPARQL protocol

def job_sparql(state: State, gen, *, text: str, select_fmt: str | None, graph_fmt: str | None, max_rows: int,
               default_graphs: list[str] = (), named_graphs: list[str] = (), base_iri: str | None = None,
               site: Site | None = None):
    store = state.store(gen)
    try:
        kwargs = query_dataset(text, default_graphs, named_graphs)
    except ValueError as exc:
        raise Refused(400, f"default-graph-uri / named-graph-uri: not an IRI ({exc})") from None
    result = store.query(text, base_iri=base_iri, **kwargs)     # SyntaxError: the parser's message, 400
    if isinstance(result, ox.QueryBoolean):
        fmt = select_fmt
        if fmt is None:
            raise Refused(406, "an ASK result is given as SPARQL JSON, XML, CSV or TSV")
        if fmt == "html":
            body = render("sparql_results.html", site=site, query=text, kind="ask", boolean=bool(result),
                          variables=[], rows=[])
            return 200, R.MEDIA_TYPE_HTML, body, {}
        return 200, _media(fmt), R.ask_bytes(bool(result), fmt), {}
    if isinstance(result, ox.QuerySolutions):
        fmt = select_fmt
        if fmt is None:
            raise Refused(406, "SELECT results are given as SPARQL JSON, XML, CSV or TSV "
                               "(application/sparql-results+json, application/sparql-results+xml, "
                               "text/csv, text/tab-separated-values)")
        variables = [v.value for v in result.variables]
        rows = R.take(result, max_rows)
        if fmt == "html":
            cells = [[_display(sol[v], site) for v in variables] for sol in rows]
            body = render("sparql_results.html", site=site, query=text, kind="select", boolean=None,
                          variables=variables, rows=cells)
            return 200, R.MEDIA_TYPE_HTML, body, {}
        return 200, _media(fmt), R.SELECT_WRITERS[fmt](variables, rows), {}
    # CONSTRUCT / DESCRIBE
    fmt = graph_fmt
    if fmt is None:
        raise Refused(406, "CONSTRUCT and DESCRIBE results are given as Turtle, N-Triples, JSON-LD or RDF/XML "
                           "(text/turtle, application/n-triples, application/ld+json, application/rdf+xml)")
    triples = R.take(result, max_rows, "triples")
    if fmt == "html":
        turtle = R.graph_bytes(triples, "ttl", _prefixes(state.base)).decode("utf-8")
        body = render("sparql_results.html", site=site, query=text, kind="graph", boolean=None,
                      variables=[], rows=[], turtle=turtle, count=len(triples))
        return 200, R.MEDIA_TYPE_HTML, body, {}
    return 200, _media(fmt), R.graph_bytes(triples, fmt, _prefixes(state.base)), {}


def _media(fmt: str) -> str:
    from maillage.server.protocol import MEDIA_TYPE

    return MEDIA_TYPE[fmt]


def _display(term, site: Site | None) -> dict:
    """A result cell for the HTML table: its text, and a link for IRIs."""
    if term is None:
        return {"text": "", "href": None, "kind": "none", "suffix": ""}
    if isinstance(term, ox.NamedNode):
        return {"text": term.value, "href": site.href(term.value) if site else None, "kind": "iri", "suffix": ""}
    if isinstance(term, ox.BlankNode):
        return {"text": f"_:{term.value}", "href": None, "kind": "bnode", "suffix": ""}
    if isinstance(term, ox.Literal):
        suffix = f"@{term.language}" if term.language else ""
        return {"text": term.value, "href": None, "kind": "literal", "suffix": suffix}
    return {"text": str(term), "href": None, "kind": "other", "suffix": ""}


def job_update(state: State, gen, *, text: str, using: list[str] = (), using_named: list[str] = (),
               base_iri: str | None = None):
    store = state.store(gen)
    if using or using_named:
        try:
            text = with_using(text, [str(ox.NamedNode(g)) for g in using], [str(ox.NamedNode(g)) for g in using_named])
        except ValueError as exc:
            raise Refused(400, f"using-graph-uri / using-named-graph-uri: not an IRI ({exc})") from None
    from maillage import updates  # issue 14: an accepted update is logged and replayed by every build

    try:
        with updates.writing(state.store_dir):
            before = len(store)
            store.update(text, base_iri=base_iri)          # SyntaxError: 400
            store.flush()
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
