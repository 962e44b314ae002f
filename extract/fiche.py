"""Structured fiches: "Pilote :", "Partenaires :", "Lieu :", "Date :", "Coût total :", "dont
cofinanceurs :" headings followed by bullets, as booklets of project sheets write them — with
their layout noise (markdown marks, bold and italic wrappers, side columns cut into the middle of
a field, a heading missing).

One initiative per fiche. A booklet is cut into fiches at its top-level headings ("# …") when
they hold fields; a text without such headings is one fiche, or several when a field (Pilote,
Lieu…) comes back. Funders come from the cofinanceurs field (amount + name per bullet: "15 242 €
CD Somme", "60 000 € de la Région", "État") and from the sentences that name financial partners
("Les partenaires financiers du projet sont l'État, la Région …", "financé par …"). A bare form
("la Région", "le Département", "la Métropole") is named after the fiche's own place.
Every name, amount and place keeps its span in the text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from maillage.extract.amounts import find_amounts
from maillage.extract.model import Draft, DraftFunding, DraftInitiative, DraftOrganisation, DraftPartnership
from maillage.extract.places import find_places
from maillage.extract.prose import funding_statements

__all__ = ["FicheReader", "Field", "find_fields", "split_names"]

Span = tuple[int, int]

# ---------------------------------------------------------------- field headings

# Heading vocabulary: synonyms French project fiches use for each field (matched on the whole
# label, case-insensitive, "(s)"/"(e)" marks removed). Order matters: the first match wins.
_FIELD_KINDS = [
    # funders: who pays ("dont cofinanceurs", "Financements", "Plan de financement", "Soutiens obtenus")
    ("cofin", r"(?:-\s*)?(?:dont\s+)?(?:co-?financeurs|co-?financiers|co-?financements?|financeurs?|financements?|"
              r"partenaires\s+financiers|soutiens?\s+financiers?|soutiens?\s+obtenus|subventions?|"
              r"plan\s+de\s+financement|moyens\s+financiers|aides?\s+(?:obtenues|financi[èe]res)|"
              r"origine\s+des\s+fonds)(?:\s+\w+){0,2}"),
    # pilot: the body that leads the project
    ("pilote", r"pilotes?|porteurs?(?:\s+du\s+projet|\s+de\s+projet|\s+de\s+l['’]action)?|structures?\s+porteuses?|"
               r"ma[îi]tres?\s+d['’]ouvrage|ma[îi]trise\s+d['’]ouvrage|organismes?\s+(?:responsables?|porteurs?|gestionnaires?)|"
               r"pilotage|coordination|structure\s+(?:responsable|gestionnaire)|gestionnaires?"),
    # a weaker pilot heading, often a person ("Responsable : J. Martin"): used when no pilot heading is there
    ("pilote_weak", r"responsables?(?:\s+du\s+projet)?"),
    # partners: bodies working with the pilot
    ("partenaires", r"partenaires(?:\s+(?:op[ée]rationnels|techniques|associ[ée]s|mobilis[ée]s|du\s+projet|"
                    r"institutionnels|locaux|principaux))?|partenariats?|acteurs\s+(?:associ[ée]s|mobilis[ée]s|impliqu[ée]s|"
                    r"partenaires)|structures\s+(?:associ[ée]es|partenaires)|principaux\s+partenaires"),
    ("role:operateur", r"op[ée]rateurs?|structures?\s+op[ée]ratrices?"),
    ("role:prescripteur", r"prescripteurs?|orienteurs?"),
    ("role:client", r"clients?|donneurs?\s+d['’]ordre"),
    ("role:prestataire", r"prestataires?|sous-traitants?"),
    ("role:membre", r"membres?(?:\s+du\s+(?:r[ée]seau|collectif|groupement|consortium))?"),
    # place
    ("lieu", r"lieux?(?:\s+d['’]implantation)?|localisation|territoires?(?:\s+d['’]intervention|\s+concern[ée]s?|"
             r"\s+d['’]action)?|p[ée]rim[èe]tre(?:\s+g[ée]ographique)?|zones?\s+(?:g[ée]ographiques?|d['’]intervention)|"
             r"communes?(?:\s+concern[ée]es)?|implantation"),
    # date
    ("date", r"dates?(?:\s+de\s+d[ée]but|\s+de\s+lancement|\s+de\s+d[ée]marrage|\s+de\s+cr[ée]ation)?|calendrier|"
             r"p[ée]riodes?(?:\s+de\s+r[ée]alisation)?|d[ée]marrage|ann[ée]es?(?:\s+de\s+lancement)?|dur[ée]e|lancement|"
             r"ouverture|mise\s+en\s+(?:œ|oe)uvre"),
    # cost: a figure of the project, never a funding
    ("cout", r"co[ûu]ts?(?:\s+(?:total|global|annuel|estim[ée]))?(?:\s+(?:du\s+projet|de\s+fonctionnement|de\s+l['’]action))?|"
             r"budgets?(?:\s+(?:global|total|annuel|pr[ée]visionnel))?(?:\s+du\s+projet)?|montant(?:\s+total)?\s+du\s+projet"),
    # title of the project
    ("titre", r"nom\s+du\s+projet|intitul[ée](?:\s+du\s+projet)?|titre(?:\s+du\s+projet)?|projet|nom\s+de\s+l['’]action"),
    ("other", r"(?:-\s*)?(?:dont\s+|autres\s+)?[^\W\d_][\w'’ \-()/]{1,50}"),
]
_FIELD_RE = [(kind, re.compile(rf"(?i)(?:{pattern})")) for kind, pattern in _FIELD_KINDS]
# a heading line: markdown marks, bold/italic wrappers, a label of a few words, a colon
_HEADING = re.compile(
    r"(?m)^(?P<lead>[ \t]*(?:#{1,6}[ \t]*)?(?:[*_]{1,3}[ \t]*)?(?:[-–•][ \t]*)?(?:\d{1,2}[.)][ \t]*)?(?:[*_]{1,3}[ \t]*)?)"
    r"(?P<label>[^\W\d_][^\n:*_]{0,100}?)[ \t]*(?:[*_]{1,3})?[ \t]*:[ \t]*(?:[*_]{1,3})?(?P<inline>[^\n]*)$")
# a sentence that introduces a list of partners or funders: "Les partenaires … sont :"
_LIST_INTRO = re.compile(r"(?i)\b(?:partenaires|financeurs|co-?financeurs|soutiens)\b")
# a heading line without a colon: "### Porteur", "**PARTENAIRES**", "2. Financements"
_BARE_HEADING = re.compile(
    r"(?m)^(?P<lead>[ \t]*(?:#{1,6}[ \t]*|\d{1,2}[.)][ \t]*)?(?:[*_]{1,3}[ \t]*)?)"
    r"(?P<label>[^\W\d_][^\n:*_|]{0,60}?)[ \t]*(?:[*_]{1,3})?[ \t]*$")
_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|[ \t]*(?P<label>[^|\n]{2,60}?)[ \t]*\|(?P<value>[^|\n]*)\|?[ \t]*$")
_TABLE_HEAD = re.compile(r"(?m)^(?P<head>[ \t]*\|[^\n]+\|)[ \t]*\n[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$")
_TABLE_BODY_ROW = re.compile(r"(?m)^[ \t]*\|[^\n]*\|[ \t]*$")
_MD_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+\S")
_BULLET = re.compile(r"[ \t]*(?:[-–•▪◦·*+]|\d{1,2}[.)])[ \t]+")
_WRAP = " \t*_\u00a0"


@dataclass
class Field:
    kind: str                    # cofin | pilote | partenaires | lieu | date | cout | other
    label: str
    start: int                   # the heading's start
    end: int                     # the value's end
    items: list[Span] = field(default_factory=list)   # one span per bullet (or inline value)


def _classify(label: str) -> str:
    text = " ".join(re.sub(r"\((?:e?s|e|x)\)", "", label).split()).strip(" -–*_")   # "Pilote(s)", "Partenaire(s)"
    for kind, rx in _FIELD_RE:
        if rx.fullmatch(text):
            return kind
    return "other"


def _trim(text: str, s: int, e: int, chars: str = _WRAP) -> Span:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def _line_spans(text: str, start: int, limit: int):
    """(line start, line end) from ``start`` up to ``limit``."""
    pos = start
    while pos < limit:
        nl = text.find("\n", pos, limit)
        end = limit if nl < 0 else nl
        yield pos, end
        pos = end + 1


@dataclass
class _Head:
    s: int
    e: int
    label: str
    kind: str
    inline: Span

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e


def find_fields(text: str) -> list[Field]:
    """Every heading line ("Label :") with the bullets of its value. A value ends at the next
    heading, or at a paragraph that follows its bullets (a side column resuming)."""
    heads = []
    for m in _HEADING.finditer(text):
        label = m.group("label")
        if len(label.split()) > 7 and not (_LIST_INTRO.search(label) and len(label.split()) <= 16):
            continue
        # a sentence ending with a colon is not a heading unless the line is marked up as one
        lead = m.group("lead")
        kind = _classify(label)
        if (kind == "other" and "#" not in lead and "*" not in lead and not re.search(r"\d", lead)
                and not label.strip().istitle()
                and not _LIST_INTRO.search(label)):
            continue
        inline_text = m.group("inline").strip(" \t*_")
        if kind == "other" and inline_text and (re.search(r"[-–•]", lead) or re.match(r"[ \t]*\*[ \t]", lead)):
            continue                 # "- GT associant (…) : DDT31": a bullet with a colon, not a heading
        if kind == "other" and _LIST_INTRO.search(label) and not inline_text:
            kind = "cofin" if re.search(r"(?i)financ|soutien", label) else "partenaires"
        heads.append(_Head(m.start(), m.end(), m.group("label"), kind, (m.start("inline"), m.end("inline"))))
    taken = {h.s for h in heads}
    for m in _BARE_HEADING.finditer(text):
        if m.start() in taken or len(m.group("label").split()) > 6:
            continue
        kind = _classify(m.group("label"))
        if kind in ("other", "titre"):
            continue
        if kind.startswith("role:") and not m.group("lead").strip():
            continue                 # "Clients" alone on a line: too common a word to be a heading unmarked
        heads.append(_Head(m.start(), m.end(), m.group("label"), kind, (m.end(), m.end())))
    heads.sort(key=lambda h: h.s)
    boundaries = sorted({m.start() for m in _MD_HEADING.finditer(text)} | {h.s for h in heads})
    fields: list[Field] = []
    for m, kind in ((h, h.kind) for h in heads):
        nxt_i = bisect.bisect_right(boundaries, m.start())
        limit = boundaries[nxt_i] if nxt_i < len(boundaries) else len(text)
        limit = min(limit, m.end() + 4000)
        items: list[Span] = []
        inline = _trim(text, *m.inline)
        if inline[1] > inline[0]:
            items.append(inline)
        seen_bullet, blank, end = False, False, m.end()
        current: list[int] | None = None
        for ls, le in _line_spans(text, m.end() + 1, limit):
            line = text[ls:le]
            if not line.strip():
                blank = True
                current = None
                continue
            if line.lstrip().startswith("|"):
                break                                     # a table: read on its own below
            b = _BULLET.match(line)
            if b:
                s, e = _trim(text, ls + b.end(), le)
                if e > s:
                    items.append((s, e))
                    current = [len(items) - 1]
                seen_bullet, blank, end = True, False, le
                continue
            if current is not None and not blank:        # a bullet's continuation line
                s, e = _trim(text, ls, le)
                if e > s:
                    i = current[0]
                    items[i] = (items[i][0], e)
                    end = le
                continue
            if seen_bullet or items:                      # a paragraph after the value: other text
                break
            s, e = _trim(text, ls, le)                    # a value written as one short line
            if e - s > 200:
                break
            items.append((s, e))
            current, end = [len(items) - 1], le
            if len(items) > 40:
                break
        fields.append(Field(kind, " ".join(m.label.split()), m.start(), end, items))
    # markdown tables: "| **Pilote** | Association X<br>Mairie de Y |"
    head_rows = {m.start() for m in _TABLE_HEAD.finditer(text)}
    for m in _TABLE_ROW.finditer(text):
        kind = _classify(m.group("label").strip(" *_:"))
        if kind == "other" or m.start() in head_rows:
            continue
        items = []
        pos = m.start("value")
        for piece in re.split(r"(<br\s*/?>)", m.group("value")):
            if not re.fullmatch(r"<br\s*/?>", piece):
                s, e = _trim(text, pos, pos + len(piece), _WRAP + "|")
                if e > s:
                    items.append((s, e))
            pos += len(piece)
        fields.append(Field(kind, m.group("label").strip(" *_:"), m.start(), m.end(), items))
    # tables with a header row: "| Financeur | Montant |" / "|---|---|" / "| Région X | 25 000 € |":
    # the column named by a field heading gives one item per row (the whole row for funders)
    for m in _TABLE_HEAD.finditer(text):
        cells = [c.strip(" \t*_:") for c in m.group("head").strip().strip("|").split("|")]
        kinds = [_classify(c) if c else "other" for c in cells]
        kinds = ["cofin" if k == "other" and re.fullmatch(r"(?i)(?:co-?)?financeurs?|financements?|organismes?\s+financeurs?", c)
                 else "partenaires" if k == "other" and re.fullmatch(r"(?i)partenaires?|acteurs?|structures?", c) else k
                 for k, c in zip(kinds, cells)]
        col = next((i for i, k in enumerate(kinds) if k in ("cofin", "partenaires", "pilote") or k.startswith("role:")), None)
        if col is None:
            continue
        # a two-column key/value table ("| Rubrique | Description |") is read row by row above
        items = []
        end = m.end()
        for row in _TABLE_BODY_ROW.finditer(text, m.end()):
            if row.start() != end + 1 and row.start() != end:
                break
            end = row.end()
            bounds = [row.start() + i for i, c in enumerate(text[row.start():row.end()]) if c == "|"]
            spans = [_trim(text, a + 1, b, _WRAP) for a, b in zip(bounds, bounds[1:])]
            if kinds[col] == "cofin":
                if spans:
                    items.append((spans[0][0], spans[-1][1]))
            elif col < len(spans) and spans[col][1] > spans[col][0]:
                items.append(spans[col])
        if items:
            fields.append(Field(kinds[col], cells[col], m.start(), end, items))
    fields.sort(key=lambda f: f.start)
    return fields


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


# ---------------------------------------------------------------- funding sentences

_FUNDING_PHRASE = re.compile(
    r"(?i)(?:\b(?:principaux\s+)?(?:partenaires\s+financiers|financeurs|co-?financeurs)\b[^.:\n]{0,60}?\b(?:sont|:)\s+"
    r"|\b(?:co-?financ[ée]e?s?|financ[ée]e?s?|soutenue?s?\s+financi[èe]rement|subventionn[ée]e?s?)"
    r"(?:\s+(?:notamment|principalement|en\s+partie|pour\s+partie|à\s+\d+\s*%))?\s+par\s+"
    r"|\bavec\s+le\s+soutien\s+financier\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s*"
    r"|\bfinancement\s+(?:[^.\n]{0,60}?\s+)?par\s+)")
_PILOT_PHRASE = re.compile(
    r"(?i)\b(?:port[ée]e?s?|pilot[ée]e?s?|coordonn[ée]e?s?|g[ée]r[ée]e?s?|(?:coordination|pilotage|animation)"
    r"(?:\s+et\s+(?:une\s+|la\s+)?(?:coordination|animation))?[^.\n]{0,60}?\bassur[ée]e?s?)\s+par\s+"
    r"|\bà\s+l['’]initiative\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s*")
_ACTION_SECTION = re.compile(r"(?im)^[ \t]*#{1,6}[ \t]*[*_]*[ \t]*(?:nature\s+des\s+actions(?:\s+conduites)?|actions\s+conduites|"
                             r"description\s+de\s+l['’]action|nature\s+de\s+l['’]action)[ \t*_:]*$")
_AID = re.compile(r"(?i)(?:financement\s+(?:du|des|de\s+la|de\s+l['’]|d['’])|intervention\s+financi[èe]re|aides?\s+financi[èe]res?|"
                  r"subventions?\s+(?:aux|à|versée)|contribution\s+financi[èe]re|soutien\s+financier|prise\s+en\s+charge\s+financi)")


# "… pour les propriétaires occupants": money that goes to people or structures, not to the action itself
_FOR_PEOPLE = re.compile(r"(?i)\b(?:pour|aux?|en\s+faveur\s+des?)\s+(?:les\s+|des\s+)?(?:propriétaires|ménages|bénéficiaires|"
                         r"personnes|familles|habitants|locataires|publics?|jeunes|demandeurs|salariés|structures|"
                         r"associations|porteurs|entreprises|communes|collectivités)\b")


# a cost or revenue line inside a funding list: a figure of the project, not a funding
_FIGURE_LINE = re.compile(r"(?i)[ \t*_\-–•]*(?:chiffre\s+d['’]affaires|co[ûu]ts?\b|budget|total\b|recettes|ventes|"
                          r"autofinancement|fonds\s+propres|solde|reste\s+à\s+charge|produits\s+des?)")
# intercommunal names hold commas: "Communauté de communes de Vitry, Champagne et Der"
_EPCI_NAME = re.compile(r"(?i)communaut[ée]\s+(?:de\s+communes|d['’]agglom[ée]ration|urbaine)\s+[^():;\n]{2,80}?"
                        r"(?=\s*(?:\(|$|:))")


def _first_line(text: str, start: int, limit: int) -> Span | None:
    """The first non-empty line after ``start``, without its bullet and wrappers."""
    for ls, le in _line_spans(text, start, limit):
        if not text[ls:le].strip():
            continue
        b = _BULLET.match(text, ls, le)
        return _trim(text, ls + (b.end() - ls if b else 0), le)
    return None


_SENTENCE_END = re.compile(r"(?<!\bM)(?<!\bSt)(?<!\bCf)[.!?](?=\s|$)|\n\s*\n|\s:\s*\n")


def _funding_sentences(text: str, s: int, e: int):
    """(enumeration span, purpose) for each sentence naming the funders."""
    for m in _FUNDING_PHRASE.finditer(text, s, e):
        end_m = _SENTENCE_END.search(text, m.end(), min(e, m.end() + 400))
        stop = end_m.start() if end_m else min(e, m.end() + 300)
        # a following list after "… sont :" is a field, not a sentence
        if stop <= m.end():
            continue
        phrase = text[max(s, m.start() - 80):m.end()].lower()
        purpose = "investissement" if "investissement" in phrase else ("fonctionnement" if "fonctionnement" in phrase else None)
        yield (m.start(), stop), (m.end(), stop), purpose


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


def _sentences(text: str, s: int, e: int):
    """(start, end) of the sentences and lines of text[s:e]."""
    pos = s
    for m in re.finditer(r"(?<!\bM)(?<!\d)[.!?](?=\s)|\n", text[s:e]):
        end = s + m.start()
        if text[pos:end].strip():
            yield pos, end
        pos = s + m.end()
    if text[pos:e].strip():
        yield pos, e


# ---------------------------------------------------------------- the reader

_MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
           "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12}
_MAIN = {"pilote", "partenaires", "lieu", "date", "cout", "cofin"}
# "Fiche n°2 – Garage solidaire", "Action 3 : …": a numbered item starts a fiche
_NUMBERED_TITLE = re.compile(r"(?im)^[ \t#*_]*(?:fiche|action|initiative|projet|exp[ée]rience)\s*(?:n[°o]\.?|no\.?|#)?\s*\d{1,3}\b"
                             r"[ \t]*(?:[:–—.\-][ \t]*)?(?P<title>[^\n]*)$")
_TITLE_SKIP = re.compile(r"(?i)^\s*(?:fiche(?:\s+\w+)?|sommaire|introduction|remerciements|contexte|enjeux|"
                         r"retour\s+d['’]exp[ée]rience.*|mots?\s+cl[ée]s|annexes?)\s*:?\s*$")


def _date(text: str) -> str | None:
    t = _fold(text)
    m = re.search(r"\b(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+((?:19|20)\d{2})\b", t)
    if m:
        return f"{m.group(2)}-{_MONTHS[m.group(1)]:02d}"
    m = re.search(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\b", t)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(3)}-{int(m.group(2)):02d}"
    m = re.search(r"\b((?:19|20)\d{2})\b", t)
    return m.group(1) if m else None


@dataclass
class _Fiche:
    start: int
    end: int
    title: Span | None
    fields: list[Field]


class FicheReader:
    """Reads structured fiches (one or many per document) into a Draft."""

    name = "fiche"

    def __init__(self, cog=None):
        self._cog = cog

    @property
    def cog(self):
        if self._cog is None:
            from maillage.loaders.territories import load_cog

            self._cog = load_cog()
        return self._cog

    # -- segmentation

    def fiches(self, text: str) -> list[_Fiche]:
        fields = find_fields(text)
        # fiche titles: level-1 headings, and headings of any level marked as a new item ("# → …")
        h1 = sorted({m.start() for m in re.finditer(r"(?m)^[ \t]*(?:#[ \t]+|#{1,6}[ \t]+(?:[*_]{1,3}[ \t]*)?(?:→|->|➜|►|▶)[ \t]*)\S", text)}
                    | {m.start() for m in _NUMBERED_TITLE.finditer(text)})
        fiches: list[_Fiche] = []
        if h1:
            bounds = h1 + [len(text)]
            starts = [f.start for f in fields]
            for a, b in zip(bounds, bounds[1:]):
                inside = fields[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]
                if len({f.kind for f in inside} & _MAIN) < 2:
                    continue
                line_end = text.find("\n", a)
                title = _trim(text, a, line_end if line_end >= 0 else b, " \t#*_→->➜►▶")
                numbered = _NUMBERED_TITLE.match(text, a, title[1])
                if numbered and numbered.group("title"):
                    title = _trim(text, numbered.start("title"), title[1], " \t#*_")
                for g_start, group in self._groups(text, a, inside):
                    t = title if g_start == a else self._heading_before(text, a, group[0].start) or title
                    fiches.append(_Fiche(g_start, b, t, group))
            for i in range(len(fiches) - 1):
                fiches[i].end = min(fiches[i].end, fiches[i + 1].start)
        if not fiches:
            # no sectioned fiches: one fiche, or a new one each time a main field comes back
            group: list[Field] = []
            groups: list[list[Field]] = []
            for f in fields:
                if f.kind in ("pilote", "lieu") and any(g.kind == f.kind for g in group):
                    groups.append(group)
                    group = []
                group.append(f)
            groups.append(group)
            starts = [0] + [g[0].start for g in groups[1:]]
            for i, g in enumerate(groups):
                a = starts[i]
                b = starts[i + 1] if i + 1 < len(starts) else len(text)
                fiches.append(_Fiche(a, b, self._title(text, a, b, g), g))
        return fiches

    @staticmethod
    def _groups(text: str, a: int, fields: list[Field]) -> list[tuple[int, list[Field]]]:
        """The fields of one section, cut where a Pilote or Lieu field comes back (two fiches
        under one heading); each group with the start of its part of the text."""
        groups: list[tuple[int, list[Field]]] = []
        group: list[Field] = []
        start = a
        for f in fields:
            if f.kind in ("pilote", "lieu") and any(g.kind == f.kind for g in group):
                groups.append((start, group))
                heading = FicheReader._heading_before(text, group[-1].end, f.start)
                start, group = (heading[0] if heading else f.start), []
            group.append(f)
        groups.append((start, group))
        return groups

    @staticmethod
    def _heading_before(text: str, a: int, b: int) -> Span | None:
        """The last markdown heading in text[a:b] that is neither a field nor a section name."""
        best = None
        for m in re.finditer(r"(?m)^[ \t]*#{1,6}[ \t]+(.+)$", text[a:b]):
            s, e = _trim(text, a + m.start(1), a + m.end(1), " \t#*_→->➜►▶")
            line = text[s:e]
            if not line or line.endswith(":") or _TITLE_SKIP.match(line) or len(_words(line)) < 3:
                continue
            best = (s, e)
        return best

    def _title(self, text: str, a: int, b: int, fields: list[Field]) -> Span | None:
        """The first heading-like line of the fiche that is not a generic section name."""
        main = [f for f in fields if f.kind != "other"] or fields
        limit = min(b, main[0].start, a + 3000) if main else min(b, a + 3000)
        prev_fiche = False
        for ls, le in _line_spans(text, a, max(limit, a + 1)):
            s, e = _trim(text, ls, le, " \t#*_→->•")
            line = text[s:e]
            if not line or len(line) > 200:
                continue
            if line.isupper() and re.match(r"(?i)(?:r[ée]pertoire|recueil|catalogue|annuaire|guide|livret|sommaire)\b", line):
                continue                     # the booklet's running title, not the fiche's
            if re.match(r"(?i)^fiche\b", line):
                prev_fiche = True
                continue
            if _TITLE_SKIP.match(line) or line.endswith(":") and not prev_fiche:
                continue
            return s, e
        return None

    # -- reading

    def read(self, text: str, file: str) -> Draft:
        draft = Draft(file=file)
        if not text or not text.strip():
            draft.warnings.append("empty text: nothing to read")
            return draft
        fiches = self.fiches(text)
        self._orgs: dict[str, DraftOrganisation] = {}
        self._by_norm: dict[str, str] = {}
        self._norm_cache: dict[str, str] = {}
        self._spans: dict[str, set] = {}
        self._draft = draft
        for n, fiche in enumerate(fiches, start=1):
            self._read_fiche(text, fiche, n)
        draft.organisations = list(self._orgs.values())
        if not draft.initiatives:
            draft.warnings.append("no fiche found (no title and no Pilote/Partenaires/Lieu/Date/Coût headings)")
        return draft

    def _org(self, text: str, span: Span, confidence: float, *, name: str | None = None,
             territory: str | None = None, kind: str | None = None) -> str:
        from maillage.extract.draft_io import slug

        name = name or " ".join(text[span[0]:span[1]].split())
        key_norm = self._norm_cache.get(name)
        if key_norm is None:
            from maillage.loaders.resolution import normalise_name

            key_norm = self._norm_cache[name] = normalise_name(name, self.cog) or name.lower()

        known = self._by_norm.get(key_norm)
        if known is not None:
            o = self._orgs[known]
            if span not in self._spans[known]:
                self._spans[known].add(span)
                o.spans.append(span)
            o.confidence = max(o.confidence, confidence)
            return known
        key = slug(name)
        base, i = key, 2
        while key in self._orgs:
            key, i = f"{base}-{i}", i + 1
        self._orgs[key] = DraftOrganisation(key=key, name=name, kind=kind, territory=territory, spans=[span],
                                            confidence=confidence)
        self._by_norm[key_norm] = key
        self._spans[key] = {span}
        return key

    @staticmethod
    def _pilot_sentences(text: str, fiche: _Fiche) -> list[Span]:
        """Who runs it, from sentences: "porté par X", "piloté par X", "coordination … assurée(s)
        par X", "à l'initiative de X"."""
        out: list[Span] = []
        for m in _PILOT_PHRASE.finditer(text, fiche.start, fiche.end):
            stop = _SENTENCE_END.search(text, m.end(), min(fiche.end, m.end() + 200))
            end = stop.start() if stop else min(fiche.end, m.end() + 120)
            names = split_names(text, m.end(), end, enumeration=True)
            if names:
                out.append(names[0])
        return out

    def _contextual(self, text: str, span: Span, places: list) -> tuple[str | None, str | None, str | None]:
        """A bare form ("la Région", "Département", "CD", "Métropole") named after the fiche's
        place: (name, territory, kind), or (None, None, None)."""
        words = [_fold(w) for w in _words(text[span[0]:span[1]])]
        if len(words) != 1 and not (len(words) == 2 and words[0] in ("conseil",)):
            return None, None, None
        form = words[-1]
        cog = self.cog

        def ancestors(level):
            out = []
            for p in places:
                t = cog.get(p)
                if t is None:
                    continue
                if t.level == level:
                    out.append(t)
                out += [a for a in cog.ancestors(t.ref) if a.level == level]
            uniq = {t.ref: t for t in out}
            return list(uniq.values())

        if form in ("region", "regional"):
            regs = ancestors("region")
            if len(regs) == 1:
                return f"Région {regs[0].name}", regs[0].ref, "REG"
        elif form in ("departement", "departemental", "cd", "cg"):
            deps = ancestors("departement")
            if len(deps) == 1:
                return f"Département ({deps[0].name})", deps[0].ref, "CD"
        elif form in ("ccas", "mairie", "ville", "commune", "municipalite"):
            coms = ancestors("commune")
            if len(coms) == 1:
                label = "CCAS" if form == "ccas" else "Ville"
                return f"{label} de {coms[0].name}", coms[0].ref, "CCAS" if form == "ccas" else "MUNI"
        elif form in ("metropole", "agglomeration", "agglo", "communaute", "intercommunalite", "epci"):
            epcis = ancestors("epci")
            if len(epcis) == 1:
                return epcis[0].name, epcis[0].ref, "EPCI"
        return None, None, None

    def _read_fiche(self, text: str, fiche: _Fiche, n: int) -> None:
        draft = self._draft
        by_kind: dict[str, list[Field]] = {}
        for f in fiche.fields:
            by_kind.setdefault(f.kind, []).append(f)
        title = fiche.title
        for f in by_kind.get("titre", []):       # "Nom du projet : …" names the initiative
            if f.items:
                title = f.items[0]
                break
        if not by_kind.get("pilote") and by_kind.get("pilote_weak"):
            by_kind["pilote"] = by_kind["pilote_weak"]
        if not by_kind.get("pilote"):
            # "Opérateur : X" (one body, singular) leads the project when no pilot heading is there
            single = [f for f in by_kind.get("role:operateur", []) if re.fullmatch(r"(?i)op[ée]rat(?:eur|rice)", f.label)]
            if single:
                by_kind["pilote"] = single
                by_kind["role:operateur"] = [f for f in by_kind["role:operateur"] if f not in single]
        if title is None:
            draft.warnings.append(f"fiche {n} at character {fiche.start}: no title found")
            return
        title_text = text[title[0]:title[1]]
        # "Titre, Structure": the structure after the last comma (the booklet's way of naming the pilot)
        name_span, title_org = title, None
        comma = title_text.rfind(",")
        if comma > 0:
            tail = _strip_name(text, title[0] + comma + 1, title[1])
            if tail[1] > tail[0] and len(_words(text[tail[0]:tail[1]])) <= 6 and looks_like_org(text[tail[0]:tail[1]]):
                name_span, title_org = _trim(text, title[0], title[0] + comma, _WRAP + ",→"), tail
        # "Titre : sous-titre" / "Titre – sous-titre": the part before
        sub = re.search(r"\s+(?::|–|—|-)\s+", text[name_span[0]:name_span[1]])
        if sub and len(_words(text[name_span[0]:name_span[0] + sub.start()])) >= 2:
            name_span = _trim(text, name_span[0], name_span[0] + sub.start(), _WRAP)
        name = " ".join(text[name_span[0]:name_span[1]].split()).strip(" *_")
        missing = [k for k in ("pilote", "lieu", "partenaires") if k not in by_kind]
        if missing:
            draft.warnings.append(f"fiche {n} ({name[:60]}): no {', '.join(missing)} heading")

        # places: the Lieu field (names without prepositions), else the title
        places: list[str] = []
        for f in by_kind.get("lieu", []):
            for s, e in f.items:
                for p in find_places(text[s:e], self.cog, lenient=True):
                    if p.ref not in places:
                        places.append(p.ref)
        if not places:
            for p in find_places(text[title[0]:title[1]], self.cog):
                if p.ref not in places:
                    places.append(p.ref)
        if not places:
            # no Lieu field: the commune and the districts the fiche keeps coming back to
            from collections import Counter

            found = find_places(text[fiche.start:fiche.end], self.cog)
            counts = Counter(p.ref for p in found if p.level in ("commune", "qpv"))
            places = [ref for ref, c in counts.most_common() if c >= 2][:3]
        confidence = 0.9 if by_kind.get("pilote") else 0.7
        ini = DraftInitiative(key=f"fiche-{n}", name=name, territories=places, spans=[name_span],
                              confidence=confidence)
        for f in by_kind.get("date", []):
            for s, e in f.items:
                d = _date(text[s:e])
                if d:
                    ini.start = d
                    break
            if ini.start:
                break

        cog_places = [p for p in places if not p.startswith(("qpv:", "quartier:"))]

        def org_key(span: Span, conf: float) -> str | None:
            nm, terr, kind = self._contextual(text, span, cog_places)
            if nm is None and len(_words(text[span[0]:span[1]])) == 1 and _fold(text[span[0]:span[1]]) in _FORM_WORDS:
                return None                       # a bare form whose territory the fiche does not say
            return self._org(text, span, conf, name=nm, territory=terr, kind=kind)

        # pilots
        for f in by_kind.get("pilote", []):
            for s, e in f.items:
                for span in split_names(text, s, e):
                    k = org_key(span, 0.85)
                    if k and k not in ini.pilots:
                        ini.pilots.append(k)
        if not ini.pilots:
            for span in self._pilot_sentences(text, fiche):
                k = org_key(span, 0.6)
                if k and k not in ini.pilots:
                    ini.pilots.append(k)
                    break
        if not ini.pilots and title_org:
            k = org_key(title_org, 0.6)
            if k:
                ini.pilots.append(k)
        draft.initiatives.append(ini)

        # partners
        seen_partners = {(k, role) for k in ini.pilots for role in ("partenaire", "operateur", "membre")}
        role_fields = [(f, "partenaire") for f in by_kind.get("partenaires", [])]
        role_fields += [(f, kind.split(":", 1)[1]) for kind, fs in by_kind.items() if kind.startswith("role:") for f in fs]
        for f, role in role_fields:
            for s, e in f.items:
                epci = _EPCI_NAME.match(text, *_trim(text, s, e))
                whole = _trim(text, epci.start(), epci.end(), _WRAP + ",") if epci else _one_name(text, *_trim(text, s, e))
                for span in ([whole] if whole else split_names(text, s, e)):
                    k = org_key(span, 0.75)
                    if k and (k, role) not in seen_partners:
                        seen_partners.add((k, role))
                        draft.partnerships.append(DraftPartnership(ini.key, k, role, [span], 0.75))

        # fundings: the cofinanceurs field, one bullet at a time
        fundings: dict[tuple, DraftFunding] = {}

        def add_funding(keys: list[str], amount, year, annual, span: Span, conf: float, purpose=None):
            if not keys:
                return
            fkey = (tuple(keys), amount)
            if fkey in fundings:
                fundings[fkey].spans.append(span)
                return
            fu = DraftFunding(funders=keys, initiative=ini.key, amount_eur=amount, year=year, purpose=purpose,
                              spans=[span], confidence=conf)
            fundings[fkey] = fu
            draft.fundings.append(fu)

        for f in by_kind.get("cofin", []):
            for s0, e0 in f.items:
                # "A (20 000 €), B (15 000 €), C": each part its own funder and amount;
                # "15 242 € CD Somme", "1 800 000 € CD du Cher et Région …": one part
                parts = _split_top(text, s0, e0, _SEPS) if len(find_amounts(text[s0:e0])) > 1 else [(s0, e0)]
                for s, e in parts:
                    s, e = _trim(text, s, e)
                    if e <= s or _FIGURE_LINE.match(text, s, e):
                        continue                  # "Chiffre d'affaires : 169 000 €": a figure, not a funding
                    amounts = find_amounts(text[s:e])
                    rest = []
                    pos = s
                    for a in amounts:
                        rest.append((pos, s + a.start))
                        pos = s + a.end
                    rest.append((pos, e))
                    keys: list[str] = []
                    for rs, re_ in rest:
                        rs, re_ = _trim(text, rs, re_, _WRAP + "()[]:–—-.|…")
                        # "Région X ........ 25 000 €", "Région X | 25 000 €": leaders and cells
                        lead = re.search(r"\s*(?:\.{3,}|…+|\|)", text[rs:re_])
                        if lead:
                            rs, re_ = _trim(text, rs, rs + lead.start(), _WRAP + "()[]:–—-.|…")
                        # "État – aide au poste (DDETS du Nord)": the body before the dash
                        dash = re.search(r"\s+[–—]\s+", text[rs:re_])
                        if dash and looks_like_org(text[rs:rs + dash.start()]):
                            re_ = rs + dash.start()
                        # "Communauté de communes de Vitry, Champagne et Der (…)": one body with a comma
                        epci = _EPCI_NAME.match(text, rs, re_)
                        whole = (_trim(text, rs, epci.end(), _WRAP + ",") if epci
                                 else _one_name(text, rs, re_))
                        for span in ([whole] if whole else split_names(text, rs, re_)):
                            k = org_key(span, 0.8)
                            if k and k not in keys:
                                keys.append(k)
                    if not keys:
                        continue
                    if len(amounts) == 1:
                        a = amounts[0]
                        add_funding(keys, a.value_eur, a.year, a.annual, (s, e), 0.85)
                    elif not amounts:
                        add_funding(keys, None, None, False, (s, e), 0.75)
                    else:   # several amounts for one funder: the total is not known
                        add_funding(keys, None, None, False, (s, e), 0.5)

        # the pilot is a funder when the fiche's action is itself a financial aid
        # ("Nature des actions : Financement du reste à charge …", "- Intervention financière …")
        for m in _ACTION_SECTION.finditer(text, fiche.start, fiche.end):
            line = _first_line(text, m.end(), fiche.end)
            if line and _AID.match(text, line[0], line[1]) and (
                    not re.match(r"(?i)financement", text[line[0]:line[1]]) or _FOR_PEOPLE.search(text, line[0], line[1])):
                for k in ini.pilots[:1]:          # the lead pilot, not its services or co-pilots
                    if not any(k in fu.funders for fu in fundings.values()):
                        add_funding([k], None, None, False, line, 0.5)

        # fundings stated in the fiche's sentences: "La CAF des Vosges a versé 5 000 €", "une
        # subvention de 10 000 € de la Région" (the prose reader's FUNDING_CONSTRUCTIONS)
        cofin_spans = [(s0, e0) for f in by_kind.get("cofin", []) for s0, e0 in f.items]
        for ss, se in _sentences(text, fiche.start, fiche.end):
            if any(a <= ss < b or ss <= a < se for a, b in cofin_spans) or not find_amounts(text[ss:se]):
                continue
            for st in funding_statements(text[ss:se]):
                keys = []
                for nm in st.names:
                    k = org_key((ss + nm.start, ss + nm.end), 0.7)
                    if k and k not in keys:
                        keys.append(k)
                if keys and not any(fu.amount_eur == st.amount.value_eur and set(keys) & set(fu.funders)
                                    for fu in fundings.values()):
                    add_funding(keys, st.amount.value_eur, st.amount.year, st.amount.annual, (ss, se), 0.7)

        # fundings: sentences that name the financial partners
        for (ss, se), (es, ee), purpose in _funding_sentences(text, fiche.start, fiche.end):
            for span in split_names(text, es, ee, enumeration=True):
                k = org_key(span, 0.7)
                if k:
                    already = any(k in fu.funders for fu in fundings.values())
                    if not already:
                        add_funding([k], None, None, False, (ss, se), 0.65, purpose)
                    elif purpose:
                        for fu in fundings.values():
                            if k in fu.funders and not fu.purpose:
                                fu.purpose = purpose
