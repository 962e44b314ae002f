"""The canned questions (/query/NAME) and the SPARQL editor (/editor). The rows are those of
`maillage query` (the same maillage.query.run); the page only formats them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maillage import output, query
from maillage.server import results as R
from maillage.server.errors import Refused
from maillage.server.pages import AMOUNT_COLUMNS, UNKNOWN_AMOUNT, euros, number, period, render
from maillage.server.pool import PoolError
from maillage.server.responses import TITLES, ClientGone, guarded, html, page_error, page_message, reply, text_error
from maillage.server.views.common import label_links


class Recorder:
    """A store that remembers the last query text it ran, bound (to show it in the editor)."""

    def __init__(self, store):
        self.store = store
        self.last = ""
        self.name = store.name

    def select(self, text: str, bindings=None):
        from maillage.store import with_values

        self.last = with_values(text, bindings)
        return self.store.select(text, bindings)

    def __getattr__(self, name):
        return getattr(self.store, name)


def job_canned(state, gen, *, name: str, params: dict[str, str], fmt: str, max_rows: int, site, choices=None):
    store = Recorder(state.wrapped(gen))
    try:
        named = query.get(name)
        result = query.run(store, name, params)
    except query.QueryError as exc:
        raise Refused(400, exc.fr) from None
    except ValueError:                 # a value the store will not take as an IRI or literal (its reason is in English)
        raise Refused(400, "une valeur donnée n'est pas valable (un caractère interdit ?)") from None
    if max_rows and len(result.rows) > max_rows:
        raise R.TooManyRows(max_rows)
    if fmt == "csv":
        return 200, "text/csv; charset=utf-8", output.to_csv(result).encode("utf-8"), {}
    if fmt == "tsv":
        return 200, "text/tab-separated-values; charset=utf-8", output.to_csv(result, "\t").encode("utf-8"), {}
    if fmt == "json":
        return 200, "application/json", output.to_json(result).encode("utf-8"), {}
    sparql = store.last
    links = label_links(state.wrapped(gen), _labels(result), state.base)
    kinds = kind_names(state.wrapped(gen)) if "kind" in result.variables else {}
    rows = [[kind_cell(row.get(v), kinds, site) if v == "kind" and row.get(v) in kinds
             else cell(v, row.get(v), links, site, state.base) for v in result.variables] for row in result.rows]
    body = render("canned.html", site=site, query=named, params=params, variables=result.variables, rows=rows,
                  sparql=sparql, choices=choices or {}, count=len(result.rows), money=money_note(result))
    return 200, R.MEDIA_TYPE_HTML, body, {}


def kind_names(store) -> dict[str, tuple[str, str]]:
    """A kind of body's code (the `kind` column of `maillage query`: CD, REG, ETAT…) -> its French
    name and its concept: a page says "Département (conseil départemental)", not "CD"."""
    return {r["code"]: (r["label"], r["s"]) for r in query.select(store, "def-concepts").rows
            if r["code"] and r["label"] and str(r["scheme"]).endswith("/kind/")}


def kind_cell(code: str, kinds: dict, site) -> dict:
    label, concept = kinds[code]
    return {"parts": [{"text": label, "href": site.href(concept)}], "numeric": False, "sep": ""}


def money_note(result) -> str:
    """How many of the fundings counted have a known amount, wherever amounts appear."""
    columns = set(result.variables)
    if "with_amount" in columns and "fundings" in columns:
        total = sum(r["fundings"] or 0 for r in result.rows)
        known = sum(r["with_amount"] or 0 for r in result.rows)
    elif "amount_eur" in columns and "measure" not in columns:
        total = len(result.rows)
        known = sum(1 for r in result.rows if r["amount_eur"] is not None)
    else:
        return ""
    if "with_amount" in columns:
        return (f"montant connu pour {known} des {total} financements comptés (un financement conjoint compte pour "
                f"chacun de ses financeurs) ; un montant inconnu n'est jamais compté comme 0")
    return f"{known} financement{'s' if known > 1 else ''} avec montant, {total - known} sans montant précisé"


def _labels(result) -> set[str]:
    labels: set[str] = set()
    for row in result.rows:
        for column, value in row.items():
            if column == "source" or not isinstance(value, str):
                continue
            sep = query.LIST_COLUMNS.get(column)
            pieces = value.split(sep) if sep and sep.strip() and sep in value else [value]
            labels.update(p.strip() for p in pieces if p.strip())
    return labels


def cell(column: str, value: Any, links: dict[str, str], site, base: str) -> dict:
    """One cell of a canned answer: its text (amounts in euros), and links to what it names."""
    if value is None:
        if column in AMOUNT_COLUMNS:
            return {"parts": [{"text": UNKNOWN_AMOUNT, "href": None}], "numeric": False, "sep": "", "unknown": True}
        return {"parts": [], "numeric": False}
    if column == "period":
        return {"parts": [{"text": period(value), "href": None}], "numeric": False, "sep": ""}
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        text = euros(value) if column in AMOUNT_COLUMNS else number(value)
        return {"parts": [{"text": text, "href": None}], "numeric": True, "sep": ""}
    text = str(value)
    if column == "source":
        parts = [site.source(base + "document/" + src) for src in text.split()]
        return {"parts": parts, "numeric": False, "sep": " "}
    sep = query.LIST_COLUMNS.get(column)
    pieces = text.split(sep) if sep and sep.strip() and sep in text else [text]
    parts = [{"text": p, "href": site.href(links[p.strip()]) if p.strip() in links else None} for p in pieces]
    return {"parts": parts, "numeric": False, "sep": sep or ""}


async def canned(request: Request) -> Response:
    server = request.app.state.server
    name = request.path_params["name"]
    catalogue = query.catalogue()
    if name not in catalogue:
        return page_error(server, 404, f"aucune question ne s'appelle « {name} »")
    declared = {p.name for p in catalogue[name].params}
    params = {k: v for k, v in request.query_params.multi_items() if k in declared and v.strip()}
    fmt = request.query_params.get("format", "html")
    if fmt not in ("html", "csv", "tsv", "json"):
        return page_error(server, 406, "formats : html, csv, tsv ou json")
    try:
        gen = server.generation()
        key = ("canned", name, tuple(sorted(params.items())), fmt)
        payload = await guarded(request, server.results.answer(gen, key, lambda: server.pool.run(
            "canned", gen, name=name, params=params, fmt=fmt, max_rows=server.config.max_rows, site=server.site)))
    except ClientGone:
        return Response(status_code=499)
    except PoolError as exc:
        if fmt != "html":
            return text_error(exc.status, exc.message, cors=True)
        return html(render("canned_error.html", site=server.site, query=catalogue[name], params=params,
                           status=exc.status, message=page_message(exc.status, exc.message), title=TITLES.get(exc.status, "Erreur")),
                    exc.status)
    return reply(payload, cors=fmt != "html")


async def editor(request: Request) -> Response:
    server = request.app.state.server
    catalogue = query.catalogue()
    text = request.query_params.get("query")
    example = request.query_params.get("example")
    if text is None:
        chosen = catalogue.get(example or "who-funds-what") or next(iter(catalogue.values()))
        text = chosen.text
    return html(render("editor.html", site=server.site, text=text, examples=list(catalogue.values()), current=example))


ROUTES = [Route("/query/{name}", canned), Route("/editor", editor)]
JOBS = {"canned": job_canned}
