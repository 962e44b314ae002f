"""Organisation names in a fiche's items, for the fiche reader (extract/fiche.py): which words a
body's name starts with or never starts with, the split of a bullet or an enumeration into names
("CD du Cher et Région Centre-Val de Loire": two bodies; "Maisons et Cités": one), and a whole
item read as one name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from maillage.extract.fiche_fields import _WRAP, Span, _trim

# ---------------------------------------------------------------- names in an item

_DET = re.compile(r"(?i)(?:(?:(?:le|la|les|un|une|des|du|de\s+la|de|aux?|avec|par|et|ainsi\s+que|"
                  r"outre|notamment|dont|via|pour|sur|en\s+lien\s+avec|en\s+partenariat\s+avec)\b\s*)"
                  r"|(?:de\s+l|l|d)['’]\s*)+")
_NOT_ORG_HEAD = {
    "collectivites", "diverses", "divers", "autres", "autre", "partenaires", "acteurs", "structures",
    "associations", "entreprises", "fondations", "autofinancement", "cofinancement", "financement", "financements",
    "chiffre", "recettes", "ventes", "solde", "fonds propres", "apport", "apports", "produits", "benefices",
    "participation", "participations", "fonds", "en", "aucun", "aucune", "non", "tous", "toutes", "ensemble",
    "habitants", "public", "publics", "beneficiaires", "benevoles", "salaries", "elus", "total", "budget", "cout",
    "couts", "dont", "environ", "a", "pour", "sur", "subvention", "subventions", "aides", "aide", "reste", "charges",
    "charge", "moyens", "etp", "personnes", "menages", "familles", "jeunes", "seniors", "femmes", "travaux",
    "equipement", "equipements", "salaire", "salaires", "prestations", "mise", "depuis", "cofinancements",
    "actions", "action", "dispositif", "dispositifs", "programme", "projet", "projets", "etude", "voir", "site",
    "lien", "contact", "tel", "mail", "email", "https", "http", "www", "demandeurs", "pacte", "contrat", "plan",
    "centres", "organismes", "services", "politique", "operateurs", "agents", "professionnels",
    # function words that start sentences, never names
    "il", "elle", "ils", "elles", "on", "nous", "vous", "la", "le", "les", "l", "un", "une", "ce", "cet", "cette",
    "ces", "son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos", "dans", "par", "avec", "plusieurs",
    "chaque", "tout", "grace", "afin", "lors", "ainsi", "mais", "ou", "si", "quand", "apres", "avant",
    "pendant", "selon", "entre", "chez", "des", "du", "de", "d", "et", "the", "qui", "que", "quoi", "cela", "ceci",
}
_ORG_HEADS = {
    "etat", "region", "departement", "conseil", "mairie", "ville", "commune", "communaute", "metropole", "agglomeration",
    "agglo", "prefecture", "ministere", "direction", "service", "agence", "association", "fondation", "federation",
    "reseau", "union", "mission", "maison", "maisons", "centre", "caisse", "chambre", "syndicat", "office",
    "etablissement", "banque", "groupe", "groupement", "collectif", "cooperative", "comite", "universite", "ecole",
    "institut", "observatoire", "plateforme", "secours", "restos", "restaurants", "croix", "entreprise", "atelier",
    "ateliers", "chantier", "garage", "epicerie", "fonds", "france", "pole", "gip", "ccas", "cias", "caf", "msa",
    "cpam", "plie", "adie", "anah", "bge", "fse", "europe", "commission", "delegation", "commissaire", "tresor",
    "lycee", "college", "ehpad", "hopital", "clinique", "bibliotheque", "mediatheque", "theatre", "musee",
}
_KIND_WORDS = {"collectivite", "epci", "gip", "siae", "aci", "qpv", "ess", "asso", "ong", "bailleurs", "associations",
               "collectivites", "communes", "etablissements", "entreprises"}
_CONNECTORS = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "en", "sur", "pour", "aux", "au", "a"}
_HEAD_ADJ = {"local", "locale", "populaire", "catholique", "alimentaire", "departemental", "departementale", "regional",
             "regionale", "general", "generale", "communal", "d'urbanisme", "d’urbanisme", "emploi"}
_FORM_WORDS = {"departement", "region", "metropole", "agglomeration", "agglo", "communaute", "ville", "mairie",
               "commune", "conseil", "cd", "cg", "prefecture", "departemental", "regional", "ccas"}


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe"))
    return "".join(c for c in t if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


@lru_cache(maxsize=65536)
def looks_like_org(name: str) -> bool:
    """A name an organisation could bear: not a generic plural, a cost line, a sentence."""
    words = _words(name)
    if not words or len(name) > 120 or len(words) > 12:
        return False
    first = _fold(words[0])
    has_acronym = any(len(w) >= 2 and w.isupper() and not w.isdigit() for w in words)
    later_caps = any(w[:1].isupper() for w in words[1:])
    if first in _NOT_ORG_HEAD and not (has_acronym and first not in {"autofinancement", "cofinancement", "financement",
                                                                      "participation", "total", "budget", "pacte"}):
        return False
    if re.search(r"@|https?:|www\.|\d{2}[ .]\d{2}[ .]\d{2}[ .]\d{2}", name):
        return False
    if not words[0][:1].isupper() and not has_acronym and not (first in _FORM_WORDS and later_caps):
        return False
    if len(words) == 1:
        # a kind of body, not a body ("EPCI", "GIP"); a bare CCAS is named after the fiche's commune
        return words[0][:1].isupper() and len(words[0]) >= 2 and first not in _KIND_WORDS
    if first in _ORG_HEADS or has_acronym or later_caps:
        return True
    return len(words) <= 3 and words[0][:1].isupper()


def _split_top(text: str, s: int, e: int, seps: re.Pattern) -> list[Span]:
    """Split text[s:e] at ``seps`` outside parentheses."""
    out, depth, last, i = [], 0, s, s
    while i < e:
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]" and depth:
            depth -= 1
        elif depth == 0:
            m = seps.match(text, i, e)
            if m and m.end() > i:
                out.append((last, i))
                last = i = m.end()
                continue
        i += 1
    out.append((last, e))
    return out


_PAREN = re.compile(r"\s*\([^()]*\)")
_SEPS = re.compile(r"\s*,?\s+ainsi\s+que\s+|\s*;\s*|\s*(?:(?<!\d),|,(?!\d))\s*|\s+/\s+|\s+\+\s+|\s+ainsi\s+que\s+|\s+–\s+(?=[A-ZÀ-Ý])")
_ET = re.compile(r"\s+et\s+|\s+&\s+")


def _strip_name(text: str, s: int, e: int) -> Span:
    s, e = _trim(text, s, e, _WRAP + ".…:;,-–'\"«»")
    # "GT associant (outre FAP et ADIL 31) : DDT31" -> "DDT31"
    colon = text.rfind(":", s, e)
    if colon >= 0 and text[colon + 1:e].strip():
        s = colon + 1
    m = _DET.match(text, s, e)
    if m and m.end() < e:
        s = m.end()
    s, e = _trim(text, s, e, _WRAP + ".…:;,-–'\"«»")
    if text[s:e].lower().endswith(("etc", "...")):
        e -= 3
    # a trailing "…" or unbalanced parenthesis
    while e > s and text[e - 1] in " .…(":
        e -= 1
    if text.count("(", s, e) > text.count(")", s, e):
        e = text.rfind("(", s, e)
    return _trim(text, s, e, _WRAP + ".…:;,-–")


def _chunks(text: str, s: int, e: int) -> list[Span]:
    """Organisation-like runs in a phrase: capitalised words, acronyms and numbers joined by
    short connectors ("Fondation Abbé Pierre", "ADIL 31", "Maisons et Cités"), with a form
    word in lower case allowed first ("département du Pas-de-Calais")."""
    toks = [(m.start() + s, m.end() + s, m.group()) for m in re.finditer(r"[^\W_]+(?:['’-][^\W_]+)*", text[s:e])]
    out: list[Span] = []
    i = 0
    connectors = {"de", "du", "des", "d", "la", "le", "l", "et", "en", "sur", "pour"}
    while i < len(toks):
        ts, te, w = toks[i]
        fw = _fold(w)
        starts = w[:1].isupper() or fw in _FORM_WORDS or (fw.startswith(("d'", "l'", "d’", "l’")) and w[2:3].isupper())
        if not starts:
            i += 1
            continue
        if fw.startswith(("d'", "l'", "d’", "l’")):
            ts += 2
        j, end = i, te
        k = i + 1
        while k < len(toks):
            ks, ke, kw = toks[k]
            gap = text[toks[k - 1][1]:ks]
            if not re.fullmatch(r"[ \t\u00a0'’\-]{1,2}", gap):
                break
            fk = _fold(kw)
            if kw[:1].isupper() or kw.isdigit() or (fk.startswith(("d'", "l'", "d’", "l’")) and kw[2:3].isupper()):
                j, end, k = k, ke, k + 1
                continue
            if _fold(toks[j][2]) in _FORM_WORDS | {"mission", "secours", "banque", "agence", "maison", "caisse",
                                                  "chambre", "conseil"} and re.fullmatch(
                    r"(?:local|locale|populaire|catholique|alimentaire|departemental|departementale|regional|"
                    r"regionale|general|generale|communal|d'urbanisme|d’urbanisme)", fk) and k == j + 1:
                j, end, k = k, ke, k + 1
                continue
            if fk in connectors and k + 1 < len(toks):
                nk = toks[k + 1][2]
                if nk[:1].isupper() or nk.isdigit() or (_fold(nk).startswith(("d'", "l'", "d’", "l’")) and nk[2:3].isupper()):
                    j, end, k = k + 1, toks[k + 1][1], k + 2
                    continue
            break
        # a trailing parenthesis that qualifies the body: "Fondation Abbé Pierre (direction Occitanie)"
        pm = re.match(r"[ \t]*\([^()\n]{1,40}\)", text[end:e])
        if pm:
            end += pm.end()
        nxt = toks[j + 1][2] if j + 1 < len(toks) else ""
        first_of_phrase = not text[s:ts].strip(" \t*_-–•:;,(\"«")
        if j == i and first_of_phrase and nxt[:1].islower() and not w.isupper() and _fold(nxt) not in _HEAD_ADJ:
            pass                        # "Mission confiée à …": the phrase's first word, not a name
        else:
            out.append((ts, end))
        i = j + 1
        while i < len(toks) and toks[i][0] < end:
            i += 1
    return out


def split_names(text: str, s: int, e: int, *, enumeration: bool = False) -> list[Span]:
    """Organisation names in text[s:e] (a bullet or an enumeration), as spans."""
    names: list[Span] = []
    parts = _split_top(text, s, e, _SEPS)
    # "A, B, C et D": the last "et" of a comma list separates two items
    comma_list = len(parts) >= 3 and text[parts[-2][1]:parts[-1][0]].strip() == ","
    for n, (ps, pe) in enumerate(parts):
        listed = comma_list and n == len(parts) - 1
        ps, pe = _strip_name(text, ps, pe)
        if pe <= ps:
            continue
        part = text[ps:pe]
        pieces = [(ps, pe)]
        # "CD du Cher et Région Centre-Val de Loire": two bodies; "Maisons et Cités": one
        sub = _split_top(text, ps, pe, _ET)
        if len(sub) > 1 and (listed or all(len(_words(text[a:b])) >= 2 for a, b in sub)):
            pieces = [_strip_name(text, a, b) for a, b in sub]
        for a, b in pieces:
            chunk = text[a:b]
            lower = [w for w in _words(chunk)[1:] if w[:1].islower() and _fold(w) not in _CONNECTORS | _HEAD_ADJ]
            if enumeration or len(_words(chunk)) > 6 or len(lower) > 2 or re.search(r"\b(?:confi[ée]e?|port[ée]e?|assur[ée]e?|pilot[ée]e?|"
                                                                   r"anim[ée]e?|par|avec|entre)\b", chunk):
                for cs, ce in _chunks(text, a, b):
                    cs, ce = _strip_name(text, cs, ce)
                    if ce > cs and looks_like_org(text[cs:ce]):
                        names.append((cs, ce))
            elif looks_like_org(chunk):
                names.append((a, b))
        del part
    return names


# intercommunal names hold commas: "Communauté de communes de Vitry, Champagne et Der"
_EPCI_NAME = re.compile(r"(?i)communaut[ée]\s+(?:de\s+communes|d['’]agglom[ée]ration|urbaine)\s+[^():;\n]{2,80}?"
                        r"(?=\s*(?:\(|$|:))")


def _one_name(text: str, s: int, e: int) -> Span | None:
    """text[s:e] when it is one organisation's name as the prose reader reads names, with its
    inner connectors ("Fondation Daniel et Nina Carasso", "Agence nationale de la cohésion des
    territoires", "Fonds européen agricole pour le développement rural (FEADER)"), else None."""
    from maillage.extract.prose import read_name

    if e <= s or "\n" in text[s:e] or ":" in text[s:e]:
        return None
    if text.count("(", s, e) > text.count(")", s, e) and text[e:e + 1] == ")":
        e += 1  # the trimmed closing parenthesis of "… (FNADT)"
    n = read_name(text[s:e], 0, allow_bare=False)   # the bullet alone: no copy of the whole text
    if n is not None:
        n = type(n)(s + n.start, s + n.end, n.text, n.head_only)
    if n is None or text[n.end:e].strip(_WRAP + ".…:;,-–") or len(text[s:n.start].strip(_WRAP)) > 4:
        # a bullet's whole text, when it opens on a body's head and holds no list or verb:
        # "Fonds européen agricole pour le développement rural (programme LEADER)"
        seg = re.sub(r"\s*\([^()]*\)\s*$", "", text[s:e]).rstrip(_WRAP + ".…:;,-–")
        words = _words(seg)
        if (not words or _fold(words[0]) not in _ORG_HEADS or len(words) > 10
                or re.search(r",|;|/|\+|\s(?:et|ou|avec|par|qui|est|sont|a|ont)\s", seg)):
            return None
        return (s, s + len(seg))
    if not looks_like_org(text[n.start:n.end]) and not re.match(r"(?i)(?:fondation|fonds|agence|caisse|chambre|office)\b", text[n.start:n.end]):
        return None
    return (n.start, n.end)
