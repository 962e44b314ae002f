"""Small PDF files written byte by byte for the reader tests (no PDF library needed to make
them): pages of Helvetica text placed line by line, pages with no text layer, padding to make a
file large. Text is WinAnsi (Windows-1252), as PDF's standard fonts expect."""

from __future__ import annotations

from pathlib import Path


def _literal(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def page_stream(lines: list[tuple[float, float, str]], size: int = 11) -> bytes:
    """A content stream drawing each (x, y, text) in the order given."""
    out = [b"BT", b"/F1 %d Tf" % size]
    for x, y, text in lines:
        out.append(b"1 0 0 1 %.1f %.1f Tm " % (x, y) + _literal(text) + b" Tj")
    out.append(b"ET")
    return b"\n".join(out)


def make_pdf(path: Path, pages: list[bytes | None], padding: int = 0) -> Path:
    """A PDF whose pages draw the given content streams (None: a blank page, as a scan without a
    text layer looks to a text extractor). ``padding`` bytes of an unused stream make it large."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")            # filled below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for content in pages:
        data = content or b""
        stream = add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                        b"/Contents %d 0 R >>" % (pages_id, font, stream)))
    if padding:
        add(b"<< /Length %d >>\nstream\n" % padding + b"\x00" * padding + b"\nendstream")
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                             + b"] /Count %d >>" % len(kids))
    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        body += b"%010d 00000 n \n" % off
    body += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    path.write_bytes(bytes(body))
    return path


def two_columns(left: list[str], right: list[str], top: float = 780, step: float = 14) -> bytes:
    """A page with two columns of lines, drawn interleaved (left 1, right 1, left 2…) so that a
    reader following the drawing order would mix the columns."""
    lines = []
    for i in range(max(len(left), len(right))):
        if i < len(left):
            lines.append((50, top - i * step, left[i]))
        if i < len(right):
            lines.append((320, top - i * step, right[i]))
    return page_stream(lines)


def one_column(lines: list[str], top: float = 780, step: float = 14) -> bytes:
    return page_stream([(50, top - i * step, t) for i, t in enumerate(lines)])
