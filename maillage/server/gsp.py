"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graphs/service`` (indirect identification:
``?graph=IRI`` for a named graph, ``?default`` for the store's default graph).

- GET / HEAD: the graph (Turtle, N-Triples, JSON-LD or RDF/XML), for everyone; 404 if no such graph;
- PUT: replace it (201 if it was created, 204 if replaced), POST: add to it (201 / 204),
  DELETE: drop it (204, 404 if no such graph) — with the update token, like SPARQL Update;
- POST to the service itself (no graph parameter, §5.5): a new graph, named under the base
  (``…/graph/posted-<32 hex>``), 201 with its address in ``Location``
  (``/rdf-graphs/service?graph=<IRI, percent-encoded>``) and its IRI in the body;
- 400 for a bad or missing graph parameter or an RDF body that does not parse, 415 for a body in
  a format not read here, 403 without the token.

Each write is one SPARQL Update (DROP / CREATE / INSERT DATA) run by the worker's update job:
applied whole or not at all, and treated as any other update (the same lock, caches, log).

The default graph here is the store's own default graph (empty after a build; written by updates
without GRAPH), not the union of all graphs a query sees by default.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl, quote

from starlette.requests import Request
from starlette.responses import Response

from maillage.model import mint
from maillage.server import protocol
from maillage.server.errors import Refused
from maillage.server.pool import PoolError
from maillage.server.responses import CORS, ClientGone, guarded, reply, text_error
from maillage.store import endpoint

PATH = "/rdf-graphs/service"
MAX_BODY_BYTES = 64 * 1024 * 1024
METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"]
BODY_FORMATS = endpoint.BODY_MEDIA_TYPES   # request bodies read here, by media type


NEW = object()   # a POST to the service itself: a graph the server names (§5.5)


def _target(request: Request) -> str | None:
    """The graph named by the request: an IRI, None for the default graph, NEW for a POST that
    names none."""
    pairs = parse_qsl(request.url.query, keep_blank_values=True)
    graphs = [v for k, v in pairs if k == "graph"]
    default = any(k == "default" for k, _ in pairs)
    if len(graphs) > 1 or (graphs and default):
        raise protocol.ProtocolError(400, "name one graph: either graph=IRI or default")
    if not graphs and not default:
        if request.method == "POST":
            return NEW
        raise protocol.ProtocolError(400, f"name the graph: {PATH}?graph=IRI or {PATH}?default")
    if graphs:
        try:
            endpoint.check_iri(graphs[0])
        except ValueError as exc:
            raise protocol.ProtocolError(400, f"graph={graphs[0]!r} is not an IRI ({exc})") from None
        return graphs[0]
    return None


async def graph_store(request: Request) -> Response:
    server = request.app.state.server
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={**CORS, "Allow": ", ".join(METHODS),
                                                  "Access-Control-Allow-Methods": ", ".join(METHODS),
                                                  "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization"})
    try:
        graph = _target(request)
        if request.method in ("GET", "HEAD"):
            return await _read(server, request, graph)
        if not server.token_ok(request):
            return text_error(403, "Graph Store writes need the server's update token ('Authorization: Bearer TOKEN'; "
                                   "`maillage serve --update-token …`)", cors=True)
        if graph is NEW:
            graph = mint("graph", f"posted-{uuid.uuid4().hex}", base=server.config.base)
        return await _write(server, request, graph)
    except protocol.ProtocolError as exc:
        return text_error(exc.status, exc.message, cors=True)
    except ClientGone:
        return Response(status_code=499)
    except PoolError as exc:
        return text_error(exc.status, exc.message, cors=True)


async def _read(server, request: Request, graph: str | None) -> Response:
    fmt = protocol.negotiate_document(request.headers.get("accept"), request.query_params.get("format"))
    if fmt == "html":
        fmt = "ttl"
    if fmt is None:
        return text_error(406, "a graph is given as Turtle, N-Triples, JSON-LD or RDF/XML", cors=True)
    gen = server.generation()
    payload = await guarded(request, server.pool.run("gsp_get", gen, graph=graph, fmt=fmt,
                                                      max_rows=server.config.max_rows))
    response = reply(payload, cors=True, extra={"Vary": "Accept"})
    if request.method == "HEAD":
        response.body = b""
    return response


async def _write(server, request: Request, graph: str | None) -> Response:
    data, fmt = b"", None
    if request.method in ("PUT", "POST"):
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        fmt = media if media in BODY_FORMATS else None
        if fmt is None:
            return text_error(415, "send the graph as " + ", ".join(sorted(BODY_FORMATS)), cors=True)
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                return text_error(413, f"the body is longer than {MAX_BODY_BYTES:,} bytes", cors=True)
            chunks.append(chunk)
        data = b"".join(chunks)
    result = await server.apply_update("gsp_write", method=request.method, graph=graph, data=data,
                                       media=fmt, base_iri=server.base_iri)
    if result["status"] == 404:
        return text_error(404, f"no graph <{graph}> in the store", cors=True)
    headers = {**CORS}
    if result["status"] == 201:
        headers["Location"] = address(graph)
        return Response(f"created <{graph}>\n" if graph else "created the default graph\n", status_code=201,
                        headers=headers, media_type="text/plain; charset=utf-8")
    return Response(status_code=result["status"], headers=headers)


def address(graph: str | None) -> str:
    """Where the Graph Store serves ``graph`` (None: the default graph)."""
    return f"{PATH}?graph={quote(graph, safe='')}" if graph else f"{PATH}?default"


# ---------------------------------------------------------------- in the worker

def job_gsp_get(state, gen, *, graph: str | None, fmt: str, max_rows: int):
    from maillage.server import results as R
    from maillage.server.protocol import MEDIA_TYPE

    store = state.store(gen)
    if not endpoint.has_graph(store, graph):
        raise Refused(404, f"no graph <{graph}> in the store")
    triples = R.take(endpoint.graph_triples(store, graph), max_rows, "triples")
    return 200, MEDIA_TYPE[fmt], R.graph_bytes(triples, fmt), {}


def job_gsp_write(state, gen, *, method: str, graph: str | None, data: bytes, media: str | None,
                  base_iri: str | None):
    """One write as one SPARQL Update, run by the worker's update job."""
    from maillage.server.worker import job_update

    store = state.store(gen)
    target = f"GRAPH {endpoint.check_iri(graph)}" if graph else "DEFAULT"
    existed = endpoint.has_graph(store, graph)
    if method == "DELETE":
        if not existed:
            return {"status": 404}
        job_update(state, gen, text=f"DROP {target}", generated=True)
        return {"status": 204}
    try:
        triples = endpoint.parse_triples(data, media, base_iri=graph or base_iri)
    except ValueError as exc:
        raise Refused(400, f"the body does not parse as {media}: {exc}") from None
    ops = []
    if method == "PUT":
        ops.append(f"DROP SILENT {target}")
    if graph:
        ops.append(f"CREATE SILENT {target}")
    if triples:
        body = endpoint.ntriples(triples)
        ops.append(f"INSERT DATA {{ {target} {{ {body} }} }}" if graph else f"INSERT DATA {{ {body} }}")
    job_update(state, gen, text=" ;\n".join(ops), generated=True)
    return {"status": 204 if existed else 201}


JOBS = {"gsp_get": job_gsp_get, "gsp_write": job_gsp_write}
