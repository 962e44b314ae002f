"""Columns that hold several values (GROUP_CONCAT): their order is engine-defined, so the query
layer sorts each cell's parts (by folded name) and drops empty parts; a cell with none is None."""

from __future__ import annotations

from functools import lru_cache
from operator import itemgetter
from typing import Any

from maillage.model import fold

LIST_COLUMNS = {"funder": " ; ", "cofunders": " ; ", "initiatives": " ; ", "roles": " ; ",
                "places": " ; ", "pilots": " ; ", "themes": " ; ", "source": " "}


def sort_list_columns(result) -> None:
    """Sort the parts of the list cells of a QueryResult, in place. A column's cells are looked at
    together first (most columns have no list and no blank cell): from ``result.columns`` when the
    store gave them (then dropped: they are not kept in step with the rows changed here), else
    read from the rows."""
    rows, columns = result.rows, getattr(result, "columns", None)
    if columns is not None:
        result.columns = None
    for column in LIST_COLUMNS.keys() & set(result.variables) if rows else ():
        sep = LIST_COLUMNS[column]
        cells = columns[column] if columns else list(map(itemgetter(column), rows))
        try:
            joined, strings = "\x00".join(cells), True
        except TypeError:  # numbers or unbound cells among them: only strings hold lists
            joined, strings = "\x00".join(cells := list(filter(str.__instancecheck__, cells))), False
        listed = sep in joined
        blank = not all(cells) or any(map(str.isspace, cells))
        if not listed and not blank:
            continue  # the common case: no cell holds a list or is blank, nothing changes
        if strings and not blank and joined.count("\x00") == len(cells) - 1:
            # every cell a string, none blank, none holding "\x00": only the cells holding a
            # separator change, found in the joined text (cells[i] is rows[i]'s) without a pass over the rows
            for i in _holding(joined, sep):
                if type(cell := rows[i][column]) is str:
                    rows[i][column] = _sorted_parts(cell, sep)
        else:
            for row in rows:
                if type(cell := row[column]) is str and (sep in cell or not cell.strip()):
                    row[column] = _sorted_parts(cell, sep)


def _holding(joined: str, sep: str):
    """The indexes of the cells joined by "\x00" (none holding one) that hold ``sep``."""
    index, start = 0, 0  # the cell that starts at ``start``
    while (hit := joined.find(sep, start)) >= 0:
        index += joined.count("\x00", start, hit)
        yield index
        end = joined.find("\x00", hit)
        if end < 0:
            return
        start, index = end + 1, index + 1


def _sorted_parts(value: Any, sep: str) -> Any:
    if not isinstance(value, str):
        return value
    if sep not in value:  # one value: nothing to sort (the common case, kept cheap)
        return value if value.strip() else None
    parts = [p for p in value.split(sep) if p.strip()]  # empty parts come from COALESCE(…, "")
    return sep.join(sorted(parts, key=_part_key)) or None


@lru_cache(maxsize=65536)
def _part_key(part: str) -> tuple[str, str]:
    return fold(part), part  # names repeat from row to row: fold each once
