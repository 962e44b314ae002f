"""`maillage extract FOLDER`: draft every document of a folder with a progress bar, go on past
a bad file, list the bad files with their messages at the end (exit 1 if any failed; the
drafts of the good ones are written all the same).

Into the output folder go ``<stem>.yaml`` (or ``.json``) per document and, for HTML pages and
PDFs, ``<stem>.txt``: the text that was read, which the draft's spans point into (and the file
to put in the corpus with the draft).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def _free(stem: str, taken: set[str]) -> str:
    out, n = stem, 2
    while out in taken:
        out, n = f"{stem}-{n}", n + 1
    taken.add(out)
    return out


def run_folder(folder: Path, out_dir: Path, fmt: str, reader: str, linker, records, budget,
               say: Callable[[str], None]) -> int:
    """Draft every document of ``folder`` into ``out_dir``; the exit code (0, or 1 if a file failed)."""
    from maillage.cli.extract import render
    from maillage.extract.batch import documents_in, extract_path
    from maillage.extract.pipeline import ExtractError

    try:
        files = documents_in(folder)
    except (ExtractError, OSError) as exc:
        say(f"maillage extract: {exc}")
        return 1
    if not files:
        say(f"maillage extract: {folder} has no documents")
        return 1
    if out_dir.exists() and not out_dir.is_dir():
        say(f"maillage extract: {out_dir}: exists and is not a folder")
        return 2
    out_dir.mkdir(parents=True, exist_ok=True)
    stems = {p.stem for p in files if p.suffix.lower() in (".txt", ".md", ".markdown", ".text")}
    taken: set[str] = set()
    failed: list[str] = []
    counts = [0, 0, 0]   # initiatives, fundings, partnerships
    t0 = time.perf_counter()
    console = Console(stderr=True, width=None if sys.stderr.isatty() else 120)
    columns = (TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.description}", markup=False))
    with Progress(*columns, console=console, transient=console.is_terminal) as progress:
        task = progress.add_task("", total=len(files))
        for path in files:
            progress.update(task, description=path.name)
            outcome = extract_path(path, reader, linker=linker, link=linker is not None, budget=budget,
                                   name=str(path))
            progress.advance(task)
            if not outcome.ok:
                failed.append(outcome.error or f"{path}: not drafted")
                continue
            draft, doc = outcome.draft, outcome.document
            stem = _free(path.stem, taken)
            try:
                if doc.kind in ("html", "pdf"):
                    # the read text is a corpus document of its own; never over a text input's name
                    text_stem = stem if stem not in stems else _free(f"{stem}-{doc.kind}", taken)
                    (out_dir / f"{text_stem}.txt").write_text(doc.text, encoding="utf-8")
                    draft.document["read_text"] = f"{text_stem}.txt"
                    stem = text_stem
                (out_dir / f"{stem}.{'json' if fmt == 'json' else 'yaml'}").write_text(
                    render(draft, fmt, records), encoding="utf-8")
            except OSError as exc:
                failed.append(f"{path}: its draft could not be written to {out_dir} ({exc.strerror or exc})")
                continue
            counts[0] += len(draft.initiatives)
            counts[1] += len(draft.fundings)
            counts[2] += len(draft.partnerships)
    elapsed = time.perf_counter() - t0
    done = len(files) - len(failed)
    say(f"maillage extract: {done} of {len(files)} document(s) drafted into {out_dir} in {elapsed:.1f} s "
        f"({counts[0]} initiative(s), {counts[1]} funding(s), {counts[2]} partnership(s))")
    if failed:
        say(f"{len(failed)} file(s) could not be drafted:")
        for message in failed:
            say(f"  {message}")
        return 1
    return 0
