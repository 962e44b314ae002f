"""Funder and recipient pages, in the manner of 360Giving's GrantNav: totals given alone and
jointly, number of fundings and the share with a known amount, then by year, theme, territory and
kind of recipient, each with a chart drawn on the server, and the rows as CSV or JSON.

A joint funding counts whole and once, in the joint column of each of its funders; an unknown
amount is counted as unknown, never as 0."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from urllib.parse import unquote

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maillage import output, query
from maillage.server import results as R
from maillage.server.charts import bars
from maillage.server.errors import Refused
from maillage.server.pages import render
from maillage.server.responses import answer_job, page_error
from maillage.server.views.common import labels_of
from maillage.store import QueryResult

ROLES = {"financeur": "funder", "beneficiaire": "recipient"}
NOT_GIVEN = {"year": "année non précisée", "themes": "thème non précisé", "regions": "territoire non précisé",
             "departements": "territoire non précisé", "kind": "type non précisé"}


def _group(rows: list[dict], key) -> list[dict]:
    """Rows grouped by ``key(row)`` (a list of labels: a funding with two themes counts in both)."""
    groups: OrderedDict[str, dict] = OrderedDict()
    for r in rows:
        for label in key(r):
            g = groups.setdefault(label, {"label": label, "count": 0, "unknown": 0, "alone": None, "joint": None})
            g["count"] += 1
            if r["amount_eur"] is None:
                g["unknown"] += 1
            else:
                side = "joint" if r["funders"] > 1 else "alone"
                g[side] = (g[side] or Decimal(0)) + Decimal(str(r["amount_eur"]))
    known = lambda g: (g["alone"] or 0) + (g["joint"] or 0)
    return sorted(groups.values(), key=lambda g: (-known(g), -g["count"], g["label"]))


def _parts(value, missing: str) -> list[str]:
    parts = [p.strip() for p in value.split(" ; ") if p.strip()] if isinstance(value, str) else []
    return parts or [missing]


def summary(rows: list[dict]) -> dict:
    known = [r for r in rows if r["amount_eur"] is not None]
    alone = [Decimal(str(r["amount_eur"])) for r in known if r["funders"] == 1]
    joint = [Decimal(str(r["amount_eur"])) for r in known if r["funders"] > 1]
    return {"count": len(rows), "known": len(known), "unknown": len(rows) - len(known),
            "share": round(100 * len(known) / len(rows)) if rows else 0,
            "alone": sum(alone) if alone else None, "joint": sum(joint) if joint else None,
            "joint_count": sum(1 for r in rows if r["funders"] > 1)}


def specs(role: str) -> list[tuple]:
    """(key, title, groups of a row) of each breakdown of a funder's or a recipient's page (by
    year: the years block, maillage.server.views.years)."""
    specs = [("theme", "Par thème (un financement compte sous chacun de ses thèmes)", lambda r: _parts(r["themes"], NOT_GIVEN["themes"])),
             ("region", "Par région", lambda r: _parts(r["regions"], NOT_GIVEN["regions"])),
             ("departement", "Par département", lambda r: _parts(r["departements"], NOT_GIVEN["departements"]))]
    if role == "funder":
        specs.append(("kind", "Par type de bénéficiaire (le porteur de l'initiative quand le bénéficiaire n'est pas nommé)",
                      lambda r: [r["recipient_kind"] or r["pilot_kind"] or NOT_GIVEN["kind"]]))
    else:
        specs.append(("funder", "Par financeur", lambda r: _parts(r["funder"], "financeur non précisé")))
        specs.append(("funder-kind", "Par type de financeur (un financement conjoint compte sous le type de chacun)",
                      lambda r: _parts(r["funder_kinds"], NOT_GIVEN["kind"])))
    return specs


def breakdowns(rows: list[dict], role: str) -> list[dict]:
    out = []
    for key, title, fn in specs(role):
        groups = _group(rows, fn)
        out.append({"key": key, "title": title, "groups": groups, "svg": Markup(bars(groups, title))})
    return out


BREAKDOWN_COLUMNS = ["value", "fundings", "with_amount", "without_amount", "alone_eur", "joint_eur"]


def breakdown_result(rows: list[dict], role: str, key: str) -> QueryResult:
    """One breakdown of the page as rows to download: each group, its fundings with and without
    an amount, and its known money given alone and jointly (empty, never 0, when none is known)."""
    spec = {k: fn for k, _title, fn in specs(role)}
    if key not in spec:
        raise Refused(400, f"« par » vaut l'un de : {', '.join(spec)}")
    groups = _group(rows, spec[key])
    return QueryResult(list(BREAKDOWN_COLUMNS), [
        {"value": g["label"], "fundings": g["count"], "with_amount": g["count"] - g["unknown"],
         "without_amount": g["unknown"], "alone_eur": g["alone"], "joint_eur": g["joint"]} for g in groups])


def rank(store, uri_label: str) -> dict | None:
    """The funder's place in `funding-totals` (the CLI's ranking: known money, joint included)."""
    rows = query.run(store, "funding-totals").rows
    names = [r["funder"] for r in rows]
    if uri_label not in names:
        return None
    return {"position": names.index(uri_label) + 1, "of": len(names),
            "above": names[:names.index(uri_label)][:3]}


def job_funder(state, gen, *, uri: str, role: str, fmt: str, site, by: str | None = None):
    store = state.wrapped(gen)
    try:
        result = query.select(store, f"{role}-fundings", {"u": uri})
    except ValueError:
        raise Refused(400, f"ce n'est pas une IRI valable : « {uri} »") from None
    label = labels_of(store, {uri}).get(uri)
    if label is None:                        # the downloads too (they were an empty table, 200)
        raise Refused(404, f"rien n'est connu de <{uri}> dans ce graphe")
    if fmt in ("csv", "json"):
        if by:                               # one breakdown of the page, as its chart shows it
            result = breakdown_result(result.rows, role, by)
        body = output.to_csv(result) if fmt == "csv" else output.to_json(result)
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        return 200, media, body.encode("utf-8"), {}
    rows = result.rows
    from maillage.server.views import years

    by_year = years.block(store, "Par année" + (" (financements donnés)" if role == "funder" else " (financements reçus)"),
                          {"financeur" if role == "funder" else "beneficiaire": uri}, **{role: uri}) if rows else None
    context = {"site": site, "uri": uri, "label": label, "role": role, "rows": rows, "summary": summary(rows), "years": by_year,
               "breakdowns": breakdowns(rows, role) if rows else [], "entity": site.href(uri),
               "rank": rank(store, label) if role == "funder" else None,
               "path": site.local_path(uri)[len("/id/"):] if site.local_path(uri) else None}
    return 200, R.MEDIA_TYPE_HTML, render("funder.html", **context), {}


async def page(request: Request) -> Response:
    server = request.app.state.server
    role = ROLES[request.url.path.split("/")[1]]
    uri = server.config.base + unquote(request.path_params["rest"])
    fmt = request.query_params.get("format", "html")
    if fmt not in ("html", "csv", "json"):
        return page_error(server, 406, "formats : html, csv ou json")
    by = (request.query_params.get("par", "")[:40] or None) if fmt != "html" else None
    return await answer_job(request, server, ("funder", role, uri, fmt, by), "funder", fmt,
                            uri=uri, role=role, site=server.site, by=by)


ROUTES = [Route("/financeur/{rest:path}", page), Route("/beneficiaire/{rest:path}", page)]
JOBS = {"funder": job_funder}
