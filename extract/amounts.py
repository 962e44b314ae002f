"""Money mentions in French text: "80 000 €", "2 500 €", "1,4 millions d'euros", "2,5 M€",
"3 M€ annuel", "25 000€", "1.500.000 EUR", "15 k€", and per-year lists ("- 2023 : 1 400 000 €").

Every pattern is linear (no nested repetition), so a 10 MB text is read in a few seconds.
Spans are Python string indices into the text, end excluded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Amount", "find_amounts", "parse_amount"]


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    value_eur: float
    annual: bool = False
    year: int | None = None


_SEP = r"[ \u00a0\u202f.]"          # thousands separators: space, no-break spaces, dot
# A number: grouped thousands ("1 400 000", "1.500.000") or plain digits, then a decimal part.
_NUMBER = (r"(?<![\d,.])(?:\d{1,3}(?:" + _SEP + r"\d{3})+(?!\d)|\d+)"
           r"(?:,\d+|\.\d{1,2}(?!\d))?")
_MULT = (r"(?P<mult>milliards?|mds?|millions?|m(?![a-zà-ÿ])|milliers?|mille|k(?![a-zà-ÿ]))")
_WS = r"[ \u00a0\u202f]?"
_MONEY = re.compile(
    r"(?P<num>" + _NUMBER + r")" + _WS
    + r"(?:" + _MULT + _WS + r"(?:d['’]\s?)?" + r")?"
    + r"(?P<cur2>€|euros?\b|eur\b)?",
    re.IGNORECASE,
)
_ANNUAL = re.compile(r"\s*(?:\(|de\s+|d['’])?\s*(?:budget\s+)?(?:annuel(?:le)?s?\b|par\s+an\b|/\s*an\b|chaque\s+ann[ée]e|par\s+ann[ée]e)",
                     re.IGNORECASE)
# "- 2023 : 1 400 000 €", "2024 - 60 000 €", "en 2022 : 80 000 €" at the start of a list line
_YEAR_BEFORE = re.compile(r"(?:^|[\n•*\-–])[ \t*_•\-–]*(?:en\s+)?((?:19|20)\d{2})\s*[:–\-]\s*[*_]*\s*$", re.IGNORECASE)
# "80 000 € (2022)", "80 000 € en 2022", "80 000 € pour 2022"
_YEAR_AFTER = re.compile(r"\s*(?:\(|en\s+|pour\s+|au\s+titre\s+de\s+)((?:19|20)\d{2})\b(?!\s*[-/–]\s*(?:19|20)?\d{2})",
                         re.IGNORECASE)
_FACTOR = {"k": 1e3, "mille": 1e3, "millier": 1e3, "milliers": 1e3, "m": 1e6, "million": 1e6, "millions": 1e6,
           "md": 1e9, "mds": 1e9, "milliard": 1e9, "milliards": 1e9}


def _number(text: str) -> float | None:
    t = re.sub(r"[ \u00a0\u202f]", "", text)
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", t):
        t = t.replace(".", "")
    try:
        return float(t)
    except ValueError:
        return None


def _money(m: re.Match) -> float | None:
    """The value in euros of one match, or None when it is not money (no currency)."""
    mult = (m.group("mult") or "").lower()
    if not m.group("cur2"):
        return None
    value = _number(m.group("num"))
    if value is None:
        return None
    if mult:
        value *= _FACTOR[mult]
    return value


def find_amounts(text: str) -> list[Amount]:
    """Every money mention of ``text``, in order, with its span and value in euros."""
    if not text:
        return []
    out: list[Amount] = []
    for m in _MONEY.finditer(text):
        value = _money(m)
        if value is None:
            continue
        start, end = m.start(), m.end()
        # "3 M€ annuel", "650 000 € de budget annuel", "12 000 €/an"
        after = text[end:end + 40]
        annual = bool(_ANNUAL.match(after))
        year = None
        line_start = text.rfind("\n", max(0, start - 80), start) + 1
        head = text[max(line_start, start - 40):start] if line_start else text[max(0, start - 40):start]
        y = _YEAR_BEFORE.search(head) or _YEAR_BEFORE.search("\n" + head)
        if y:
            year = int(y.group(1))
        else:
            y = _YEAR_AFTER.match(text, end, min(len(text), end + 30))
            if y:
                year = int(y.group(1))
        out.append(Amount(start, end, value, annual, year))
    return out


_BARE = re.compile(r"(?P<num>" + _NUMBER + r")" + _WS + r"(?:" + _MULT + r")?", re.IGNORECASE)


def parse_amount(text: str) -> float | None:
    """One writing of an amount -> euros: "80 000 €", "2,5 M€", "1,4 millions d'euros", "15000";
    None when the text is not one amount."""
    if not isinstance(text, str):
        return None
    t = text.strip().strip("*_").strip()
    if not t or len(t) > 200:
        return None
    m = _MONEY.fullmatch(t)
    if m and m.group("cur2"):
        return _money(m)
    b = _BARE.fullmatch(t)
    if b:
        value = _number(b.group("num"))
        if value is not None and b.group("mult"):
            value *= _FACTOR[b.group("mult").lower()]
        return value
    found = find_amounts(t)
    if len(found) == 1:
        a = found[0]
        rest = (t[:a.start] + t[a.end:]).strip(" .:;,()-*_")
        if not re.search(r"\d", rest):
            return a.value_eur
    return None


_RANGE_BEFORE = re.compile(r"(?:\bde|\bentre)\s+\d[\d \u00a0\u202f.,]*(?:€|euros?)?\s+(?:à|et)\s+$", re.I)
_RANGE_AFTER = re.compile(r"\s*(?:€|euros?)?\s*à\s+\d[\d \u00a0\u202f.,]*\s?(?:€|euros?|k€|m€|millions?)", re.I)
_SHARE = re.compile(r"\d+(?:[.,]\d+)?\s?%")
_SHARE_AFTER = re.compile(r"\s*(?:de|à\s+hauteur\s+de|pour|à)\s+\d+(?:[.,]\d+)?\s?%")


def whole_not_share(text: str, a_start: int, a_end: int, n_start: int | None = None, n_end: int | None = None) -> bool:
    """The amount at ``text[a_start:a_end]`` is not what the body named at ``n_start:n_end`` gives: a
    bound of a range ("de 75 000 à 150 000 euros"), or a whole the body pays a share of ("70 000 € …
    cofinancés à 50 % par l'État", "180 000 € … une aide de la CAF de 50 %"). With no body: the
    range, or a share said after the amount in its sentence."""
    if _RANGE_BEFORE.search(text, max(0, a_start - 40), a_start) or _RANGE_AFTER.match(text, a_end):
        return True
    if n_start is None:
        stop = re.compile(r"[.!?](?:\s|$)|\n").search(text, a_end, a_end + 300)
        return bool(_SHARE.search(text, a_end, stop.start() if stop else a_end + 300))
    if a_end <= n_start and _SHARE.search(text, a_end, n_start):
        return True
    return bool(_SHARE_AFTER.match(text, n_end))


# a share of a whole said just before the body that pays it: "financé à hauteur de 50 % par (l')",
# "subventionné à 80% par", "pris en charge aux deux tiers par", "financé à hauteur des deux tiers par"
_SHARE_BY = re.compile(
    r"(?:financ|cofinanc|co-financ|subventionn|pris\s+en\s+charge|prise\s+en\s+charge)[a-zéè]*\s+"
    r"(?:à\s+hauteur\s+|à\s+|aux\s+|au\s+|pour\s+)?(?:de\s+|des\s+|du\s+|d['’]\s*)?"
    r"(?:(?P<p>\d{1,3}(?:[.,]\d+)?)\s?%|(?P<f>deux\s+tiers|trois\s+quarts|la\s+moitié|moitié|un\s+tiers|tiers|un\s+quart|quart))"
    r"\s+(?:par|de\s+la\s+part\s+(?:de|du|des|d['’]))\s*(?:le\s+|la\s+|les\s+|l['’]\s*)?$", re.I)
_FRACTIONS = {"deux tiers": 2 / 3, "trois quarts": 0.75, "la moitié": 0.5, "moitié": 0.5, "un tiers": 1 / 3,
              "tiers": 1 / 3, "un quart": 0.25, "quart": 0.25}
_WHOLE_REACH = 350   # how far before the share its whole may be said (its sentence or the one before)
_SHARED_POT = re.compile(r"\benveloppes?\b", re.I)


def share_of_whole(text: str, name_start: int) -> float | None:
    """What the body named at ``name_start`` gives when the text says it pays a share of a whole
    said just before ("un coût de 300 000 €, financé à hauteur des deux tiers par [le Département]",
    "acheté 280 000 €. Il est financé à hauteur de 50 % par [l'Ademe]"): the share of the nearest
    amount before, in euros; None when no share is said there, no whole is, or the whole is a pot
    shared among several ("70 000 euros d'enveloppe totale, cofinancés à 50 % par l'État")."""
    m = _SHARE_BY.search(text, max(0, name_start - 120), name_start)
    if m is None:
        return None
    share = float(m.group("p").replace(",", ".")) / 100 if m.group("p") else _FRACTIONS[" ".join(m.group("f").lower().split())]
    if not 0 < share < 1:
        return None
    lo = max(0, m.start() - _WHOLE_REACH)
    cut = max(text.rfind("\n\n", lo, m.start()), lo)
    wholes = [a for a in find_amounts(text[cut:m.start()]) if a.value_eur >= 100]
    if not wholes:
        return None
    w = wholes[-1]
    around = text[max(cut, cut + w.start - 40):cut + w.end + 40]
    if _SHARED_POT.search(around) or _SHARE.search(text, cut + w.end, m.start()):
        return None  # a pot shared among winners, or another share between the whole and this one
    return float(round(w.value_eur * share))


# "88 euros par ordinateur", "2 € par jour", "1,5 € par habitant": a rate, no grant's sum ("par an" is a
# yearly grant; "par la Région", "par un mécène" name who gives)
_PER_UNIT = re.compile(r"\s*(?:€|euros?)?\s*(?:par|/)\s+(?!an\b|année|exercice|la\b|le\b|les\b|l['’]|un\b|une\b|des\b|du\b|d['’])"
                       r"[a-zà-ÿ]{3,}", re.I)
# "une subvention d'investissement de 2 700 €", "aide au fonctionnement de": the grant's kind, no cost
GRANT_OF_KIND = re.compile(r"(?:subventions?|aides?|dotations?|participations?)\s+(?:d['’]\s*|de\s+|à\s+l['’]\s*|au\s+)"
                           r"(?:investissement|fonctionnement|équipement)\s+(?:de\s+|d['’]\s*)?(?:[^.;:\d]{0,25})$", re.I)


def per_unit(text: str, end: int) -> bool:
    """The amount ending at ``text[end]`` is a rate per person, day, item…: no sum given."""
    return bool(_PER_UNIT.match(text, end))
