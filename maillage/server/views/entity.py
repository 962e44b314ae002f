"""Entity pages: every URI minted under the base (/id/…) and any other IRI of the graph
(/resource?uri=…), as a page for people or RDF by content negotiation."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any
from urllib.parse import unquote, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from maillage import query
from maillage.model import IGEO, MAI, ORG, PROV, RDF, SCHEMA, SKOS
from maillage.server import protocol, results as R
from maillage.server.errors import Refused
from maillage.server.pages import render
from maillage.server.responses import answer_job, text_error
from maillage.server.views.common import PREDICATE_LABELS, TYPE_LABELS, graph_body, label_links, labels_of, local_name, media, split

PREDICATE_RDF_TYPE = RDF + "type"
ORG_MEMBERSHIP = ORG + "Membership"


def partners_of(store, uri: str) -> list[dict]:
    """The partners an entity page lists: the rows of `maillage query partners-of` with
    co-funders (the same query, the same option)."""
    return query.run(store, "partners-of", {"organisation": uri, "cofunders": "oui"}).rows


def _names(value: Any) -> list[str]:
    return [p.strip() for p in value.split(" ; ") if p.strip()] if isinstance(value, str) else []


def _funder_pages(site, uri: str) -> dict | None:
    local = site.local_path(uri)
    if not local:
        return None
    rest = local[len("/id/"):].split("#")[0]
    return {"funder": "/financeur/" + rest, "recipient": "/beneficiaire/" + rest}


SKOS_CONCEPT = SKOS + "Concept"
FACET_OF_SCHEME = {"theme/": "theme", "kind/": "kind"}


def concept_context(store, uri: str, props: dict, link, label) -> dict:
    """A concept of the vocabulary: its scheme, broader and narrower concepts, its code, and how
    many things use it (or a narrower one), with a search for them."""
    skos = SKOS
    narrower = [link(r["c"]) for r in query.select(store, "concept-narrower", {"u": uri}).rows]
    uses = [{"property": label(r["p"]), "count": r["n"]} for r in query.select(store, "concept-uses", {"u": uri}).rows
            if not r["p"].startswith(skos)]
    scheme = next(iter(props.get(skos + "inScheme", [])), None)
    facet = next((f for tail, f in FACET_OF_SCHEME.items() if isinstance(scheme, str) and scheme.endswith("/def/" + tail)), None)
    search = f"/search?{urlencode({facet: label(uri)})}" if facet else None
    return {"scheme": link(scheme) if scheme else None, "broader": [link(b) for b in props.get(skos + "broader", [])],
            "narrower": sorted(narrower, key=lambda d: d["text"].casefold()), "uses": uses, "search": search,
            "code": next(iter(props.get(skos + "notation", [])), None)}


def money(fundings: list[dict]) -> dict:
    """Totals of known amounts, alone and joint (a joint funding counts whole, once), and how many
    fundings have no known amount: an unknown amount is never added as 0."""
    known = [f for f in fundings if f["amount"] is not None]
    alone = [Decimal(str(f["amount"])) for f in known if not f["joint"]]
    joint = [Decimal(str(f["amount"])) for f in known if f["joint"]]
    return {"count": len(fundings), "known": len(known), "unknown": len(fundings) - len(known),
            "alone": sum(alone) if alone else None, "joint": sum(joint) if joint else None,
            "all": sum(alone + joint) if known else None}


def exists(store, uri: str, name: str) -> bool:
    return bool(query.select(store, name, {"u": uri}).rows)


def job_entity(state, gen, *, uris: list[str], fmt: str, site, char: str | None = None):
    """The page (or RDF description) of the first of ``uris`` the graph knows: a thing, or a
    named graph (then its content). RDF descriptions are not capped (they are bounded by the
    thing's neighbours); the time limit still holds."""
    from maillage.server.views import document

    store = state.wrapped(gen)
    uri = None
    graph = False
    for candidate in uris:
        try:
            if exists(store, candidate, "entity-exists"):
                uri = candidate
                break
            if exists(store, candidate, "graph-exists"):
                uri, graph = candidate, True
                break
        except ValueError:
            raise Refused(400, f"ce n'est pas une IRI valable : « {candidate} »") from None   # the store's reason, in English, goes nowhere
    if uri is None:
        raise Refused(404, f"rien n'est connu de <{uris[0]}> dans ce graphe")
    if graph:
        return document.graph_page(store, uri, fmt, site, state.base)
    if fmt != "html":
        # the entity's own description: every triple about it, every triple pointing to it,
        # and the labels of its neighbours (so a client can show them)
        triples = query.construct(store, "entity-describe", {"u": uri})
        return 200, media(fmt), graph_body(triples, fmt, state.base), {}
    context = entity_context(store, uri, site, state.base)
    if context["is_document"]:
        return 200, R.MEDIA_TYPE_HTML, document.document_page(store, context, site, char), {}
    from maillage.server.views import similar, years
    context["years"] = years.entity_block(store, context, uri)
    context["similar"] = similar.entity_block(store, uri, site) if context["is_initiative"] else None
    return 200, R.MEDIA_TYPE_HTML, render("entity.html", **context), {}


def entity_context(store, uri: str, site, base: str) -> dict:
    def _rows(_store, key, _term=None):
        return query.select(store, "entity-" + key.replace("_", "-"), {"u": uri}).rows

    term = uri
    out_rows = _rows(store, "out", term)
    props: dict[str, list] = defaultdict(list)
    for r in out_rows:
        props[r["p"]].append(r["o"])
    types = sorted(t for t in props.get(PREDICATE_RDF_TYPE, []) if isinstance(t, str))
    is_org = ORG + "FormalOrganization" in types
    is_initiative = MAI + "Initiative" in types
    is_territory = IGEO + "TerritoireFrancais" in types
    is_document = MAI + "SourceDocument" in types

    sections: dict[str, list] = {}
    sections["fundings_out"] = _rows(store, "fundings_out", term)
    sections["fundings_in"] = _rows(store, "fundings_in", term)
    is_scheme = SCHEMA + "FundingScheme" in types
    sections["fundings_scheme"] = _rows(store, "fundings_scheme", term) if is_scheme else []
    sections["takes_part"] = _rows(store, "takes_part", term)
    sections["members"] = _rows(store, "members", term)
    sections["partners"] = partners_of(store, uri) if (is_org or sections["takes_part"]) else []
    sections["within"] = _rows(store, "within", term) if is_territory or MAI + "within" in props else []
    sections["subdivisions"] = _rows(store, "subdivisions", term) if is_territory else []
    sections["located"] = _rows(store, "located", term) if is_territory else []
    sections["facts"] = _rows(store, "facts", term) if is_document else []
    in_rows = _rows(store, "in", term)

    # every IRI shown gets a label
    uris: set[str] = {uri}
    for rows in (*sections.values(), out_rows, in_rows):
        for r in rows:
            for k, v in r.items():
                if k in ("others",):
                    uris.update(split(v))
                elif k != "sources" and isinstance(v, str) and v.startswith(("http://", "https://")):
                    uris.add(v)
    labels = labels_of(store, uris)

    def label(u: Any) -> str:
        if u is None:
            return ""
        if not isinstance(u, str):
            return str(u)
        return labels.get(u) or TYPE_LABELS.get(u) or PREDICATE_LABELS.get(u) or local_name(u)

    def link(u: Any) -> dict:
        if not isinstance(u, str) or not u.startswith(("http://", "https://")):
            return {"text": "" if u is None else str(u), "href": None}
        return {"text": label(u), "href": site.href(u)}

    def source(u: str) -> dict:
        return site.source(u)

    def funding_row(r: dict, incoming: bool) -> dict:
        return {"funding": link(r["funding"]), "item": link(r["item"]) if r["item"] and r["item"] != uri else None,
                "recipient": link(r["recipient"]) if r["recipient"] and r["recipient"] != uri else None,
                "amount": r["amount"], "period": r["period"] or "", "purpose": label(r["purpose"]) if r["purpose"] else "",
                "scheme": link(r["scheme"]) if r["scheme"] else None, "object": r["object"] or "",
                "others": [link(x) for x in split(r["others"])],
                "sources": [source(s) for s in split(r["sources"])]}

    fundings_out = [funding_row(r, False) for r in sections["fundings_out"]]
    fundings_in = [funding_row(r, True) for r in sections["fundings_in"]]
    for f in fundings_out:
        f["joint"] = bool(f["others"])                 # given with others: its amount is not this body's alone
    fundings_scheme = [funding_row(r, True) for r in sections["fundings_scheme"]]
    for f in fundings_in + fundings_scheme:
        f["joint"] = len(f["others"]) > 1
    total_out, total_in = money(fundings_out), money(fundings_in)
    total_scheme = money(fundings_scheme)

    def part_row(r: dict) -> dict:
        return {"other": link(r["other"]), "role": label(r["role"]) if r["role"] else "",
                "membership": r["type"] == ORG + "Membership",
                "sources": [source(s) for s in split(r["sources"])]}

    names = {r["partner"] for r in sections["partners"]} | {i for r in sections["partners"] for i in _names(r["initiatives"])}
    named = label_links(store, names, base)

    def named_link(text: str) -> dict:
        return {"text": text, "href": site.href(named[text]) if text in named else None}

    partners = [{"other": named_link(r["partner"]), "shared": r["shared"], "roles": r["roles"] or "",
                 "initiatives": [named_link(i) for i in _names(r["initiatives"])]} for r in sections["partners"]]
    located_ini = [link(r["x"]) for r in sections["located"] if r["kind"] == "initiative"]
    located_org = [link(r["x"]) for r in sections["located"] if r["kind"] == "organisation"]
    for group in (located_ini, located_org):
        group.sort(key=lambda d: d["text"].casefold())
    within = sorted((link(r["t"]) for r in sections["within"]), key=lambda d: d["text"])
    subdivisions = sorted((link(r["t"]) for r in sections["subdivisions"]), key=lambda d: d["text"].casefold())
    facts = sorted(({"fact": link(r["fact"]), "type": label(r["type"]) if r["type"] else "",
                     "passage": source(r["passage"])} for r in sections["facts"]),
                   key=lambda d: (d["type"], d["fact"]["text"]))

    def value(v: Any) -> dict:
        if isinstance(v, str) and v.startswith(("http://", "https://")):
            return link(v)
        return {"text": str(v), "href": None}

    statements = []
    for p in sorted(props, key=lambda p: (p != PREDICATE_RDF_TYPE, label(p))):
        vals = props[p]
        shown = [source(v) if p == PROV + "wasDerivedFrom" and isinstance(v, str) else value(v)
                 for v in vals]
        shown.sort(key=lambda d: d["text"])
        statements.append({"predicate": {"text": label(p), "href": site.href(p), "iri": p}, "objects": shown})
    incoming = sorted(({"subject": link(r["s"]), "predicate": label(r["p"])} for r in in_rows),
                      key=lambda d: (d["predicate"], d["subject"]["text"]))

    kinds = [label(k) for k in props.get(ORG + "classification", [])]
    launched_by = [link(o) for o in props.get(MAI + "launchedBy", [])]
    concept = concept_context(store, uri, props, link, label) if SKOS_CONCEPT in types else None
    territory = [link(t) for t in props.get(MAI + "territory", []) +
                 props.get(SCHEMA + "areaServed", [])]
    descriptions = [str(d) for d in props.get(SCHEMA + "description", [])]
    sources = sorted((source(s) for s in props.get(PROV + "wasDerivedFrom", []) if isinstance(s, str)),
                     key=lambda d: d["text"])
    in_network = ((is_org and (any(r["type"] != ORG_MEMBERSHIP for r in sections["takes_part"])
                               or any(r["item"] for r in sections["fundings_out"])))
                  or (is_initiative and (sections["members"] or fundings_in)))
    network = site.network_path(uri) if in_network else None
    return {
        "site": site, "uri": uri, "label": label(uri), "types": [label(t) for t in types],
        "kinds": kinds, "territory": territory, "descriptions": descriptions, "sources": sources,
        "fundings_out": fundings_out, "fundings_in": fundings_in, "total_out": total_out, "total_in": total_in,
        "takes_part": [part_row(r) for r in sections["takes_part"]],
        "members": [part_row(r) for r in sections["members"]],
        "partners": partners, "within": within, "subdivisions": subdivisions,
        "located_initiatives": located_ini, "located_organisations": located_org, "facts": facts,
        "statements": statements, "incoming": incoming, "network": network,
        "fundings_scheme": fundings_scheme, "launched_by": launched_by, "concept": concept, "total_scheme": total_scheme,
        "funder_pages": _funder_pages(site, uri), "is_org": is_org, "is_initiative": is_initiative, "is_territory": is_territory, "is_document": is_document,
    }


PREDICATE_RDF_TYPE = RDF + "type"
ORG_MEMBERSHIP = ORG + "Membership"




# ---------------------------------------------------------------- routes

def entity_format(request: Request) -> str | None:
    return protocol.negotiate_document(request.headers.get("accept"), request.query_params.get("format"))


async def entity(request: Request) -> Response:
    server = request.app.state.server
    raw = request.scope.get("raw_path") or request.url.path.encode("utf-8")
    rest = raw.decode("utf-8", "replace").split("?", 1)[0][len("/id/"):]
    if not rest:
        return RedirectResponse("/", status_code=303)
    candidates = list(dict.fromkeys([server.config.base + unquote(rest), server.config.base + rest]))
    return await answer(server, request, candidates)


async def resource(request: Request) -> Response:
    server = request.app.state.server
    uri = request.query_params.get("uri", "")
    if uri.startswith(server.config.base):
        local = server.site.local_path(uri)
        if local:
            return RedirectResponse(local.split("#")[0], status_code=303)
    return await answer(server, request, [uri])


async def answer(server, request: Request, candidates: list[str]) -> Response:
    fmt = entity_format(request)
    if fmt is None:
        return text_error(406, "this resource is given as HTML, Turtle, N-Triples, JSON-LD or RDF/XML", cors=True)
    char = request.query_params.get("char")
    char = char if char and len(char) < 40 else None
    return await answer_job(request, server, ("entity", tuple(candidates), fmt, char), "entity", fmt, extra={"Vary": "Accept"},
                            uris=candidates, site=server.site, char=char)


ROUTES = [Route("/id/{rest:path}", entity), Route("/resource", resource)]
JOBS = {"entity": job_entity}
