"""The map of France (/carte): initiatives and known money per département and région, under the
search's filters (theme, kind of body, year), drawn by maillage.viz.map as pure SVG (no script);
its stylesheet at /carte.css. Figures from maillage.territory_map (the query layer)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maillage.server.errors import Refused
from maillage.server.pages import render
from maillage.server.pool import PoolError
from maillage.server.responses import html, page_error

FILTERS = ("theme", "kind", "year")
_CHOICES: dict = {}


def job_map(state, gen, *, chosen: dict[str, str], niveau: str, mesure: str, site) -> bytes:
    from maillage.store.base import QueryError
    from maillage.territory_map import Filters, choices, figures_by_level
    from maillage.viz.map import fragment

    store = state.wrapped(gen)
    try:
        by_level = figures_by_level(store, Filters(**chosen))
    except QueryError as exc:
        raise Refused(400, exc.fr) from None
    key = (str(state.store_dir), gen)
    if key not in _CHOICES:          # the filters' values depend on the graph only: once per graph and worker
        _CHOICES.clear()
        _CHOICES[key] = choices(store)
    form = {"choices": _CHOICES[key], "chosen": chosen}
    body = fragment(by_level, lambda uri: site.href(uri), niveau=niveau, mesure=mesure, form=form)
    return render("carte.html", site=site, body=body, filtered=any(chosen.values()))


async def carte(request: Request) -> Response:
    server = request.app.state.server
    chosen = {f: request.query_params.get(f, "")[:200].strip() for f in FILTERS}
    niveau = request.query_params.get("niveau", "departement")[:20]
    mesure = request.query_params.get("mesure", "nombre")[:20]
    from maillage.territory_map import LEVELS, MEASURES

    for name, value, known in (("niveau", niveau, LEVELS), ("mesure", mesure, MEASURES)):
        if value not in known:        # it fell back to the default without a word
            return page_error(server, 400, f"« {value} » : « {name} » vaut {' ou '.join(known)}")
    gen = server.generation()
    key = ("carte", gen, tuple(sorted(chosen.items())), niveau, mesure)
    try:
        body = await server.pages.get(key, lambda: server.pool.run("map", gen, chosen=chosen, niveau=niveau,
                                                                   mesure=mesure, site=server.site))
    except PoolError as exc:
        return page_error(server, exc.status, exc.message)
    return html(body)


async def stylesheet(request: Request) -> Response:
    from maillage.viz.map import stylesheet as css

    return Response(css(), media_type="text/css; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})


ROUTES = [Route("/carte", carte), Route("/carte.css", stylesheet)]
JOBS = {"map": job_map}
