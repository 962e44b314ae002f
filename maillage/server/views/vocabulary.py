"""The vocabulary (/def): the ontology's classes and properties and every concept scheme (themes,
publics, kinds of body, roles…), as a page for people or as RDF; every term and concept URI under
https://w3id.org/maillage/def dereferences here (/def/theme/mobilite), through the entity pages."""

from __future__ import annotations

from collections import defaultdict

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maillage import model, query
from maillage.server import results as R
from maillage.server.pages import render
from maillage.server.pool import PoolError
from maillage.server.responses import page_error, reply, text_error
from maillage.server.views.common import graph_body, local_name, media
from maillage.server.views.entity import answer, entity_format

KINDS = {model.OWL + "Class": "Classes", model.OWL + "ObjectProperty": "Propriétés (liens)",
         model.OWL + "TransitiveProperty": "Propriétés (liens)", model.OWL + "DatatypeProperty": "Propriétés (valeurs)",
         model.SKOS + "ConceptScheme": "Schémas de concepts"}


def job_vocabulary(state, gen, *, fmt: str, site):
    store = state.wrapped(gen)
    if fmt != "html":
        return 200, media(fmt), graph_body(query.construct(store, "def-describe"), fmt, state.base), {}
    terms = defaultdict(list)
    for r in query.select(store, "def-terms").rows:
        terms[KINDS.get(r["type"], "Autres")].append({"text": r["label"] or local_name(r["s"]), "href": site.href(r["s"]),
                                                      "id": local_name(r["s"]), "comment": r["comment"] or "",
                                                      "iri": r["s"]})
    schemes = defaultdict(list)
    for r in query.select(store, "def-concepts").rows:
        schemes[r["scheme"]].append({"text": r["label"] or r["code"] or local_name(r["s"]), "href": site.href(r["s"]),
                                     "code": r["code"] or "", "broader": bool(r["broader"])})
    names = {t["iri"]: t["text"] for t in terms.get("Schémas de concepts", [])}
    scheme_list = sorted(({"name": names.get(s, local_name(s)), "href": site.href(s), "concepts": cs}
                          for s, cs in schemes.items()), key=lambda s: s["name"])
    order = ["Classes", "Propriétés (liens)", "Propriétés (valeurs)"]
    body = render("vocabulary.html", site=site, iri=model.ONTOLOGY_IRI,
                  terms=[(k, sorted(terms[k], key=lambda t: t["text"].casefold())) for k in order if k in terms],
                  schemes=scheme_list)
    return 200, R.MEDIA_TYPE_HTML, body, {}


async def vocabulary(request: Request) -> Response:
    server = request.app.state.server
    fmt = entity_format(request)
    if fmt is None:
        return text_error(406, "le vocabulaire est donné en HTML, Turtle, N-Triples, JSON-LD ou RDF/XML", cors=True)
    gen = server.generation()
    try:
        payload = await server.results.answer(gen, ("def", fmt), lambda: server.pool.run(
            "vocabulary", gen, fmt=fmt, site=server.site))
    except PoolError as exc:
        return page_error(server, exc.status, exc.message) if fmt == "html" else text_error(exc.status, exc.message)
    return reply(payload, cors=fmt != "html", extra={"Vary": "Accept"})


async def term(request: Request) -> Response:
    server = request.app.state.server
    rest = request.path_params["rest"]
    return await answer(server, request, [model.ONTOLOGY_IRI + "/" + rest])


ROUTES = [Route("/def", vocabulary), Route("/def/{rest:path}", term)]
JOBS = {"vocabulary": job_vocabulary}
