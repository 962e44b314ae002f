"""Fundings by year (issue 16 item 2): the national view ``/annees`` (filters: financeur,
bénéficiaire, territoire, thème), the block the funder, recipient, territory and theme pages show,
and the same rows as CSV or JSON. The rule that places a funding in time is maillage.timeline's,
said on the page; the undated fundings are always counted beside the years."""

from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maillage import output, query, timeline
from maillage.server import results as R
from maillage.server.charts import years as years_chart
from maillage.server.errors import Refused
from maillage.server.pages import render
from maillage.server.responses import answer_job, page_error
from maillage.server.views.common import labels_of
from maillage.store import QueryResult

# the page's parameters (French) -> maillage.timeline's filters
FIELDS = {"financeur": "funder", "beneficiaire": "recipient", "territoire": "territory", "theme": "theme"}
DETAIL_ROWS = 500          # the page lists at most this many funding-years; the CSV has them all
FIELD_LABELS = {"financeur": "Financeur", "beneficiaire": "Bénéficiaire (initiative ou organisme)",
                "territoire": "Territoire", "theme": "Thème"}


def _chart_input(tl: timeline.Timeline) -> tuple[list[dict], dict]:
    tallies = [{"label": t.label, "fundings": t.fundings, "without_amount": t.without_amount, "amount": t.amount}
               for t in tl.years]
    u = tl.undated
    return tallies, {"fundings": u.fundings, "without_amount": u.without_amount, "amount": u.amount}


def block(store, title: str, link_params: dict[str, str], **scope: str | None) -> dict:
    """What a page shows of its fundings by year: the chart, the figures, the undated count and a
    link to the full view (``link_params``: the /annees parameters that give the same scope)."""
    tl = timeline.timeline(store, **scope)
    tallies, undated = _chart_input(tl)
    return {"timeline": tl, "svg": Markup(years_chart(tallies, title, undated)) if tl.years else None,
            "rule": timeline.RULE, "title": title, "href": "/annees?" + urlencode(link_params)}


def job_years(state, gen, *, given: dict[str, str], fmt: str, detail: bool, site):
    store = state.wrapped(gen)
    try:
        scope = timeline.resolve_scope(store, {FIELDS[k]: v for k, v in given.items()})
        tl = timeline.timeline(store, **scope)
    except query.QueryError as exc:
        raise Refused(400, exc.fr) from None
    except ValueError:                 # a value the store will not take as an IRI (its reason is in English)
        raise Refused(400, "une valeur donnée n'est pas valable (un caractère interdit ?)") from None
    if fmt in ("csv", "json"):
        result = (QueryResult(list(tl.DETAIL_COLUMNS), tl.detail) if detail
                  else QueryResult(list(tl.COLUMNS), tl.rows()))
        body = output.to_csv(result) if fmt == "csv" else output.to_json(result)
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        return 200, media, body.encode("utf-8"), {}
    labels = labels_of(store, set(scope.values()))
    scoped = [{"field": FIELD_LABELS[k], "text": labels.get(scope[FIELDS[k]], given[k]), "href": site.href(scope[FIELDS[k]])}
              for k in FIELDS if FIELDS[k] in scope]
    tallies, undated = _chart_input(tl)
    title = "Financements par année" + (" — " + " ; ".join(s["text"] for s in scoped) if scoped else " — toute la France")
    context = {"site": site, "tl": tl, "scoped": scoped, "given": given, "fields": FIELD_LABELS, "rule": timeline.RULE,
               "svg": Markup(years_chart(tallies, title, undated)) if tl.years else None, "title": title,
               "query": urlencode(given), "detail": tl.detail[:DETAIL_ROWS], "detail_rows": DETAIL_ROWS,
               "href": {r["funding"]: site.href(r["funding"]) for r in tl.detail[:DETAIL_ROWS]}}
    return 200, R.MEDIA_TYPE_HTML, render("years.html", **context), {}


async def page(request: Request) -> Response:
    server = request.app.state.server
    params = request.query_params
    fmt = params.get("format", "html")
    if fmt not in ("html", "csv", "json"):
        return page_error(server, 406, "formats : html, csv ou json")
    given = {k: params[k].strip()[:300] for k in FIELDS if params.get(k, "").strip()}
    detail = params.get("detail", "") in ("oui", "1", "yes")
    return await answer_job(request, server, ("years", tuple(sorted(given.items())), fmt, detail), "years", fmt,
                            given=given, detail=detail, site=server.site)


ROUTES = [Route("/annees", page)]
JOBS = {"years": job_years}


def entity_block(store, ctx: dict, uri: str) -> dict | None:
    """The fundings-by-year block of a territory or theme page (None for other things, or when
    nothing is funded there)."""
    from maillage.model import THEME

    if ctx.get("is_territory"):
        b = block(store, "Financements par année sur ce territoire", {"territoire": uri}, territory=uri)
    elif ctx.get("concept") is not None and uri.startswith(THEME):
        b = block(store, "Financements par année sous ce thème", {"theme": uri}, theme=uri)
    else:
        return None
    return b if b["timeline"].fundings else None
