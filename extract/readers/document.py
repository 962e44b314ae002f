"""What a reader returns: the text that was read, where its pieces came from, and the
document's URL when the file names one.

Offsets. Drafted spans are Python string indices into ``Document.text`` (end excluded), the text
that was read, never into the file's bytes. ``segments`` maps that text back to its origin:
each Segment says that ``text[start:end]`` came from page ``page`` (PDF, 1-based) or block
``block`` (HTML paragraph, text line block) at character ``origin`` of that page's or file's own
text. For text and Markdown the map is the identity (header lines are blanked with spaces, not
removed, so a span is also an index into the file's decoded text); for HTML and PDF write
``Document.text`` beside the draft (``maillage extract`` does: ``<stem>.read.txt``) and review
the spans against it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

__all__ = ["Document", "Segment", "blank_header"]


@dataclass(frozen=True)
class Segment:
    start: int                 # in Document.text
    end: int
    page: int | None = None    # PDF page (1-based)
    block: int | None = None   # HTML block / text paragraph number (0-based)
    origin: int | None = None  # character offset in the page's (or file's) own text


@dataclass
class Document:
    file: str                  # the file's name, as drafts cite it
    kind: str                  # html | pdf | text | markdown
    text: str
    url: str | None = None
    title: str | None = None
    segments: list[Segment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def where(self, offset: int) -> Segment | None:
        """The segment holding ``offset`` of the text (None in the gaps between segments)."""
        starts = [s.start for s in self.segments]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.segments[i].start <= offset < self.segments[i].end:
            return self.segments[i]
        return None

    @property
    def meta(self) -> dict:
        """The document metadata kept in the draft."""
        out = {"kind": self.kind}
        if self.url:
            out["url"] = self.url
        if self.title:
            out["title"] = self.title
        pages = {s.page for s in self.segments if s.page}
        if pages:
            out["pages"] = max(pages)
        return out


# ---------------------------------------------------------------- header lines

_URL = r"<?(?:https?://|www\.)[^\s<>\"]+>?"
_URL_LINE = re.compile(r"[ \t]*" + _URL + r"[ \t]*")
# "SOURCE: https://…", "Source : <…>", "URL: …", "Lien : …" (also as a Markdown comment or bold)
_SOURCE_LINE = re.compile(r"[ \t>*_#-]*(?:<!--[ \t]*)?(?:source|url|lien|link|origine)[ \t*_]*:[ \t*_]*(" + _URL
                          + r")[ \t*_]*(?:-->)?[ \t]*", re.IGNORECASE)
_DOMAIN = re.compile(r"\b[\w-]{2,40}\.(?:fr|org|com|net|eu|info|gouv\.fr|coop|asso\.fr)\b", re.IGNORECASE)
# words of a site's navigation that come before the article on copied pages (lower case, no accents kept)
_NAV = {"accueil", "actualites", "actualite", "l'actualite", "l’actualite", "menu", "rechercher", "recherche",
        "se connecter", "connexion", "abonnes", "abonnez-vous", "back to top", "retour", "retour en haut",
        "presentation", "partager", "imprimer", "aucun resultat trouve", "transcription", "observatoire",
        "newsletter", "contact", "plan du site", "aller au contenu", "skip to content", "publicite",
        "n/a", "fermer", "ouvrir le menu", "mon compte", "toutes les actualites"}
HEADER_LINES = 6   # only the first non-empty lines of a document can be a site header


def _fold(s: str) -> str:
    import unicodedata

    t = unicodedata.normalize("NFKD", s)
    return "".join(c for c in t if not unicodedata.combining(c)).lower()


def _is_nav(line: str) -> bool:
    t = _fold(line.strip(" \t•*-–#>_")).strip()
    return t in _NAV or bool(_DOMAIN.fullmatch(t))


def blank_header(text: str) -> tuple[str, str | None, list[str]]:
    """(text with its header lines blanked, the URL found, what was blanked).

    The first lines of a copied page are often not the document: a URL, a ``SOURCE: <url>``
    line, breadcrumbs or a site's navigation words. They are replaced by spaces of the same
    length (offsets are kept) and the first URL found is returned as the document's URL; they
    never become an initiative's name. Only lines before the first line of real text are
    looked at (at most HEADER_LINES non-empty ones)."""
    url: str | None = None
    blanked: list[str] = []
    out = list(text)
    seen = 0
    for m in re.finditer(r"[^\n]*", text):
        line = m.group()
        if not line.strip():
            continue
        seen += 1
        if seen > HEADER_LINES or len(line) > 2000:
            break
        found = _SOURCE_LINE.fullmatch(line) or _URL_LINE.fullmatch(line)
        if found:
            if url is None:
                u = re.search(_URL, line).group().strip("<>")
                url = u if u.startswith("http") else "https://" + u
        elif not (_is_nav(line) or _crumbs(line)):
            break
        for i in range(m.start(), m.end()):
            out[i] = " "
        blanked.append(line.strip())
    return "".join(out), url, blanked


def _crumbs(line: str) -> bool:
    """Breadcrumbs: "Accueil > Actualités > Emploi", "> Épicerie sociale > Présentation", short
    parts and no sentence ("Titre | Site" is not one: the title may name the initiative)."""
    s = line.strip()
    if not s or len(s) > 200 or s.endswith((".", "!", "?")):
        return False
    parts = [p for p in re.split(r"\s[>›»]\s|^>\s?", s) if p.strip()]
    return (s.startswith(">") or len(parts) >= 2) and all(len(p.split()) <= 6 for p in parts)


# ---------------------------------------------------------------- text no tokenizer chokes on

_PUNCT_RUN = re.compile(r"[^\w\s]{64,}")     # "[[[[…", "=====…", "*****…"
_CHEAP = re.compile(r"[-|:.…·]+")            # one token for spaCy, and Markdown tables' rules: kept
_LONG_RUN = re.compile(r"\S{201,}")          # one "word" of 200+ characters: not a word
WORD_CUT = 100


def defuse(text: str) -> str:
    """The text with what costs a tokenizer quadratic time blanked, offsets kept: runs of 64 or
    more punctuation marks become spaces (but dashes, pipes and dots, which spaCy keeps as one
    token and Markdown tables need), and a space is put every WORD_CUT characters of a "word"
    longer than 200 (spaCy's prefix and suffix search is quadratic in a token's length: 4,000
    brackets took a second, 20,000 a minute). Nothing a reader could name or count is lost."""
    if not _PUNCT_RUN.search(text) and not _LONG_RUN.search(text):
        return text
    out = list(text)
    for m in _PUNCT_RUN.finditer(text):
        if not _CHEAP.fullmatch(m.group()):
            out[m.start():m.end()] = " " * (m.end() - m.start())
    for m in _LONG_RUN.finditer("".join(out)):
        for i in range(m.start() + WORD_CUT, m.end(), WORD_CUT):
            out[i] = " "
    return "".join(out)
