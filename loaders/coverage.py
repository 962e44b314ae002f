"""Coverage of the source documents by the curated records.

Finds every passage of a document that states money or cooperation and checks that some
recorded fact's source span covers it, so a missed funder or partner shows up as a failure
rather than as a silently wrong total. Uncovered cooperation passages that state no fact (a
generic sentence, a heading) are justified in the document's records, under
``coverage_allow:``, each with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from maillage.loaders.records import RecordSet, Span

_NUM = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+(?:,\d+)?"
MONEY = re.compile(
    rf"(?:(?:{_NUM})\s?(?:k|K|M|Md)?\s?(?:€|euros?\b|EUR\b)"
    r"|\bmillions?\b|\bmilliards?\b|\bsubvention\w*|\bfinanc\w*|\bcofinanc\w*|\bco-financ\w*|\bdotation\w*"
    r"|\bbudget\w*|chiffre d.affaires)",
    re.IGNORECASE,
)
AMOUNT = re.compile(rf"(?:{_NUM})\s?(?:k|K|M|Md)?\s?(?:€|euros?\b|EUR\b)", re.IGNORECASE)
COOPERATION = re.compile(
    r"\bpartenaires?\b|\bpartenariat\w*|\bpartenarial\w*|\bmembres?\b|\bclients?\b|avec le soutien d",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ«\"“(])")


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    kind: str  # "money" | "cooperation"
    text: str

    def overlaps(self, span: Span) -> bool:
        return span[0] < self.end and self.start < span[1]


@dataclass
class DocumentCoverage:
    file: str
    passages: list[Passage] = field(default_factory=list)
    uncovered: list[Passage] = field(default_factory=list)
    allowed: list[tuple[Passage, str]] = field(default_factory=list)

    def count(self, kind: str, which: str = "passages") -> int:
        items = getattr(self, which)
        if which == "allowed":
            return sum(1 for p, _ in items if p.kind == kind)
        return sum(1 for p in items if p.kind == kind)


def passages(text: str) -> Iterable[tuple[int, int]]:
    """Sentences, cut at line breaks and sentence ends; bullets and headings stand alone."""
    for m in re.finditer(r"[^\n]+", text):
        start = m.start()
        line = m.group()
        cuts = [0, *[c.start() for c in _SENTENCE_END.finditer(line)], len(line)]
        for a, b in zip(cuts, cuts[1:]):
            chunk = line[a:b]
            lead = len(chunk) - len(chunk.lstrip())
            if chunk.strip():
                yield start + a + lead, start + a + len(chunk.rstrip())


def find_passages(text: str) -> list[Passage]:
    out = []
    for a, b in passages(text):
        chunk = text[a:b]
        if MONEY.search(chunk):
            out.append(Passage(a, b, "money", chunk))
        elif COOPERATION.search(chunk):
            out.append(Passage(a, b, "cooperation", chunk))
    return out


def _is_covered(p: Passage, spans: list[Span], text: str) -> bool:
    if p.kind == "money":
        amounts = [(p.start + m.start(), p.start + m.end()) for m in AMOUNT.finditer(p.text)]
        if amounts:  # every euro amount must lie inside a recorded span
            return all(any(s <= a and e <= t for s, t in spans) for a, e in amounts)
    return any(p.overlaps(s) for s in spans)


def record_spans(records: RecordSet, doc_file: str) -> list[Span]:
    spans: list[Span] = []
    for f in records.documents:
        if f.doc_file != doc_file:
            continue
        r = f.records
        facts = [*r.organisations, *r.initiatives, *r.participations, *r.memberships, *r.programmes,
                 *r.fundings, *r.territories, *[fig for i in r.initiatives for fig in i.figures]]
        for fact in facts:
            spans.extend(fact.source or [])
    return spans


@dataclass(frozen=True)
class Allowance:
    file: str
    span: Span
    reason: str


def allowances(records: RecordSet) -> list[Allowance]:
    """The `coverage_allow:` entries of every records file."""
    return [Allowance(f.doc_file, a.span, a.reason) for f in records.documents for a in f.records.coverage_allow]


def check_document(text: str, doc_file: str, spans: list[Span], allow: list[Allowance]) -> DocumentCoverage:
    cov = DocumentCoverage(doc_file)
    mine = [a for a in allow if a.file == doc_file]
    for p in find_passages(text):
        cov.passages.append(p)
        if _is_covered(p, spans, text):
            continue
        # a euro amount is a fact (a funding, or a budget, turnover or cost figure): it is
        # recorded, never excused
        excusable = not (p.kind == "money" and AMOUNT.search(p.text))
        reason = next((a.reason for a in mine if a.span[0] <= p.start and p.end <= a.span[1]), None) if excusable else None
        if reason is not None:
            cov.allowed.append((p, reason))
        else:
            cov.uncovered.append(p)
    return cov


def check_corpus(records: RecordSet, corpus_dir: Path) -> list[DocumentCoverage]:
    allow = allowances(records)
    out = []
    # every document of the corpus, curated or not: a document without records is all uncovered
    files = {p.name for p in corpus_dir.glob("*.txt")} | {f.doc_file for f in records.documents}
    for doc_file in sorted(files):
        text = (corpus_dir / doc_file).read_text(encoding="utf-8")
        out.append(check_document(text, doc_file, record_spans(records, doc_file), allow))
    return out
