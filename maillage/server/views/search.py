"""Search (/search): one search over everything (maillage.search, the index `maillage search`
uses), results grouped, facets that combine, every result page as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import sys
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maillage.search import FACETS, GROUPS, SearchFilterError, current_index, index_for, write_index
from maillage.server import results as R
from maillage.server.errors import Refused
from maillage.server.pages import render
from maillage.server.pool import PoolError
from maillage.server.responses import page_error, reply, text_error

ONE = {"dispositif": "dispositif de financement"}      # one hit's kind: the group's name in the singular
COLUMNS = ("group", "name", "uri", "detail", "amount_eur", "year")


def as_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: "" if r[k] is None else (int(r[k]) if isinstance(r[k], float) and r[k].is_integer() else r[k])
                         for k in COLUMNS})
    return buf.getvalue()


def job_index(state, gen) -> dict:
    """Make the search index beside the store current (a batch job: at the server's start, before
    it accepts a request, and after each update). Its progress goes to the server's stderr."""
    if current_index(state.store_dir) is not None:
        return {"built": False, "seconds": 0.0}
    say = lambda m: print(f"maillage serve: {m}", file=sys.stderr, flush=True)  # noqa: E731
    say(f"building the search index of {state.store_dir} ({len(state.wrapped(gen))} triples)…")
    # the folder the link points to now: a build swapping in meanwhile brings its own index
    seconds = write_index(state.store_dir.resolve(), state.store_dir, say)
    say(f"search index written in {seconds:.1f} s")
    return {"built": True, "seconds": seconds}


def job_search(state, gen, *, q: str, filters: dict[str, list[str]], fmt: str, site):
    index = index_for(state.wrapped(gen), (str(state.store_dir), gen), state.store_dir)
    try:
        results = index.search(q, filters)
    except SearchFilterError as exc:
        raise Refused(400, str(exc)) from None
    if fmt == "csv":
        return 200, "text/csv; charset=utf-8", as_csv(results.rows()).encode("utf-8"), {}
    if fmt == "json":
        body = json.dumps({"q": q, "filters": results.filters, "count": len(results.hits), "results": results.rows(),
                           "facets": {f: dict(v) for f, v in results.facets.items()}}, ensure_ascii=False, indent=1)
        return 200, "application/json", body.encode("utf-8"), {}

    def link(**change) -> str:
        """This search with one facet value added or removed."""
        chosen = {f: list(v) for f, v in results.filters.items()}
        for facet, value in change.items():
            values = chosen.setdefault(facet, [])
            values.remove(value) if value in values else values.append(value)
        pairs = [("q", q)] if q else []
        pairs += [(f, v) for f, vs in sorted(chosen.items()) for v in vs]
        return "/search?" + urlencode(pairs)

    facets = [{"key": f, "label": FACETS[f], "items": [
        {"value": v, "count": n, "chosen": v in results.filters.get(f, []), "href": link(**{f: v}),
         "text": GROUPS.get(v, v) if f == "group" else v} for v, n in values[:30]]}
        for f, values in results.facets.items()]
    chosen = [{"facet": FACETS[f], "value": GROUPS.get(v, v) if f == "group" else v, "href": link(**{f: v}), "key": f, "raw": v}
              for f, vs in results.filters.items() for v in vs]
    base = [("q", q)] if q else []
    base += [(f, v) for f, vs in sorted(results.filters.items()) for v in vs]
    downloads = {fmt: "/search?" + urlencode(base + [("format", fmt)]) for fmt in ("csv", "json")}
    groups = [{"key": g, "label": GROUPS[g], "hits": [_hit(h, site) for h in hs]} for g, hs in results.groups.items()]
    body = render("search.html", site=site, q=q, best=[_hit(h, site) for h in results.best], groups=groups,
                  facets=facets, chosen=chosen, count=len(results.hits), downloads=downloads, searched=bool(q or chosen))
    return 200, R.MEDIA_TYPE_HTML, body, {}


def _hit(h, site) -> dict:
    return {"name": h.name, "href": site.href(h.uri), "group": ONE.get(h.group, h.group), "detail": h.detail,
            "amount": h.amount, "funding": h.group == "financement", "year": h.year}


async def search(request: Request) -> Response:
    server = request.app.state.server
    q = request.query_params.get("q", "")[:200]
    filters = {f: [v[:200] for v in request.query_params.getlist(f)][:20] for f in FACETS if f in request.query_params}
    fmt = request.query_params.get("format", "html")
    if fmt not in ("html", "csv", "json"):
        return page_error(server, 406, "formats : html, csv ou json")
    try:
        payload = await server.pool.run("search", server.generation(), q=q, filters=filters, fmt=fmt, site=server.site)
    except PoolError as exc:
        if fmt != "html":
            return text_error(exc.status, exc.message)
        return page_error(server, exc.status, exc.message)
    return reply(payload, cors=fmt != "html")


ROUTES = [Route("/search", search)]
JOBS = {"search": job_search, "search-index": job_index}
