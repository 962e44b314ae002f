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
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from maillage.server import describe, gsp, http, protocol, views
from maillage.server.cache import ResultCache, _Once
from maillage.server.config import MAX_QUERY_BYTES, ServerConfig
from maillage.server.pages import STATIC, Site
from maillage.server.pool import JobFailed, PoolError, WorkerPool
from maillage.server.responses import CORS, ClientGone, guarded, page_error, reply, text_error
from maillage.store import META_FILE


class Server:
    def __init__(self, config: ServerConfig):
        self.config = config
        self.site = Site(config.base, config.timeout, config.max_rows, bool(config.update_token),
                         str(config.corpus_dir) if config.corpus_dir else None)
        self.pool = WorkerPool(config.store_dir, config.base, size=config.workers, timeout=config.timeout,
                               memory_mb=config.memory_mb)
        self.updates = 0
        self.last_update: str | None = None       # when the last SPARQL Update changed the graph (ISO time)
        self.cache_dir: Path | None = None
        self.stats = _Once(4)
        self.pages = _Once(64)
        self.dumps = _Once(8)
        self.write_lock = asyncio.Lock()
        self.results = ResultCache(config.cache_mb * 1024 * 1024)
        self.base_iri = protocol.service_iri(config.public_url, config.host, config.port)
        self.started = time.time()

    # ------------------------------------------------------------ life cycle

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        self.cache_dir = Path(tempfile.mkdtemp(prefix="maillage-serve-"))
        await self.pool.start()
        await self.search_index()       # before the first request: a search never builds it
        try:
            yield
        finally:
            await self.pool.close()
            shutil.rmtree(self.cache_dir, ignore_errors=True)

    async def search_index(self) -> None:
        """Make the search index beside the store current (maillage.search), in a process of its
        own; its progress goes to stderr. Without a graph there is nothing to index."""
        if not (Path(self.config.store_dir) / META_FILE).exists():
            return
        try:
            await self.pool.run_batch("search-index", self.generation(), self.config.batch_timeout)
        except PoolError as exc:
            print(f"maillage serve: the search index could not be written ({exc.message}); "
                  "each worker builds it in memory at its first search", file=sys.stderr, flush=True)

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
        """Never a Host the server was not told about (--public-url, --allowed-host)."""
        return http.public_url(self.config, request.url.scheme, request.headers.get("host", ""))

    async def apply_update(self, job: str, **kwargs) -> Any:
        """Run a write job (SPARQL Update, a Graph Store write) alone in a writable worker, then
        let every cache go."""
        async with self.write_lock:
            try:
                return await self.pool.run_batch(job, self.generation(), self.config.timeout, writable=True, **kwargs)
            finally:
                await self.search_index()  # before the new generation is seen: no search waits for it
                self.updates += 1        # workers reopen the store; caches are per generation
                self.last_update = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
                self.pages.clear()
                self.stats.clear()
                self.results.clear()

    def token_ok(self, request: Request) -> bool:
        token = self.config.update_token
        if not token:
            return False
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(value.strip().encode("utf-8"), token.encode("utf-8"))


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
    except protocol.ProtocolError as exc:
        return text_error(exc.status, exc.message, cors=True)
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
            protocol.check_charset(request.headers.get("content-type"))
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
        dataset = protocol.update_dataset(update, params.all("using-graph-uri"), params.all("using-named-graph-uri"))
        return await _update(server, request, update, dataset)
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
    dataset = protocol.query_dataset(params.all("default-graph-uri"), params.all("named-graph-uri"))
    key = ("sparql", query, wanted.select, wanted.graph, dataset)
    payload = await guarded(request, server.results.answer(gen, key, lambda: server.pool.run(
        "sparql", gen, text=query, select_fmt=wanted.select, graph_fmt=wanted.graph,
        max_rows=server.config.max_rows, default_graphs=list(dataset.default), named_graphs=list(dataset.named),
        base_iri=server.base_iri, site=server.site)))
    return reply(payload, cors=True, extra={"Vary": "Accept"})


def _update_refusal(server: Server) -> str:
    if server.config.update_token:
        return ("SPARQL Update refused: send the server's update token as 'Authorization: Bearer TOKEN'")
    return "SPARQL Update refused: this endpoint is read-only (start `maillage serve --update-token …` to allow updates)"


async def _update(server: Server, request: Request, text: str, dataset: protocol.RequestDataset | None = None) -> Response:
    dataset = dataset or protocol.RequestDataset()
    if not server.token_ok(request):
        return text_error(403, _update_refusal(server))
    if request.method != "POST":
        raise JobFailed(400, "an update is sent by POST")
    counts = await server.apply_update("update", text=text, using=list(dataset.default),
                                       using_named=list(dataset.named), base_iri=server.base_iri)
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
    headers = dict(getattr(exc, "headers", None) or {})      # a 405 carries Allow (RFC 9110 §15.5.6)
    if request.url.path.startswith(("/sparql", "/rdf-graphs")):
        return text_error(status, "not found" if status == 404 else
                          f"method {request.method} not allowed here (allowed: {headers.get('Allow', '')})",
                          headers=headers)
    response = page_error(server, status, "cette page n'existe pas" if status == 404 else "méthode non permise")
    response.headers.update(headers)
    return response


async def internal_error(request: Request, exc: Exception) -> Response:
    import traceback

    print(f"maillage serve: {request.method} {request.url.path} failed:", file=sys.stderr)
    traceback.print_exception(exc, file=sys.stderr)
    return text_error(500, "internal error (logged by the server)")


def create_app(config: ServerConfig) -> Starlette:
    server = Server(config)
    routes = [
        Route("/sparql", sparql_endpoint, methods=["GET", "POST", "OPTIONS"]),
        Route(gsp.PATH, gsp.graph_store, methods=gsp.METHODS),
        *views.routes(),
        Route("/healthz", healthz),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=server.lifespan,
                    exception_handlers={404: not_found, 405: not_found, Exception: internal_error})
    app.state.server = server
    return app
