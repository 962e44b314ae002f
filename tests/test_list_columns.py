"""The query layer's list columns (maillage/list_columns.py): each cell's parts sorted, empty parts
dropped, a cell with none None, whichever way the cells are found (from the store's columns or
from the rows)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from maillage.list_columns import _sorted_parts, sort_list_columns
from maillage.store.base import QueryResult

_part = st.sampled_from(["Élan", "élan", "Zèbre", "abc", "", " ", "a\x00b", "\x00", "Œuvre", "1"])
_cell = st.one_of(
    st.none(), st.integers(0, 3),
    st.lists(_part, max_size=4).map(" ; ".join),
    st.sampled_from(["", " ", "\t", "\u3000", "seul", "x\x00y", "a ; b", " ; "]))


def _reference(rows: list[dict], sep: str, column: str) -> list:
    """Cell by cell, as the query layer did before it looked at a column at once."""
    return [_sorted_parts(c, sep) if type(c) is str and (sep in c or not c.strip()) else c
            for c in (row[column] for row in rows)]


@given(st.lists(st.tuples(_cell, _cell), min_size=1, max_size=30), st.booleans())
def test_list_columns_sorted_as_cell_by_cell(cells, with_columns):
    rows = [{"initiatives": a, "source": b, "other": a} for a, b in cells]
    expected = {"initiatives": _reference(rows, " ; ", "initiatives"), "source": _reference(rows, " ", "source")}
    columns = {k: [r[k] for r in rows] for k in ("initiatives", "source", "other")} if with_columns else None
    result = QueryResult(["initiatives", "source", "other"], [dict(r) for r in rows], columns)
    sort_list_columns(result)
    assert [r["initiatives"] for r in result.rows] == expected["initiatives"]
    assert [r["source"] for r in result.rows] == expected["source"]
    assert [r["other"] for r in result.rows] == [a for a, _ in cells]
    assert result.columns is None


def test_list_columns_many_rows_few_lists():
    """A long column whose cells are all strings, a few of them lists (the co-funders' shape)."""
    rows = [{"initiatives": f"Initiative {i}" if i % 97 else f"Initiative {i} ; Initiative 1{i} ; A"} for i in range(2000)]
    result = QueryResult(["initiatives"], rows, {"initiatives": [r["initiatives"] for r in rows]})
    sort_list_columns(result)
    assert result.rows[0]["initiatives"] == "A ; Initiative 0 ; Initiative 10"
    assert result.rows[97]["initiatives"] == "A ; Initiative 197 ; Initiative 97"
    assert result.rows[1]["initiatives"] == "Initiative 1"
    assert sum(" ; " in r["initiatives"] for r in rows) == 21
