"""Document-level knowledge: who publishes the page, and which Département or Région it speaks of.

A page's site says who speaks. A Département's, a Région's, a commune's or a foundation's own page
lists the grants it gives without naming itself as their giver ("il vous est proposé d'attribuer
…", "Dotation : 10 000 €", "5 000 euros ont été attribués à l'atelier"); the publisher is then the
implied funder. It is found from the URL of the page (``SOURCE:`` line, canonical URL):

- an organisation the text names whose distinctive words spell a label of the site's host
  ("Fondation Veolia" on fondation.veolia.com, "Région Île-de-France" on iledefrance.fr, "FAPE
  EDF" on fape-edf.fr);
- else a host label that is the name of a Département or a Région of the bundled COG (gironde.fr,
  bretagne.bzh), or a "cd68" / "departement-13" token of the host or the path: that collectivité.

The same knowledge resolves a bare "le Département" / "la Région" that the text never spells out:
the publisher when it is a body of that level, else the Département or Région the text names
(most often), else, for a Région, the Région of that Département.

    pub = publisher_of(url, text, names)        # Publisher(name, level, gives) or None
    territory_body(text, "departement")         # "Département des Bouches-du-Rhône" or None
    path_territory(url, "departement")          # the one Département a page's path names, or None
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

# words that say what kind of body a name is, not which one (a host label must spell the rest)
_KIND_WORDS = {"fondation", "fonds", "region", "departement", "conseil", "regional", "departemental", "general",
               "ville", "commune", "mairie", "communaute", "communes", "agglomeration", "agglo", "metropole",
               "association", "federation", "reseau", "groupe", "union", "caisse", "banque", "entreprise",
               "de", "du", "des", "d", "la", "le", "les", "l", "et", "pour", "en"}
# first words of the bodies whose own page's grants are theirs (collectivités, foundations, funds)
_GIVING_HEADS = {"fondation", "fonds", "fond", "region", "departement", "conseil", "ville", "commune", "mairie",
                 "communaute", "metropole", "agglomeration", "agglo", "collectivite", "caf", "msa", "ccas",
                 "prefecture", "etat", "ademe", "anct", "fape", "ept"}
_LEVEL_OF_HEAD = {"region": "region", "departement": "departement", "ville": "commune", "commune": "commune",
                  "mairie": "commune", "communaute": "epci", "metropole": "epci", "agglomeration": "epci",
                  "agglo": "epci", "ept": "epci"}
# hosts that carry others' texts, never a publisher of its own grants
_CODE = re.compile(r"^(?:cd|cg|dep|departement)(\d{2}|2[ab]|97\d)$")
_COLLECTIVITE_LABELS = {"departement", "region", "cd", "cg", "conseil", "laregion", "ville", "mairie", "cr"}
_LABELS_SKIP = {"www", "m", "mobile", "fr", "com", "org", "net", "eu", "info", "bzh", "gouv", "www2"}


@dataclass(frozen=True)
class Publisher:
    name: str               # "Fondation Veolia", "Département du Haut-Rhin"
    level: str | None       # departement | region | commune | epci | None (not a collectivité)
    gives: bool             # a collectivité, a foundation or a fund: its page's grants are its own


def _fold(s: str) -> str:
    t = unicodedata.normalize("NFKD", s.lower().replace("œ", "oe").replace("’", "'"))
    return "".join(c for c in t if not unicodedata.combining(c))


def _words(s: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _fold(s))


def host_labels(url: str | None) -> tuple[list[str], list[str]]:
    """(labels of the host without www and the top-level domain, tokens of the path)."""
    if not url:
        return [], []
    try:
        u = urlparse(url if "//" in url else "https://" + url)
    except ValueError:
        return [], []
    host = (u.hostname or "").lower()
    parts = [p for p in (host.split(".")[:-1] if "." in host else [host]) if p not in _LABELS_SKIP]
    labels = [w for p in parts for w in re.split(r"[-_]", p) if w]
    path = [w for w in re.split(r"[^a-z0-9]+", _fold(u.path or "")) if w]
    return labels, path


def domain_start(url: str | None) -> int:
    """Where the registered domain's labels start among ``host_labels`` (after the subdomains:
    territoires.nouvelle-aquitaine.fr -> 1)."""
    if not url:
        return 0
    try:
        host = (urlparse(url if "//" in url else "https://" + url).hostname or "").lower()
    except ValueError:
        return 0
    parts = [p for p in host.split(".")[:-1] if p not in _LABELS_SKIP]
    return sum(len([w for w in re.split(r"[-_]", p) if w]) for p in parts[:-1])


def _head(name: str) -> str:
    ws = _words(name)
    return ws[0] if ws else ""


def _spelled(name: str, labels: list[str]) -> int:
    """How well the host spells the name: 0 (not), 1 (its distinctive words are the host's), 2 (and
    its kind words are in the host too). The host must be the name, not a name and more
    ("bretagne-info" is a press site, not the Région Bretagne)."""
    words = _words(name)
    acronyms = {_fold(w) for w in name.split() if w.isupper() and len(w) <= 5}
    distinct = [w for w in words if w not in _KIND_WORDS]
    if len([w for w in distinct if w not in acronyms]) >= 2:  # "EPT Grand-Orly …": the kind's acronym
        distinct = [w for w in distinct if w not in acronyms]
    if not distinct:
        return 0
    rest = "".join(lab for lab in labels if lab not in _KIND_WORDS)
    if "".join(distinct) != rest and "".join(words) != "".join(labels):
        return 0
    kinds = [w for w in words if w in _KIND_WORDS and len(w) > 3]
    return 2 if kinds and all(k in "".join(labels) for k in kinds) else 1


def _bodyish(name: str) -> bool:
    """A body's name, not a place's or a person's: a kind word, or an acronym."""
    kinds = (_GIVING_HEADS | _KIND_WORDS) - {"de", "du", "des", "d", "la", "le", "les", "l", "et", "pour", "en"}
    return bool(set(_words(name)) & kinds) or any(w.isupper() and len(w) >= 2 for w in name.split())


def publisher_of(url: str | None, text: str, names: list[str]) -> Publisher | None:
    """The body that publishes the page at ``url`` (see the module docstring), or None."""
    labels, path = host_labels(url)
    if not labels:
        return None
    best, best_score = None, 0
    for n in dict.fromkeys(names):
        if not _bodyish(n):
            continue
        s = max(_spelled(n, labels), _spelled(n, labels[domain_start(url):]))
        if s > best_score or (s == best_score and s and len(n) > len(best)):
            best, best_score = n, s
    if best:
        head = _head(best)
        level = _LEVEL_OF_HEAD.get(head) or ({"conseil": _council_level(best)}.get(head))
        return Publisher(best, level, head in _GIVING_HEADS)
    t = _territory_of_host(labels, path, domain_start(url))
    if t is not None:
        return Publisher(body_name(t), t.level, True)
    found = _foundation_of_host(labels[domain_start(url):], text)
    return Publisher(found, None, True) if found else _council_report(text)


# a council's own act, whoever hosts its copy: "RAPPORT À LA COMMISSION PERMANENTE DU CONSEIL
# DÉPARTEMENTAL", "Délibération du Conseil régional", "Rapport au Conseil général"
_COUNCIL_ACT = re.compile(r"(?im)^[ \t#*]*(?:rapport|d[ée]lib[ée]ration)\s+(?:au|à\s+la|de\s+la|du)\s+"
                          r"(?:commission\s+permanente\s+du\s+)?conseil\s+(d[ée]partemental|g[ée]n[ée]ral|r[ée]gional)\b")


def _council_report(text: str) -> Publisher | None:
    """The Département or Région whose report or deliberation the text is (its title in the first
    lines says so): the publisher of its grants, named by the territory the text names, else bare."""
    m = _COUNCIL_ACT.search(text[:3000])
    if m is None:
        return None
    level = "region" if _fold(m.group(1)).startswith("r") else "departement"
    name = territory_body(text, level) or ("Région" if level == "region" else "Département")
    return Publisher(name, level, True)


def _foundation_of_host(labels: list[str], text: str) -> str | None:
    """A foundation's own site that the text calls only "la Fondation" (fondationorange.com,
    fondation-tilleul.org): "Fondation Orange", "Fondation Tilleul"."""
    if not labels or not labels[0].startswith("fondation") or not re.search(r"\b[Ll]a\s+Fondation\b(?!\s+[A-ZÀ-Ý])", text):
        return None
    rest = [labels[0][len("fondation"):]] + labels[1:] if labels[0] != "fondation" else labels[1:]
    rest = [w for w in rest if w]
    if len(rest) != 1 or len(rest[0]) < 3:
        return None  # "fondation-solidarite.societegenerale": which words make the name is unsaid
    return "Fondation " + rest[0].capitalize()


def _council_level(name: str) -> str | None:
    f = _fold(name)
    return "region" if "regional" in f else "departement" if ("departemental" in f or "general" in f) else None


@lru_cache(maxsize=1)
def _territory_slugs() -> dict[str, object]:
    from maillage.loaders.territories import load_cog

    out = {}
    for ts in load_cog()._by_name.values():
        for t in ts:
            if t.level in ("departement", "region"):
                out.setdefault("".join(_words(t.name)), t)
    return out


def _territory_of_host(labels: list[str], path: list[str], domain_start: int = 0):
    from maillage.loaders.territories import load_cog

    slugs = _territory_slugs()
    # the whole host is the territory's name (gironde.fr, haut-rhin.fr), or follows a collectivité
    # word (departement-gironde.fr, region-bretagne.fr); not a press site that bears a name (bretagne-info)
    for i in range(len(labels)):
        if i > 0 and labels[i - 1] not in _COLLECTIVITE_LABELS and i != domain_start:
            continue
        t = slugs.get("".join(labels[i:]))
        if t is not None and len("".join(labels[i:])) >= 4:
            return t
    for tok in labels + path:
        m = _CODE.match(tok)
        if m:
            t = load_cog().get(f"dep:{m.group(1).upper()}")
            if t is not None:
                return t
    return None


# Département names and their article (French usage): "du Gers", "de la Lozère", "de l'Ain", "des Landes"
_DU = {"rhone", "vaucluse", "finistere"}
_DE = {"paris", "mayotte", "maine", "saone", "meurthe"}
_PLURAL_SINGULAR = {"gers", "doubs", "calvados", "pas", "paris"}


def body_name(t) -> str:
    """The collectivité of a COG territory: "Région Occitanie", "Département du Haut-Rhin"."""
    if t.level == "region":
        return f"Région {t.name}"
    first = _words(t.name)[0]
    if first in _DE or first == "la":
        art = "de "
    elif first in _DU:
        art = "du "
    elif (first.endswith("s") and first not in _PLURAL_SINGULAR) or first == "deux":  # "des Deux-Sèvres"
        art = "des "
    elif first[:1] in "aeiouy" or (first.startswith("h") and first in {"herault"}):
        art = "de l'"
    elif first.endswith("e"):
        art = "de la "
    else:
        art = "du "
    return f"Département {art}{t.name}"


def territory_body(text: str, level: str, places: list | None = None) -> str | None:
    """The body of ``level`` (departement | region) of the territory the text names most often
    (a Département: counting the Département of each commune named; a Région: else the Région of
    that Département), or None."""
    from maillage.extract.places import find_places
    from maillage.loaders.territories import load_cog

    places = places if places is not None else find_places(text)
    counts: dict[str, int] = {}
    cog = load_cog()
    for p in places:
        if p.level == level:
            counts[p.ref] = counts.get(p.ref, 0) + 1
        elif p.level == "commune" and level == "departement":
            # a commune the text names is in its Département ("à Épinay-sur-Seine": Seine-Saint-Denis)
            t = cog.get(p.ref)
            for parent in (t.parents if t is not None else ()):
                if parent.startswith("dep:"):
                    counts[parent] = counts.get(parent, 0) + 1
    if not counts and level == "region":
        for p in places:
            if p.level == "departement":
                t = cog.get(p.ref)
                for parent in (t.parents if t is not None else ()):
                    counts[parent] = counts.get(parent, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None  # two territories named as often: which one is unsaid
    t = cog.get(ranked[0][0])
    return body_name(t) if t is not None else None


def path_territory(url: str | None, level: str) -> str | None:
    """The body of ``level`` whose territory the page's path names, when it names exactly one
    ("niortinfo.media/deux-sevres-aides-mobilite" -> "Département des Deux-Sèvres"): a news page's
    address often says where it is about when its text only says "le Département"."""
    _, path = host_labels(url)
    slugs = _territory_slugs()
    found = set()
    for i in range(len(path)):
        for k in range(1, 5):
            slug = "".join(path[i:i + k])
            t = slugs.get(slug) if len(slug) >= 4 and i + k <= len(path) else None
            if t is not None and t.level == level:
                found.add(t.ref)
    if len(found) != 1:
        return None
    from maillage.loaders.territories import load_cog

    t = load_cog().get(found.pop())
    return body_name(t) if t is not None else None
