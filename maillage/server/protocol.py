"""SPARQL 1.1 Protocol details that need no store: what a request text is (query or update,
federated or not) and which result format the client asked for.

Nothing here evaluates anything; the text itself is parsed by Oxigraph in a worker process.
"""

from __future__ import annotations

from dataclasses import dataclass

from maillage.sparql_text import keywords, update_dataset_words

# ---------------------------------------------------------------- what a request text is

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_KEYWORDS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
PROLOGUE = {"PREFIX", "BASE"}


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


# ---------------------------------------------------------------- the dataset of a request

class ProtocolError(Exception):
    """A request the Protocol says to refuse: its status and the message for the client."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class RequestDataset:
    """Graphs named by the protocol parameters (default-graph-uri / named-graph-uri for a query,
    using-graph-uri / using-named-graph-uri for an update); both empty: none given."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


def query_dataset(default: list[str], named: list[str]) -> RequestDataset:
    """For a query the protocol's graphs replace any FROM / FROM NAMED of the text (§2.1.4: "the
    SPARQL service must execute the query using the RDF Dataset given in the protocol request"),
    so there is no conflict to refuse; the store applies the rule."""
    return RequestDataset(tuple(default), tuple(named))


def update_dataset(text: str, using: list[str], using_named: list[str]) -> RequestDataset:
    """For an update the protocol's graphs and the text's USING / USING NAMED / WITH may not be
    mixed (§2.2.3: "the request ... MUST NOT include ... using-graph-uri or using-named-graph-uri
    parameters" with them): refused with 400."""
    dataset = RequestDataset(tuple(using), tuple(using_named))
    if dataset:
        clauses = update_dataset_words(text)
        if clauses:
            raise ProtocolError(400, "the update gives its dataset twice: using-graph-uri / using-named-graph-uri "
                                     f"parameters and {' / '.join(sorted(clauses))} in its text (SPARQL 1.1 "
                                     "Protocol §2.2.3); keep one of them")
    return dataset


def check_charset(content_type: str | None) -> None:
    """A query or update sent directly is UTF-8 (§2.1.3, §2.2.2): another declared charset is refused."""
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise ProtocolError(415, f"the body must be UTF-8 (SPARQL 1.1 Protocol), not {value.strip()}")


def service_iri(public_url: str | None, host: str, port: int) -> str:
    """The endpoint's own IRI, the base against which relative IRIs of a query or update are
    resolved (§2.1: "which MAY be the service endpoint"): from --public-url, else the address
    the server listens on, never from a request's Host header."""
    if public_url:
        return public_url.rstrip("/") + "/sparql"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/sparql"
