"""Shared pieces of the file loaders (SCDL, data·inclusion): reading CSV the way real files come
(BOM, `,` or `;`, header case), checking French identifiers and numbers, reporting bad rows as
``file:line: column: what is wrong``."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

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


# Limits of a loaded file (README, "What is guaranteed"): 100,000 SCDL rows are about 30 MB.
MAX_SOURCE_BYTES = 512 * 1024 * 1024
MAX_FIELD_CHARS = 100_000        # one CSV value (an unclosed quote swallows the rest of the file)
# what French office software writes, in the order preferred when charset-normalizer finds several
_TEXT_ENCODINGS = ("utf_8", "ascii", "cp1252", "iso8859_15", "latin_1", "utf_16")


def read_source_bytes(path: Path, display: str | None = None, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a file to load; a folder, a link loop, a device or pipe, or a file over the
    limit is refused with FileInvalid before it is read."""
    import os
    import stat

    display = display or str(path)

    def refuse(message: str):
        raise FileInvalid([RowError(display, 1, "(file)", message)], 0)

    try:
        info = os.stat(path)
    except OSError as exc:
        refuse(f"cannot read it: {exc.strerror or exc}")
    if stat.S_ISDIR(info.st_mode):
        refuse("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        refuse("is not a regular file (a device, a pipe or a socket)")
    if info.st_size > limit:
        refuse(f"is {info.st_size:,} bytes, more than the limit of {limit:,} bytes")
    try:
        with open(path, "rb") as f:
            return f.read(limit + 1)
    except OSError as exc:
        refuse(f"cannot read it: {exc.strerror or exc}")
    raise AssertionError("unreachable")


def decode_text(raw: bytes, display: str) -> str:
    """UTF-8 (with or without BOM), else the encoding charset-normalizer finds among the ones
    office software writes (cp1252, latin-1…); a binary file or an unknown encoding is refused."""
    if b"\0" in raw[:65536] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileInvalid([RowError(display, 1, "(file)", "is a binary file (NUL bytes), not text")], 0)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    from charset_normalizer import from_bytes

    found = [m.encoding for m in from_bytes(raw[:1_000_000])]
    chosen = next((e for e in _TEXT_ENCODINGS if e in found), None)
    if chosen is not None:
        try:
            return raw.decode(chosen)
        except UnicodeDecodeError as exc:  # the sample fitted, the rest of the file does not
            first_bad = exc.start
    line = raw.count(b"\n", 0, first_bad) + 1
    guess = f" (it looks like {found[0]})" if found else ""
    raise FileInvalid([RowError(display, line, "(file)", f"not UTF-8 text, nor Windows-1252 or Latin-9{guess}: "
                                f"byte 0x{raw[first_bad]:02x} at offset {first_bad}; save it as UTF-8")], 0)


def read_csv(path: Path, columns: dict[str, str]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Rows as {canonical column: value} with their line number. ``columns`` maps every accepted
    spelling (any case, accents, separators) to the canonical name. Malformed CSV (an unclosed
    quote, a value over MAX_FIELD_CHARS) raises FileInvalid with the line, while rows are read."""
    display = str(path)
    text = decode_text(read_source_bytes(path, display), display)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def malformed(exc: csv.Error, line: int):
        hint = " (an unclosed quote?)" if "end of data" in str(exc) or "field larger" in str(exc) else ""
        return FileInvalid([RowError(display, line, "(csv)", f"malformed CSV: {exc}{hint}")], 0)

    try:
        header = next(reader)
    except StopIteration:
        return [], iter(())
    except csv.Error as exc:
        raise malformed(exc, 1) from None
    wanted = {_key(k): v for k, v in columns.items()}
    names = [wanted.get(_key(h), "") for h in header]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        line = 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise malformed(exc, line + 1) from None
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
