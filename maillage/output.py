"""Query results as a rich table, CSV or JSON: labels as plain text, numbers as plain numbers."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from maillage.store import QueryResult

FORMATS = ("table", "csv", "json", "tsv")


def plain(value: Any) -> Any:
    """15000, not 15000.0 or "15 000 €"; None stays None (an empty cell)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _cell(value: Any) -> str:
    value = plain(value)
    return "" if value is None else str(value)


def to_csv(result: QueryResult, delimiter: str = ",") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_cell(row.get(v)) for v in result.variables])
    return buf.getvalue()


def to_json(result: QueryResult) -> str:
    rows = [{v: plain(row.get(v)) for v in result.variables} for row in result.rows]
    return json.dumps({"columns": result.variables, "rows": rows}, ensure_ascii=False, indent=2)


def to_table(result: QueryResult, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, header_style="bold")
    for v in result.variables:
        numeric = any(isinstance(plain(r.get(v)), (int, float)) for r in result.rows)
        table.add_column(v, justify="right" if numeric else "left", overflow="fold")
    for row in result.rows:
        table.add_row(*[_cell(row.get(v)) for v in result.variables])
    return table


def emit(result: QueryResult, fmt: str, console: Console, title: str | None = None) -> None:
    if fmt == "csv":
        console.file.write(to_csv(result))
    elif fmt == "tsv":
        console.file.write(to_csv(result, "\t"))
    elif fmt == "json":
        console.file.write(to_json(result) + "\n")
    else:
        console.print(to_table(result, title))
        console.print(f"[dim]{len(result)} row(s)[/dim]")
