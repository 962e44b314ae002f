"""The web application of `maillage serve` (Starlette; uvicorn runs it).

Routes:

- ``/sparql``            SPARQL 1.1 Protocol (GET, POST form or direct), service description
- ``/id/…``              every URI minted under the base, with content negotiation
- ``/resource?uri=``     the same page for any other IRI of the graph (vocabulary concepts…)
- ``/``                  the canned questions as forms; ``/query/NAME`` their answers
- ``/editor``            a plain SPARQL editor with the canned queries as examples
- ``/network[/…]``       the partner-network page, whole or around one organisation/initiative
- ``/search?q=``         find a thing by its name
- ``/.well-known/void``  VoID / DCAT description; ``/download/maillage.{ttl,jsonld,trig}`` dumps
- ``/healthz``           liveness and worker counters (JSON)

The event loop only routes, negotiates and waits: every query runs in a worker process
(``pool.py``), which is killed when the time limit passes or the client leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import os
import shutil
import sys
import tempfile
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl, unquote

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from maillage.server import describe, protocol
from maillage.server.config import MAX_QUERY_BYTES, ServerConfig
from maillage.server.pages import STATIC, Site, render
from maillage.server.pool import JobFailed, PoolError, WorkerPool
from maillage.store import META_FILE

# the explorer's own pages: nothing but this server, no inline script
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# the network page inlines vis-network (its own <meta> policy says the same)
NETWORK_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
               "font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Content-Type, Content-Length"}
FAVICON_LINK = b'<link rel="icon" href="data:,">'


class ClientGone(Exception):
    """The client closed the connection while its query ran: the worker was stopped."""


class _Once:
    """Compute a value once per key, whoever asks first; later (and concurrent) askers share it.
    Failures are not kept. At most ``size`` values are kept (oldest dropped)."""

    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[Any, asyncio.Future] = OrderedDict()

    async def get(self, key: Any, factory: Callable[[], Awaitable[Any]]) -> Any:
        fut = self._items.get(key)
        if fut is None:
            fut = asyncio.ensure_future(factory())
            self._items[key] = fut

            def forget(f: asyncio.Future, key=key) -> None:
                if f.cancelled() or f.exception() is not None:
                    if self._items.get(key) is f:
                        del self._items[key]

            fut.add_done_callback(forget)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return await asyncio.shield(fut)

    def clear(self) -> None:
        self._items.clear()


class _Flight:
    def __init__(self, task: asyncio.Future):
        self.task = task
        self.waiters = 0


class ResultCache:
    """Answers to read requests (status 200 only), per graph generation, least recently used
    first out within a byte budget. Identical requests running at the same time are evaluated
    once; that evaluation is cancelled (its worker killed) only when every client waiting for it
    has left. A budget of 0 turns both off (each request is evaluated on its own)."""

    def __init__(self, max_bytes: int, max_entry: int = 4 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.max_entry = min(max_entry, max_bytes)
        self.bytes = 0
        self.hits = self.misses = self.shared = 0
        self._items: OrderedDict[Any, tuple] = OrderedDict()
        self._flights: dict[Any, _Flight] = {}
        self._gen: Any = None

    def _put(self, key: Any, payload: tuple) -> None:
        status, _, body, _ = payload
        if status != 200 or len(body) > self.max_entry or key in self._items:
            return
        self._items[key] = payload
        self.bytes += len(body)
        while self.bytes > self.max_bytes and self._items:
            _, old = self._items.popitem(last=False)
            self.bytes -= len(old[2])

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0

    async def answer(self, gen: Any, key: Any, factory: Callable[[], Awaitable[tuple]]) -> tuple:
        if not self.max_bytes:
            return await factory()
        if gen != self._gen:
            self.clear()
            self._gen = gen
        key = (gen, key)
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            self.hits += 1
            return hit
        flight = self._flights.get(key)
        if flight is None:
            self.misses += 1
            flight = _Flight(asyncio.ensure_future(factory()))
            self._flights[key] = flight

            def done(task: asyncio.Future, key=key, flight=flight) -> None:
                if self._flights.get(key) is flight:
                    del self._flights[key]
                if not task.cancelled() and task.exception() is None:
                    self._put(key, task.result())

            flight.task.add_done_callback(done)
        else:
            self.shared += 1
        flight.waiters += 1
        try:
            return await asyncio.shield(flight.task)
        except asyncio.CancelledError:
            if flight.waiters == 1 and not flight.task.done():
                flight.task.cancel()
            raise
        finally:
            flight.waiters -= 1

    def describe(self) -> dict:
        return {"entries": len(self._items), "bytes": self.bytes, "max_bytes": self.max_bytes, "hits": self.hits,
                "misses": self.misses, "shared": self.shared}


class Server:
    def __init__(self, config: ServerConfig):
        self.config = config
        self.site = Site(config.base, config.timeout, config.max_rows, bool(config.update_token))
        self.pool = WorkerPool(config.store_dir, config.base, size=config.workers, timeout=config.timeout,
                               memory_mb=config.memory_mb)
        self.updates = 0
        self.cache_dir: Path | None = None
        self.stats = _Once(4)
        self.pages = _Once(64)
        self.dumps = _Once(8)
        self.write_lock = asyncio.Lock()
        self.results = ResultCache(config.cache_mb * 1024 * 1024)
        self.started = time.time()

    # ------------------------------------------------------------ life cycle

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        self.cache_dir = Path(tempfile.mkdtemp(prefix="maillage-serve-"))
        await self.pool.start()
        try:
            yield
        finally:
            await self.pool.close()
            shutil.rmtree(self.cache_dir, ignore_errors=True)

    def generation(self) -> Any:
        """Changes when the graph does: a new build (the store's meta file) or an update here."""
        try:
            st = os.stat(Path(self.config.store_dir) / META_FILE)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_ino, self.updates)

    def gen_tag(self, gen: Any) -> str:
        return "none" if gen is None else f"{gen[0]:x}-{gen[1]:x}-{gen[2]}"

    async def get_stats(self) -> dict:
        gen = self.generation()
        return await self.stats.get(gen, lambda: self.pool.run_batch("stats", gen, self.config.batch_timeout,
                                                                      exclusive=False))

    def public_url(self, request: Request) -> str:
        if self.config.public_url:
            return self.config.public_url.rstrip("/")
        url = f"{request.url.scheme}://{request.url.netloc}"
        try:
            ox.NamedNode(url + "/sparql")
        except ValueError:
            url = f"http://{self.config.host}:{self.config.port}"
        return url

    def token_ok(self, request: Request) -> bool:
        token = self.config.update_token
        if not token:
            return False
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(value.strip().encode("utf-8"), token.encode("utf-8"))


# ---------------------------------------------------------------- responses

def html(body: bytes, status: int = 200, headers: dict | None = None) -> Response:
    h = {"Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    h.update(headers or {})
    return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=h)


def text_error(status: int, message: str, cors: bool = False, headers: dict | None = None) -> Response:
    h = {"X-Content-Type-Options": "nosniff", **(CORS if cors else {}), **(headers or {})}
    return Response(message.rstrip() + "\n", status_code=status, media_type="text/plain; charset=utf-8", headers=h)


def page_error(server: Server, status: int, message: str) -> Response:
    return html(render("error.html", site=server.site, status=status, message=message, title=_TITLES.get(status, "Erreur")),
                status)


_TITLES = {400: "Requête mal formée", 403: "Refusé", 404: "Introuvable", 406: "Format non disponible",
           413: "Résultat trop grand", 415: "Type de contenu non pris en charge", 500: "Erreur interne",
           503: "Serveur occupé", 504: "Délai dépassé"}


def _reply(payload, cors: bool = False, extra: dict | None = None) -> Response:
    status, media, body, headers = payload
    h = {"X-Content-Type-Options": "nosniff", **headers, **(extra or {})}
    if cors:
        h.update(CORS)
    if media.startswith("text/html"):
        return html(body, status, h)
    return Response(body, status_code=status, media_type=media, headers=h)


async def _watch_disconnect(request: Request) -> None:
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def guarded(request: Request, work: Awaitable[Any]) -> Any:
    """Run ``work``; if the client disconnects first, cancel it (the pool then kills the worker)."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_watch_disconnect(request))
    try:
        done, _ = await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        watcher.cancel()
        raise
    if task in done:
        watcher.cancel()
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, PoolError):
        await task
    raise ClientGone()


async def read_body(request: Request, limit: int = MAX_QUERY_BYTES) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise JobFailed(400, f"the request body is longer than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------- /sparql

class Params:
    """Protocol parameters from the URL and a form body (repeatable keys kept in order)."""

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs

    def all(self, key: str) -> list[str]:
        return [v for k, v in self.pairs if k == key]

    def one(self, key: str) -> str | None:
        values = self.all(key)
        if len(values) > 1:
            raise JobFailed(400, f"the '{key}' parameter is given {len(values)} times")
        return values[0] if values else None


async def sparql_endpoint(request: Request) -> Response:
    server: Server = request.app.state.server
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={**CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                                  "Access-Control-Allow-Headers": "Content-Type, Accept",
                                                  "Access-Control-Max-Age": "86400"})
    try:
        return await _sparql(server, request)
    except ClientGone:
        return Response(status_code=499)
    except PoolError as exc:
        headers = {"Retry-After": "1"} if exc.status == 503 else {}
        if getattr(request.state, "wants_html", False):      # the editor's form: an error page
            return page_error(server, exc.status, exc.message)
        return text_error(exc.status, exc.message, cors=True, headers=headers)


async def _sparql(server: Server, request: Request) -> Response:
    pairs = parse_qsl(request.url.query, keep_blank_values=True)
    query = update = None
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await read_body(request)
        if ctype == "application/x-www-form-urlencoded":
            try:
                pairs += parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise JobFailed(400, "the form is not UTF-8") from None
        elif ctype in ("application/sparql-query", "application/sparql-update"):
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise JobFailed(400, "the query is not UTF-8") from None
            if ctype == "application/sparql-query":
                query = text
            else:
                update = text
        else:
            return text_error(415, "POST a query as application/x-www-form-urlencoded (query=… or update=…), "
                                   "application/sparql-query or application/sparql-update", cors=True)
    params = Params(pairs)
    query = query if query is not None else params.one("query")
    update = update if update is not None else params.one("update")
    if query is not None and update is not None:
        raise JobFailed(400, "give either a query or an update, not both")
    if update is not None:
        return await _update(server, request, update)
    if query is None:
        return await _service_description(server, request, params)
    if len(query.encode("utf-8")) > MAX_QUERY_BYTES:
        raise JobFailed(400, f"the query is longer than {MAX_QUERY_BYTES:,} bytes")
    kind = protocol.classify(query)
    if kind.is_update:
        if server.token_ok(request):
            raise JobFailed(400, "this is a SPARQL Update: send it as update=… or application/sparql-update, by POST")
        return text_error(403, _update_refusal(server), cors=True)
    if kind.federated:
        return text_error(403, "federated queries (SERVICE) are refused: this server does not fetch other "
                               "endpoints", cors=True)
    formats = params.all("format") + params.all("output") + params.all("results")
    wanted = protocol.negotiate(request.headers.get("accept"), formats)
    request.state.wants_html = wanted.select == "html"
    if wanted.select is None and wanted.graph is None:
        return text_error(406, "none of the accepted media types is available; this endpoint answers "
                               "application/sparql-results+json, application/sparql-results+xml, text/csv, "
                               "text/tab-separated-values (SELECT, ASK) and text/turtle, application/n-triples, "
                               "application/ld+json, application/rdf+xml (CONSTRUCT, DESCRIBE)", cors=True)
    gen = server.generation()
    default_graphs, named_graphs = params.all("default-graph-uri"), params.all("named-graph-uri")
    key = ("sparql", query, wanted.select, wanted.graph, tuple(default_graphs), tuple(named_graphs))
    payload = await guarded(request, server.results.answer(gen, key, lambda: server.pool.run(
        "sparql", gen, text=query, select_fmt=wanted.select, graph_fmt=wanted.graph,
        max_rows=server.config.max_rows, default_graphs=default_graphs, named_graphs=named_graphs,
        site=server.site)))
    return _reply(payload, cors=True, extra={"Vary": "Accept"})


def _update_refusal(server: Server) -> str:
    if server.config.update_token:
        return ("SPARQL Update refused: send the server's update token as 'Authorization: Bearer TOKEN'")
    return "SPARQL Update refused: this endpoint is read-only (start `maillage serve --update-token …` to allow updates)"


async def _update(server: Server, request: Request, text: str) -> Response:
    if not server.token_ok(request):
        return text_error(403, _update_refusal(server))
    if request.method != "POST":
        raise JobFailed(400, "an update is sent by POST")
    async with server.write_lock:
        try:
            counts = await server.pool.run_batch("update", server.generation(), server.config.timeout, writable=True,
                                                 text=text)
        finally:
            server.updates += 1        # workers reopen the store; caches are per generation
            server.pages.clear()
            server.stats.clear()
            server.results.clear()
    return text_error(200, f"update done: {counts['before']} triples before, {counts['after']} after")


async def _service_description(server: Server, request: Request, params: Params) -> Response:
    fmt = protocol.negotiate_document(request.headers.get("accept"), params.one("format"))
    if fmt == "html":
        return RedirectResponse("/editor", status_code=303)
    if fmt is None:
        return text_error(406, "the service description is given as Turtle, N-Triples, JSON-LD or RDF/XML", cors=True)
    stats = await server.get_stats()
    triples = describe.service_description(server.config, server.public_url(request), stats)
    return Response(describe.serialize(triples, fmt, server.config.base), media_type=protocol.MEDIA_TYPE[fmt],
                    headers={**CORS, "Vary": "Accept"})


# ---------------------------------------------------------------- linked data

def _entity_format(request: Request) -> str | None:
    return protocol.negotiate_document(request.headers.get("accept"), request.query_params.get("format"))


async def entity(request: Request) -> Response:
    server: Server = request.app.state.server
    raw = request.scope.get("raw_path") or request.url.path.encode("utf-8")
    rest = raw.decode("utf-8", "replace").split("?", 1)[0][len("/id/"):]
    if not rest:
        return RedirectResponse("/", status_code=303)
    candidates = list(dict.fromkeys([server.config.base + unquote(rest), server.config.base + rest]))
    return await _entity(server, request, candidates)


async def resource(request: Request) -> Response:
    server: Server = request.app.state.server
    uri = request.query_params.get("uri", "")
    if uri.startswith(server.config.base):
        local = server.site.local_path(uri)
        if local:
            return RedirectResponse(local.split("#")[0], status_code=303)
    return await _entity(server, request, [uri])


async def _entity(server: Server, request: Request, candidates: list[str]) -> Response:
    fmt = _entity_format(request)
    if fmt is None:
        return text_error(406, "this resource is given as HTML, Turtle, N-Triples, JSON-LD or RDF/XML", cors=True)
    try:
        gen = server.generation()
        payload = await guarded(request, server.results.answer(gen, ("entity", tuple(candidates), fmt), lambda: server.pool.run(
            "entity", gen, uris=candidates, fmt=fmt, site=server.site)))
    except ClientGone:
        return Response(status_code=499)
    except PoolError as exc:
        if fmt == "html":
            return page_error(server, exc.status, exc.message)
        return text_error(exc.status, exc.message, cors=True)
    return _reply(payload, cors=fmt != "html", extra={"Vary": "Accept"})


async def void(request: Request) -> Response:
    server: Server = request.app.state.server
    fmt = _entity_format(request)
    if fmt == "html":
        fmt = "ttl"         # no HTML rendering of it: browsers show Turtle as text
    if fmt is None:
        return text_error(406, "the VoID description is given as Turtle, N-Triples, JSON-LD or RDF/XML", cors=True)
    try:
        stats = await server.get_stats()
    except PoolError as exc:
        return text_error(exc.status, exc.message, cors=True)
    triples = describe.void_description(server.config, server.public_url(request), stats)
    media = "text/turtle; charset=utf-8" if fmt == "ttl" else protocol.MEDIA_TYPE[fmt]
    return Response(describe.serialize(triples, fmt, server.config.base), media_type=media,
                    headers={**CORS, "Vary": "Accept"})


async def download(request: Request) -> Response:
    server: Server = request.app.state.server
    ext = request.path_params["ext"]
    if ext not in describe.DUMPS:
        return text_error(404, "dumps: /download/maillage.ttl, /download/maillage.jsonld, /download/maillage.trig")
    gen = server.generation()
    tag = server.gen_tag(gen)
    path = server.cache_dir / f"maillage-{tag}.{ext}"

    async def make():
        if not path.exists():
            for old in server.cache_dir.glob(f"maillage-*.{ext}"):
                old.unlink(missing_ok=True)
            await server.pool.run_batch("dump", gen, server.config.batch_timeout, fmt=ext, path=str(path))
        return path

    try:
        await server.dumps.get((tag, ext), make)
    except PoolError as exc:
        return text_error(exc.status, exc.message, cors=True)
    media = describe.DUMPS[ext][0]
    return FileResponse(path, media_type=media, filename=f"maillage.{ext}", headers=CORS)


# ---------------------------------------------------------------- the explorer

QUESTION_ORDER = ("who-funds-what", "funders-of", "funded-by", "partnerships", "partners-of", "initiatives-in",
                  "co-funders", "funding-totals")


def _catalogue():
    from maillage import queries

    return queries.catalogue()


async def home(request: Request) -> Response:
    server: Server = request.app.state.server
    public = server.public_url(request)
    gen = server.generation()

    async def make() -> bytes:
        stats = await server.get_stats()
        order = {name: i for i, name in enumerate(QUESTION_ORDER)}
        queries = sorted((q for q in _catalogue().values() if q.name != "stats"),
                         key=lambda q: (order.get(q.name, len(order)), q.name))
        example = server.site.href(stats["example"]) if stats.get("example") else None
        return render("home.html", site=server.site, stats=stats, queries=queries, choices=stats["choices"],
                      public=public, example=example)

    try:
        body = await server.pages.get(("home", gen, public), make)
    except PoolError as exc:
        return page_error(server, exc.status, exc.message)
    return html(body)


async def canned(request: Request) -> Response:
    server: Server = request.app.state.server
    name = request.path_params["name"]
    catalogue = _catalogue()
    if name not in catalogue:
        return page_error(server, 404, f"no question called {name!r}")
    declared = {p.name for p in catalogue[name].params}
    params = {k: v for k, v in request.query_params.multi_items() if k in declared and v.strip()}
    fmt = request.query_params.get("format", "html")
    if fmt not in ("html", "csv", "tsv", "json"):
        return page_error(server, 406, "format: html, csv, tsv or json")
    try:
        gen = server.generation()
        key = ("canned", name, tuple(sorted(params.items())), fmt)
        payload = await guarded(request, server.results.answer(gen, key, lambda: server.pool.run(
            "canned", gen, name=name, params=params, fmt=fmt, max_rows=server.config.max_rows, site=server.site)))
    except ClientGone:
        return Response(status_code=499)
    except PoolError as exc:
        if fmt != "html":
            return text_error(exc.status, exc.message, cors=True)
        return html(render("canned_error.html", site=server.site, query=catalogue[name], params=params,
                           status=exc.status, message=exc.message, title=_TITLES.get(exc.status, "Erreur")),
                    exc.status)
    return _reply(payload, cors=fmt != "html")


async def editor(request: Request) -> Response:
    server: Server = request.app.state.server
    catalogue = _catalogue()
    text = request.query_params.get("query")
    example = request.query_params.get("example")
    if text is None:
        chosen = catalogue.get(example or "who-funds-what") or next(iter(catalogue.values()))
        text = chosen.text
    examples = [q for q in catalogue.values()]
    return html(render("editor.html", site=server.site, text=text, examples=examples, current=example))


async def search(request: Request) -> Response:
    server: Server = request.app.state.server
    q = request.query_params.get("q", "")[:200]
    try:
        payload = await server.pool.run("search", server.generation(), q=q, site=server.site)
    except PoolError as exc:
        return page_error(server, exc.status, exc.message)
    return _reply(payload)


async def network(request: Request) -> Response:
    """The partner network, whole or around one organisation (it and the organisations it works
    with) or one initiative (the organisations taking part in it or funding it). The network is
    computed once per graph in a process of its own; each page is written (layout) in another."""
    import networkx as nx

    server: Server = request.app.state.server
    rest = request.path_params.get("rest")
    focus = server.config.base + unquote(rest) if rest else None
    gen = server.generation()
    timeout = server.config.batch_timeout

    async def make():
        g, members, labels = await server.pages.get(
            ("cooperation", gen), lambda: server.pool.run_batch("cooperation", gen, timeout))
        title = "Réseau des partenaires"
        if focus is not None:
            if focus in g:
                keep = set(nx.ego_graph(g, focus, radius=1).nodes)
                name = g.nodes[focus].get("label") or focus
            elif focus in members:
                keep = set(members[focus])
                name = labels.get(focus) or focus
            else:
                raise JobFailed(404, f"<{focus}> is neither an organisation nor an initiative of the partner network")
            g = g.subgraph(keep).copy()
            title = f"Réseau autour de {name}"
        return await server.pool.run_batch("network_page", gen, timeout, graph=g, title=title,
                                           max_nodes=server.config.network_max_nodes)

    try:
        body = await server.pages.get(("network", gen, focus), make)
    except PoolError as exc:
        return page_error(server, exc.status, exc.message)
    # no favicon request from the page (its policy allows no image but data: ones)
    body = body.replace(b'<meta charset="utf-8">', b'<meta charset="utf-8">\n' + FAVICON_LINK, 1)
    return Response(body, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": NETWORK_CSP, "X-Content-Type-Options": "nosniff",
                             "Referrer-Policy": "no-referrer"})


async def healthz(request: Request) -> Response:
    server: Server = request.app.state.server
    return JSONResponse({"status": "ok", "graph": server.gen_tag(server.generation()),
                         "uptime_s": round(time.time() - server.started, 1), "limits": {
                             "timeout_s": server.config.timeout, "max_rows": server.config.max_rows,
                             "updates": bool(server.config.update_token)},
                         "pool": server.pool.describe(), "cache": server.results.describe()})


async def favicon(request: Request) -> Response:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


async def not_found(request: Request, exc) -> Response:
    server: Server = request.app.state.server
    status = getattr(exc, "status_code", 404)
    if request.url.path.startswith("/sparql"):
        return text_error(status, "not found")
    return page_error(server, status, "cette page n'existe pas" if status == 404 else "méthode non permise")


async def internal_error(request: Request, exc: Exception) -> Response:
    import traceback

    print(f"maillage serve: {request.method} {request.url.path} failed:", file=sys.stderr)
    traceback.print_exception(exc, file=sys.stderr)
    return text_error(500, "internal error (logged by the server)")


def create_app(config: ServerConfig) -> Starlette:
    server = Server(config)
    routes = [
        Route("/", home),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST", "OPTIONS"]),
        Route("/query/{name}", canned),
        Route("/editor", editor),
        Route("/search", search),
        Route("/id/{rest:path}", entity),
        Route("/resource", resource),
        Route("/network", network),
        Route("/network/{rest:path}", network),
        Route("/.well-known/void", void),
        Route("/download/maillage.{ext}", download),
        Route("/healthz", healthz),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=server.lifespan,
                    exception_handlers={404: not_found, 405: not_found, Exception: internal_error})
    app.state.server = server
    return app
