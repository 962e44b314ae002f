"""Bytes to text: UTF-8 first, then a declared byte-order mark, then Windows-1252 (the usual
encoding of French text that is not UTF-8), then charset-normalizer's guess; binary data and
text in no known encoding are refused with a message naming the file.

Plain text and Markdown are read as they are (the readers understand Markdown's headings,
bold and tables); header lines (URL, ``SOURCE:``, breadcrumbs, navigation words) are blanked,
so offsets into the read text are offsets into the decoded file.
"""

from __future__ import annotations

import codecs
import re

from maillage.extract.pipeline import ExtractError
from maillage.extract.readers.document import Document, Segment, blank_header

__all__ = ["decode", "read_text", "looks_binary"]

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_FRENCH = re.compile(r"[a-zA-Zàâäçéèêëîïôöùûüÿœæ’ÀÂÇÉÈÊÎÔÙÛ]")


def looks_binary(data: bytes) -> bool:
    """NUL bytes (outside UTF-16/32, which carry a BOM) or many control bytes: not text."""
    head = data[:65536]
    if any(head.startswith(b) for b, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for c in head if c < 9 or 13 < c < 32 and c != 27)
    return controls > len(head) * 0.02


def _plausible(text: str) -> bool:
    """Mostly letters, spaces and punctuation; few control characters (a wrong 8-bit guess
    gives C1 controls, e.g. 0x81 read as Windows-1252 fails, as Latin-1 gives \\x81)."""
    if not text:
        return False
    sample = text[:200_000]
    bad = len(_CONTROL.findall(sample))
    return bad <= len(sample) * 0.001


def _latin(text: str) -> bool:
    """Mostly Latin letters: the documents are French; a guess giving Korean is a wrong guess."""
    letters = [c for c in text[:200_000] if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if c <= "\u024f") >= 0.9 * len(letters)


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """(text, warnings) or ExtractError naming ``name``."""
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc).removeprefix("\ufeff"), warnings
            except UnicodeDecodeError as exc:
                raise ExtractError(f"{name}: starts with a {enc} byte-order mark but is not {enc} "
                                   f"({exc.reason} at byte {exc.start})") from None
    if looks_binary(data):
        raise ExtractError(f"{name}: a binary file (control or NUL bytes), not a text, HTML or PDF document")
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
    try:
        text = data.decode("cp1252")
        if _plausible(text):
            warnings.append(f"{name}: not UTF-8 ({utf8_error}); read as Windows-1252")
            return text, warnings
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is not None:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        if _plausible(text) and _latin(text):
            warnings.append(f"{name}: not UTF-8 ({utf8_error}); read as {best.encoding} (guessed)")
            return text, warnings
    guess = f"; the best guess, {best.encoding}, does not give French text" if best is not None else ""
    raise ExtractError(f"{name}: not UTF-8 ({utf8_error}) and in no encoding that could be recognised{guess}; "
                       "convert it to UTF-8")


def read_text(data: bytes, name: str, kind: str = "text") -> Document:
    """A text or Markdown document; its first lines may give the URL."""
    text, warnings = decode(data, name)
    if not text.strip():
        raise ExtractError(f"{name}: the file has no text")
    read, url, blanked = blank_header(text)
    if not read.strip():
        raise ExtractError(f"{name}: the file has only a header ({blanked[0][:80]!r}), no text")
    return Document(file=name, kind=kind, text=read, url=url, warnings=warnings,
                    segments=[Segment(0, len(read), origin=0)])
