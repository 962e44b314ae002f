"""Source documents: the page of a named graph (one per source document) with what it says,
or its triples by content negotiation."""

from __future__ import annotations

import re
from pathlib import Path

from maillage import query
from maillage.model import DCT, MAI, ORG, SCHEMA
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
    docs = query.select(store, "graph-document", {"name": query.literal(name)}).rows
    document = {"text": name, "href": site.href(docs[0]["d"])} if docs else None
    body = render("graph.html", site=site, uri=uri, name=name, count=count, things=things, document=document)
    return 200, R.MEDIA_TYPE_HTML, body, {}


LICENCE_UNKNOWN = "licence non précisée"
CONTEXT = 400          # characters shown around a passage


def _span(char: str | None) -> tuple[int, int] | None:
    if not char:
        return None
    a, _, b = char.partition(",")
    if not (a.isdigit() and b.isdigit()) or int(a) > int(b):
        return None
    return int(a), int(b)


def _text(site, name: str) -> str | None:
    """The document's text when this server has the corpus (its name is a plain file name)."""
    if not site.corpus or "/" in name or name.startswith("."):
        return None
    path = Path(site.corpus) / name
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError):
        return None


def fact_rows(store, facts: list[dict], site) -> list[dict]:
    """Each fact with both its ends named: 'Secours populaire — membre de — Coop'Alim Occitanie'."""
    ends: dict[str, list[dict]] = {}
    uris = [f["fact"] for f in facts if isinstance(f["fact"], str)]
    for r in query.select_chunked(store, "fact-ends", "fact", uris):
        ends.setdefault(r["fact"], []).append(r)
    names = labels_of(store, {f["fact"] for f in facts} | {x for rs in ends.values() for r in rs
                                                           for x in (r["a"], r["b"], r["role"]) if x})
    link = lambda u: {"text": names.get(u) or local_name(u), "href": site.href(u)} if u else None
    rows = []
    for f in facts:
        rs = ends.get(f["fact"], [])
        kind = f["type"]
        passage = site.source(f["passage"])
        if kind == MAI + "KeyFigure" and rs:    # what it counts, of what, when: not its label alone
            r = rs[0]
            rows.append({"a": [link(r["a"])], "relation": "", "b": None, "funding": False, "passage": passage,
                         "fact": link(f["fact"]), "type": f["type_label"],
                         "figure": {"value": r["figure"], "what": r["what"], "when": r["when"]}})
        elif rs and rs[0]["amount"] is not None or kind == MAI + "Funding":
            a = sorted({r["a"] for r in rs})
            rows.append({"a": [link(x) for x in a], "relation": "finance", "b": link(rs[0]["b"]) if rs else None,
                         "amount": rs[0]["amount"] if rs else None, "funding": True, "passage": passage,
                         "fact": link(f["fact"]), "type": "Financement"})
        elif rs:
            r = rs[0]
            relation = (names.get(r["role"]) or local_name(r["role"])).lower() if r["role"] else "membre de"
            rows.append({"a": [link(r["a"])], "relation": relation, "b": link(r["b"]), "funding": False,
                         "passage": passage, "fact": link(f["fact"]), "type": "Participation" if r["role"] else "Adhésion"})
        else:
            rows.append({"a": [link(f["fact"])], "relation": "", "b": None, "funding": False, "passage": passage,
                         "fact": link(f["fact"]), "type": f["type_label"]})
    def start(r: dict) -> int:
        m = re.search(r"char=(\d+)", r["passage"]["title"] or "")
        return int(m[1]) if m else -1

    rows.sort(key=lambda r: (start(r), r["type"]))
    return rows


def document_page(store, context: dict, site, char: str | None) -> bytes:
    """A source document: what a journalist needs to check it (title, publisher, date, URL,
    licence), the passage a link points to (highlighted when this server has the corpus, else
    the URL and the character span), and every fact drawn from it, both ends named."""
    props = {s["predicate"]["iri"]: s["objects"] for s in context["statements"]}
    first = lambda iri: (props.get(iri) or [{}])[0].get("text")
    name = first(DCT + "identifier") or context["uri"].rsplit("/", 1)[-1]
    meta = {"title": context["label"], "publisher": first(DCT + "publisher"),
            "date": first(DCT + "issued"), "url": ((props.get(SCHEMA + "url") or [{}])[0].get("href")),
            "licence": first(DCT + "license") or LICENCE_UNKNOWN,  # an IRI shows its label
            "kind": first(DCT + "type"), "file": name}
    span = _span(char)
    text = _text(site, name)
    passage = {"invalid": char[:40]} if char and not span else None
    if span:
        passage = {"start": span[0], "end": span[1], "available": text is not None}
        if text is not None and span[1] <= len(text):
            a, b = span
            lo, hi = max(0, a - CONTEXT), min(len(text), b + CONTEXT)
            passage.update(before=("…" if lo else "") + text[lo:a], mark=text[a:b],
                           after=text[b:hi] + ("…" if hi < len(text) else ""))
        elif text is not None:     # the text is here, the span is not in it: say so, not "unavailable"
            passage["beyond"] = len(text)
    raw = query.select(store, "entity-facts", {"u": context["uri"]}).rows
    types = {}
    for r in raw:
        types.setdefault(r["fact"], set()).add(r["type"])
    facts = []
    for r in raw:
        if "#char=" not in (r["passage"] or "") or r["fact"] in {f["fact"] for f in facts}:
            continue          # the document's graph itself, or a fact already listed
        kinds = types[r["fact"]]
        main = next((t for t in (MAI + "Funding", MAI + "Participation",
                                 ORG + "Membership") if t in kinds), r["type"])
        label = TYPE_LABELS.get(main) or local_name(main)
        facts.append({"fact": r["fact"], "passage": r["passage"], "type": main, "type_label": label})
    return render("document.html", site=site, uri=context["uri"], meta=meta, passage=passage,
                  facts=fact_rows(store, facts, site), sources_local=bool(site.corpus))


ROUTES: list = []
JOBS: dict = {}
