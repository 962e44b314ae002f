"""The dataset: its VoID / DCAT description (/.well-known/void) and the dumps (/download/…),
written by the same export function as `maillage export`."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from maillage.server import describe, protocol
from maillage.server.pages import render
from maillage.server.pool import PoolError
from maillage.server.responses import CORS, html, text_error
from maillage.store import StoreMissing, read_meta


def job_dump(state, gen, *, fmt: str, path: str):
    """A whole-graph dump written to ``path`` by maillage.export.export_rdf, the function
    `maillage export` calls: the same graph, literals spelt alike."""
    from maillage.export import export_rdf

    store = state.wrapped(gen)
    tmp = Path(path).with_suffix(".part")
    tmp.write_bytes(export_rdf(store.nquads(), fmt, state.base))
    os.replace(tmp, path)
    return os.path.getsize(path)


async def void(request: Request) -> Response:
    server = request.app.state.server
    fmt = protocol.negotiate_document(request.headers.get("accept"), request.query_params.get("format"))
    if fmt is None:
        return text_error(406, "the VoID description is given as Turtle, N-Triples, JSON-LD or RDF/XML", cors=True)
    try:
        stats = await server.get_stats()
    except PoolError as exc:
        return text_error(exc.status, exc.message, cors=True)
    stats = dict(stats, **dates(server))
    if fmt == "html":           # a page for browsers; VoID/DCAT for machines
        return html(render("dataset.html", site=server.site, stats=stats, public=server.public_url(request),
                           config=server.config, dumps=describe.DUMPS))
    triples = describe.void_description(server.config, server.public_url(request), stats)
    media = "text/turtle; charset=utf-8" if fmt == "ttl" else protocol.MEDIA_TYPE[fmt]
    return Response(describe.serialize(triples, fmt, server.config.base), media_type=media,
                    headers={**CORS, "Vary": "Accept"})


def dates(server) -> dict:
    """When the graph was built (created) and last changed (modified: the build, or an update)."""
    try:
        built = read_meta(server.config.store_dir).get("built")
    except (StoreMissing, OSError, ValueError):
        built = None
    modified = built
    if server.updates and server.last_update:
        modified = server.last_update
    return {"created": built, "modified": modified}


async def download(request: Request) -> Response:
    server = request.app.state.server
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


ROUTES = [Route("/.well-known/void", void), Route("/download/maillage.{ext}", download)]
JOBS = {"dump": job_dump}
