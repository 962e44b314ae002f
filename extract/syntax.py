"""Helpers of the dependency reader (relations.py) over spaCy tokens and the prose name reader:
the names of a list the parser did not coordinate, the subject list before a verb, persons told
apart from bodies by the entity recogniser, counted objects (an amount for several is a total).
"""

from __future__ import annotations

import re

from maillage.extract.amounts import GRANT_OF_KIND, Amount, per_unit

# capitalised words at a sentence's start that are no body ("Également, la Ville …")
# (an adverb in -ment, not a body's noun: "Département", "Parlement", "Groupement")
_NOT_A_NAME = re.compile(r"^(?:(?!(?:Départe|Parle|Gouverne|Établisse|Etablisse|Mouve|Regroupe|Groupe|Rassemble)ment$)[A-ZÀ-Ý][a-zà-ÿ]+ment|Aussi|Enfin|Ensuite|Puis|Depuis|Dans|Avec|Pour|Par|Grâce|Selon|"
                         r"Chaque|Cette|Ce|Ces|Cet|Il|Elle|Ils|Elles|On|Nous|Vous|Tous|Toutes|Parmi|Outre|Après|Avant|"
                         r"Lors|Sur|Sous|Entre|Chez|Mais|Ainsi|Donc|Or|Si|Quand|Comme|Afin|Plus|Moins|Très|Déjà|"
                         r"Aujourd'hui|Aujourd’hui|Demain|Hier|Madame|Monsieur|Mme|M\.)$")
# between two items of a list the parser did not coordinate: ", mais aussi", "ainsi que", "–"
_MORE = re.compile(r"(?:\s*(?:,|;|–|—|/|\bet\b|\bou\b|\bainsi\s+que\b|\bainsi\s+qu['’]|\bmais\s+aussi\b|"
                   r"\bmais\s+également\b|\bde\s+même\s+que\b|\bnotamment\b|\bsans\s+oublier\b|\bavec\b)\s*)+"
                   r"(?:(?:par|avec|de|du|des|d['’]|à|au|aux|auprès\s+de)\s+)?", re.I)
_ITEM_END = re.compile(r"\s*(?:$|[,.;:)!?…–—(]|(?:et|ou|ainsi|mais|qui|pour|dans|sur|à|en|depuis|avec|afin)\b)", re.I)
# what may stand between a subject list and its verb: a lower-case item, "qui", adverbs; each word ends at a
# space, an apostrophe or the end (with a bare \s* a run of "…ment" split every way: exponential)
_TO_VERB = re.compile(r"^(?:\s*,?\s*(?:et\s+)?(?:les|la|le|l['’]|des|d['’]autres|plusieurs)\s*[a-zà-ÿ' \-]{0,40})?"
                      r"\s*,?\s*(?:qui\s+)?(?:(?:[a-zà-ÿ]+ment|aussi|également|déjà|en\s+outre|enfin|ensuite|y|lui|leur|en|se|s['’])(?:\s+|(?<=['’])|$))*$")



def _low(tok) -> str:
    return tok.lower_.replace("’", "'")


def _conjuncts(tok) -> list:
    out, todo = [], [tok]
    while todo:
        t = todo.pop(0)
        out.append(t)
        todo += [c for c in t.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "X", "ADJ")]
    return out


def _case(tok) -> str | None:
    for c in tok.children:
        if c.dep_ in ("case", "fixed") and c.i < tok.i:
            return _low(c)
    return None


def entity_label(sent, start: int, end: int) -> str:
    """The named-entity label (PER, LOC, ORG, MISC) of the span ``[start, end)`` of a sentence
    (sentence-relative offsets), "" when no entity covers its first character."""
    a, b = sent.start_char + start, sent.start_char + end
    for ent in sent.ents:
        if ent.start_char <= a < ent.end_char:
            return ent.label_ if ent.end_char >= b - 1 or ent.label_ == "PER" else ent.label_ + "-part"
    return ""


def not_a_body(sent, n) -> bool:
    """A person ("Sophie Martin") by the entity recogniser, without an organisation head: no body."""
    from maillage.extract.prose import _HEADS

    label = entity_label(sent, n.start, n.end)
    first = n.text.split()[0].lower() if n.text.split() else ""
    if first in _HEADS or first in ("fondation", "fonds", "prix", "etat"):
        return False
    # a person's name has two or three words ("Emmaüs", "Lab01" alone are no persons)
    words = n.text.split()
    return (label == "PER" and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)
            and not any(c.isdigit() for c in n.text))


# a word in capitals of a heading that is a common noun, not an acronym ("INVESTISSEMENT", "INSERTION")
_CAPS_NOUN = re.compile(r"[A-ZÀ-Ý]{4,}(?:MENT|TION|SION|ITÉ|ITE|AGE|ANCE|ENCE)S?")
_FILLER_WORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "er", "e", "ème", "eme", "ère", "nd", "nde"}


def scheme_only(name: str) -> bool:
    """A name made only of the words of a scheme, a prize or a budget line, with maybe a year or a
    rank ("Prix 2016", "2e Prix", "Aide", "SUBVENTIONS D'INVESTISSEMENT"): no body (lexicon
    ``scheme_words``), nor a name opened by the kind of a grant or an act ("FONCTIONNEMENT AU
    COMITÉ X", "Avenant", lexicon ``grant_kinds``), nor a common noun in capitals."""
    from maillage.extract.lexicon import load_word_list

    words = [w for w in re.findall(r"[^\W\d_]+", name.lower().replace("’", "'")) if w not in _FILLER_WORDS]
    if not words:
        return bool(name.strip())
    if all(w in load_word_list("scheme_words") for w in words) or words[0] in load_word_list("grant_kinds"):
        return True
    return len(name.split()) == 1 and bool(_CAPS_NOUN.fullmatch(name.strip()))


def _words_of(tokens) -> set:
    return {w for t in tokens for w in (t.lemma_.lower(), _low(t))}


def _head_word(name: str) -> str:
    words = re.findall(r"[\wÀ-ÿ]+", name.lower().replace("’", "'"))
    return words[0] if words else ""


def _counted_object(tok) -> bool:
    """The verb's object (or its "à" complement) is a counted plural ("cinq structures", "à onze
    structures", "3 projets"): the amount is a total for several."""
    for c in tok.children:
        if c.dep_ in ("obj", "obl:arg", "iobj", "obl:mod") and "Plur" in c.morph.get("Number"):
            if any(d.dep_ == "nummod" or d.pos_ == "NUM" for d in c.children):
                return True
    return False


def list_from(s: str, i: int, limit: int = 15) -> list:
    """The names of a list starting at ``s[i]``: the prose reader's list, continued over the
    separators it stops at (", mais aussi", "–", "ainsi que")."""
    from maillage.extract.prose import read_list, read_name

    out = read_list(s, i)
    while out and len(out) < limit:
        end = _after_paren(s, i, out[-1].end)
        m = _MORE.match(s, end)
        if not m or m.end() == end:
            break
        more = read_list(s, m.end()) or ([n] if (n := read_name(s, m.end(), allow_bare=False)) else [])
        if not more:
            break
        # after a bare comma, an item must end the clause or be followed by another separator:
        # "Avec le soutien de la Région, ODE a pu …" (ODE is the next clause's subject)
        if m.group().strip() in (",", "") and not _ITEM_END.match(s, more[-1].end):
            break
        out += more
    return out


# a generic noun phrase, maybe with a relative clause, before the parenthesis that lists its bodies:
# "trois fondations qui les ont aidés (A, B et C)", "les pouvoirs publics (A, B …)"
_TO_PAREN = re.compile(r"[^.;:()«»\n]{0,70}?\(")


def paren_list(s: str, i: int) -> list:
    """The bodies listed in parentheses after the generic noun phrase at ``s[i]`` (lower-case
    words: "des fondations", "les collectivités locales"), or []."""
    from maillage.extract.lexicon import load_word_list
    from maillage.extract.prose import read_list

    m = _TO_PAREN.match(s, i)
    if not m or re.search(r"[A-ZÀ-Ý]", s[i:m.end() - 1]):
        return []  # a capital before the parenthesis: a name, read elsewhere
    if not set(re.findall(r"[a-zà-ÿ\-]+", s[i:m.end()].lower())) & load_word_list("generic_bodies"):
        return []  # "une réduction d'impôts (X étant …)": no kind of body before the list
    close = s.find(")", m.end())
    if close < 0:
        return []
    inside = [n for n in read_list(s, m.end()) if n.end <= close]
    # the list may go on after the parenthesis: "des collectivités (A, B), de l'État et de l'Europe"
    return list_from(s, inside[0].start) if inside else []


def _after_paren(s: str, i: int, pos: int) -> int:
    """Past the ")" of a parenthesis opened after ``s[i]`` and still open at ``pos`` (its last
    items unread): "des collectivités (département, région, …), de l'État et de l'Europe"."""
    opened = s.rfind("(", max(0, i - 80), pos)
    if opened < 0 or ")" in s[opened:pos]:
        return pos
    close = s.find(")", pos, pos + 80)
    if close < 0 or any(c in s[pos:close] for c in ".;("):
        return pos
    return close + 1


def subject_before(s: str, pos: int, floor: int = 0) -> list:
    """The list of names that is the subject of a verb at ``pos`` when the parser did not find it:
    the longest list ending right before the verb (its auxiliary), in the same clause."""
    start = max(floor, s.rfind(";", 0, pos) + 1, s.rfind(".", 0, pos) + 1)
    for m in re.finditer(r"(?<![\wÀ-ÿ'’])[\wÀ-ÿ]", s[start:pos]):
        at = start + m.start()
        names = list_from(s, at)
        if names and names[-1].end <= pos and _TO_VERB.match(s[names[-1].end:pos]):
            return names
    return []


def _merge(a: list, b: list) -> list:
    out = list(a)
    for n in b:
        if not any(n.start < m.end and m.start < n.end for m in out):
            out.append(n)
    return sorted(out, key=lambda n: n.start)


def _shift(n, k: int):
    from dataclasses import replace

    return replace(n, start=n.start + k, end=n.end + k)


def _shift_amount(a: Amount, k: int) -> Amount:
    from dataclasses import replace

    return replace(a, start=a.start + k, end=a.end + k)


_QUOTE = re.compile(r"\s*[«\"“]?\s*")
# after a scheme's name: "… » de la Fondation X", "…, de la Région Y"
_OF_BODY = re.compile(r"\s*[»\"”]?\s*,?\s*(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])(?=\S)", re.I)
# "« X » lancé en 2020 par A et B": who launched a call is not said to pay for its winners
_LAUNCHED = re.compile(r"\s*[»\"”]?\s*,?\s*(?:porté|lancé|organisé|initié|proposé|piloté)e?s?\b[^,.;»\n]{0,40}?\spar\b", re.I)


def _giver_after(s: str, end: int) -> list | None:
    """The bodies named right after a scheme's name ("Impact 2026 de la Région X" -> Région X); None
    when the sentence says who launched it ("lancé par A"), which says nothing of who pays."""
    from maillage.extract.prose import read_name

    if _LAUNCHED.match(s, end):
        return None
    m = _OF_BODY.match(s, end)
    if not m:
        return []
    n = read_name(s, m.end())
    return list_from(s, n.start) if n and not scheme_only(n.text) else []


def _scheme_span(s: str, at: int, first) -> int:
    """Where a scheme's name read at ``first`` ends: its closing quote ("« Essor & Vallée »"), else
    after its year ("Horizon 2030"), else the name's end."""
    if at > 0 and s[at - 1:at + 1].strip()[:1] in ("«", "\"", "“") or s[max(0, at - 3):at].strip() in ("«", "\"", "“"):
        close = re.compile(r"[»\"”]").search(s, first.start, first.start + 80)
        if close:
            return close.start()
    year = re.match(r"\s+(?:19|20)\d\d\b", s[first.end:])
    return first.end + (year.end() if year else 0)


def scheme_name(s: str, at: int, first) -> int:
    """The end of the scheme's name (see _scheme_span), where its giver is looked for."""
    return _scheme_span(s, at, first)


def scheme_name_of(s: str, at: int, first):
    """The scheme's whole name as a Name, when no body gives it ("Horizon 2030", "« Essor & Vallée »")."""
    from dataclasses import replace

    end = _scheme_span(s, at, first)
    return replace(first, end=end, text=s[first.start:end].strip())


_COUNT_WORDS = (r"\d{1,3}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|"
                r"trente|quarante|cinquante|cent|plusieurs|(?:une\s+)?(?:dizaine|douzaine|quinzaine|vingtaine|trentaine|"
                r"quarantaine|cinquantaine|soixantaine|centaine)\s+d['’e]\s*")


def for_several(s: str) -> int:
    """How many recipients the sentence ``s`` counts ("à 7 associations", "9 nouveaux projets ont
    été soutenus", "une cinquantaine de projets": 50), with a noun of the lexicon's
    ``counted_recipients``; 0 when it counts none. Fewer amounts than that: totals for several,
    no one body's grant."""
    from maillage.extract.lexicon import load_word_list

    nouns = load_word_list("counted_recipients")
    for m in _COUNTED.finditer(s):
        n = m.group("n").lower().strip()
        if m.group("noun").lower().replace("’", "'") not in nouns or n in ("1", "un", "une"):
            continue
        return int(n) if n.isdigit() else _COUNT_VALUES.get(re.sub(r"^une\s+|\s+d.*$", "", n), 2)
    return 0


def given_amounts(s: str, money: list[Amount]) -> list[Amount]:
    """The amounts of a sentence that may be one body's grant: not a total, a cost or a budget
    ("pour un montant total de …"), nor, when the sentence counts more recipients than it has
    amounts, totals for several ("61 000 € de subventions à 7 associations")."""
    several = for_several(s)
    if several and len(money) < several:
        return []
    return [a for a in money if (not _TOTAL_BEFORE.search(s[max(0, a.start - 60):a.start])
                                 or GRANT_OF_KIND.search(s[max(0, a.start - 60):a.start])) and not per_unit(s, a.end)]


_TOTAL_BEFORE = re.compile(r"(?:budget|co[ûu]t|montant\s+total|total|globale?|chiffre\s+d['’]affaires|investissement|"
                           r"enveloppe\s+globale|prix|valeur|économis|recett)[^.;:]{0,40}$", re.I)
_COUNT_VALUES = {w: i for i, w in enumerate("zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
                                            "quinze seize".split())} | {
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "cent": 100, "dizaine": 10, "douzaine": 12, "quinzaine": 15,
    "vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100}


# a count (not a sum, a share or a year: "7 associations", not "20 000 € … 2 projets" read from "000")
_COUNTED = re.compile(r"(?<![\d,.\u00a0\u202f ]\d)(?<![\d€%])\b(?P<n>" + _COUNT_WORDS + r")\s*"
                      r"(?:(?:nouve(?:aux|lles)|autres|premi(?:ers|ères)|petit(?:e)?s|jeunes)\s+)?"
                      r"(?P<noun>tiers-lieux|[a-zà-ÿ\-]+s)\b", re.I)


_PART = re.compile(r"\bdont\s+(?:près\s+de\s+|environ\s+)?$", re.I)   # "…, dont 15 000 € pour …": a part
# a grant's kind then its recipient: "(subvention de) fonctionnement au / à l'association X"
_TO_RECIPIENT = re.compile(r"[^\W\d_]+\s+(?:au|aux|à|a)\b", re.I)
# "Marie Dupont, secrétaire générale de la Fondation X, …": the body a person speaks or acts for
_TITLE_OF = re.compile(r"\s*,\s*(?:[a-zà-ÿ\-]+\s+){1,3}(?:du|de\s+la|de\s+l['’]|des|d['’])\s*")


def to_recipient(s: str, at: int) -> bool:
    """The word at ``at`` is followed by "à / au / aux": what comes next receives ("subvention de
    fonctionnement au comité X"), it gives nothing."""
    return bool(_TO_RECIPIENT.match(s, at))


def office_of(sent, n):
    """The organisation named in the title after a person's name, or None."""
    from maillage.extract.prose import read_name

    m = _TITLE_OF.match(sent.text, n.end)
    return read_name(sent.text, m.end(), allow_bare=False) if m else None


def lower_name(tok, sent):
    """A body's name that French writes in lower case after its head, read off the parse when the
    name reader found none ("le Fonds d'expérimentations", "le fonds social européen",
    "l'agence nationale de la cohésion des territoires", "le Ministère en charge de la jeunesse"):
    the head (lexicon ``lower_case_heads``), definite, and its modifiers to the right, up to a
    comma or a bracket; None without a modifier ("le fonds") or for one's own funds ("ses fonds
    propres", "des fonds")."""
    from maillage.extract.lexicon import load_word_list
    from maillage.extract.prose_names import Name

    if _low(tok) not in load_word_list("lower_case_heads"):
        return None
    dets = [c for c in tok.children if c.dep_ == "det"]
    if not dets or any(_low(d) not in ("le", "la", "l'", "les") for d in dets):
        return None
    end = tok
    for t in sent.doc[tok.i + 1:sent.end]:
        if t.text in (",", ";", "(", ")", ":", ".") or tok not in t.ancestors:
            break
        end = t
    words = {_low(t) for t in sent.doc[tok.i + 1:end.i + 1]}
    if end is tok or words & {"propres", "propre"} or any(
            c.dep_ == "amod" and "Plur" in c.morph.get("Number") for c in tok.children):
        return None  # "les fonds publics", "des fonds européens": money, not one body
    a, b = tok.idx - sent.start_char, end.idx + len(end) - sent.start_char
    return Name(a, b, sent.text[a:b])
