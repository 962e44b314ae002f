"""SPARQL 1.1 Protocol details that need no store: what a request text is (query or update,
federated or not) and which result format the client asked for.

Nothing here evaluates anything; the text itself is parsed by Oxigraph in a worker process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---------------------------------------------------------------- lexical scan

# Tokens that may hide keywords from a naive search: comments, IRIs, strings, variables and
# prefixed names (whose local part may contain escaped characters such as `\#`). The classes
# follow the SPARQL 1.1 grammar's terminals, so the scan and Oxigraph's lexer agree on where a
# string, an IRI or a comment starts and ends.
_PN_LOCAL = r"(?:[\w\-.:%]|\\[_~.\-!$&'()*+,;=/?#@%])*"
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n\r]|\\.)*"
              |'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][\w]+)
  | (?P<word>[A-Za-z_][\w\-.]*(?::""" + _PN_LOCAL + r""")?|:""" + _PN_LOCAL + r""")
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_KEYWORDS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
PROLOGUE = {"PREFIX", "BASE"}


def keywords(text: str) -> list[str]:
    """The bare words of a SPARQL text, upper-cased, outside comments, strings and IRIs
    (prefixed names, variables and blank node labels are not bare words)."""
    words = []
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "word":
            word = m.group()
            if ":" not in word:
                words.append(word.upper())
    return words


@dataclass(frozen=True)
class Kind:
    """What a request text looks like before it is parsed for real."""

    form: str | None            # SELECT, CONSTRUCT, DESCRIBE, ASK, or an update keyword; None if unknown
    is_update: bool
    federated: bool             # uses SERVICE: refused (the server would fetch other URLs)


def classify(text: str) -> Kind:
    words = keywords(text)
    form = None
    for w in words:
        if w in PROLOGUE:
            continue
        form = w
        break
    # a prologue keyword is followed by a prefixed name / IRI, never by a bare word, so the
    # first bare word after the prologue names the operation
    is_update = form in UPDATE_KEYWORDS
    return Kind(form, is_update, "SERVICE" in words)


# ---------------------------------------------------------------- content negotiation

# result formats of SELECT / ASK
SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/html": "html",
    "application/xhtml+xml": "html",
}
# result formats of CONSTRUCT / DESCRIBE (and of entity documents)
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "text/n3": "ttl",            # Turtle is N3
    "text/rdf+n3": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
    "text/html": "html",
    "application/xhtml+xml": "html",
}
MEDIA_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# values of the `format` (or `output`, `results`) parameter: (select format, graph format)
FORMAT_NAMES = {
    "json": ("json", "jsonld"), "srj": ("json", None),
    "xml": ("xml", "rdfxml"), "srx": ("xml", None),
    "csv": ("csv", None), "tsv": ("tsv", None),
    "html": ("html", "html"),
    "ttl": (None, "ttl"), "turtle": (None, "ttl"), "n3": (None, "ttl"),
    "nt": (None, "nt"), "ntriples": (None, "nt"), "n-triples": (None, "nt"),
    "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "rdf": (None, "rdfxml"), "rdfxml": (None, "rdfxml"), "rdf+xml": (None, "rdfxml"),
}
DEFAULT_SELECT = "json"
DEFAULT_GRAPH = "ttl"


def parse_accept(header: str | None) -> list[str]:
    """Media ranges of an Accept header, best first (q descending, order kept among equals);
    ranges with q=0 are dropped."""
    if not header:
        return []
    ranges = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((-q, i, media))
    return [media for _, _, media in sorted(ranges)]


def _pick(ranges: list[str], table: dict[str, str], default: str) -> str | None:
    if not ranges:
        return default
    for media in ranges:
        if media in table:
            return table[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            family = media[:-1]
            if default_media(default).startswith(family):
                return default
            for known, fmt in table.items():
                if known.startswith(family) and fmt != "html":
                    return fmt
    return None


def default_media(fmt: str) -> str:
    return MEDIA_TYPE[fmt].split(";")[0]


@dataclass(frozen=True)
class Wanted:
    """The format to answer in for each kind of result; None: nothing the client accepts."""

    select: str | None
    graph: str | None
    explicit: bool = False    # given by a format parameter (which wins over Accept)


def negotiate(accept: str | None, formats: list[str] | None = None) -> Wanted:
    """``formats``: values of the format/output/results parameters, first recognised one wins
    (SPARQLWrapper sends both ``tsv`` and ``text/tab-separated-values``)."""
    for value in formats or []:
        value = value.strip().lower()
        if value in FORMAT_NAMES:
            s, g = FORMAT_NAMES[value]
            return Wanted(s, g, True)
        if value in SELECT_TYPES or value in GRAPH_TYPES:
            return Wanted(SELECT_TYPES.get(value), GRAPH_TYPES.get(value), True)
    ranges = parse_accept(accept)
    return Wanted(_pick(ranges, SELECT_TYPES, DEFAULT_SELECT), _pick(ranges, GRAPH_TYPES, DEFAULT_GRAPH))


def negotiate_document(accept: str | None, fmt: str | None) -> str | None:
    """For entity documents, VoID, dumps: html, ttl, nt, jsonld or rdfxml."""
    if fmt:
        fmt = fmt.strip().lower()
        if fmt in FORMAT_NAMES and FORMAT_NAMES[fmt][1]:
            return FORMAT_NAMES[fmt][1]
        return GRAPH_TYPES.get(fmt)
    ranges = parse_accept(accept)
    if not ranges:
        return "ttl"
    return _pick(ranges, GRAPH_TYPES, "ttl")
