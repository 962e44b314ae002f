"""The validated records of a data folder: one ``SourceFile`` per YAML file, the organisations
merged across files, and the ``Vocabulary`` of codes they may use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maillage.loaders.records.errors import RecordError
from maillage.loaders.records.models import DocumentRecords, Organisation
from maillage.loaders.records.yaml_reader import Located


@dataclass
class SourceFile:
    """One validated YAML file and where its records came from."""

    path: Path
    display: str
    records: DocumentRecords
    lines: Located

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
