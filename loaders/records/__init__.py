"""Curated records: YAML files read with line numbers, validated into typed records.

Every error is reported as ``file:line: what is wrong``; nothing is turned into triples until
every file of the data folder is valid. One concept per module:

- ``yaml_reader``  one file read: size, encoding, YAML with the line of every value, limits;
- ``models``       the records format, one pydantic model per record kind;
- ``recordset``    the validated files of a folder and the vocabulary they may use;
- ``references``   the checks across records and files (references, codes, sources, spans);
- ``folder``       the whole data folder loaded (``load_records``);
- ``errors``       ``RecordError`` (file, line, message) and ``RecordsInvalid``.
"""

from maillage.loaders.records.errors import RecordError, RecordsInvalid
from maillage.loaders.records.folder import data_files, load_records
from maillage.loaders.records.models import (
    DOC_KINDS,
    LOCAL_TERRITORY,
    NATURES,
    SLUG,
    UNITS,
    CoverageAllowance,
    DocumentInfo,
    DocumentRecords,
    Figure,
    Funding,
    Identifiers,
    Initiative,
    LocalTerritory,
    Membership,
    Organisation,
    Participation,
    Programme,
    Span,
)
from maillage.loaders.records.recordset import RecordSet, SourceFile, Vocabulary
from maillage.loaders.records.references import check_spans
from maillage.loaders.records.yaml_reader import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    Located,
    parse_yaml,
    read_text_file,
    read_yaml,
)

__all__ = [
    "RecordError", "RecordsInvalid", "data_files", "load_records", "DOC_KINDS", "LOCAL_TERRITORY", "NATURES", "SLUG",
    "UNITS", "CoverageAllowance", "DocumentInfo", "DocumentRecords", "Figure", "Funding", "Identifiers", "Initiative",
    "LocalTerritory", "Membership", "Organisation", "Participation", "Programme", "Span", "RecordSet", "SourceFile",
    "Vocabulary", "check_spans", "MAX_ALIASES", "MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "Located", "parse_yaml",
    "read_text_file", "read_yaml",
]
