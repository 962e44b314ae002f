"""The whole data folder: every YAML file read and validated, then checked together; nothing
is returned unless every file is valid (``RecordsInvalid`` carries every error)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from maillage.loaders.records.errors import RecordError, RecordsInvalid
from maillage.loaders.records.models import DocumentRecords
from maillage.loaders.records.recordset import RecordSet, SourceFile, Vocabulary
from maillage.loaders.records.references import amount_warnings, check_references
from maillage.loaders.records.yaml_reader import Located, read_yaml


def _pydantic_errors(exc: ValidationError, located: Located, display: str) -> list[RecordError]:
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
    errors += check_references(recordset, vocab)
    recordset.warnings = sorted(amount_warnings(recordset))
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
