"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graphs/service`` (indirect identification:
``?graph=IRI`` for a named graph, ``?default`` for the store's default graph).

- GET / HEAD: the graph (Turtle, N-Triples, JSON-LD or RDF/XML), for everyone; 404 if no such graph;
- PUT: replace it (201 if it was created, 204 if replaced), POST: add to it (201 / 204),
  DELETE: drop it (204, 404 if no such graph) — with the update token, like SPARQL Update;
- 400 for a bad or missing graph parameter or an RDF body that does not parse, 415 for a body in
  a format not read here, 403 without the token.

Each write is one SPARQL Update (DROP / CREATE / INSERT DATA) run by the worker's update job:
applied whole or not at all, and treated as any other update (the same lock, caches, log).

The default graph here is the store's own default graph (empty after a build; written by updates
without GRAPH), not the union of all graphs a query sees by default.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from maillage.server import protocol
from maillage.server.errors import Refused
from maillage.server.pool import PoolError
from maillage.server.responses import CORS, ClientGone, guarded, reply, text_error

PATH = "/rdf-graphs/service"
MAX_BODY_BYTES = 64 * 1024 * 1024
METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"]
# request bodies read here (media type -> pyoxigraph format)
BODY_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/n3": ox.RdfFormat.N3, "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def _target(request: Request) -> str | None:
    """The graph named by the request: an IRI, or None for the default graph."""
    pairs = parse_qsl(request.url.query, keep_blank_values=True)
    graphs = [v for k, v in pairs if k == "graph"]
    default = any(k == "default" for k, _ in pairs)
    if len(graphs) > 1 or (graphs and default):
        raise protocol.ProtocolError(400, "name one graph: either graph=IRI or default")
    if not graphs and not default:
        raise protocol.ProtocolError(400, f"name the graph: {PATH}?graph=IRI or {PATH}?default")
    if graphs:
        try:
            ox.NamedNode(graphs[0])
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
        fmt = BODY_FORMATS.get(media)
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
                                       media=fmt.media_type if fmt else None, base_iri=server.base_iri)
    if result["status"] == 404:
        return text_error(404, f"no graph <{graph}> in the store", cors=True)
    headers = {**CORS}
    if result["status"] == 201:
        headers["Location"] = f"{PATH}?graph={graph}" if graph else f"{PATH}?default"
    return Response(status_code=result["status"], headers=headers)


# ---------------------------------------------------------------- in the worker

def job_gsp_get(state, gen, *, graph: str | None, fmt: str, max_rows: int):
    from maillage.server import results as R

    store = state.store(gen)
    name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    if graph and not store.contains_named_graph(name):
        raise Refused(404, f"no graph <{graph}> in the store")
    triples = R.take((q.triple for q in store.quads_for_pattern(None, None, None, name)), max_rows, "triples")
    from maillage.server.protocol import MEDIA_TYPE

    return 200, MEDIA_TYPE[fmt], R.graph_bytes(triples, fmt), {}


def job_gsp_write(state, gen, *, method: str, graph: str | None, data: bytes, media: str | None,
                  base_iri: str | None):
    """One write as one SPARQL Update, run by the worker's update job."""
    from maillage.server.worker import job_update

    store = state.store(gen)
    target = f"GRAPH {ox.NamedNode(graph)}" if graph else "DEFAULT"
    existed = store.contains_named_graph(ox.NamedNode(graph)) if graph else True
    if method == "DELETE":
        if not existed:
            return {"status": 404}
        job_update(state, gen, text=f"DROP {target}")
        return {"status": 204}
    try:
        fmt = ox.RdfFormat.from_media_type(media)
        triples = [q.triple for q in ox.parse(data, format=fmt, base_iri=graph or base_iri)]
    except (SyntaxError, ValueError) as exc:
        raise Refused(400, f"the body does not parse as {media}: {exc}") from None
    ops = []
    if method == "PUT":
        ops.append(f"DROP SILENT {target}")
    if graph:
        ops.append(f"CREATE SILENT {target}")
    if triples:
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        ops.append(f"INSERT DATA {{ {target} {{ {body} }} }}" if graph else f"INSERT DATA {{ {body} }}")
    job_update(state, gen, text=" ;\n".join(ops))
    return {"status": 204 if existed else 201}


JOBS = {"gsp_get": job_gsp_get, "gsp_write": job_gsp_write}
