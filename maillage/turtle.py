"""A reader for the small regular subset of Turtle the ontology folder is written in, so that
maillage.model reads the concept schemes without an RDF library (test_model checks it against
pyoxigraph's parser on every vocabulary file). The IRIs of ``a`` and of number datatypes come from
the caller (maillage.model.read_turtle), which owns every namespace."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple


class Lit(NamedTuple):
    value: str
    lang: str | None = None
    datatype: str | None = None


_TOKEN = re.compile(r'''
    (?P<ws>\s+|\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<str>"(?:[^"\\\n]|\\.)*")(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<dt><[^>]*>|[A-Za-z][\w-]*:[\w-]*))?
  | (?P<num>[+-]?\d+(?:\.\d+)?)
  | (?P<prefix>@prefix)
  | (?P<a>a(?=\s))
  | (?P<pname>(?:[A-Za-z][\w-]*)?:(?:[\w-](?:[\w.-]*[\w-])?)?)
  | (?P<punct>[;,.])
''', re.X)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'"}


def read_turtle(path: Path, *, rdf_type: str, xsd: str) -> Iterator[tuple[str, str, str | Lit]]:
    """The triples of a Turtle file written in the subset the ontology folder uses (prefixes,
    IRIs, prefixed names, ``a``, strings with a language or datatype, numbers, ``;`` and ``,``).
    Anything else is an error, never a silent skip."""
    text = path.read_text(encoding="utf-8")
    prefixes: dict[str, str] = {}
    tokens: list[tuple[str, str, re.Match]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            line = text.count("\n", 0, pos) + 1
            raise ValueError(f"{path}:{line}: outside the Turtle subset model.read_turtle reads: {text[pos:pos + 30]!r}")
        pos = m.end()
        if m.lastgroup != "ws":
            tokens.append((m.lastgroup if m.group("str") is None else "str", m.group(0), m))

    def term(tok) -> str | Lit:
        kind, raw, m = tok
        if kind == "iri":
            return raw[1:-1]
        if kind == "pname":
            prefix, local = raw.split(":", 1)
            return prefixes[prefix] + local
        if kind == "a":
            return rdf_type
        if kind == "str":
            value = re.sub(r"\\(.)", lambda e: _ESCAPES.get(e.group(1), e.group(0)), m.group("str")[1:-1])
            dt = m.group("dt")
            if dt:
                dt = dt[1:-1] if dt.startswith("<") else term(("pname", dt, None))
            return Lit(value, m.group("lang"), dt)
        if kind == "num":
            return Lit(raw, None, xsd + ("decimal" if "." in raw else "integer"))
        raise ValueError(f"{path}: unexpected {raw!r}")

    i = 0
    while i < len(tokens):
        if tokens[i][0] == "prefix":
            name, iri = tokens[i + 1], tokens[i + 2]  # then the dot
            prefixes[name[1].rstrip(":")] = iri[1][1:-1]
            i += 4
            continue
        subject = term(tokens[i])
        i += 1
        while True:
            predicate = term(tokens[i])
            i += 1
            while True:
                yield subject, predicate, term(tokens[i])
                i += 1
                if tokens[i][1] != ",":
                    break
                i += 1
            sep = tokens[i][1]
            i += 1
            if sep == ".":
                break
            if tokens[i][1] == ".":  # a trailing ';'
                i += 1
                break
