"""SPARQL text read without evaluating it: its bare keywords, whether it names its own dataset
(FROM, USING, WITH), and the Protocol's using-graph-uri / using-named-graph-uri applied to an
update as USING clauses (Oxigraph's Python API takes no dataset for an update).

Pure text: no RDF library here, so the store, the server and the CLI can all use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

# Tokens that may hide keywords from a naive search: comments, IRIs, strings, variables and
# prefixed names (whose local part may contain escaped characters such as `\#`). The classes
# follow the SPARQL 1.1 grammar's terminals, so the scan and Oxigraph's lexer agree on where a
# string, an IRI or a comment starts and ends.
_PN_LOCAL = r"(?:[\w\-.:%]|\\[_~.\-!$&'()*+,;=/?#@%])*"
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n\r]|\\.)*"
              |'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][\w]+)
  | (?P<word>[A-Za-z_][\w\-.]*(?::""" + _PN_LOCAL + r""")?|:""" + _PN_LOCAL + r""")
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    kind: str         # comment, iri, string, var, word, other
    text: str
    start: int
    end: int


def tokens(text: str) -> Iterator[Token]:
    for m in _TOKEN.finditer(text):
        yield Token(m.lastgroup, m.group(), m.start(), m.end())


def _bare(tok: Token) -> str | None:
    """The keyword a token is, upper-cased; None for anything else (prefixed names included)."""
    if tok.kind == "word" and ":" not in tok.text:
        return tok.text.upper()
    return None


def keywords(text: str) -> list[str]:
    """The bare words of a SPARQL text, upper-cased, outside comments, strings and IRIs
    (prefixed names, variables and blank node labels are not bare words)."""
    return [w for w in map(_bare, tokens(text)) if w]


@lru_cache(maxsize=4096)
def names_dataset(query: str) -> bool:
    """Whether a query has a FROM or FROM NAMED clause (FROM is a keyword nowhere else).
    Asked before every query the store runs: a text without the letters "from" cannot have the
    clause and is not tokenised (tokenising cost a canned query of 0.4 ms as much again), and
    answers are cached by text."""
    if "FROM" not in query.upper():
        return False
    return "FROM" in keywords(query)


def update_dataset_words(update: str) -> set[str]:
    """USING (NAMED) and WITH clauses of an update: with them, the Protocol's using-graph-uri and
    using-named-graph-uri parameters must be refused (SPARQL 1.1 Protocol §2.2.3)."""
    return {"USING", "WITH"} & set(keywords(update))


def with_using(update: str, default: list[str], named: list[str]) -> str:
    """The update with ``USING <d>`` / ``USING NAMED <n>`` before the WHERE of every operation
    that has one, so its pattern is matched against that dataset. ``default`` and ``named`` are
    IRIs already written as SPARQL terms (``<…>``, escaped by the caller).

    ``DELETE WHERE { P }`` takes no USING: it is written out as ``DELETE { P } USING … WHERE { P }``,
    which the Update spec defines it to mean."""
    clause = " ".join([f"USING {d}" for d in default] + [f"USING NAMED {n}" for n in named])
    if not clause:
        return update
    toks = [t for t in tokens(update) if t.kind != "comment"]
    out, pos, depth = [], 0, 0
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind == "other" and tok.text == "{":
            depth += 1
        elif tok.kind == "other" and tok.text == "}":
            depth -= 1
        elif depth == 0 and _bare(tok) == "WHERE":
            prev = _bare(toks[i - 1]) if i else None
            if prev == "DELETE":
                end = _block_end(toks, i + 1)
                if end is None:       # malformed: let the parser say so
                    return update
                block = update[toks[i + 1].start:toks[end].end]
                out.append(update[pos:tok.start])
                out.append(f"{block} {clause} WHERE {block}")
                pos = toks[end].end
                i = end + 1
                continue
            out.append(update[pos:tok.start])
            out.append(clause + " ")
            pos = tok.start
        i += 1
    out.append(update[pos:])
    return "".join(out)


def _block_end(toks: list[Token], i: int) -> int | None:
    """Index of the ``}`` closing the ``{`` at ``toks[i]``."""
    if i >= len(toks) or toks[i].text != "{":
        return None
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].kind == "other" and toks[j].text == "{":
            depth += 1
        elif toks[j].kind == "other" and toks[j].text == "}":
            depth -= 1
            if depth == 0:
                return j
    return None


# ---------------------------------------------------------------- nesting

# Oxigraph's parser recurses once per group or parenthesis and overflows its stack (a
# segmentation fault) at about 5,000 levels; no real query comes near this limit.
MAX_NESTING = 256
_OPEN, _CLOSE = "({[", ")}]"


def nesting(text: str) -> tuple[int, int]:
    """The deepest nesting of groups, parentheses and brackets outside comments, strings and
    IRIs, and the line where it is first reached."""
    depth = deepest = at = 0
    for tok in tokens(text):
        if tok.kind != "other":
            continue
        if tok.text in _OPEN:
            depth += 1
            if depth > deepest:
                deepest, at = depth, tok.start
        elif tok.text in _CLOSE:
            depth = max(depth - 1, 0)
    return deepest, text.count("\n", 0, at) + 1


def check_nesting(text: str, limit: int = MAX_NESTING) -> None:
    """ValueError (with the line) for a text nested deeper than ``limit``."""
    if sum(text.count(c) for c in _OPEN) <= limit:   # the common case, without tokenising
        return
    deepest, line = nesting(text)
    if deepest > limit:
        raise ValueError(f"line {line}: groups and parentheses nested more than {limit} deep ({deepest}); "
                         "no query needs that many")
