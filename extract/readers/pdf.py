"""PDF through pdfminer.six's layout analysis: characters are grouped into lines and lines into
text boxes by position, so two columns are read one after the other (not line across line),
whatever order the file draws them in. Each text box becomes one line of the read text (a
paragraph: what the prose reader expects); a word cut at a line's end ("finan-" / "cer") is
joined again, a hyphen between a lower-case letter and a capital ("Saint-" / "Étienne") is kept.
Pages are separated by a blank line; ``Document.segments`` gives each box's page.
"""

from __future__ import annotations

import io
import re

from maillage.extract.pipeline import ExtractError
from maillage.extract.readers.document import Document, Segment, blank_header

__all__ = ["read_pdf", "join_lines"]

# a word cut at the end of a line: "finan-" then "cer"
_CUT = re.compile(r"(?<=[a-zà-ÿœæ])[-\u00ad]$")
_SOFT = "\u00ad"


def join_lines(lines: list[str]) -> str:
    """The lines of one text box as one paragraph, cut words joined again."""
    out = ""
    for raw in lines:
        line = " ".join(raw.replace(_SOFT + "\n", _SOFT).split())
        if not line:
            continue
        if not out:
            out = line
        elif _CUT.search(out) and line[:1].islower():
            out = out[:-1] + line           # "finan-" + "cer" -> "financer"
        elif out.endswith(("-", "\u00ad")):
            out = out.rstrip(_SOFT) + line  # "Saint-" + "Étienne" -> "Saint-Étienne"
        else:
            out = out + " " + line
    return out.replace(_SOFT, "")


def read_pdf(data: bytes, name: str, max_chars: int = 0) -> Document:
    """The text of a PDF's text layer; ExtractError when it has none (a scan), is encrypted or
    damaged. ``max_chars``: stop and refuse once the text grows past it (0: no limit)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    from maillage.extract.budget import BudgetExceeded, grouped

    parts: list[str] = []
    segments: list[Segment] = []
    pos, pages = 0, 0
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), 1):
            pages = number
            if parts and parts[-1] != "\n":
                parts.append("\n")       # a blank line between pages
                pos += 1
            for block, box in enumerate(el for el in page if isinstance(el, LTTextBox)):
                para = join_lines([ln.get_text() for ln in box if isinstance(ln, LTTextLine)])
                if not para:
                    continue
                segments.append(Segment(pos, pos + len(para), page=number, block=block))
                parts += [para, "\n"]
                pos += len(para) + 1
                if max_chars and pos > max_chars:
                    raise BudgetExceeded(f"{name}: more than {grouped(max_chars)} characters of text by page "
                                         f"{number}, more than the budget per document (--max-chars to raise it)")
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ExtractError(f"{name}: an encrypted PDF; decrypt it first") from None
    except (PDFSyntaxError, PSException) as exc:
        raise ExtractError(f"{name}: a damaged PDF ({type(exc).__name__}: {str(exc)[:120]})") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError, RecursionError) as exc:
        # pdfminer raises plain Python errors on many malformed files
        raise ExtractError(f"{name}: a damaged PDF ({type(exc).__name__}: {str(exc)[:120]})") from None
    text = "".join(parts)
    if not text.strip():
        if pages:
            raise ExtractError(f"{name}: a PDF of {pages} page(s) with no text layer (a scanned document?); "
                               "run OCR on it first")
        raise ExtractError(f"{name}: a PDF with no pages")
    text, url, _ = blank_header(text)
    return Document(file=name, kind="pdf", text=text, url=url, segments=segments)
