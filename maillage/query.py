"""The one query layer: every SPARQL query maillage runs (the command line, the explorer, the
benchmark) is a ``.rq`` file under ``queries/`` (the canned questions) or ``queries/internal/``
(the explorer's own), loaded, bound and run here.

An internal query declares its variables bound by the caller (``# @bind x``, ``# @values x``); a line ``#+x …`` in it is a clause that counts only when ``?x`` is bound. Each canned file starts with a header
comment: ``# name: question`` then lines ``# @param NAME TYPE required|optional help``. A parameter ``foo``
is the variable ``?fooParam`` in the query text. A line ``#+foo …`` is a clause that counts only when ``foo``
is given: an absent filter costs nothing, a given one is a plain join (``!BOUND(?x) || EXISTS {…}`` filters
were 10–40× slower on Oxigraph at 100 k triples). Values are resolved to RDF terms (an organisation's name ->
its URI) and bound by the store (a VALUES block of RDF terms): never spliced into the text. A ``flag`` parameter
(``oui``/``non``) only switches its ``#+name`` clauses on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from maillage import model
from maillage.list_columns import LIST_COLUMNS, sort_list_columns  # noqa: F401 - LIST_COLUMNS: read as query.LIST_COLUMNS
from maillage.store.base import QueryError  # one error type for the query layer and the stores
from maillage.store.terms import valid_iri


def _queries_dir() -> Path:
    # installed: maillage/queries (package data); in the repository: the top-level queries/
    here = Path(__file__).resolve().parent
    for candidate in (here / "queries", here.parent / "queries"):
        if candidate.is_dir() and any(candidate.glob("*.rq")):
            return candidate
    raise FileNotFoundError("the queries/ folder of .rq files is missing from this installation")


HERE = _queries_dir()
INTERNAL = HERE / "internal"

PARAM_TYPES = ("organisation", "initiative", "territory", "theme", "public", "role", "programme", "document", "year", "text", "flag")
FRANCE = {"france", "toute la france", "fr"}
_HTTP = re.compile(r"^https?://")
YES = {"oui", "yes", "true", "1", "on", "o", "y"}
NO = {"non", "no", "false", "0", "off", "n"}
# Entity parameters: the class whose members a value must name.
CLASS_OF = {
    "organisation": model.ORG + "FormalOrganization",
    "initiative": model.MAI + "Initiative",
    "territory": model.IGEO + "TerritoireFrancais",
    "programme": model.SCHEMA + "FundingScheme",
}
SCHEME_OF = {"theme": model.THEME, "public": model.PUBLIC, "role": model.ROLE}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    help: str
    label: str = ""           # the field's name on a page (French), from '# @champ NAME Libellé | exemple'
    placeholder: str = ""

    @cached_property
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
    title: str = ""           # the question in French ('# titre: …'), for pages
    aide: str = ""            # what the answer holds, in plain French ('# aide: …'): no engine notes

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
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})",
                         f"la question « {self.title} » n'a pas de champ « {name} »")


_CLAUSE = re.compile(r"^(\s*)#([+-])([a-z_]+) (.*)$", re.MULTILINE)


@lru_cache(maxsize=512)
def _text_for(text: str, given: frozenset) -> str:
    # '#+name …' counts when name is given, '#-name …' when it is not.
    # cached: a millisecond query should not pay for a regex pass over its own text each time
    return _CLAUSE.sub(lambda m: f"{m[1]}{m[4]}" if (m[3] in given) == (m[2] == "+") else m[0], text)
_HEADER = re.compile(r"^#\s*(?P<name>[a-z0-9-]+):\s*(?P<question>.+)$")
_FRENCH = re.compile(r"^#\s*(?P<key>titre|aide):\s*(?P<text>.+)$")
_FIELD = re.compile(r"^#\s*@champ\s+(?P<name>[a-z_]+)\s+(?P<label>[^|]+?)\s*(?:\|\s*(?P<placeholder>.*))?$")
_PARAM = re.compile(r"^#\s*@param\s+(?P<name>[a-z_]+)\s+(?P<type>\w+)\s+(?P<req>required|optional)\s*(?P<help>.*)$")


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or not (m := _HEADER.match(lines[0])):
        raise QueryError(f"{path}:1: a query file starts with '# name: the question it answers'")
    if m["name"] != path.stem:
        raise QueryError(f"{path}:1: header names {m['name']!r} but the file is {path.stem!r}")
    params, description, french, fields = [], [], {}, {}
    for n, line in enumerate(lines[1:], start=2):
        if not line.startswith("#"):
            break
        if (f := _FRENCH.match(line)):
            french[f["key"]] = f["text"].strip()
        elif (f := _FIELD.match(line)):
            fields[f["name"]] = (f["label"].strip(), (f["placeholder"] or "").strip())
        elif (p := _PARAM.match(line)):
            if p["type"] not in PARAM_TYPES:
                raise QueryError(f"{path}:{n}: unknown parameter type {p['type']!r}")
            params.append(Param(p["name"], p["type"], p["req"] == "required", p["help"].strip()))
        elif "@param" in line:
            raise QueryError(f"{path}:{n}: write '# @param NAME TYPE required|optional help'")
        else:
            description.append(line.lstrip("# ").rstrip())
    for n, line in enumerate(lines, start=1):
        clause = _CLAUSE.match(line)
        if clause and clause[3] not in {p.name for p in params}:
            raise QueryError(f"{path}:{n}: clause for undeclared parameter {clause[3]!r}")
    for p in params:
        if p.type != "flag" and f"?{p.variable}" not in text:
            raise QueryError(f"{path}: parameter {p.name!r} is declared but ?{p.variable} is not used")
    unknown = set(fields) - {p.name for p in params}
    if unknown:
        raise QueryError(f"{path}: '@champ' for undeclared parameter(s) {sorted(unknown)}")
    params = [Param(p.name, p.type, p.required, p.help, *fields.get(p.name, (p.name, p.help))) for p in params]
    return NamedQuery(m["name"], m["question"].strip(), " ".join(description).strip(), tuple(params), text, path,
                      french.get("titre", m["question"].strip()), french.get("aide", ""))


@lru_cache(maxsize=1)
def catalogue() -> dict[str, NamedQuery]:
    return {q.name: q for q in (parse_query_file(p) for p in sorted(HERE.glob("*.rq")))}


def get(name: str) -> NamedQuery:
    queries = catalogue()
    if name not in queries:
        raise QueryError(f"no query named {name!r}; available: {', '.join(sorted(queries))}",
                         f"aucune question ne s'appelle « {name} »")
    return queries[name]


# ---------------------------------------------------------------- the explorer's own queries

_INTERNAL_HEADER = re.compile(r"^#\s*(?P<name>[a-z0-9-]+):")
_BIND = re.compile(r"^#\s*@(?P<kind>bind|values)\s+(?P<name>[A-Za-z_]\w*)\b")


@dataclass(frozen=True)
class InternalQuery:
    """A query of queries/internal/: its variables bound by the caller to RDF terms (``@bind``,
    one value) or lists of terms (``@values``, a VALUES block of many)."""
    name: str
    text: str
    binds: frozenset
    values: frozenset


@cache
def internal(name: str) -> InternalQuery:
    path = INTERNAL / f"{name}.rq"
    if not path.is_file():
        raise QueryError(f"no internal query {name!r} in {INTERNAL}")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or not (m := _INTERNAL_HEADER.match(lines[0])) or m["name"] != name:
        raise QueryError(f"{path}:1: an internal query starts with '# {name}: what it is for'")
    binds, values = set(), set()
    for line in lines:
        if (b := _BIND.match(line)):
            (binds if b["kind"] == "bind" else values).add(b["name"])
            if f"?{b['name']}" not in text.split("\n", 1)[1].replace(line, ""):
                raise QueryError(f"{path}: ?{b['name']} is declared but not used")
    for n, line in enumerate(lines, start=1):
        if (clause := _CLAUSE.match(line)) and clause[3] not in binds | values:
            raise QueryError(f"{path}:{n}: clause for undeclared binding or values {clause[3]!r} (declare it: '# @bind {clause[3]} …')")
    return InternalQuery(name, text, frozenset(binds), frozenset(values))


def internal_catalogue() -> dict[str, InternalQuery]:
    return {p.stem: internal(p.stem) for p in sorted(INTERNAL.glob("*.rq"))}


def term_text(term: Any) -> str:
    """An RDF term written for a VALUES block: validated and escaped by the store's term
    converter (never user text pasted into a query)."""
    from maillage.store import to_ox

    return str(to_ox(term))


def literal(value: str, lang: str | None = None) -> model.Lit:
    """A literal to bind (an IRI is bound as a plain str)."""
    return model.Lit(value, lang)


def bound_text(name: str, bindings: Mapping[str, Any] | None = None,
               values: Mapping[str, Iterable[Any]] | None = None) -> str:
    """The text of internal query ``name`` with its ``@values`` lists written in (as a VALUES
    block at the start of the outer WHERE); ``@bind`` variables are bound by the store."""
    q = internal(name)
    unknown = set(bindings or {}) - q.binds | set(values or {}) - q.values
    if unknown:
        raise QueryError(f"internal query {name!r} does not declare {sorted(unknown)}")
    # a line `#+name …` counts only when ?name is bound or given values (as in the canned queries)
    text = _text_for(q.text, frozenset(bindings or {}) | frozenset(values or {}))
    for var, terms in (values or {}).items():
        block = f"VALUES ?{var} {{ {' '.join(term_text(t) for t in terms)} }}"
        text = _WHERE.sub(lambda m: f"{m.group(0)} {block}", text, count=1)  # noqa: B023 - applied at once
    return text


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def select(store, name: str, bindings: Mapping[str, Any] | None = None,
           values: Mapping[str, Iterable[Any]] | None = None):
    """Rows of internal query ``name`` (plain Python values, as Store.select gives them)."""
    bindings = dict(bindings or {})
    return store.select(bound_text(name, bindings, values), bindings)


def construct(store, name: str, bindings: Mapping[str, Any] | None = None) -> list:
    """The triples of internal CONSTRUCT query ``name`` (the store's own triple objects, for the
    RDF writers)."""
    bindings = dict(bindings or {})
    return list(store.construct(bound_text(name, bindings), bindings))


def select_chunked(store, name: str, var: str, terms: Iterable[Any], chunk: int = 400,
                   bindings: Mapping[str, Any] | None = None) -> list[dict]:
    """Rows of ``name`` for a long list of terms bound to ``var``, a few hundred at a time."""
    todo, rows = list(terms), []
    for start in range(0, len(todo), chunk):
        rows += select(store, name, bindings, {var: todo[start:start + chunk]}).rows
    return rows


def documents(store) -> list[str]:
    """The file names of the source documents in the graph."""
    return sorted(r["name"] for r in select(store, "lookup-document").rows)


# ---------------------------------------------------------------- parameter values -> terms

normalise = model.fold  # case, accents, ligatures, apostrophes and punctuation do not matter


def resolve(store, param: Param, value: str) -> Any:
    """A user's text for a parameter -> the RDF term to bind, or QueryError saying why not."""
    value = value.strip()
    if not value:
        raise QueryError(f"parameter {param.name!r} is empty", f"le champ « {param.label} » est vide")
    if param.type == "year":
        if not re.fullmatch(r"\d{4}", value):
            raise QueryError(f"parameter {param.name!r}: {value!r} is not a year (e.g. 2022)",
                             f"« {value} » n'est pas une année (par exemple 2022)")
        return int(value)
    if param.type == "text":
        return model.Lit(value)
    if param.type == "flag":
        if value.lower() in YES:
            return True
        if value.lower() in NO:
            return False
        raise QueryError(f"parameter {param.name!r} is oui or non (yes or no), not {value!r}",
                         f"le champ « {param.label} » vaut oui ou non, pas « {value} »")
    if _HTTP.match(value):
        if valid_iri(value):
            return str(value)
        raise QueryError(f"{value!r} is not a valid IRI", f"« {value} » n'est pas une IRI valable")
    if param.type == "document":  # a document's named graph, by file name or its leading number
        rows = select(store, "lookup-document").rows
        hits = {r["s"]: r["name"] for r in rows if r["name"] == value or r["name"].split("_")[0] == value
                or r["name"].rsplit(".", 1)[0] == value}
        if len(hits) == 1:
            return str(next(iter(hits)))
        known = ", ".join(sorted(r["name"] for r in rows))
        raise QueryError(f"no single document {value!r}; documents: {known}",
                         f"aucun document source unique « {value} » ; documents : {known}")
    if param.type in SCHEME_OF:
        rows = select(store, "lookup-scheme", {"scheme": str(SCHEME_OF[param.type])}).rows
    else:
        rows = select(store, "lookup-class", {"class": str(CLASS_OF[param.type])}).rows
    wanted = normalise(value)
    matches: dict[str, str] = {}
    for row in rows:
        uri = row["s"]
        local = uri.rstrip("/").rsplit("/", 1)[-1]
        keys = {normalise(row["label"] or ""), normalise(local)}
        if param.type == "territory":
            if ":" in value and model.territory_ref(uri) == value:
                matches[uri] = row["name"]
        if wanted in keys:
            matches[uri] = row["name"]
    if len(matches) == 1:
        return str(next(iter(matches)))
    if not matches:
        near = _suggest(wanted, rows)
        raise QueryError(f"no {param.type} called {value!r}" + (f"; did you mean: {', '.join(map(repr, near))}?" if near else ""),
                         f"« {value} » : aucun résultat pour le champ « {param.label} »"
                         + (f" ; vouliez-vous dire : {', '.join(f'« {n} »' for n in near)} ?" if near else ""))
    names = "; ".join(f"{name} <{uri}>" for uri, name in sorted(matches.items()))
    raise QueryError(f"{value!r} names several {param.type}s: {names}. Give the URI or a more precise name.",
                     f"« {value} » désigne plusieurs choses : {names}. Précisez le nom ou donnez l'URI.")


def _suggest(wanted: str, rows: list[dict]) -> list[str]:
    words = set(wanted.split())
    scored = {}
    for row in rows:
        overlap = len(words & set(normalise(row["label"] or "").split()))
        if overlap:
            scored[row["name"]] = max(scored.get(row["name"], 0), overlap)
    best = sorted(scored, key=lambda n: (-scored[n], n))[:3]
    return best


@dataclass
class Prepared:
    query: NamedQuery
    bindings: dict[str, Any] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def given(self) -> list[str]:
        """The parameters whose ``#+name`` clauses count."""
        return [p.name for p in self.query.params if p.variable in self.bindings or p.name in self.flags]

    @property
    def text(self) -> str:
        return self.query.text_for(self.given)


def live(name: str) -> NamedQuery:
    """Question ``name`` computed from the facts (queries/live/NAME.rq), not read from the store's aggregates."""
    return parse_query_file(HERE / "live" / f"{name}.rq")


def prepare(store, name: str | NamedQuery, params: Mapping[str, str]) -> Prepared:
    query = name if isinstance(name, NamedQuery) else get(name)
    bindings, flags = {}, set()
    for key, value in params.items():
        param = query.param(key)
        if param.type == "territory" and normalise(value) in FRANCE:
            continue          # the whole country: no territory filter
        term = resolve(store, param, value)
        if param.type == "flag":
            if term:
                flags.add(param.name)
        else:
            bindings[param.variable] = term
    missing = [p.name for p in query.params if p.required and p.name not in params]
    # (a required territory given as "France" counts as given)
    if missing:
        raise MissingParameter(query, query.param(missing[0]))
    return Prepared(query, bindings, flags)


class MissingParameter(QueryError):
    """A required parameter is not given: the CLI names its option, the explorer its field."""

    def __init__(self, query: NamedQuery, param: Param):
        self.query, self.param = query, param
        super().__init__(f"query {query.name!r} needs --param {param.name}=… ({param.help})",
                         f"indiquez le champ « {param.label} » ({param.placeholder or param.help})")


def run(store, name: str, params: Mapping[str, str] | None = None):
    """A canned question's rows for the parameters people give (names, codes, URIs)."""
    return run_prepared(store, prepare(store, name, params or {}))


def run_prepared(store, prepared: Prepared):
    result = store.select(prepared.text, prepared.bindings)
    sort_list_columns(result)
    return result
