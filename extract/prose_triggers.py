"""Relations in prose by their trigger phrases, for the prose reader (extract/prose.py): _RULES
(funding, partnership, pilot: the names follow the trigger), names that open a sentence before
the verb that says what they do, "…, X, qui fournit …", the funders around an amount of a
funding sentence, and the statements of FUNDING_CONSTRUCTIONS.
"""

from __future__ import annotations

import re

from maillage.extract.amounts import find_amounts
from maillage.extract.prose_builder import _Builder
from maillage.extract.prose_funding import funding_statements
from maillage.extract.prose_names import _HEADS, Name, _is_cap, read_list, read_name
from maillage.extract.prose_nlp import _Sentence

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


# the recipient or the purpose of an amount: a "de X" after it is part of their words
_RECIPIENT = re.compile(r"(?<![\wÀ-ÿ])(?:à|au|aux|pour|afin)\s", re.I)


class RelationRules:
    """The ProseReader's reading of relations in a sentence (a part of ProseReader)."""

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
            for m in re.finditer(r"(?:^|[\s,])(?:de\s+la|de\s+l['’]|du|des|de|d['’]|par\s+(?!le\s+biais\b|l['’]interm[ée]diaire\b)(?:la|le|les|l['’])?)\s*(?=[A-ZÀ-Ýa-zé])", window):
                pos = a.end + m.end()
                if any(x <= pos < e for x, e in taken):
                    break
                if not m.group().strip(" ,").startswith("par") and _RECIPIENT.search(window, 0, m.start() + 1):
                    continue  # "… € octroyés aux Ateliers du Bocage": the recipient's name, not a giver
                names = read_list(s, pos)
                names = [n for n in names if _is_cap(n.text.split()[0]) or n.head_only
                         or n.text.split()[0].lower() in _HEADS]
                if names:
                    taken.append((pos, names[-1].end))
                    b.relation("funding", "", shift(names), 0.75, sent)
                    break
