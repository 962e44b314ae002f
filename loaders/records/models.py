"""The records format: one pydantic model per record kind, with the checks a single record can
make on itself (codes of the ontology's concept schemes, amounts and dates at the door)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from maillage.loaders.values import check_amount, check_date, check_figure
from maillage.model import codes

SLUG = r"^[a-z0-9][a-z0-9-]*$"
LOCAL_TERRITORY = r"^(qpv|quartier):[a-z0-9][a-z0-9-]*$"
# the codes of ontology/concepts/{units,natures,documents}.ttl
UNITS = codes("units")
NATURES = codes("natures")
DOC_KINDS = codes("document-kinds")

Span = tuple[int, int]


def _spans(value: Any) -> list[Span] | None:
    if value is None:
        return None
    if (isinstance(value, (list, tuple)) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError("source must be a span [start, end] or a list of spans [[s1, e1], …]")
    spans = []
    for item in value:
        if not (isinstance(item, (list, tuple)) and len(item) == 2
                and all(isinstance(v, int) and not isinstance(v, bool) for v in item)):
            raise ValueError(f"source span {item!r} is not [start, end] with two whole numbers")
        start, end = item
        if start < 0 or end <= start:
            raise ValueError(f"source span [{start}, {end}] must have 0 <= start < end")
        spans.append((start, end))
    return spans


def _date_text(value: Any) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD, a real date in the plausible range (values.check_date)."""
    return None if value is None else check_date(value)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    source: list[Span] | None = None

    @field_validator("source", mode="before")
    @classmethod
    def _check_source(cls, v: Any) -> Any:
        return _spans(v)


class DocumentInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    file: str = Field(min_length=1)
    title: str = Field(min_length=1)
    kind: Literal[DOC_KINDS] = "article"  # type: ignore[valid-type]
    # what a reader needs to check the source (issue 15): absent when the document does not say
    publisher: str | None = Field(default=None, min_length=1)
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    url: str | None = Field(default=None, pattern=r"^https?://[^\s<>\"{}|\\^`]+$")
    licence: str | None = Field(default=None, min_length=1)

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, v: Any) -> Any:
        # YAML reads an unquoted 2023-11-27 as a date: it is the same date
        return v.isoformat() if hasattr(v, "isoformat") else (str(v) if isinstance(v, int) else v)


class Identifiers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    siren: str | None = Field(default=None, pattern=r"^\d{9}$")
    siret: str | None = Field(default=None, pattern=r"^\d{14}$")
    rna: str | None = Field(default=None, pattern=r"^W\d{9}$")

    @field_validator("siren", "siret", "rna", mode="before")
    @classmethod
    def _as_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v


class Organisation(_Record):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    aliases: list[str] = []
    kind: str
    territory: str | None = None
    identifiers: Identifiers | None = None


class Figure(_Record):
    label: str = Field(min_length=1)
    value: Decimal
    unit: Literal[UNITS]  # type: ignore[valid-type]
    year: int | None = Field(default=None, ge=1900, le=2100)

    @model_validator(mode="before")
    @classmethod
    def _number(cls, data: Any) -> Any:
        # exact, finite, and for euros the amount rules (values.check_figure)
        if isinstance(data, dict) and "value" in data:
            if isinstance(data["value"], (float, bool)) or not isinstance(data["value"], (int, Decimal, str)):
                raise ValueError(f"value must be a plain number (15000, not {data['value']!r})")
            data = {**data, "value": check_figure(data["value"], str(data.get("unit")))}
        return data


class Initiative(_Record):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    aliases: list[str] = []
    summary: str | None = Field(default=None, max_length=300)
    start: str | None = None
    end: str | None = None
    territories: list[str] = []
    themes: list[str] = []
    publics: list[str] = []
    figures: list[Figure] = []

    @field_validator("start", "end", mode="before")
    @classmethod
    def _dates(cls, v: Any) -> Any:
        return _date_text(v)


class Participation(_Record):
    initiative: str = Field(pattern=SLUG)
    organisation: str = Field(pattern=SLUG)
    role: str


class Membership(_Record):
    organisation: str = Field(pattern=SLUG)
    of: str = Field(pattern=SLUG)


class Programme(_Record):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    launched_by: list[str] = []
    year: int | None = Field(default=None, ge=1900, le=2100)


class Funding(_Record):
    funder: list[str] = Field(min_length=1)
    initiative: str | None = Field(default=None, pattern=SLUG)
    recipient: str | None = Field(default=None, pattern=SLUG)
    amount_eur: Decimal | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    period: str | None = Field(default=None, pattern=r"^\d{4}/\d{4}$")
    duration: str | None = Field(default=None, pattern=r"^P\d+[YM]$")
    purpose: str | None = None
    programme: str | None = Field(default=None, pattern=SLUG)
    nature: Literal[NATURES] | None = None  # type: ignore[valid-type]

    @field_validator("funder", mode="before")
    @classmethod
    def _funder_list(cls, v: Any) -> Any:
        if v is None:
            raise ValueError("a funding needs a funder (an organisation id or a list of them)")
        return [v] if isinstance(v, str) else v

    @field_validator("amount_eur", mode="before")
    @classmethod
    def _plain_amount(cls, v: Any) -> Any:
        # exact (a Decimal from the YAML reader; PyYAML reads 1e6 as text, still a plain number),
        # finite, 0 … 10 G€ with cents at most (values.check_amount)
        if v is None:
            return v
        if isinstance(v, str) and not re.fullmatch(r"\s*\d+(\.\d+)?[eE][-+]?\d+\s*", v):
            raise ValueError(f"amount_eur must be a plain number of euros (15000, not {v!r})")
        if isinstance(v, float):
            raise ValueError(f"amount_eur must be a plain number of euros (15000, not {v!r})")
        return check_amount(v, "amount_eur")[0]

    @model_validator(mode="after")
    def _coherent(self) -> Funding:
        if not self.initiative and not self.recipient:
            raise ValueError("a funding needs an initiative or a recipient")
        given = [k for k in ("year", "period", "duration") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"give at most one of year, period, duration (got {', '.join(given)})")
        if self.period:
            a, b = self.period.split("/")
            if int(b) < int(a):
                raise ValueError(f"period {self.period} ends before it starts")
        return self


class LocalTerritory(_Record):
    id: str = Field(pattern=LOCAL_TERRITORY)
    name: str = Field(min_length=1)
    level: Literal["qpv", "quartier"]
    code: str | None = None
    within: str


class CoverageAllowance(BaseModel):
    """A money or cooperation passage that states no fact (a heading, a generic sentence, an
    unnamed partner), with the reason it needs no record."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    span: Span
    reason: str = Field(min_length=3)

    @field_validator("span", mode="before")
    @classmethod
    def _one_span(cls, v: Any) -> Any:
        spans = _spans(v)
        if not spans or len(spans) != 1:
            raise ValueError("span must be one [start, end]")
        return spans[0]

    @field_validator("reason")
    @classmethod
    def _real_reason(cls, v: str) -> str:
        if v.upper().startswith("TODO"):
            raise ValueError("write the reason this passage needs no record (not TODO)")
        return v


class DocumentRecords(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document: DocumentInfo | None = None
    organisations: list[Organisation] = []
    initiatives: list[Initiative] = []
    participations: list[Participation] = []
    memberships: list[Membership] = []
    programmes: list[Programme] = []
    fundings: list[Funding] = []
    territories: list[LocalTerritory] = []
    coverage_allow: list[CoverageAllowance] = []
