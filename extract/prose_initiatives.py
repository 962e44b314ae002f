"""Initiatives in prose, for the prose reader (extract/prose.py): quoted names after "le projet",
"l'atelier", "le dispositif"…, "nommé X", "FOCUS : X", "trois ateliers (A, B et C)", "X a créé
une école du web", the proper-noun head of a short title line that a paragraph follows, or a
proper name of the title the story repeats, and the subject a paragraph opens on ("X, c'est …",
"X est une association …"), who runs the story.
"""

from __future__ import annotations

import re

from maillage.extract.prose_builder import _Builder, _clean
from maillage.extract.prose_names import _CONNECT, _ELIDED, _NOT_NAMES, Name, _generic, _is_cap, _looks_personal, read_name
from maillage.extract.prose_nlp import _Sentence
from maillage.extract.prose_triggers import _LINE_FUND, _PROGRAMME_BEFORE

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


_SUBJECT = re.compile(
    r"\s*(?:en\s+savoir\s+plus(?:\s+sur\s+[^:]{1,60})?\s*:\s*)?(?P<name>[A-ZÀ-Ý][^,.;:!?()]{1,50}?)"
    # one quantifier per separator: a `\s*` before `\s+est` made a long blank run quadratic
    r"(?:\s*,\s*c['’]est\b|\s+est\s+(?:un|une)\s+(?:atelier|association|entreprise|chantier|structure|scop|scic|"
    r"groupement|coopérative|plateforme|régie|épicerie|recyclerie|ressourcerie|garage|ferme|société))", re.I)
# a title "Subject verb(s) un/une object": the subject capitalised, one to three lowercase words of
# verb, the object a lowercase noun phrase to a bracket, a colon or the end of the line
_TITLE_OBJECT = re.compile(
    r"\s*(?:[LlDd]['’]|Le\s+|La\s+|Les\s+)?[A-ZÀ-Ý][^:,;!?()]{1,60}?\s+(?P<verb>(?:[a-zà-ÿ]+\s+){1,3}?)(?:un|une)\s+"
    r"(?P<np>[a-zà-ÿ][^()\n:;,.!?«»\"]{3,80}?)\s*(?:\(|$|[:;,.!?])")
_NOT_VERBS = {"de", "du", "des", "et", "ou", "pour", "avec", "dans", "sur", "par", "en", "à", "au", "aux", "la", "le", "les"}
_NEXT_LINE = re.compile(r"\s*([^\n]*)")


class InitiativeRules:
    """The ProseReader's reading of initiatives and of who runs them (a part of ProseReader)."""

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
        if self._title_head(b, sent, start, s) or self._title_object(b, start, s):
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
    def _title_object(b: _Builder, start: int, s: str) -> bool:
        """A title that says what a body does ("La Régie X ouvre une ressourcerie solidaire (12)",
        "Le Département de Y impulse et facilite une filière de …"): its object names the initiative."""
        m = _TITLE_OBJECT.match(s)
        if not m or _generic(m.group("np")) or m.group("verb").split()[0] in _NOT_VERBS:
            return False
        np = m.group("np").strip()
        if any(np.lower() in i.name.lower() for i in b.draft.initiatives):
            return True  # already read ("X ouvre une ressourcerie" -> "Ressourcerie de X")
        label = np[0].upper() + np[1:]
        return b.initiative(label, (start + m.start("np"), start + m.end("np")), 0.4) is not None

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
