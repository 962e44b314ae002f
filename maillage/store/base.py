"""What every store offers (the ``Store`` protocol), and the plain result types."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

META_FILE = "maillage-build.json"


class StoreMissing(Exception):
    """No graph has been built at this place yet."""


class QueryError(Exception):
    """A bad query, parameter or endpoint, with a message meant for the user (the query layer
    raises it too): ``str(exc)`` for the command line, ``exc.fr`` in plain French for the
    explorer's pages."""

    def __init__(self, message: str, fr: str | None = None):
        super().__init__(message)
        self.fr = fr or message


class ReadOnly(Exception):
    """An update was sent to a store opened for reading."""


@dataclass
class QueryResult:
    """SELECT results as plain Python values (str for IRIs and strings, int/Decimal for numbers)."""

    variables: list[str]
    rows: list[dict[str, Any]]
    # the same values column by column, as the store converted them, when it has them at hand (the
    # Oxigraph adapter, for a long result) else None: the query layer looks at a column at once
    # with them, then drops them (they are not kept in step with later changes to the rows)
    columns: Mapping[str, list[Any]] | None = field(default=None, repr=False, compare=False)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


class Columns(Mapping):
    """A result's values column by column: the rows converted term by term first (as tuples),
    then the columns converted from TSV; a column's whole list is made when it is read (the query
    layer reads only its list columns, most results have none)."""

    __slots__ = ("_index", "_first", "_rest", "_made")

    def __init__(self, variables: list[str], first: list[tuple], rest: list[list]):
        self._index = {v: i for i, v in enumerate(variables)}
        self._first, self._rest, self._made = first, rest, {}

    def __getitem__(self, key: str) -> list:
        made = self._made.get(key)
        if made is None:
            i = self._index[key]
            made = self._made[key] = [*(row[i] for row in self._first), *self._rest[i]] if self._first else self._rest[i]
        return made

    def __iter__(self):
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


@runtime_checkable
class Store(Protocol):
    """One RDF dataset whose default graph is the union of its named graphs.

    Bindings map variable names to terms (see :func:`maillage.store.terms.to_term`: a ``str`` is an
    IRI, a :class:`maillage.model.Lit` a literal, numbers typed literals)."""

    name: str

    def select(self, query: str, bindings: Mapping[str, Any] | None = None) -> QueryResult: ...

    def ask(self, query: str, bindings: Mapping[str, Any] | None = None) -> bool: ...

    def construct(self, query: str, bindings: Mapping[str, Any] | None = None) -> list: ...

    def quads(self, graph: str | None = None) -> Iterator: ...

    def graphs(self) -> list[str]: ...

    def update(self, sparql: str) -> None: ...

    def dump(self, fmt: str = "nq", graph: str | None = None) -> bytes: ...

    def nquads(self) -> bytes: ...

    def __len__(self) -> int: ...


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start
