"""Drafting many documents in one call: read each file (readers/), draft it within its budget,
go on past a bad file and say at the end which ones failed and why.

    for outcome in extract_paths(files, budget=Budget(seconds=30)):
        outcome.draft or outcome.error

The spaCy pipelines are loaded once per process (the readers cache them), so the cost per
document after the first is the reading itself. Files are taken in name order; hidden files and
the outputs of an earlier run (drafts, read texts) are not documents.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from maillage.extract.budget import DEFAULT_BUDGET, Budget
from maillage.extract.model import Draft
from maillage.extract.pipeline import ExtractError, extract_text
from maillage.extract.readers import Document, read_document

__all__ = ["Outcome", "documents_in", "draft_document", "extract_path", "extract_paths"]

# what an earlier `maillage extract FOLDER -o OUT` wrote: not documents to read again
_OUTPUT_SUFFIXES = {".yaml", ".yml", ".json"}


@dataclass
class Outcome:
    path: Path
    document: Document | None = None
    draft: Draft | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.draft is not None


def documents_in(folder: Path) -> list[Path]:
    """The files of ``folder`` to draft (not recursive): every regular, non-hidden file but drafts."""
    if not folder.is_dir():
        raise ExtractError(f"{folder}: not a folder")
    return sorted(p for p in folder.iterdir()
                  if not p.name.startswith(".") and p.suffix.lower() not in _OUTPUT_SUFFIXES
                  and not p.name.endswith(".gold.yaml") and (p.is_file() or p.is_symlink()))


def draft_document(doc: Document, reader: str = "auto", *, linker=None, link: bool = True,
                   budget: Budget = DEFAULT_BUDGET) -> Draft:
    """Draft one read document within the budget's seconds; the draft keeps the document's URL
    and what the reader knows of it (kind, title, pages)."""
    with budget.clock(doc.file, "drafting it"):
        draft = extract_text(doc.text, doc.file, reader, linker=linker, link=link, url=doc.url)
    warnings = [*doc.warnings, *draft.warnings]
    return replace(draft, url=doc.url, document={**draft.document, **doc.meta}, warnings=warnings)


def extract_path(path: Path, reader: str = "auto", *, linker=None, link: bool = True,
                 budget: Budget = DEFAULT_BUDGET, name: str | None = None) -> Outcome:
    """Read and draft one file; a bad file gives an Outcome with its error, never an exception."""
    t0 = time.perf_counter()
    out = Outcome(path)
    try:
        out.document = read_document(path, budget, name=name)
        out.draft = draft_document(out.document, reader, linker=linker, link=link, budget=budget)
    except ExtractError as exc:
        out.error = str(exc)
    except RecursionError:
        out.error = f"{name or path}: nested too deeply to be read"
    except MemoryError:
        out.error = f"{name or path}: too large to be read in memory"
    out.seconds = time.perf_counter() - t0
    return out


def extract_paths(paths: Iterable[Path], reader: str = "auto", *, linker=None, link: bool = True,
                  budget: Budget = DEFAULT_BUDGET,
                  on_start: Callable[[Path], None] | None = None) -> Iterator[Outcome]:
    """One Outcome per file, in order; ``on_start`` is told which file is being read (progress)."""
    for path in paths:
        if on_start is not None:
            on_start(path)
        yield extract_path(Path(path), reader, linker=linker, link=link, budget=budget)
