"""Search: find a thing by its name."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maillage import query
from maillage.server import results as R
from maillage.server.pages import render
from maillage.server.pool import PoolError
from maillage.server.responses import page_error, reply
from maillage.server.views.common import TYPE_LABELS, local_name


def job_search(state, gen, *, q: str, site, limit: int = 200):
    from rdflib import Literal

    store = state.wrapped(gen)
    wanted = query.normalise(q)
    hits = []
    if wanted:
        rows = [r for r in query.select(store, "search-labels", {"base": Literal(state.base)}).rows
                if wanted in query.normalise(r["name"])]
        rows.sort(key=lambda r: (len(r["name"]), r["name"]))
        hits = [{"label": r["name"], "href": site.href(r["s"]), "type": TYPE_LABELS.get(r["type"], local_name(r["type"]))}
                for r in rows[:limit]]
    return 200, R.MEDIA_TYPE_HTML, render("search.html", site=site, q=q, hits=hits), {}


async def search(request: Request) -> Response:
    server = request.app.state.server
    q = request.query_params.get("q", "")[:200]
    try:
        payload = await server.pool.run("search", server.generation(), q=q, site=server.site)
    except PoolError as exc:
        return page_error(server, exc.status, exc.message)
    return reply(payload)


ROUTES = [Route("/search", search)]
JOBS = {"search": job_search}
