"""HTML pages through trafilatura: the main text of the page (navigation, menus, footers,
share buttons and comments dropped), one paragraph per line, the page's title first when the
main text does not start with it. The URL is the page's canonical or og:url, else the address
a browser noted when it saved the page ("saved from url=…"), else a URL header line.
"""

from __future__ import annotations

import re

from maillage.extract.pipeline import ExtractError
from maillage.extract.readers.document import Document, Segment, blank_header

__all__ = ["read_html", "looks_like_html", "MIN_WORDS"]

MIN_WORDS = 8

_SAVED_FROM = re.compile(rb"saved from url=\(\d{1,6}\)(https?://[^\s>]{1,2000})", re.IGNORECASE)
_HTML_START = re.compile(rb"\s{0,1000}(?:<!--.{0,2000}?-->\s{0,200})?<(?:!doctype\s+html|html|head|body|meta|title)\b",
                         re.IGNORECASE | re.DOTALL)


def looks_like_html(data: bytes) -> bool:
    """An HTML page whatever its name (saved pages are often .htm, .php or have no suffix)."""
    return bool(_HTML_START.match(data[:4000].lstrip(b"\xef\xbb\xbf")))


def read_html(data: bytes, name: str) -> Document:
    """The main text of an HTML page; ExtractError when there is none."""
    import trafilatura

    try:
        found = trafilatura.bare_extraction(data, include_comments=False, include_tables=True, with_metadata=True)
        if found is None or not (found.text or "").strip():
            # short pages fall below trafilatura's minimum size: ask again for everything
            found = trafilatura.bare_extraction(data, include_comments=False, include_tables=True,
                                                with_metadata=True, favor_recall=True)
    except (ValueError, TypeError, LookupError) as exc:
        raise ExtractError(f"{name}: an HTML page that could not be parsed ({type(exc).__name__}: {str(exc)[:120]})") from None
    body = (found.text or "").strip() if found is not None else ""
    if len(body.split()) < MIN_WORDS:   # a menu or a title alone: nothing a reader could draft from
        raise ExtractError(f"{name}: an HTML page with no main text (empty body, or only navigation)")
    title = (found.title or "").strip() or None
    if title and " | " in title:     # "Le garage solidaire ouvre | Ville de Décines": the site is not the title
        title = title.split(" | ")[0].strip() or None
    url = found.url if found.url and found.url.startswith("http") else None
    if url is None:
        m = _SAVED_FROM.search(data[:4000])
        if m:
            url = m.group(1).decode("ascii", "replace")
    lines = [" ".join(ln.split()) for ln in body.split("\n")]
    lines = [ln for ln in lines if ln]
    if title and not lines[0].startswith(title[:40]):
        lines.insert(0, title)
    segments, pos = [], 0
    for i, ln in enumerate(lines):
        segments.append(Segment(pos, pos + len(ln), block=i))
        pos += len(ln) + 1
    text, header_url, _ = blank_header("\n".join(lines) + "\n")
    return Document(file=name, kind="html", text=text, url=url or header_url, title=title, segments=segments)
