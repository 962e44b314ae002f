"""The names of the bodies a predicate's agents stand for (relations.py): the name reader at each
agent and its conjuncts, a capitalised first word the parser cut off, a bracketed list after a
common noun, and the rest of a list the parser did not coordinate.

    names = agent_names(agent_tokens, sent, lower=True)   # [Name], sentence-relative offsets
"""

from __future__ import annotations

from maillage.extract.syntax import _conjuncts, _low, _merge, list_from, lower_name, paren_list

_PRONOUNS = {"il", "elle", "ils", "elles", "on", "ce", "cela", "ça", "celle-ci", "celui-ci", "nous", "vous",
             "je", "tu", "lui", "leur", "y", "en", "qui", "que", "dont", "lequel", "laquelle", "se", "s'"}


def agent_names(agents, sent, floor: int = 0, lower: bool = False) -> list:
    """The bodies' names of the agent tokens of a predicate, their conjuncts and the list the parser
    did not coordinate; with ``lower``, a body written in lower case after its head, from the parse
    (syntax.lower_name)."""
    from maillage.extract.prose import read_name

    s = sent.text
    names: list = []
    for a in agents:
        if _low(a) in _PRONOUNS or a.pos_ == "PRON":
            continue
        for t in _conjuncts(a):
            left = min((c for c in t.subtree if c.i <= t.i), key=lambda c: c.i)
            at = max(floor, left.idx - sent.start_char)
            n = read_name(s, at) or read_name(s, max(floor, t.idx - sent.start_char)) or (lower_name(t, sent) if lower else None)
            # the parser cut a name's capitalised first word off ("WILO | S.E.")
            k = left.i - 1
            while k > sent.start and sent.doc[k].text[:1].isupper() and sent.doc[k].whitespace_ \
                    and sent.doc[k].pos_ in ("PROPN", "NOUN", "X") and left.i - k < 3:
                k -= 1
            if n and k < left.i - 1 and sent.doc[k + 1].idx - sent.start_char >= floor:
                longer = read_name(s, sent.doc[k + 1].idx - sent.start_char)
                if longer and longer.end >= n.end and not longer.head_only:
                    n = longer
            if n and not any(n.start < m.end and m.start < n.end for m in names):
                names.append(n)
        if not names and a.pos_ == "NOUN":  # "les pouvoirs publics (A, B…) financent"
            left = min((c for c in a.subtree if c.i <= a.i), key=lambda c: c.i)
            names = paren_list(s, max(floor, left.idx - sent.start_char))
        if names and len(names) == 1:  # a list the parser did not coordinate
            names = _merge(names, list_from(s, names[0].start))
    return names
