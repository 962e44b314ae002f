"""Shared pieces of the file loaders (SCDL, data·inclusion): reading CSV the way real files come
(BOM, `,` or `;`, header case), checking French identifiers and numbers, reporting bad rows as
``file:line: column: what is wrong``."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from maillage import model
from maillage.loaders.values import check_date, parse_amount_text


@dataclass(frozen=True, order=True)
class RowError:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class FileInvalid(Exception):
    def __init__(self, errors: list[RowError], rows: int):
        self.errors = errors
        self.rows = rows
        super().__init__("\n".join(str(e) for e in errors))


def _key(name: str) -> str:
    return model.fold(name).replace(" ", "")


def read_csv(path: Path, columns: dict[str, str]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Rows as {canonical column: value} with their line number. ``columns`` maps every accepted
    spelling (any case, accents, separators) to the canonical name."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # files saved by office software
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], iter(())
    wanted = {_key(k): v for k, v in columns.items()}
    names = [wanted.get(_key(h), "") for h in header]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        line = 1
        for values in reader:
            start = line + 1
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            row = {}
            for name, value in zip(names, values):
                if name:
                    row[name] = value.strip()
            if len(values) > len(header):
                row["__extra__"] = str(len(values) - len(header))
            yield start, row

    return [n for n in names if n], rows()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def check_siret(value: str) -> str:
    """A SIRET (14 digits, Luhn; La Poste's establishments use their own rule)."""
    siret = re.sub(r"[\s\u00a0.]", "", value)
    if not re.fullmatch(r"\d{14}", siret):
        raise ValueError(f"{value!r} is not a SIRET (14 digits)")
    if not (luhn_ok(siret) or (siret.startswith("356000000") and sum(map(int, siret)) % 5 == 0)):
        raise ValueError(f"{value!r} is not a valid SIRET (wrong check digit)")
    return siret


def check_rna(value: str) -> str:
    rna = value.strip().upper()
    if not re.fullmatch(r"W\d{9}", rna):
        raise ValueError(f"{value!r} is not an RNA number (W followed by 9 digits)")
    return rna


def parse_amount(value: str) -> Decimal:
    """French or international writing: '15000', '15 000', '1500,50', '1 500.50', '1.500,50',
    read exactly (loaders.values; never a float)."""
    return parse_amount_text(value)


def parse_date(value: str) -> str:
    """ISO 8601 (the schema) or the French dd/mm/yyyy; returns YYYY-MM-DD, a real date in the
    plausible range (loaders.values.check_date)."""
    text = value.strip()
    m = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text)
    if m:
        text = f"{m[3]}-{m[2]}-{m[1]}"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", text):
        _bad(value)
    try:
        return check_date(text[:10])
    except ValueError as exc:
        raise ValueError(f"{value!r}: {exc}") from None


def _bad(value: str):
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")


slug = model.slug
