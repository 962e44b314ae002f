"""What an extractor drafts from a document: facts with their character spans and a confidence,
for a person to review. Both readers (structured fiches, narrative prose) fill the same Draft.

Keys (``key``) are draft-local slugs; ``linked_to`` holds the id of an organisation already in
the graph when the linker found one. Spans are Python string indices into the read text,
end excluded (the same convention as the curated records' ``source``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol

Span = tuple[int, int]


@dataclass
class DraftOrganisation:
    key: str
    name: str
    kind: str | None = None              # typology notation, when a rule or the linker knows it
    territory: str | None = None         # reg:/dep:/com:/epci: reference, when known
    linked_to: str | None = None         # id of an existing organisation (None: proposed as new)
    match_score: float | None = None     # the linker's score (0-100) for linked_to
    spans: list[Span] = field(default_factory=list)
    confidence: float = 0.5


@dataclass
class DraftInitiative:
    key: str
    name: str
    pilots: list[str] = field(default_factory=list)        # organisation keys
    territories: list[str] = field(default_factory=list)   # reg:/dep:/com:/epci: references
    start: str | None = None
    spans: list[Span] = field(default_factory=list)
    confidence: float = 0.5


@dataclass
class DraftFunding:
    funders: list[str]                   # organisation keys (several when given jointly)
    initiative: str | None = None        # initiative key
    amount_eur: float | None = None
    year: int | None = None
    period: str | None = None            # "YYYY/YYYY"
    purpose: str | None = None           # purposes.ttl notation
    spans: list[Span] = field(default_factory=list)
    confidence: float = 0.5
    by: str = "rule"                     # what drafted it: rule (readers, lexicon) or model (classifier)


@dataclass
class DraftPartnership:
    initiative: str                      # initiative key
    partner: str                         # organisation key
    role: str = "partenaire"             # roles.ttl notation
    spans: list[Span] = field(default_factory=list)
    confidence: float = 0.5
    by: str = "rule"                     # rule or model


@dataclass
class Draft:
    file: str
    organisations: list[DraftOrganisation] = field(default_factory=list)
    initiatives: list[DraftInitiative] = field(default_factory=list)
    fundings: list[DraftFunding] = field(default_factory=list)
    partnerships: list[DraftPartnership] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    url: str | None = None               # the document's URL (a SOURCE:/URL header line, an HTML page's canonical URL)
    document: dict = field(default_factory=dict)  # what the reader knows of the input: kind, title, pages, read_text

    def to_dict(self) -> dict:
        return asdict(self)


class Reader(Protocol):
    """A reader turns one document's text into a Draft (no linking: the linker runs after)."""

    name: str

    def read(self, text: str, file: str) -> Draft: ...
