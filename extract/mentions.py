"""Organisation mentions of a text and their features, for the mention classifier.

A mention is a name the prose name reader reads at a capitalised word or an organisation head
("la Fondation X", "le CCAS de Y"), one per place, left to right. Its features come from the
parse and the context: the words around it, its dependency relation and governor, the preposition
that introduces it, the lexicon predicates of its sentence (and whether it is one of their
agents), money in the sentence, the heading above it, its first word (Fondation, Région…), how
often the document names it.

    analyse(text) -> (facts, mentions)      # one parse for the dependency reader and the classifier
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from maillage.extract.scoring import fold

# a capital after an elided article starts a name too: "l'Avise", "l'ANCT", "d'Emmaüs"
_START = re.compile(r"(?<![\wÀ-ÿ'’\-])(?:[A-ZÀ-Ý]|(?:la|le|les|l['’])\s*(?=[a-zà-ÿ]))|(?<=(?<![\wÀ-ÿ])[lLdD]['’])[A-ZÀ-Ý]")
_CUES = {"financ": "cue_fin", "subvention": "cue_fin", "mécén": "cue_fin", "dotation": "cue_fin",
         "soutien": "cue_support", "soutenu": "cue_support", "partenai": "cue_part", "collabor": "cue_part",
         "porté": "cue_pilot", "porteur": "cue_pilot", "piloté": "cue_pilot", "géré": "cue_pilot",
         "créé": "cue_pilot", "don": "cue_fin", "fondation": "cue_found", "lauréat": "cue_fin",
         "orient": "cue_presc", "accompagn": "cue_support", "réseau": "cue_net", "membre": "cue_net"}
_HEADING = re.compile(r"partenaires?|financeurs?|financement|cofinanc|soutiens?|mécènes?|porteur|pilote", re.I)
_WORD = re.compile(r"[\wÀ-ÿ'’\-]+")


_SECTION = re.compile(r"partenaire|financ|soutien|soutiennent|mécèn|lauréat|dotation|porteur|pilot|membre|réseau|contact|presse",
                      re.I)


def _section(text: str, line_start: int) -> str | None:
    """The role word of the nearest heading (a short line with no full stop) in the five lines
    above, if it has one ("Nos partenaires", "Ils nous soutiennent", "Dotation")."""
    lines = text[max(0, line_start - 800):line_start].split("\n")[-6:-1]
    for line in reversed(lines):
        t = line.strip(" \t*#-–•:")
        if t and len(t.split()) <= 6 and not t.endswith((".", "!", "?")):
            m = _SECTION.search(t)
            return m.group().lower()[:8] if m else None
    return None


def _path_features(tok) -> dict:
    """Where the name sits in its sentence, shared by the bodies of one coordination: the first
    conjunct's relation and governor ("A, B et C mènent…": B and C read like A), and the verb the
    name hangs from with the relation of the last step to it ("réunissant la Métropole, …")."""
    f = {}
    head, steps = tok, 0
    while head.dep_ == "conj" and head.head.i != head.i and steps < 8:
        head, steps = head.head, steps + 1
    if steps:
        f["conj"] = 1.0
        f[f"cdep={head.dep_}"] = 1.0
        f[f"cgov={head.head.lemma_.lower()}"] = 1.0
    node, last = head, head.dep_
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") and node is not tok:
            f[f"verb={node.lemma_.lower()}"] = 1.0
            f[f"verbdep={last}"] = 1.0
            break
        if node.head.i == node.i:
            break
        last, node = node.dep_, node.head
    return f


def _heading_words(text: str, line_start: int) -> tuple[list[str], bool]:
    """(the content words of the heading the line sits under, whether the line is a short item):
    a prose line's heading is the nearest short line above it; a short line's (a list item, one a
    line) is the top of the block of short lines it belongs to ("Acteurs / A / B / C")."""
    def short(line: str) -> bool:
        t = line.strip(" \t*#-–•:")
        return bool(t) and len(t.split()) <= 8 and not t.endswith((".", "!", "?"))

    end = text.find("\n", line_start)
    own = text[line_start:end if end >= 0 else len(text)]
    lines = text[max(0, line_start - 1500):line_start].split("\n")[:-1][-20:]
    heading = None
    if short(own):
        for line in reversed(lines):
            if not line.strip():
                continue
            if not short(line):
                break
            heading = line
    else:
        heading = next((line for line in reversed(lines) if short(line)), None)
    words = [fold(w) for w in _WORD.findall(heading or "") if len(w) >= 4][:5]
    return words, short(own)


@dataclass
class Mention:
    start: int
    end: int
    text: str
    head_only: bool
    features: dict = field(default_factory=dict)
    not_body: bool = False           # a person by the entity recogniser


@dataclass
class _Rel:
    start: int
    end: int
    text: str


def _words(s: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(s)]


def sentence_mentions(sent, base: int, facts, text: str) -> list[Mention]:
    """The mentions of one parsed sentence with their features (absolute offsets)."""
    from maillage.extract.prose import read_name
    from maillage.extract.syntax import _NOT_A_NAME, entity_label, not_a_body

    s, s0 = sent.text, base + sent.start_char
    out: list[Mention] = []
    pos = 0
    for m in _START.finditer(s):
        if m.start() < pos:
            continue
        n = read_name(s, m.start())
        if not n or _NOT_A_NAME.match(n.text.strip()) or len(n.text) < 2:
            continue
        pos = n.end
        out.append(Mention(s0 + n.start, s0 + n.end, n.text, n.head_only))
    if not out:
        return out
    low = s.lower()
    sent_feats = {f"cue={v}" for k, v in _CUES.items() if k in low}
    from maillage.extract.amounts import find_amounts

    if find_amounts(s):
        sent_feats.add("money")
    for f in facts:
        if not f.names:
            continue  # money given with no giver said (relations.py): for the page's publisher only
        sent_feats.add(f"fact={f.relation}")
        sent_feats.add(f"entry={f.entry}")
    line_start = text.rfind("\n", 0, s0) + 1
    prev_line = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1:max(0, line_start - 1)]
    if _HEADING.search(prev_line[:80]):
        sent_feats.add("heading=" + _HEADING.search(prev_line[:80]).group().lower()[:8])
    section = _section(text, line_start)
    if section:
        sent_feats.add("section=" + section)
    if s0 < 300:
        sent_feats.add("top")
    hwords, item = _heading_words(text, line_start)
    sent_feats |= {f"hw={w}" for w in hwords}
    if item:
        sent_feats.add("short_line")
    by_char = {t.idx + base: t for t in sent}
    for mn in out:
        f = {k: 1.0 for k in sent_feats}
        before, after = _words(text[max(0, mn.start - 60):mn.start])[-3:], _words(text[mn.end:mn.end + 50])[:3]
        for i, w in enumerate(reversed(before)):
            f[f"b{i}={w}"] = 1.0
            f[f"bb={w}"] = 1.0
        for i, w in enumerate(after):
            f[f"a{i}={w}"] = 1.0
        words = _words(mn.text)
        if words:
            f[f"first={fold(words[0])}"] = 1.0
        if mn.head_only:
            f["bare"] = 1.0
        if mn.text.isupper():
            f["acronym"] = 1.0
        label = entity_label(sent, mn.start - s0, mn.end - s0)
        f["ent=" + (label or "none")] = 1.0
        mn.not_body = not_a_body(sent, _Rel(mn.start - s0, mn.end - s0, mn.text))
        tok = by_char.get(mn.start)
        # the name's head in the parse: climb while the governor stays inside the name
        while tok is not None and mn.start <= tok.head.idx + base < mn.end and tok.head.i != tok.i:
            tok = tok.head
        if tok is not None:
            f[f"dep={tok.dep_}"] = 1.0
            f[f"gov={tok.head.lemma_.lower()}"] = 1.0
            f[f"govdep={tok.dep_}:{tok.head.pos_}"] = 1.0
            case = next((c for c in tok.children if c.dep_ == "case"), None)
            if case is not None:
                f[f"case={case.lower_}"] = 1.0
            f.update(_path_features(tok))
        for fa in facts:
            if any(abs(n.start - mn.start) <= 3 for n in fa.names):
                f[f"agent={fa.relation}"] = 1.0
                f[f"agent_entry={fa.entry}"] = 1.0
        mn.features = f
    return out


# one body a line: "Niort Agglo\n- La CDC …\n• Le CCAS …"
_LINE_GAP = re.compile(r"\s*(?:[-–•*▪·]\s*)?(?:(?:la|le|les|l['’])\s*)?", re.I)
_POOLED = ("agent=", "gov=", "cgov=", "verb=", "case=")
_LIST_GAP = re.compile(r"\s*(?:,|;|\bet\b|\bainsi\s+que\b|[–\-/])\s*(?:(?:la|le|les|l['’]|du|de\s+la|de\s+l['’]|des|de|d['’]|à|au|aux)\s*)?$", re.I)


def _lists(mentions, text: str) -> None:
    """Mentions in a list ("A, B et C", one a line under a heading) say so, and how long it is:
    a body listed with others shares their role more than a body named alone."""
    runs, run = [], [mentions[0]] if mentions else []
    for a, b in zip(mentions, mentions[1:]):
        gap = text[a.end:b.start]
        if len(gap) <= 12 and (_LIST_GAP.fullmatch(gap) or "\n" in gap and _LINE_GAP.fullmatch(gap)):
            run.append(b)
        else:
            runs.append(run)
            run = [b]
    runs.append(run)
    for r in runs:
        if len(r) >= 2:
            pooled = {k for m in r for k in m.features if k.startswith(_POOLED)}
            for m in r:
                m.features["in_list"] = 1.0
                m.features["list=" + ("2" if len(r) == 2 else "3+")] = 1.0
                for k in pooled - set(m.features):   # what a sibling says the list does
                    m.features["sib_" + k] = 1.0


def mark_publisher(mentions, name: str) -> None:
    """Mentions of the page's publisher (publisher.py) say so: its own page's grants are its own."""
    from maillage.extract.scoring import name_score

    for m in mentions:
        if not m.head_only and name_score([m.text], [name]) >= 90:
            m.features["publisher"] = 1.0


def analyse(text: str, reader=None, loose: list | None = None):
    """(facts, mentions) of a text: one parse for both. ``loose``: a list that receives the
    amounts given without a payer (loose.py)."""
    from maillage.extract.loose import loose_amounts
    from maillage.extract.relations import RelationReader

    reader = reader or RelationReader()
    facts, mentions = [], []
    for base, doc in reader.docs(text):
        for sent in doc.sents:
            fs = reader.sentence_facts(sent, base)
            facts += fs
            mentions += sentence_mentions(sent, base, fs, text)
            if loose is not None:
                loose += loose_amounts(sent.text, base + sent.start_char, fs, text)
    _lists(mentions, text)
    counts: dict[str, int] = {}
    for m in mentions:
        counts[fold(m.text)] = counts.get(fold(m.text), 0) + 1
    for m in mentions:
        c = counts[fold(m.text)]
        m.features["count=" + ("1" if c == 1 else "2-3" if c <= 3 else "4+")] = 1.0
    return facts, mentions
