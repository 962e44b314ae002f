"""Funding constructions, for the prose reader (extract/prose.py) and the fiche reader's
sentences: the general French ways of saying that body B gives amount A to project P
(FUNDING_CONSTRUCTIONS), read by ``funding_statements`` into FundingStatements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from maillage.extract.amounts import find_amounts
from maillage.extract.prose_names import _BARE_OK, _HEADS, Name, _is_cap, read_list, read_name
from maillage.extract.syntax import scheme_only
from maillage.loaders.resolution import normalise_name

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
# (the words between the amount and its giver are lower-case and never bring in the recipient or
# the purpose: "de 5 000 € est octroyée aux Ateliers du Bocage", "de 15 000 € pour soutenir le
# démarrage du garage du Mans" name no giver)
_OF_GIVER = re.compile(r"(?:\s+(?:(?:(?!(?:à|au|aux|pour|afin)\s)(?-i:[a-zà-ÿ])[\wÀ-ÿ'’\-]*|en\s+(?:19|20)\d\d)\s+){0,4}?)?\s*(?:(?:versée?s?|accordée?s?|attribuée?s?|octroyée?s?|apportée?s?|allouée?s?)\s+par\s+|(?:de\s+la\s+part\s+|auprès\s+|venant\s+|provenant\s+|issue?s?\s+)?(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])|par\s+)", re.I)


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


# a scheme's common noun and its adjectives before its name: "programme européen Leader", "fonds européen FEDER"
_SCHEME_OF = re.compile(r"(?:programme|fonds|dispositif|plan)\s+(?:(?-i:[a-zé][a-zéèêàç\-]+)\s+){0,2}(?=(?-i:[A-Z]))", re.I)


# a reference code, no body: a deliberation's number "DDEEES 1145 G", "CP 08-702", "CP09-119"
_CODE = re.compile(r"[A-Z]{2,8}\s?(?:\d{3,}|\d{2,4}-\d{2,4})\b")


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
        names = [n for n in names if not _generic_plural(n) and not _CODE.match(s, n.start, n.end + 12)
                 and not scheme_only(n.text)]  # "Subvention attribuée : A": the grant, not its giver
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
                    if a.start < pos or not re.fullmatch(r"[\s,]*(?:(?:et|puis|ainsi\s+que)\s+)?(?:(?:en\s+plus|également|aussi|encore|enfin|ensuite)\s+)?(?:(?:près|plus)\s+de\s+|environ\s+)?", s[pos:a.start], re.I):
                        break
                    g = _OF_GIVER.match(s, a.end)
                    names = read_list(s, g.end()) if g and not g.group().lstrip().lower().startswith(("subvention", "aide")) else []
                    names = [n for n in names if _is_cap(n.text.split()[0]) or n.head_only
                             or n.text.split()[0].lower() in _HEADS]
                    sch = _SCHEME_OF.match(s, g.end()) if g and not names else None
                    if sch:  # "15 000 € du programme européen Leader": the scheme's own name
                        names = [n for n in read_list(s, sch.end()) if _is_cap(n.text.split()[0])][:1]
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
