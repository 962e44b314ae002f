"""Territory mentions in French text, resolved against the bundled COG: régions, départements
(names, and numbers in parentheses: "Barlin (62)"), EPCI (official, spelled-out or bare names),
communes, and QPV / district names ("quartier du Regain").

Precision first: a commune name is taken only with context — "à X", "commune de X", "ville de X",
"mairie de X", "X (NN)" — or, after a plain "de"/"d'", when the commune is not tiny and its name
is not used as an ordinary word in the same text. A one-word name that the text also uses in
lower case ("cher", "mer", "orange") always needs strong context. Names that several communes
share are resolved by the département in parentheses, then by the départements and régions the
text mentions elsewhere, then by a clearly dominant population; otherwise they are dropped.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from maillage import model

__all__ = ["PlaceMention", "find_places", "LEVELS"]

LEVELS = ("region", "departement", "epci", "commune", "qpv")
_PRIORITY = {"region": 0, "epci": 1, "departement": 2, "commune": 3}
_MAX_TOKENS = 10
_TOKEN = re.compile(r"[^\W_]+")
_INNER_SEP = re.compile(r"[ \t\u00a0\u202f'’\-–]{1,3}|,[ \t]?|[ \t]?/[ \t]?")
_STRONG = re.compile(r"(?:\bà|\bau\s+sein\s+de\s+la\s+ville\s+(?:de|d['’])|\b(?:commune|communes|ville|mairie|municipalit[ée]|habitants|habitantes)\s+(?:de|d['’])|\bsur\s+la\s+commune\s+(?:de|d['’])|\bCCAS\s+(?:de|d['’]))\s*[\"«]?\s*$",
                     re.IGNORECASE)
_WEAK = re.compile(r"(?:\b(?:de|d['’]|du|sur|en|vers|près\s+de|autour\s+de)|^)\s*$", re.IGNORECASE)
_LIST_SEP = re.compile(r"\s*(?:,|/|\bet\b|\bou\b)\s*$")
_DEP_CONTEXT = re.compile(r"\b(?:d[ée]partement|d[ée]partemental|départementale|conseil\s+g[ée]n[ée]ral)s?\s+(?:du|de\s+la|de\s+l['’]|des|de|d['’])\s*$",
                          re.IGNORECASE)
_REG_CONTEXT = re.compile(r"\br[ée]gion(?:al|ale)?\s*(?:de\s+l['’]|de\s+la|du|d['’]|de)?\s*$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s|\n)[\s\-–•*_#>»«\"]*$")
_DEP_CODE = r"(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])"
_PAREN_DEP = re.compile(r"\((" + _DEP_CODE + r")\)")
_NAMED_DEP = re.compile(r"\b(?:CD|CG|D[ée]partement|Conseil\s+d[ée]partemental)[ \u00a0]?(" + _DEP_CODE + r")\b(?![,.]\d)")
_QPV = re.compile(
    r"\b(?:[Qq]uartiers?(?:\s+prioritaires?)?(?:\s+de\s+la\s+politique\s+de\s+la\s+ville)?|QPV)"
    r"\s+(?:du\s+|de\s+la\s+|de\s+l['’]|des\s+|d['’]|de\s+)?"
    r"(?!(?:Politique|Prioritaires?|Sensibles?|Populaires?|Vécu|Ville)\b)"
    r"(?P<name>(?:(?:Saint|Sainte|St|Ste)[ \-][^\W\d_]+|[A-ZÀ-Ý][^\W\d_]*)(?:[ \-](?:(?:de|du|des|la|le|les)[ \-])?[A-ZÀ-Ý][^\W\d_]*){0,4})")
# Capitalised words that are never places here: months and days (French spelling rules)
_NEVER = {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
          "novembre", "decembre", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
_DIRECTION = re.compile(r"\s+(?:de|du|des|d['’])\b")
# Standard abbreviations of région names (French usage, not any document's own names)
_REGION_ABBREV = {"PACA": "reg:93", "IDF": "reg:11", "AURA": "reg:84"}


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    ref: str          # reg:76, dep:18, epci:200070407, com:62083, qpv:<slug>
    name: str         # the territory's official name (the QPV name as written)
    level: str        # region | departement | epci | commune | qpv


def _fold(token: str) -> str:
    text = unicodedata.normalize("NFKD", token.lower().replace("œ", "oe").replace("æ", "ae"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _slug(text: str) -> str:
    return model.slug(text, limit=None)  # the one slug (maillage.model)


class _Index:
    """Territory names as token sequences, with every prefix, for a left-to-right scan."""

    def __init__(self, cog):
        self.cog = cog
        self.names: dict[str, list] = {}
        self.prefixes: set[str] = set()
        for key, territories in cog._by_name.items():
            self.names[key] = list(territories)
            parts = key.split()
            for i in range(1, len(parts)):
                self.prefixes.add(" ".join(parts[:i]))


@lru_cache(maxsize=4)
def _index(cog) -> _Index:
    return _Index(cog)


def _is_cap(token: str) -> bool:
    return token[:1].isupper()


def find_places(text: str, cog=None, *, lenient: bool = False) -> list[PlaceMention]:
    """Territory mentions in ``text``, in order, without overlaps. ``lenient`` (for a fiche's
    "Lieu :" field, which names places without a preposition) accepts commune names with no
    context, still refusing ordinary words."""
    if not text:
        return []
    if cog is None:
        from maillage.loaders.territories import load_cog

        cog = load_cog()
    index = _index(cog)
    fold_cache: dict[str, str] = {}
    tokens: list[tuple[int, int, str, str]] = []
    lower_words: set[str] = set()
    for m in _TOKEN.finditer(text):
        raw = m.group()
        key = fold_cache.get(raw)
        if key is None:
            key = fold_cache[raw] = _fold(raw)
        tokens.append((m.start(), m.end(), raw, key))
        if raw.islower():
            lower_words.add(key)

    candidates: list[tuple[int, int, list, int]] = []   # start, end, territories, n tokens
    n = len(tokens)
    for i in range(n):
        start, end, raw, key = tokens[i]
        if not (_is_cap(raw) or key == "communaute"):
            continue
        joined = key
        best = None
        j = i
        while True:
            if joined in index.names:
                best = (j, joined)
            if joined not in index.prefixes or j + 1 >= n or j - i + 1 >= _MAX_TOKENS:
                break
            gap = text[tokens[j][1]:tokens[j + 1][0]]
            if not _INNER_SEP.fullmatch(gap):
                break
            j += 1
            joined = f"{joined} {tokens[j][3]}"
        if best:
            j, joined = best
            candidates.append((start, tokens[j][1], index.names[joined], j - i + 1))

    # Départements given by number, and regions/départements named without ambiguity: they help
    # choose between communes of the same name.
    paren_deps = {m.start(): m.group(1) for m in _PAREN_DEP.finditer(text)}
    context_deps = set(paren_deps.values()) | {m.group(1) for m in _NAMED_DEP.finditer(text)}
    context_regions: set[str] = set()
    for _start, _end, found, _ntok in candidates:
        levels = {t.level for t in found}
        if levels == {"departement"}:
            context_deps.add(found[0].code)
        if levels == {"region"}:
            context_regions.add(found[0].code)

    chosen: list[PlaceMention] = []
    for m in _QPV.finditer(text):
        name = m.group("name").strip(" -")
        if name:
            chosen.append(PlaceMention(m.start("name"), m.start("name") + len(name), f"qpv:{_slug(name)}", name, "qpv"))
    last_end = -10
    for start, end, found, ntok in candidates:
        # "Aulnat, Aubière et Romagnat": a name listed right after a place has that place's context
        listed = start - last_end <= 6 and bool(_LIST_SEP.fullmatch(text[last_end:start]))
        mention = _choose(text, start, end, found, ntok, lower_words, paren_deps, context_deps,
                          context_regions, cog, lenient, listed)
        if mention:
            chosen.append(mention)
            last_end = end
    for m in _PAREN_DEP.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        if not re.search(r"[^\W\d_][\w'’\-*_]*\s*[*_]*\s*$", before):   # "(12)" after a number or alone: not a place
            continue
        dep = cog.get(f"dep:{m.group(1)}")
        if dep:
            chosen.append(PlaceMention(m.start(), m.end(), dep.ref, dep.name, "departement"))
    for m in _NAMED_DEP.finditer(text):
        dep = cog.get(f"dep:{m.group(1)}")
        if dep:
            chosen.append(PlaceMention(m.start(1), m.end(1), dep.ref, dep.name, "departement"))
    for abbrev, ref in _REGION_ABBREV.items():
        for m in re.finditer(rf"\b{abbrev}\b", text):
            reg = cog.get(ref)
            if reg:
                chosen.append(PlaceMention(m.start(), m.end(), ref, reg.name, "region"))

    # no overlaps: the longest mention wins, then the earliest
    chosen.sort(key=lambda p: (-(p.end - p.start), p.start))
    starts: list[int] = []      # accepted spans, sorted and disjoint
    ends: list[int] = []
    out = []
    for p in chosen:
        i = bisect.bisect_left(starts, p.end)       # spans starting before p ends
        if i and ends[i - 1] > p.start:
            continue
        starts.insert(i, p.start)
        ends.insert(i, p.end)
        out.append(p)
    return sorted(out, key=lambda p: (p.start, p.end))


def _choose(text, start, end, found, ntok, lower_words, paren_deps, context_deps, context_regions,
            cog, lenient, listed=False) -> PlaceMention | None:
    before = text[max(0, start - 40):start]
    written = text[start:end]
    single = ntok == 1
    ordinary = single and (_fold(written) in lower_words or len(written) <= 3)
    sentence_start = bool(_SENTENCE_START.search(before))
    strong = bool(_STRONG.search(before))
    weak = bool(_WEAK.search(before)) or listed
    after = text[end:end + 8]
    paren = re.match(r"\s*\((" + _DEP_CODE + r")\)", after)
    paren_dep = paren.group(1) if paren else None
    if single and written.isupper() and len(written) <= 4:
        return None                                   # an acronym ("CAF", "ANAH"), not a place name
    if written[:1].islower() and not all(t.level == "epci" for t in found):
        return None
    if single and _fold(written) in _NEVER:
        return None
    # part of a hyphenated compound ("Croix-de-Neyrat", "Nord-Pas de Calais"): not this place
    if re.match(r"-[^\W\d_]", text[end:end + 2]) or re.search(r"[^\W\d_]-$", text[max(0, start - 2):start]):
        return None
    # "le Nord du département", "au Sud de Lyon": a direction
    if single and _fold(written) in ("nord", "sud", "est", "ouest") and _DIRECTION.match(text, end):
        return None
    # the next word capitalised: part of a longer proper name ("Orange Bank"), unless the name is
    # itself several words (an EPCI "Toulouse Métropole" is matched whole)
    nxt = re.match(r"[ \u00a0]+([A-ZÀ-Ý][\w'’\-]*)", text[end:end + 40])
    glued = bool(nxt) and single and not re.match(r"(?:Cedex|CEDEX)\b", nxt.group(1))

    by_level: dict[str, list] = {}
    for t in found:
        by_level.setdefault(t.level, []).append(t)

    def accept(t) -> PlaceMention:
        return PlaceMention(start, end, t.ref, t.name, t.level)

    # a commune with strong context or its département in parentheses wins over other levels
    communes = by_level.get("commune", [])
    if communes and (strong or paren_dep):
        pick = _pick_commune(communes, paren_dep, context_deps, context_regions, cog)
        if pick and not (glued and not paren_dep and not strong):
            return accept(pick)
    for level in ("region", "epci", "departement"):
        options = by_level.get(level, [])
        if len(options) != 1:
            continue
        t = options[0]
        if level == "epci" and single:
            continue                                  # one bare word: too weak for an EPCI
        if level == "departement" and glued and not paren_dep and not _DEP_CONTEXT.search(before):
            continue                                  # "Erdre et Loire Initiatives": a name, not the Loire
        if single:
            if ordinary and not (_DEP_CONTEXT.search(before) or _REG_CONTEXT.search(before) or paren_dep):
                continue
            if sentence_start and not lenient and not (_DEP_CONTEXT.search(before) or _REG_CONTEXT.search(before)
                                                       or weak or paren_dep):
                # "Nord" at a sentence start needs a preposition; a capital mid-sentence is enough
                continue
        return accept(t)
    if not communes:
        return None
    if ordinary and not (strong or paren_dep):
        return None
    if glued and not paren_dep:
        return None
    pick = _pick_commune(communes, paren_dep, context_deps, context_regions, cog)
    if pick is None:
        return None
    if lenient:
        return accept(pick)
    distinctive = ntok >= 2 and sum(1 for w in re.split(r"[ \-'’]+", written) if w[:1].isupper() and len(w) >= 3) >= 2
    if weak and not sentence_start and (pick.population or 0) >= 1000:
        return accept(pick)
    if distinctive and not sentence_start:
        return accept(pick)
    return None


def _pick_commune(communes, paren_dep, context_deps, context_regions, cog):
    if paren_dep:
        hits = [c for c in communes if f"dep:{paren_dep}" in c.parents]
        return hits[0] if len(hits) == 1 else None
    if len(communes) == 1:
        return communes[0]
    near = [c for c in communes if any(p.startswith("dep:") and p[4:] in context_deps for p in c.parents)]
    if not near and context_regions:
        near = [c for c in communes
                if any(a.level == "region" and a.code in context_regions for a in cog.ancestors(c.ref))]
    if len(near) == 1:
        return near[0]
    pool = near or communes
    ranked = sorted(pool, key=lambda c: -(c.population or 0))
    top, second = ranked[0].population or 0, ranked[1].population or 0
    if top >= 10_000 and top >= 10 * max(second, 1):
        return ranked[0]
    return None
