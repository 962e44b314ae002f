"""Organisation names in prose, for the prose reader (extract/prose.py): the small tokenizer
that reads the name starting at a position (an optional article, capitalised words, the heads
French writes in lower case, their connectors, a parenthesised acronym) and the lists of names
("A, B et C", "de A et de B"); the vocabulary of heads, adjectives and kind words it uses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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
            "préfecture", "ccas", "cias"}   # "le CCAS": the commune's, named in full elsewhere or kept as is
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
# a person's title opening a name: the person, not the body ("Président du Conseil départemental")
_TITLES = {"président", "présidente", "vice-président", "vice-présidente", "directeur", "directrice",
           "maire", "secrétaire", "délégué", "déléguée", "adjoint", "adjointe", "trésorier", "trésorière"}
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
_SHARE_AT = re.compile(r"\d+(?:[.,]\d+)?\s?(?:%|pour\s?cents?\b)", re.I)
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


# a lower-case letter, a full stop and a capitalised word with no space: two sentences glued together
_GLUED_STOP = re.compile(r"[a-zà-ÿ]{2}\.(?=[A-ZÀ-Ý][a-zà-ÿ])")


def _furniture() -> frozenset:
    from maillage.extract.lexicon import load_word_list

    return load_word_list("furniture")


def _is_person_tail(first: str, last: str) -> bool:
    """ "Yves DUPONT": a capitalised given name then a surname in capitals (at least 5 letters and 2
    vowels, so not an acronym such as EDF, SNCF or CCAS)."""
    return (first[:1].isupper() and first[1:].islower() and first.isalpha() and len(first) >= 3
            and last.isupper() and len(last.replace("-", "")) >= 5 and last.replace("-", "").isalpha()
            and sum(c in "AEIOUYÉÈ" for c in last) >= 2)


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
        glued = _GLUED_STOP.search(w)
        if glued:  # "Département.Dans": a full stop with no space after it (not "E.B.E.", "S.A.")
            w, b = w[:glued.start() + 2], a + glued.start() + 2
            toks.append((a, b, w))
            break
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
        if n and w[:1].isupper() and low in _furniture():
            break  # page furniture glued to the name: "Fondation X - Publié le 22"
        if n and w[:1].isdigit() and (_MONEY_AT.match(s, a) or _SHARE_AT.match(s, a)):
            break  # "la Fondation X de 5 000 €", "la CAF de 50 %": an amount or a share, not a part of the name
        if n == 0:
            if low in _TITLES:
                return None  # "le Président de la Caisse locale": a person, not a body
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
        # a slogan that names a body: "Fondation La France s'engage" (an article inside the name,
        # a capitalised word, then the verb), not "la Région s'engage à …"
        if (low.replace("’", "'") == "s'engage" and n >= 2 and _is_cap(toks[n - 1][2])
                and toks[n - 2][2] in ("La", "Le", "L'", "L’")):
            keep = n + 1
            break
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
    # a person's "Prénom NOM" glued after a body's name by the page ("groupe X Yves DUPONT")
    if len(toks) >= 4 and _is_person_tail(toks[-2][2], toks[-1][2]):
        toks = toks[:-2]
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
            # "… de Tulle et de 25 000 € par …": an amount, not "Caisse locale de 25"
            if e and p and (e.group(2)[0].isdigit() or e.group(2)[0].isupper()) and not _MONEY_AT.match(s, e.start(2)):
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


def _looks_personal(label: str) -> bool:
    """Two or three capitalised words, no organisation head, no acronym: "Marie Dupont"."""
    words = label.split()
    return (2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
            and not any(w.lower() in _HEADS or (w.isupper() and len(w) > 1) for w in words))
