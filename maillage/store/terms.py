"""The one term converter: RDF terms of any engine <-> plain Python values, and literals spelled
one way wherever they are written.

* ``value(term)``: a term of pyoxigraph, rdflib or SPARQL JSON results -> ``str`` (IRIs, strings,
  dates), ``int`` / ``Decimal`` / ``float`` (numbers), ``"_:id"`` (blank nodes), None.
* ``to_term(x)``: a parameter or object value -> a pyoxigraph term (which validates and escapes):
  ``str`` is an IRI, :class:`maillage.model.Lit` a literal, ``int`` an xsd:integer, ``Decimal`` or
  ``float`` an xsd:decimal in the lexical form :func:`decimal_text` gives (the records, the loaded
  files and the synthetic graph all write amounts through it).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import islice
from typing import Any

import pyoxigraph as ox

from maillage.model import XSD, Lit
from maillage.store.base import Columns

_NUMERIC = {XSD + "integer": int, XSD + "int": int, XSD + "long": int,
            XSD + "decimal": Decimal, XSD + "double": float, XSD + "float": float}


def _cast(text: str, datatype: str | None) -> Any:
    cast = _NUMERIC.get(datatype or "")
    if cast is None:
        return text
    try:
        return cast(text)
    except (ValueError, ArithmeticError, InvalidOperation):
        return text


_NAMED, _LITERAL = ox.NamedNode, ox.Literal
# the numeric datatypes as pyoxigraph nodes: a literal's datatype is looked up as it comes, without
# making the string of its IRI (a fifth of the conversion of a result of 60,000 cells)
_NUMERIC_NODES = {ox.NamedNode(iri): cast for iri, cast in _NUMERIC.items()}


def value(term: Any) -> Any:
    """Any engine's term (or a SPARQL JSON results binding) as a plain Python value."""
    kind = type(term)  # exact types first: this runs once per cell of every result
    if kind is _LITERAL:
        cast = _NUMERIC_NODES.get(term.datatype)
        if cast is None:
            return term.value
        text = term.value
        try:
            return cast(text)
        except (ValueError, ArithmeticError, InvalidOperation):
            return text
    if kind is _NAMED:
        return term.value
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _cast(term.value, term.datatype.value)
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Mapping):   # SPARQL 1.1 JSON results
        kind, text = term.get("type"), term.get("value")
        if kind == "bnode":
            return f"_:{text}"
        if kind in ("literal", "typed-literal"):
            return _cast(text, term.get("datatype"))
        return text
    kind = type(term).__name__       # rdflib, without importing it
    if kind == "Literal":
        return _cast(str(term), str(term.datatype) if term.datatype else None)
    if kind == "BNode":
        return f"_:{term}"
    return str(term)


# ---------------------------------------------------------------- a whole result at once

_TSV = ox.QueryResultsFormat.TSV
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\"}


# rows converted term by term before the rest of a result is written as TSV: writing TSV has a
# fixed cost (about 10 µs) that a result of a few rows does not repay
_HEAD = 16


def solution_rows(solutions: Any, head: int = _HEAD) -> tuple[list[str], list[dict[str, Any]]]:
    """A pyoxigraph SELECT result as (variables, rows of plain values), the values exactly those
    of :func:`value` term by term. Its first rows are converted term by term (:func:`value`); the
    rest, if any, is written by the engine as SPARQL TSV in one call and each column is converted
    at once when all its cells have one shape (IRIs; integers; literals of one datatype or
    language, without escapes), else cell by cell. Making a Python term object per cell and
    converting it cost a quarter of the time of the aggregated reads at 100 k triples.
    ``head``: how many rows are converted term by term first (0: all of them through TSV)."""
    variables, rows, _ = solution_table(solutions, head)
    return variables, rows


def solution_table(solutions: Any, head: int = _HEAD) -> tuple[list[str], list[dict[str, Any]], Mapping[str, list] | None]:
    """:func:`solution_rows` and, for a result longer than ``head`` rows, its values column by
    column too (the same objects, a column's list made when it is first read; None for a shorter
    result)."""
    variables = [v.value for v in solutions.variables]
    rows_of = _rows_maker(*variables)
    first = [tuple(map(value, solution)) for solution in islice(solutions, head)] if head else []
    rows = rows_of(first)
    if len(rows) < head:
        return variables, rows, None
    text = solutions.serialize(format=_TSV).decode()  # the solutions not read yet, after a header line
    n = len(variables)
    if not variables:
        return variables, rows + [{} for _ in range(text.count("\n") - 1)], {}
    # every cell, the header's n first and an empty one after the last newline (tabs and newlines in
    # literals are escaped): split at once, without copying the text after the header first
    cells = text.replace("\n", "\t").split("\t")
    del text  # freed before the values are made (its memory reused by them)
    end = len(cells) - 1
    if end == n:
        return variables, rows, Columns(variables, first, [[] for _ in range(n)])
    paused = gc.isenabled()
    if paused:  # thousands of new dicts and no cycle among them: a collection would free nothing
        gc.disable()
    try:
        todo = [cells[i:end:n] for i in range(n, 2 * n)]
        del cells
        columns = []
        for i in range(n):  # each column's cells freed once converted: the next ones reuse their memory
            columns.append(_column(todo[i]))
            todo[i] = None
        rows += rows_of(zip(*columns))
        return variables, rows, Columns(variables, first, columns)
    finally:
        if paused:
            gc.enable()


@lru_cache(maxsize=1024)
def _rows_maker(*variables: str):
    """A function of rows of cells (tuples in the order of ``variables``) -> the rows as dicts.
    Its keys are written in its code as constants: a dict display builds a row in one step, about
    twice as fast as ``dict(zip(variables, cells))`` (a tenth of the conversion of the aggregated
    reads). The variables are SPARQL variable names, written as Python string literals
    (``repr``): nothing of them is run."""
    if not variables:
        return lambda rows: [{} for _ in rows]
    cells = ", ".join(f"_{i}" for i in range(len(variables)))
    display = ", ".join(f"{name!r}: _{i}" for i, name in enumerate(variables))
    return eval(f"lambda rows: [{{{display}}} for {cells}, in rows]", {})  # noqa: S307 - built from reprs above


# the integers a count most often is, by their text (as the engine writes an xsd:integer in TSV)
_SMALL_INTS = {str(i): i for i in range(1024)}


def _column(cells: list[str]) -> list:
    """The values of one column of TSV cells (see solution_rows)."""
    n, first = len(cells), cells[0]
    head = first[:1]
    if head.isdigit() and None not in (values := list(map(_SMALL_INTS.get, cells))):
        return values  # counts: most are small (an unbound cell, "", is not among them)
    if "" in cells:  # unbound cells (None): the others converted together, then put back in place
        present = list(filter(None, cells))
        if not present:
            return [None] * n
        sample = present[:64]
        if len(set(sample)) * 4 < len(sample) * 3:  # many repeat: each distinct one converted once, then looked up
            texts = list(set(present))
            return list(map(dict(zip(texts, _column(texts))).get, cells))
        values = iter(_column(present))  # mostly distinct (amounts): hashing each long cell would cost more
        return [next(values) if cell else None for cell in cells]
    if (head == "<" or head == '"') and (values := _one_shape("\t".join(cells), first, n)) is not None:
        return values
    if head.isdigit() or head == "-" or head == "+":
        texts = list(set(cells))  # counts repeat: each distinct one converted once
        try:  # only bare integers pass: others have quotes, brackets, dots
            return list(map(dict(zip(texts, map(int, texts))).get, cells))
        except ValueError:
            pass
    if len(distinct := set(cells)) < n:  # cell by cell: each distinct one once
        texts = list(distinct)
        return list(map(dict(zip(texts, map(_cell, texts))).get, cells))
    return list(map(_cell, cells))


def _one_shape(joined: str, first: str, n: int) -> list | None:
    """The values of a column of ``n`` bound cells joined by tabs when all of them are IRIs, or
    literals of one datatype or language without an escape; else None. A separator that ends a
    cell and starts the next is found only between cells, so one split of the joined column gives
    every cell's text when all have one shape (the count of the pieces says whether they do)."""
    if first[0] == "<":
        texts = joined[1:-1].split(">\t<")
        return texts if len(texts) == n else None  # every cell starts with "<": every one is an IRI
    if "\\" in joined:
        return None
    # literals without an escape, hence without a quote inside: the same suffix after the closing quote?
    suffix = first[first.rindex('"'):]
    if len(suffix) < 8:  # a plain string or a language: split where a cell ends and the next one starts
        texts = joined[1:-len(suffix)].split(suffix + '\t"') if joined.endswith(suffix) else ()
    else:  # a datatype: splitting at every quote is faster than at a separator of 45 characters
        parts, tail = joined.split('"'), suffix[1:]  # "text", then tail and a tab, then "text" …
        texts = parts[1::2] if len(parts) == 2 * n + 1 and parts[-1] == tail and \
            parts[2:-1:2].count(tail + "\t") == n - 1 else ()
    if len(texts) != n:
        return None
    if suffix[1:4] != "^^<":
        return texts  # a plain string, or one language
    datatype = suffix[4:-1]
    cast = _NUMERIC.get(datatype)
    if cast is None:
        return texts
    try:
        return list(map(cast, texts))
    except (ValueError, ArithmeticError, InvalidOperation):
        return [_cast(t, datatype) for t in texts]


def _cell(text: str) -> Any:
    """One SPARQL TSV cell as :func:`value` gives its term."""
    head = text[:1]
    if head == '"':
        end = text.rindex('"')
        body = text[1:end]
        if "\\" in body:
            body = _unescape(body)
        return _cast(body, text[end + 4:-1]) if text[end + 1:end + 3] == "^^" else body
    if head == "<":
        return text[1:-1]
    if not head:
        return None  # unbound
    if head == "_":
        return text  # a blank node, "_:id"
    # a bare number or boolean (the engine writes xsd:integer, decimal, double, boolean so)
    if text == "true" or text == "false":
        return text
    if "e" in text or "E" in text:
        return float(text)
    return Decimal(text) if "." in text else int(text)


def _unescape(body: str) -> str:
    out, i = [], 0
    while (j := body.find("\\", i)) >= 0:
        out += (body[i:j], _ESCAPED[body[j + 1]])
        i = j + 2
    out.append(body[i:])
    return "".join(out)


def decimal_text(number: float | int | Decimal) -> str:
    """One spelling of an amount: ``1800000`` (no ``.0``), ``1234.5``, never an exponent."""
    d = Decimal(str(number)) if not isinstance(number, Decimal) else number
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def to_term(x: Any) -> Any:
    """A pyoxigraph term for a binding or an object value (see the module docstring)."""
    if type(x) is str:  # the common case first: an IRI
        return ox.NamedNode(x)
    if isinstance(x, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.DefaultGraph)):
        return x
    if isinstance(x, Lit):
        if x.lang:
            return ox.Literal(x.value, language=x.lang)
        return ox.Literal(x.value, datatype=ox.NamedNode(x.datatype)) if x.datatype else ox.Literal(x.value)
    if isinstance(x, bool):
        return ox.Literal("true" if x else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(x, int):
        return ox.Literal(str(x), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(x, (float, Decimal)):
        return ox.Literal(decimal_text(x), datatype=ox.NamedNode(XSD + "decimal"))
    kind = type(x).__name__           # rdflib terms, without importing rdflib
    if kind in ("URIRef", "Namespace"):
        return ox.NamedNode(str(x))
    if kind == "BNode":
        return ox.BlankNode(str(x))
    if kind == "Literal":
        if x.language:
            return ox.Literal(str(x), language=x.language)
        return ox.Literal(str(x), datatype=ox.NamedNode(str(x.datatype))) if x.datatype else ox.Literal(str(x))
    if isinstance(x, str):
        return ox.NamedNode(x)
    raise TypeError(f"not an RDF term: {x!r}")


to_ox = to_term  # the name the query layer used


def valid_iri(text: str) -> bool:
    """Whether the store takes ``text`` as an IRI (its own parser decides, not a copy of its rules)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def iri(text: str) -> ox.NamedNode:
    return ox.NamedNode(text)


def literal(text: Any, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
    return to_term(Lit(str(text), lang, datatype))


def json_term(binding: Mapping[str, Any]) -> Any:
    """One SPARQL JSON results term as a pyoxigraph term (for N-Quads)."""
    kind, text = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return ox.BlankNode(text)
    if "xml:lang" in binding:
        return ox.Literal(text, language=binding["xml:lang"])
    if binding.get("datatype"):
        return ox.Literal(text, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(text)


json_value = value  # a SPARQL JSON binding is one more kind of term value() reads


# ---------------------------------------------------------------- parameters as VALUES blocks

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(query: str, bindings: Mapping[str, Any] | None) -> str:
    """Bind parameters with a VALUES block at the start of every WHERE group (subqueries
    included: they do not see the outer query's bindings).

    pyoxigraph's own ``substitutions`` only accept projected variables, so parameters are bound
    here instead: each value is an RDF term object (validated and escaped by pyoxigraph when it
    is written out), never user text pasted into the query.
    """
    if not bindings:
        return query
    items = tuple(bindings.items())
    if all(type(v) is str for _, v in items):  # IRIs, the common case: the text for them is remembered
        return _with_iris(query, items)
    return _with_terms(query, bindings)


@lru_cache(maxsize=1024)
def _with_iris(query: str, items: tuple[tuple[str, str], ...]) -> str:
    # keyed by the exact strings (their type checked by the caller): each IRI is still validated by
    # to_term the first time, and an invalid one raises every time (errors are not cached)
    return _with_terms(query, dict(items))


def _with_terms(query: str, bindings: Mapping[str, Any]) -> str:
    bound = {k: to_term(v) for k, v in bindings.items() if v is not None}
    if not bound:
        return query
    # str() of a pyoxigraph term is its escaped N-Triples form: the cache key is the text to insert
    return _insert_values(query, " ".join(f"VALUES ?{_variable(k)} {{ {term} }}" for k, term in bound.items()))


@lru_cache(maxsize=256)
def _insert_values(query: str, block: str) -> str:
    out, found = [], False
    for line in query.splitlines(keepends=True):
        if not line.lstrip().startswith("#"):
            line, n = _WHERE.subn(lambda m: f"{m.group(0)} {block}", line)
            found = found or n > 0
        out.append(line)
    if not found:
        raise ValueError("cannot bind parameters: the query has no WHERE { … } clause")
    return "".join(out)


def _variable(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"not a SPARQL variable name: {name!r}")
    return name
