"""The home page: what the graph holds, and the canned questions as forms. Its figures also feed
the service description and the VoID page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maillage import query
from maillage.server.pages import render
from maillage.server.pool import PoolError
from maillage.server.responses import html, page_error

QUESTION_ORDER = ("who-funds-what", "funders-of", "funded-by", "partnerships", "partners-of", "initiatives-in",
                  "co-funders", "funding-totals")
CHOICES = {"organisation": "choices-organisations", "funder": "choices-funders", "initiative": "choices-initiatives",
           "territory": "choices-territories", "theme": "choices-themes", "role": "choices-roles"}


def choices(store) -> dict[str, list[str]]:
    """Values offered in the question forms (datalists)."""
    return {key: [r["name"] for r in query.select(store, name).rows] for key, name in CHOICES.items()}


def job_stats(state, gen) -> dict:
    """Figures for the home page, the service description and VoID."""
    store = state.wrapped(gen)
    counts = query.select(store, "counts").rows[0]
    graphs = query.select(store, "graphs").rows
    example = query.select(store, "example").rows
    return {"triples": len(store), "organisations": counts["organisations"], "initiatives": counts["initiatives"],
            "fundings": counts["fundings"], "with_amount": counts["with_amount"] or 0,
            # no known amount is no total (SUM over nothing is 0 in SPARQL): never "0 €"
            "amount": counts["total"] if counts["with_amount"] else None,
            "graphs": [(r["g"], r["n"]) for r in graphs], "example": example[0]["s"] if example else None}


def canned_questions() -> list:
    order = {name: i for i, name in enumerate(QUESTION_ORDER)}
    return sorted((q for q in query.catalogue().values() if q.name != "stats"),
                  key=lambda q: (order.get(q.name, len(order)), q.name))


def job_home(state, gen, *, site, public: str) -> bytes:
    stats = job_stats(state, gen)
    example = site.href(stats["example"]) if stats.get("example") else None
    return render("home.html", site=site, stats=stats, queries=canned_questions(), choices=choices(state.wrapped(gen)),
                  public=public, example=example)


async def home(request: Request) -> Response:
    server = request.app.state.server
    public = server.public_url(request)
    gen = server.generation()
    try:
        body = await server.pages.get(("home", gen, public), lambda: server.pool.run(
            "home", gen, site=server.site, public=public))
    except PoolError as exc:
        return page_error(server, exc.status, exc.message)
    return html(body)


ROUTES = [Route("/", home)]
JOBS = {"stats": job_stats, "home": job_home}
