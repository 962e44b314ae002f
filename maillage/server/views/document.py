"""Source documents: the page of a named graph (one per source document) with what it says,
or its triples by content negotiation."""

from __future__ import annotations

from rdflib import Literal

from maillage import query
from maillage.server import results as R
from maillage.server.pages import render
from maillage.server.views.common import TYPE_LABELS, graph_body, labels_of, local_name, media


def graph_page(store, uri: str, fmt: str, site, base: str):
    """A named graph: its triples, or a page about it."""
    if fmt != "html":
        triples = query.construct(store, "graph-triples", {"u": uri})
        return 200, media(fmt), graph_body(triples, fmt, base), {}
    count = query.select(store, "graph-count", {"u": uri}).rows[0]["n"]
    rows = query.select(store, "graph-things", {"u": uri}).rows
    labels = labels_of(store, {r["s"] for r in rows} | {r["type"] for r in rows})
    things = sorted(({"text": labels.get(r["s"]) or local_name(r["s"]), "href": site.href(r["s"]),
                      "type": labels.get(r["type"]) or TYPE_LABELS.get(r["type"]) or local_name(r["type"])} for r in rows),
                    key=lambda d: (d["type"], d["text"].casefold()))
    name = uri.rstrip("/").rsplit("/", 1)[-1]
    docs = query.select(store, "graph-document", {"name": Literal(name)}).rows
    document = {"text": name, "href": site.href(docs[0]["d"])} if docs else None
    body = render("graph.html", site=site, uri=uri, name=name, count=count, things=things, document=document)
    return 200, R.MEDIA_TYPE_HTML, body, {}


ROUTES: list = []
JOBS: dict = {}
