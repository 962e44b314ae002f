"""The funding plan of a fiche, for the fiche reader (extract/fiche.py): the cofinanceurs field
(amount + name per bullet: "15 242 € CD Somme", "60 000 € de la Région", "État"), the pilot as a
funder when the fiche's action is itself a financial aid, the fundings its sentences state, and
the sentences that name the financial partners ("Les partenaires financiers du projet sont
l'État, la Région …", "financé par …").
"""

from __future__ import annotations

import re

from maillage.extract.amounts import find_amounts
from maillage.extract.fiche_fields import _BULLET, _WRAP, Span, _line_spans, _trim
from maillage.extract.fiche_names import _EPCI_NAME, _SEPS, _one_name, _split_top, looks_like_org, split_names
from maillage.extract.model import Draft, DraftFunding, DraftInitiative
from maillage.extract.prose import funding_statements

# ---------------------------------------------------------------- funding sentences

_FUNDING_PHRASE = re.compile(
    r"(?i)(?:\b(?:principaux\s+)?(?:partenaires\s+financiers|financeurs|co-?financeurs)\b[^.:\n]{0,60}?\b(?:sont|:)\s+"
    r"|\b(?:co-?financ[ée]e?s?|financ[ée]e?s?|soutenue?s?\s+financi[èe]rement|subventionn[ée]e?s?)"
    r"(?:\s+(?:notamment|principalement|en\s+partie|pour\s+partie|à\s+\d+\s*%))?\s+par\s+"
    r"|\bavec\s+le\s+soutien\s+financier\s+(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s*"
    r"|\bfinancement\s+(?:[^.\n]{0,60}?\s+)?par\s+)")
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


def read_fundings(draft: Draft, text: str, fiche, by_kind: dict, ini: DraftInitiative, org_key) -> None:
    """The fundings of one fiche (``fiche``: its start and end; ``by_kind``: its fields by kind)
    into ``draft``, for the initiative ``ini``; ``org_key(span, confidence)`` is the reader's key
    of the organisation named at ``span`` (None when it names none)."""
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
