"""Initiatives like mine (issue 16 item 3): ``/semblables?initiative=…`` (a name, another name or a
URI), the block of an initiative's page (its 5 most similar), and the rows as CSV or JSON: the
same as ``maillage similar NAME`` (maillage.similar)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maillage import output, query, similar as sim
from maillage.server import results as R
from maillage.server.errors import Refused
from maillage.server.pages import render
from maillage.server.responses import answer_job, page_error
from maillage.store import QueryResult

BLOCK_SIZE, PAGE_SIZE = 5, 20


def _items(matches, site) -> list[dict]:
    return [{"rank": i, "name": m.name, "href": site.href(m.uri), "score": round(m.score), "reasons": m.reasons,
             "similar": "/semblables?" + urlencode({"initiative": m.uri})} for i, m in enumerate(matches, start=1)]


def entity_block(store, uri: str, site) -> dict:
    """The similar-initiatives block of an initiative's page."""
    return {"items": _items(sim.similar(store, uri, BLOCK_SIZE), site),
            "more": "/semblables?" + urlencode({"initiative": uri})}


def job_similar(state, gen, *, initiative: str, fmt: str, site):
    store = state.wrapped(gen)
    if not initiative:
        if fmt != "html":
            raise Refused(400, "indiquez une initiative : /semblables?initiative=…")
        names = [r["name"] for r in query.select(store, "choices-initiatives").rows]
        return 200, R.MEDIA_TYPE_HTML, render("similar.html", site=site, asked="", label=None, items=[], names=names,
                                              method=sim.METHOD, uri=None, downloads=None), {}
    try:
        uri = sim.resolve(store, initiative)
        matches = sim.similar(store, uri, PAGE_SIZE)
    except query.QueryError as exc:
        raise Refused(404 if "aucun résultat" in exc.fr else 400, exc.fr) from None
    except ValueError:                 # a value the store will not take as an IRI (its reason is in English)
        raise Refused(400, "une valeur donnée n'est pas valable (un caractère interdit ?)") from None
    if fmt in ("csv", "json"):
        result = QueryResult(list(sim.COLUMNS), [m.row(i) for i, m in enumerate(matches, start=1)])
        body = output.to_csv(result) if fmt == "csv" else output.to_json(result)
        return 200, "text/csv; charset=utf-8" if fmt == "csv" else "application/json", body.encode("utf-8"), {}
    from maillage.server.views.common import labels_of

    label = labels_of(store, {uri}).get(uri, initiative)
    q = urlencode({"initiative": initiative})
    return 200, R.MEDIA_TYPE_HTML, render("similar.html", site=site, asked=initiative, label=label, uri=site.href(uri),
                                          items=_items(matches, site), method=sim.METHOD, names=[],
                                          downloads={"csv": f"?{q}&format=csv", "json": f"?{q}&format=json"}), {}


async def page(request: Request) -> Response:
    server = request.app.state.server
    fmt = request.query_params.get("format", "html")
    if fmt not in ("html", "csv", "json"):
        return page_error(server, 406, "formats : html, csv ou json")
    initiative = request.query_params.get("initiative", "").strip()[:500]
    return await answer_job(request, server, ("similar", initiative, fmt), "similar", fmt,
                            initiative=initiative, site=server.site)


ROUTES = [Route("/semblables", page)]
JOBS = {"similar": job_similar}
