"""Curated records: YAML files read with line numbers, validated into typed records.

Every error is reported as ``file:line: what is wrong``; nothing is turned into triples until
every file of the data folder is valid.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from maillage.loaders.values import check_amount, check_date, check_figure
from maillage.model import codes

SLUG = r"^[a-z0-9][a-z0-9-]*$"
LOCAL_TERRITORY = r"^(qpv|quartier):[a-z0-9][a-z0-9-]*$"
# the codes of ontology/concepts/{units,natures,documents}.ttl
UNITS = codes("units")
NATURES = codes("natures")
DOC_KINDS = codes("document-kinds")

# Limits of one records file (README, "What is guaranteed"): the biggest bundled file is 53 KB;
# a 5 MB file took 37 s and 1.2 GB, and a 505-byte file of nested aliases grew to 1.5 GB.
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 64           # nesting of lists and mappings (libyaml's composer recurses in C)
MAX_ALIASES = 16         # *alias references in one file (records need none)
MAX_NODES = 500_000      # values once aliases are expanded


# ---------------------------------------------------------------- errors

@dataclass(frozen=True, order=True)
class RecordError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RecordsInvalid(Exception):
    """Raised with every error found; the build must stop and change nothing."""

    def __init__(self, errors: Iterable[RecordError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


# ---------------------------------------------------------------- YAML with line numbers

class _Located:
    """Python data built from a YAML node tree, with the line of every path."""

    def __init__(self, data: Any, lines: dict[tuple, int]):
        self.data = data
        self.lines = lines

    def line_of(self, path: tuple) -> int:
        # The deepest known prefix: a missing key is reported at its parent mapping.
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                return self.lines[path[:cut]]
        return 1


# libyaml's parser when PyYAML was built with it (about 8× faster on the records; the marks,
# hence the file:line of every error, are the same)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TooBig(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SPECIAL = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}


def _scalar(node: yaml.ScalarNode, construct) -> Any:
    # A number with a dot stays the exact decimal written (PyYAML would make it a float, and
    # 12345678901234567.89 a different number); a date stays its text, checked by the model
    # (PyYAML's constructor raises a bare ValueError on 2023-13-45).
    if node.tag == _FLOAT:
        text = node.value.replace("_", "")
        special = _SPECIAL.get(text.lower())
        try:
            return Decimal(special or text)
        except ArithmeticError:
            pass
    if node.tag == _TIMESTAMP:
        return node.value
    return construct(node, deep=True)


def _build(node: yaml.Node, path: tuple, lines: dict, dupes: list, construct=None, budget=None) -> Any:
    if construct is None:  # one constructor per file, not one per scalar
        construct = yaml.constructor.SafeConstructor().construct_object
        budget = [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig(node.start_mark.line + 1, f"more than {MAX_NODES:,} values once aliases are expanded")
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in out:
                dupes.append((key_node.start_mark.line + 1, f"key '{key}' appears twice"))
            out[key] = _build(value_node, path + (key,), lines, dupes, construct, budget)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines, dupes, construct, budget) for i, item in enumerate(node.value)]
    return _scalar(node, construct)


def _check_shape(text: str) -> None:
    """Depth and aliases counted on the event stream, before anything is built: a deep flow
    list crashes libyaml's composer (a segmentation fault at 100,000 '['), and aliases of
    aliases grow exponentially when expanded."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooBig(event.start_mark.line + 1, f"lists and mappings nested more than {MAX_DEPTH} deep")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _TooBig(event.start_mark.line + 1, f"more than {MAX_ALIASES} aliases (*name): "
                                                         "write the values out")


def read_text_file(path: Path, display: str, limit: int) -> tuple[str | None, str | None]:
    """(the UTF-8 text, None) or (None, why not): a folder, a link loop, a device or a pipe, a
    file over ``limit`` bytes or not UTF-8 is refused before it is read whole."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return None, f"cannot read it: {exc.strerror or exc}"
    if stat.S_ISDIR(info.st_mode):
        return None, "is a folder, not a records file"
    if not stat.S_ISREG(info.st_mode):
        return None, "is not a regular file (a device, a pipe or a socket)"
    if info.st_size > limit:
        return None, f"is {info.st_size:,} bytes, more than the limit of {limit:,} bytes"
    try:
        with open(path, "rb") as f:
            raw = f.read(limit + 1)
    except OSError as exc:
        return None, f"cannot read it: {exc.strerror or exc}"
    if len(raw) > limit:
        return None, f"is more than the limit of {limit:,} bytes"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"


def parse_yaml(text: str) -> Any:
    """Plain data from YAML text with the records' limits (depth, aliases, expanded size) and
    exact numbers; raises yaml.YAMLError, or ValueError with the line for a limit. For drafts
    and other YAML a user hands in."""
    try:
        _check_shape(text)
        node = yaml.compose(text, Loader=_LOADER)
        return None if node is None else _build(node, (), {}, [])
    except _TooBig as exc:
        raise ValueError(f"{exc.line}: {exc.message}") from None


def read_yaml(path: Path, display: str) -> tuple[_Located | None, list[RecordError]]:
    text, why = read_text_file(path, display, MAX_FILE_BYTES)
    if text is None:
        return None, [RecordError(display, 1, why)]
    try:
        _check_shape(text)
        node = yaml.compose(text, Loader=_LOADER)
    except _TooBig as exc:
        return None, [RecordError(display, exc.line, exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [RecordError(display, line, f"malformed YAML: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return None, [RecordError(display, 1, f"malformed YAML: {exc}")]
    if node is None:
        return _Located({}, {(): 1}), []
    lines: dict = {}
    dupes: list = []
    try:
        data = _build(node, (), lines, dupes)
    except _TooBig as exc:
        return None, [RecordError(display, exc.line, exc.message)]
    except (yaml.YAMLError, ValueError) as exc:  # e.g. a bad scalar
        mark = getattr(exc, "problem_mark", None)
        return None, [RecordError(display, mark.line + 1 if mark else 1, f"malformed value: {exc}")]
    errors = [RecordError(display, line, msg) for line, msg in dupes]
    if not isinstance(data, dict):
        errors.append(RecordError(display, 1, "the file must be a mapping (document:, organisations:, …)"))
        return None, errors
    return _Located(data, lines), errors


# ---------------------------------------------------------------- record models

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


# ---------------------------------------------------------------- the whole data folder

@dataclass
class SourceFile:
    """One validated YAML file and where its records came from."""

    path: Path
    display: str
    records: DocumentRecords
    lines: _Located

    @property
    def doc_file(self) -> str | None:
        return self.records.document.file if self.records.document else None

    def line(self, *path: Any) -> int:
        return self.lines.line_of(tuple(path))


@dataclass
class RecordSet:
    files: list[SourceFile]
    organisations: dict[str, Organisation] = field(default_factory=dict)  # merged across files
    org_origin: dict[str, list[str]] = field(default_factory=dict)        # id -> files declaring it
    warnings: list[RecordError] = field(default_factory=list)             # accepted, but worth a look

    @property
    def documents(self) -> list[SourceFile]:
        return [f for f in self.files if f.records.document is not None]


@dataclass(frozen=True)
class Vocabulary:
    """The codes records may use, read from the ontology's concept schemes and the COG."""

    kinds: frozenset[str]
    roles: frozenset[str]
    themes: frozenset[str]
    publics: frozenset[str]
    purposes: frozenset[str]
    territory_exists: Any  # callable(ref) -> bool


def _pydantic_errors(exc: ValidationError, located: _Located, display: str) -> list[RecordError]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc) or "file"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown field '{loc[-1]}'"
        elif err["type"] == "missing":
            msg = f"missing required field '{loc[-1]}'"
        elif err["type"] == "literal_error":
            msg = f"{msg} (got {err.get('input')!r})"
        elif err["type"] == "string_pattern_mismatch":
            msg = f"{err.get('input')!r} is not valid here ({msg})"
        out.append(RecordError(display, located.line_of(loc), f"{where}: {msg}"))
    return out


def data_files(data_dir: Path) -> list[Path]:
    """common.yaml first, then one file per document in name order."""
    files = sorted(p for p in data_dir.glob("*.yaml"))
    return sorted(files, key=lambda p: (p.name != "common.yaml", p.name))


def load_records(data_dir: Path, vocab: Vocabulary, *, root: Path | None = None) -> RecordSet:
    """Read and validate every YAML file of ``data_dir``; raise RecordsInvalid with all errors."""
    errors: list[RecordError] = []
    files: list[SourceFile] = []
    try:
        is_folder = data_dir.is_dir()
    except OSError:
        is_folder = False
    if not is_folder:
        raise RecordsInvalid([RecordError(str(data_dir), 1, "the records folder does not exist or is not a folder")])
    for path in data_files(data_dir):
        display = _display(path, root)
        located, errs = read_yaml(path, display)
        errors += errs
        if located is None:
            continue
        try:
            records = DocumentRecords.model_validate(located.data)
        except ValidationError as exc:
            errors += _pydantic_errors(exc, located, display)
            continue
        if records.document is None and path.name != "common.yaml":
            errors.append(RecordError(display, 1, "missing 'document:' (file: the corpus file these records come from)"))
            continue
        files.append(SourceFile(path, display, records, located))
    recordset = RecordSet(files)
    errors += _check_references(recordset, vocab)
    recordset.warnings = sorted(_warnings(recordset))
    if errors:
        raise RecordsInvalid(errors)
    return recordset


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except (ValueError, RuntimeError, OSError):  # RuntimeError: a symlink loop
            try:
                return str(path.absolute().relative_to(root.absolute()))
            except ValueError:
                pass
    return str(path)


def _warnings(rs: RecordSet) -> list[RecordError]:
    """Amounts above the warning band (values.AMOUNT_WARN): accepted, named for a second look."""
    out = []
    for f in rs.files:
        for i, fu in enumerate(f.records.fundings):
            if fu.amount_eur is not None:
                _, warning = check_amount(fu.amount_eur, "amount_eur")
                if warning:
                    out.append(RecordError(f.display, f.line("fundings", i, "amount_eur"), warning))
    return out


def _check_references(rs: RecordSet, vocab: Vocabulary) -> list[RecordError]:
    errors: list[RecordError] = []
    initiatives: dict[str, str] = {}
    programmes: dict[str, str] = {}
    local_places: dict[str, set[str]] = {}

    def err(f: SourceFile, path: tuple, msg: str) -> None:
        errors.append(RecordError(f.display, f.line(*path), msg))

    # Pass 1: declarations, merged or checked for clashes across files.
    for f in rs.files:
        r = f.records
        here: dict[str, int] = {}
        for i, o in enumerate(r.organisations):
            # twice in one file is a slip, not a merge (the second name silently became an alias)
            if o.id in here:
                err(f, ("organisations", i, "id"), f"organisation {o.id!r} is declared twice in this file "
                                                   f"(first at line {f.line('organisations', here[o.id], 'id')})")
            here.setdefault(o.id, i)
        # <stem>.yaml, or <stem>.<part>.yaml when one document's records are split in parts
        if f.path.name != "common.yaml" and r.document and Path(r.document.file).stem != f.path.name.split(".")[0]:
            err(f, ("document", "file"), f"document file {r.document.file!r} does not match the records file name {f.path.name!r}")
        for i, o in enumerate(r.organisations):
            if o.kind not in vocab.kinds:
                err(f, ("organisations", i, "kind"), f"unknown organisation kind {o.kind!r} (see ontology/concepts/typology.ttl)")
            if f.path.name != "common.yaml" and not o.source:
                err(f, ("organisations", i), f"organisation {o.id!r} has no source span")
            known = rs.organisations.get(o.id)
            if known is None:
                rs.organisations[o.id] = o.model_copy(deep=True)
                rs.org_origin[o.id] = [f.display]
            else:
                if known.kind != o.kind:
                    err(f, ("organisations", i, "kind"), f"organisation {o.id!r} is {o.kind!r} here but {known.kind!r} in {rs.org_origin[o.id][0]}")
                for alias in [o.name, *o.aliases]:
                    if alias != known.name and alias not in known.aliases:
                        known.aliases.append(alias)
                known.territory = known.territory or o.territory
                rs.org_origin[o.id].append(f.display)
        for i, ini in enumerate(r.initiatives):
            if ini.id in initiatives:
                err(f, ("initiatives", i, "id"), f"initiative {ini.id!r} is already declared in {initiatives[ini.id]}")
            initiatives[ini.id] = f.display
            if not ini.source:
                err(f, ("initiatives", i), f"initiative {ini.id!r} has no source span")
        for i, p in enumerate(r.programmes):
            if p.id in programmes:
                err(f, ("programmes", i, "id"), f"programme {p.id!r} is already declared in {programmes[p.id]}")
            programmes[p.id] = f.display
        places = local_places.setdefault(f.display, set())
        for i, t in enumerate(r.territories):
            places.add(t.id)
            if not vocab.territory_exists(t.within):
                err(f, ("territories", i, "within"), f"unknown territory code {t.within!r}")

    def territory_ok(f: SourceFile, ref: str) -> bool:
        return ref in local_places.get(f.display, set()) or vocab.territory_exists(ref)

    # Pass 2: every reference resolves, every code is known, every fact has a source.
    for f in rs.files:
        r = f.records
        sourced = f.path.name != "common.yaml"
        for i, o in enumerate(r.organisations):
            if o.territory and not territory_ok(f, o.territory):
                err(f, ("organisations", i, "territory"), f"unknown territory code {o.territory!r}")
        for i, ini in enumerate(r.initiatives):
            for j, ref in enumerate(ini.territories):
                if not territory_ok(f, ref):
                    err(f, ("initiatives", i, "territories", j), f"unknown territory code {ref!r}")
            for key, allowed, scheme in (("themes", vocab.themes, "themes"), ("publics", vocab.publics, "publics")):
                for j, code in enumerate(getattr(ini, key)):
                    if code not in allowed:
                        err(f, ("initiatives", i, key, j), f"unknown {key[:-1]} {code!r} (see ontology/concepts/{scheme}.ttl)")
            for j, fig in enumerate(ini.figures):
                if sourced and not fig.source:
                    err(f, ("initiatives", i, "figures", j), "figure has no source span")
        for i, p in enumerate(r.participations):
            if p.initiative not in initiatives:
                err(f, ("participations", i, "initiative"), f"unknown initiative {p.initiative!r}")
            if p.organisation not in rs.organisations:
                err(f, ("participations", i, "organisation"), f"unknown organisation {p.organisation!r}")
            if p.role not in vocab.roles:
                err(f, ("participations", i, "role"), f"unknown role {p.role!r} (see ontology/concepts/roles.ttl)")
            if sourced and not p.source:
                err(f, ("participations", i), "participation has no source span")
        for i, m in enumerate(r.memberships):
            for key in ("organisation", "of"):
                if getattr(m, key) not in rs.organisations:
                    err(f, ("memberships", i, key), f"unknown organisation {getattr(m, key)!r}")
            if sourced and not m.source:
                err(f, ("memberships", i), "membership has no source span")
        for i, p in enumerate(r.programmes):
            for j, o in enumerate(p.launched_by):
                if o not in rs.organisations:
                    err(f, ("programmes", i, "launched_by", j), f"unknown organisation {o!r}")
        for i, fu in enumerate(r.fundings):
            for j, o in enumerate(fu.funder):
                if o not in rs.organisations:
                    err(f, ("fundings", i, "funder", j), f"unknown funder {o!r} (declare it under organisations:)")
            if fu.initiative and fu.initiative not in initiatives:
                err(f, ("fundings", i, "initiative"), f"unknown initiative {fu.initiative!r}")
            if fu.recipient and fu.recipient not in rs.organisations:
                err(f, ("fundings", i, "recipient"), f"unknown organisation {fu.recipient!r}")
            if fu.programme and fu.programme not in programmes:
                err(f, ("fundings", i, "programme"), f"unknown programme {fu.programme!r}")
            if fu.purpose and fu.purpose not in vocab.purposes:
                err(f, ("fundings", i, "purpose"), f"unknown purpose {fu.purpose!r} (see ontology/concepts/purposes.ttl)")
            if sourced and not fu.source:
                err(f, ("fundings", i), "funding has no source span")
    return errors


def check_spans(rs: RecordSet, corpus_dir: Path) -> list[RecordError]:
    """Every source span lies inside its document, when the document is at hand: a span past the
    end passed build, check and coverage (the passage it names does not exist)."""
    errors: list[RecordError] = []
    lengths: dict[str, int | None] = {}
    for f in rs.documents:
        doc = f.doc_file
        if doc not in lengths:
            path = corpus_dir / doc
            text, _ = read_text_file(path, str(path), 64 * 1024 * 1024) if path.is_file() else (None, None)
            lengths[doc] = None if text is None else len(text)
        size = lengths[doc]
        if size is None:
            continue
        r = f.records
        for key in ("organisations", "initiatives", "participations", "memberships", "programmes", "fundings", "territories"):
            for i, item in enumerate(getattr(r, key)):
                for start, end in item.source or []:
                    if end > size:
                        errors.append(RecordError(f.display, f.line(key, i, "source"),
                                                  f"{key}.{i}.source: span [{start}, {end}] goes past the end of {doc} ({size} characters)"))
                if key == "initiatives":
                    for j, fig in enumerate(item.figures):
                        for start, end in fig.source or []:
                            if end > size:
                                errors.append(RecordError(f.display, f.line(key, i, "figures", j, "source"),
                                                          f"{key}.{i}.figures.{j}.source: span [{start}, {end}] goes past the end of {doc} ({size} characters)"))
        for i, allow in enumerate(r.coverage_allow):
            if allow.span[1] > size:
                errors.append(RecordError(f.display, f.line("coverage_allow", i, "span"),
                                          f"coverage_allow.{i}.span: [{allow.span[0]}, {allow.span[1]}] goes past the end of {doc} ({size} characters)"))
    return errors
