"""SPARQL results writers over pyoxigraph terms, with the server's row cap.

pyoxigraph can write results itself, but only a whole result: the cap has to be checked while
the solutions are read, so the four W3C formats are written here (JSON, XML, CSV, TSV — the
tests read them back with pyoxigraph's own parsers).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from maillage.model import SPARQL_RESULTS_XML, XSD

XSD_STRING = XSD + "string"
MEDIA_TYPE_HTML = "text/html; charset=utf-8"


class TooManyRows(Exception):
    def __init__(self, cap: int, what: str = "rows"):
        super().__init__(cap)
        self.cap = cap
        self.what = what


def take(items: Iterable, cap: int, what: str = "rows") -> list:
    """All the items, or TooManyRows as soon as there are more than ``cap`` (0: no cap)."""
    out = []
    if cap <= 0:
        return list(items)
    for item in items:
        out.append(item)
        if len(out) > cap:
            raise TooManyRows(cap, what)
    return out


# ---------------------------------------------------------------- JSON

def term_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(t.subject), "predicate": term_json(t.predicate),
                                            "object": term_json(t.object)}}
    raise TypeError(f"not an RDF term: {t!r}")


def cell(term, href=None) -> dict:
    """A result cell of the HTML table: its text, its kind, and a link for IRIs (``href(iri)``)."""
    if term is None:
        return {"text": "", "href": None, "kind": "none", "suffix": ""}
    if isinstance(term, ox.NamedNode):
        return {"text": term.value, "href": href(term.value) if href else None, "kind": "iri", "suffix": ""}
    if isinstance(term, ox.BlankNode):
        return {"text": f"_:{term.value}", "href": None, "kind": "bnode", "suffix": ""}
    if isinstance(term, ox.Literal):
        suffix = f"@{term.language}" if term.language else ""
        return {"text": term.value, "href": None, "kind": "literal", "suffix": suffix}
    return {"text": str(term), "href": None, "kind": "other", "suffix": ""}


def select_json(variables: list[str], rows: list) -> bytes:
    bindings = []
    for sol in rows:
        b = {}
        for v in variables:
            t = sol[v]
            if t is not None:
                b[v] = term_json(t)
        bindings.append(b)
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def ask_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": bool(value)}).encode("utf-8")


# ---------------------------------------------------------------- XML

_NS = SPARQL_RESULTS_XML


def _xml_text(s: str) -> str:
    # characters XML 1.0 cannot carry at all become U+FFFD (they cannot be escaped either)
    s = escape(s)
    if any(ord(c) < 0x20 and c not in "\t\n\r" for c in s):
        s = "".join("\ufffd" if ord(c) < 0x20 and c not in "\t\n\r" else c for c in s)
    return s


def term_xml(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{_xml_text(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{_xml_text(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{_xml_text(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{_xml_text(t.value)}</literal>"
        return f"<literal>{_xml_text(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{term_xml(t.subject)}</subject><predicate>{term_xml(t.predicate)}</predicate>"
                f"<object>{term_xml(t.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {t!r}")


def select_xml(variables: list[str], rows: list) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<sparql xmlns="{_NS}">\n<head>']
    out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
    out.append("</head>\n<results>\n")
    for sol in rows:
        out.append("<result>")
        for v in variables:
            t = sol[v]
            if t is not None:
                out.append(f"<binding name={quoteattr(v)}>{term_xml(t)}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def ask_xml(value: bool) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{_NS}"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()


# ---------------------------------------------------------------- CSV / TSV

def _csv_value(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def select_csv(variables: list[str], rows: list) -> bytes:
    """W3C SPARQL 1.1 CSV: a header of variable names, plain values, CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(variables)
    for sol in rows:
        w.writerow([_csv_value(sol[v]) for v in variables])
    return buf.getvalue().encode("utf-8")


def select_tsv(variables: list[str], rows: list) -> bytes:
    """W3C SPARQL 1.1 TSV: a header of ?variables, terms in N-Triples syntax (so tabs and line
    breaks inside literals are escaped), LF line ends."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    for sol in rows:
        lines.append("\t".join("" if sol[v] is None else str(sol[v]) for v in variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


SELECT_WRITERS = {"json": select_json, "xml": select_xml, "csv": select_csv, "tsv": select_tsv}


def ask_bytes(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return ask_json(value)
    if fmt == "xml":
        return ask_xml(value)
    return (b"true" if value else b"false") + (b"\r\n" if fmt == "csv" else b"\n")


# ---------------------------------------------------------------- graphs

GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
                 "rdfxml": ox.RdfFormat.RDF_XML}


def graph_bytes(triples: list, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples sorted (Turtle then groups each subject's statements together), without repeats."""
    kwargs = {}
    if prefixes and fmt in ("ttl", "rdfxml"):
        kwargs["prefixes"] = prefixes
    triples = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=GRAPH_FORMATS[fmt], **kwargs)

