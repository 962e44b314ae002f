"""Named, parameterised SPARQL queries kept as .rq files.

Each file starts with a header comment: ``# name: question`` then lines
``# @param NAME TYPE required|optional help``. A parameter ``foo`` is the variable ``?fooParam``
in the query text. A line ``#+foo …`` is a clause that counts only when ``foo`` is given: an
absent filter costs nothing, a given one is a plain join (``!BOUND(?x) || EXISTS {…}`` filters
were 10–40× slower on Oxigraph at 100 k triples). Values are resolved to RDF terms (an organisation's name -> its URI) and bound
by the store (pyoxigraph substitutions, rdflib initBindings): never spliced into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from maillage import model

HERE = Path(__file__).resolve().parent

PARAM_TYPES = ("organisation", "initiative", "territory", "theme", "public", "role", "programme",
               "document", "year", "text")
# Entity parameters: the class whose members a value must name.
CLASS_OF = {
    "organisation": "http://www.w3.org/ns/org#FormalOrganization",
    "initiative": "https://w3id.org/maillage/def#Initiative",
    "territory": "http://rdf.insee.fr/def/geo#TerritoireFrancais",
    "programme": "https://schema.org/FundingScheme",
}
SCHEME_OF = {
    "theme": "https://w3id.org/maillage/def/theme/",
    "public": "https://w3id.org/maillage/def/public/",
    "role": "https://w3id.org/maillage/def/role/",
}


class QueryError(Exception):
    """A bad query name or parameter value, with a message meant for the user."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    help: str

    @property
    def variable(self) -> str:
        return f"{self.name}Param"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    question: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None

    def text_for(self, given: Iterable[str]) -> str:
        """The query for the parameters given: a line ``#+name …`` is a clause that only counts
        when parameter ``name`` is given (it is a comment otherwise), so an absent filter costs
        nothing and a given one is a plain join the engine can start from."""
        return _text_for(self.text, frozenset(given))

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


_CLAUSE = re.compile(r"^(\s*)#\+([a-z_]+) (.*)$", re.MULTILINE)


@lru_cache(maxsize=512)
def _text_for(text: str, given: frozenset) -> str:
    # cached: a millisecond query should not pay for a regex pass over its own text each time
    return _CLAUSE.sub(lambda m: f"{m[1]}{m[3]}" if m[2] in given else m[0], text)
_HEADER = re.compile(r"^#\s*(?P<name>[a-z0-9-]+):\s*(?P<question>.+)$")
_PARAM = re.compile(r"^#\s*@param\s+(?P<name>[a-z_]+)\s+(?P<type>\w+)\s+(?P<req>required|optional)\s*(?P<help>.*)$")


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or not (m := _HEADER.match(lines[0])):
        raise QueryError(f"{path}:1: a query file starts with '# name: the question it answers'")
    if m["name"] != path.stem:
        raise QueryError(f"{path}:1: header names {m['name']!r} but the file is {path.stem!r}")
    params, description = [], []
    for n, line in enumerate(lines[1:], start=2):
        if not line.startswith("#"):
            break
        if (p := _PARAM.match(line)):
            if p["type"] not in PARAM_TYPES:
                raise QueryError(f"{path}:{n}: unknown parameter type {p['type']!r}")
            params.append(Param(p["name"], p["type"], p["req"] == "required", p["help"].strip()))
        elif "@param" in line:
            raise QueryError(f"{path}:{n}: write '# @param NAME TYPE required|optional help'")
        else:
            description.append(line.lstrip("# ").rstrip())
    for n, line in enumerate(lines, start=1):
        clause = _CLAUSE.match(line)
        if clause and clause[2] not in {p.name for p in params}:
            raise QueryError(f"{path}:{n}: clause for undeclared parameter {clause[2]!r}")
    for p in params:
        if f"?{p.variable}" not in text:
            raise QueryError(f"{path}: parameter {p.name!r} is declared but ?{p.variable} is not used")
    return NamedQuery(m["name"], m["question"].strip(), " ".join(description).strip(), tuple(params), text, path)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, NamedQuery]:
    return {q.name: q for q in (parse_query_file(p) for p in sorted(HERE.glob("*.rq")))}


def get(name: str) -> NamedQuery:
    queries = catalogue()
    if name not in queries:
        raise QueryError(f"no query named {name!r}; available: {', '.join(sorted(queries))}")
    return queries[name]


# ---------------------------------------------------------------- parameter values -> terms

normalise = model.fold  # case, accents, ligatures, apostrophes and punctuation do not matter


_LOOKUP = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX igeo: <http://rdf.insee.fr/def/geo#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?s ?name ?label WHERE {
  ?s rdf:type ?class ; skos:prefLabel ?name .
  { ?s skos:prefLabel ?label } UNION { ?s skos:altLabel ?label }
  UNION { ?s skos:notation ?label } UNION { ?s igeo:codeINSEE ?label }
}"""

_SCHEME_LOOKUP = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?name ?label WHERE {
  ?s skos:inScheme ?scheme ; skos:prefLabel ?name .
  { ?s skos:prefLabel ?label } UNION { ?s skos:notation ?label }
}"""

_DOCUMENT_LOOKUP = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?s ?name ?label WHERE { ?s prov:wasDerivedFrom ?doc . ?doc dct:identifier ?name . BIND(?name AS ?label) }"""

_TERRITORY_PREFIX = {"reg": "region", "dep": "departement", "com": "commune", "epci": "epci",
                     "qpv": "qpv", "quartier": "quartier"}


def resolve(store, param: Param, value: str) -> Any:
    """A user's text for a parameter -> the RDF term to bind, or QueryError saying why not."""
    value = value.strip()
    if not value:
        raise QueryError(f"parameter {param.name!r} is empty")
    if param.type == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise QueryError(f"parameter {param.name!r}: {value!r} is not a year (e.g. 2022)")
        return Literal(int(value), datatype=XSD.integer)
    if param.type == "text":
        return Literal(value)
    if re.match(r"^https?://", value):
        return URIRef(value)
    if param.type == "document":  # a document's named graph, by file name or its leading number
        rows = store.select(_DOCUMENT_LOOKUP).rows
        hits = {r["s"]: r["name"] for r in rows if r["name"] == value or r["name"].split("_")[0] == value
                or r["name"].rsplit(".", 1)[0] == value}
        if len(hits) == 1:
            return URIRef(next(iter(hits)))
        known = ", ".join(sorted(r["name"] for r in rows))
        raise QueryError(f"no single document {value!r}; documents: {known}")
    if param.type in SCHEME_OF:
        rows = store.select(_SCHEME_LOOKUP, {"scheme": URIRef(SCHEME_OF[param.type])}).rows
    else:
        rows = store.select(_LOOKUP, {"class": URIRef(CLASS_OF[param.type])}).rows
    wanted = normalise(value)
    matches: dict[str, str] = {}
    for row in rows:
        uri = row["s"]
        local = uri.rstrip("/").rsplit("/", 1)[-1]
        keys = {normalise(row["label"] or ""), normalise(local)}
        if param.type == "territory":
            scheme, _, code = value.partition(":")
            if code and f"/territoire/{_TERRITORY_PREFIX.get(scheme, scheme)}/{code}" in uri:
                matches[uri] = row["name"]
        if wanted in keys:
            matches[uri] = row["name"]
    if len(matches) == 1:
        return URIRef(next(iter(matches)))
    if not matches:
        hint = _suggest(wanted, rows)
        raise QueryError(f"no {param.type} called {value!r}" + (f"; did you mean: {hint}?" if hint else ""))
    names = "; ".join(f"{name} <{uri}>" for uri, name in sorted(matches.items()))
    raise QueryError(f"{value!r} names several {param.type}s: {names}. Give the URI or a more precise name.")


def _suggest(wanted: str, rows: list[dict]) -> str:
    words = set(wanted.split())
    scored = {}
    for row in rows:
        overlap = len(words & set(normalise(row["label"] or "").split()))
        if overlap:
            scored[row["name"]] = max(scored.get(row["name"], 0), overlap)
    best = sorted(scored, key=lambda n: (-scored[n], n))[:3]
    return ", ".join(repr(b) for b in best)


@dataclass
class Prepared:
    query: NamedQuery
    bindings: dict[str, Any] = field(default_factory=dict)


def prepare(store, name: str, params: Mapping[str, str]) -> Prepared:
    query = get(name)
    bindings = {}
    for key, value in params.items():
        param = query.param(key)
        bindings[param.variable] = resolve(store, param, value)
    missing = [p.name for p in query.params if p.required and p.name not in params]
    if missing:
        raise QueryError(f"query {name!r} needs --param {missing[0]}=… ({query.param(missing[0]).help})")
    return Prepared(query, bindings)


# Columns that hold several values (GROUP_CONCAT): their order is engine-defined, so sort them.
LIST_COLUMNS = {"funder": " ; ", "cofunders": " ; ", "initiatives": " ; ", "roles": " ; ",
                "places": " ; ", "pilots": " ; ", "themes": " ; ", "source": " "}


def _sorted_parts(value: Any, sep: str) -> Any:
    if not isinstance(value, str):
        return value
    if sep not in value:  # one value: nothing to sort (the common case, kept cheap)
        return value if value.strip() else None
    parts = [p for p in value.split(sep) if p.strip()]  # empty parts come from COALESCE(…, "")
    return sep.join(sorted(parts, key=lambda part: (normalise(part), part))) or None


def run(store, name: str, params: Mapping[str, str] | None = None):
    prepared = prepare(store, name, params or {})
    given = [p.name for p in prepared.query.params if p.variable in prepared.bindings]
    result = store.select(prepared.query.text_for(given), prepared.bindings)
    for row in result.rows:
        for column, sep in LIST_COLUMNS.items():
            if column in row:
                row[column] = _sorted_parts(row[column], sep)
    return result
