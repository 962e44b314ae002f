"""Document readers: a file (HTML page, PDF, plain text, Markdown) -> a Document, the text the
extractors read plus its URL and an offset map (see document.py for what spans point into).

    doc = read_document("page.html")          # Document(kind="html", text=…, url=…)
    doc = read_document("rapport.pdf", budget=Budget(max_chars=500_000))

The kind is taken from the content first (a PDF starts with %PDF-, an HTML page with a tag),
then from the suffix. Every bad file ends in one ExtractError whose message names it: missing,
a folder, empty, binary, too large, an encoding that cannot be recognised, a PDF with no text
layer or encrypted, an HTML page with no main text.
"""

from __future__ import annotations

from pathlib import Path

from maillage.extract.budget import DEFAULT_BUDGET, Budget
from maillage.extract.pipeline import ExtractError
from maillage.extract.readers.document import Document, Segment, blank_header, defuse

__all__ = ["Document", "Segment", "read_document", "read_bytes", "blank_header", "SUFFIXES", "kind_of"]

SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".txt": "text", ".text": "text",
            ".md": "markdown", ".markdown": "markdown"}


def kind_of(data: bytes, suffix: str) -> str:
    from maillage.extract.readers.html import looks_like_html

    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if looks_like_html(data):
        return "html"
    kind = SUFFIXES.get(suffix.lower(), "text")
    return "text" if kind in ("pdf", "html") else kind   # a .pdf or .html that is not one: read as text


def read_bytes(data: bytes, name: str, suffix: str = "", budget: Budget = DEFAULT_BUDGET) -> Document:
    """A Document from a file's bytes (``name`` is the file as messages and drafts cite it)."""
    budget.check_bytes(name, len(data))
    if not data.strip():
        raise ExtractError(f"{name}: the file is empty")
    kind = kind_of(data, suffix)
    if kind == "pdf":
        from maillage.extract.readers.pdf import read_pdf

        doc = read_pdf(data, name, max_chars=budget.max_chars)
    elif kind == "html":
        from maillage.extract.readers.html import read_html

        doc = read_html(data, name)
    else:
        from maillage.extract.readers.text import read_text

        doc = read_text(data, name, kind)
    budget.check_chars(name, len(doc.text))
    doc.text = defuse(doc.text)
    return doc


def read_document(path: Path | str, budget: Budget = DEFAULT_BUDGET, name: str | None = None) -> Document:
    """Read one file; ExtractError (naming it) for anything that is not a readable document."""
    p = Path(path)
    shown = name or str(p)
    try:
        if p.is_dir():
            raise ExtractError(f"{shown}: a folder, not a file")
        if not p.exists():
            raise ExtractError(f"{shown}: no such file")
        if not p.is_file():
            raise ExtractError(f"{shown}: not a regular file (a device, pipe or socket)")
        budget.check_bytes(shown, p.stat().st_size)
        data = p.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    with budget.clock(shown, "reading it"):
        doc = read_bytes(data, shown, p.suffix, budget)
    doc.file = p.name
    return doc
