"""The `maillage` Typer app, its global options and the helpers its command modules share."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from maillage.config import Settings
from maillage.model import DEFAULT_BASE

app = typer.Typer(help="maillage: a knowledge graph of social-inclusion and solidarity-economy initiatives in France.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
# Piped output keeps full-width tables (rich assumes 80 columns when not on a terminal).
_WIDTH = None if sys.stdout.isatty() else 200
out = Console(soft_wrap=True, width=_WIDTH)
err = Console(stderr=True, soft_wrap=True, width=None if sys.stderr.isatty() else 200)


@app.callback()
def main(ctx: typer.Context,
         data: Optional[Path] = typer.Option(None, "--data", help="Folder of curated YAML records [env MAILLAGE_DATA; default: the bundled data/]"),
         store: Optional[Path] = typer.Option(None, "--store", help="Folder of the built graph [env MAILLAGE_STORE; default .maillage/store]"),
         base: Optional[str] = typer.Option(None, "--base", help=f"Base of minted URIs [env MAILLAGE_BASE; default {DEFAULT_BASE}]")) -> None:
    settings = Settings()
    if data:
        settings.data_dir = data
    if store:
        settings.store_dir = store
    if base:
        settings.base = base if base.endswith(("/", "#")) else base + "/"
    ctx.obj = settings


def fail(message: str, code: int = 1) -> None:
    err.print(message, markup=False, highlight=False)
    raise typer.Exit(code)


def read_input(name: str | Path, what: str, limit: int) -> str:
    """The UTF-8 text of a file the user names (``-``: standard input), or a message and exit 2:
    a folder, a link loop, a pipe or a device, a file over ``limit`` bytes or not UTF-8 are
    refused before they are read whole (they gave tracebacks)."""
    from maillage.loaders.records import read_text_file

    if str(name) == "-":
        raw = sys.stdin.buffer.read(limit + 1)
        if len(raw) > limit:
            fail(f"standard input: more than the limit of {limit:,} bytes", 2)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            fail(f"standard input: not UTF-8 text ({exc.reason} at byte {exc.start})", 2)
    text, why = read_text_file(Path(name), str(name), limit, what=what)
    if text is None:
        fail(f"{name}: {why}", 2)
    return text


def output_file(path: Path) -> Path:
    """A file the user asks to write: refused with a message if it names a folder."""
    if path.is_dir():
        fail(f"{path}: is a folder; give the name of a file to write", 2)
    return path


def guard_os_errors(command):
    """Wrap a command so that an operating system error (a missing or unreadable file, a folder
    where a file was expected, a full disk, a refused connection) ends in a message naming what
    failed and exit code 1, never a traceback: the last net under every command."""
    import functools

    @functools.wraps(command)
    def guarded(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:   # `maillage query … | head`: the reader left, nothing to say
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            fail(f"error: {where}{exc.strerror or exc}", 1)

    return guarded


def guard_every_command(typer_app: typer.Typer) -> None:
    for info in typer_app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "__wrapped__", None):
            info.callback = guard_os_errors(info.callback)


def run_build(settings: Settings, quiet: bool = False, force: bool = False):
    from maillage.build import ShapesViolated, build
    from maillage.loaders.records import RecordsInvalid
    from maillage.updates import ReplayFailed

    try:
        with err.status("building…") as status:
            report = build(settings, progress=lambda msg: status.update(msg), force=force)
    except RecordsInvalid as exc:
        for e in exc.errors:
            err.print(str(e), markup=False, highlight=False)
        fail(f"build stopped: {len(exc.errors)} error(s) in the records; the previous graph is unchanged.")
    except ShapesViolated as exc:
        fail(f"{exc}\nbuild stopped; the previous graph is unchanged.")
    except ReplayFailed as exc:
        fail(f"build stopped: {exc}; the previous graph is unchanged.")
    except OSError as exc:  # a full disk (ENOSPC), a read-only or vanished folder: a message, not a traceback
        fail(f"build stopped: cannot write the graph in {settings.store_dir}: {exc.strerror or exc}; "
             "the previous graph is unchanged.")
    if report.up_to_date:
        err.print(f"maillage build: up to date ({report.triples} triples in {settings.store_dir}; no input changed, "
                  "nothing rebuilt — --force rebuilds anyway)")
        return report
    if not quiet:
        from rich.table import Table

        title = f"maillage build: {report.triples} triples in {report.seconds:.2f} s → {settings.store_dir}"
        if report.changed:
            title += f"\nchanged: {', '.join(report.changed[:6])}{' …' if len(report.changed) > 6 else ''}"
        if report.incremental:
            names = [g.rstrip("/").rsplit("/", 1)[-1] for g in report.graphs_replaced]
            title += f"\nreplaced {len(names)} named graph(s), kept the others: {', '.join(names[:6])}{' …' if len(names) > 6 else ''}"
        table = Table(title=title)
        for col in ("document", "triples", "initiatives", "organisations", "fundings", "with amount", "participations"):
            table.add_column(col, justify="left" if col == "document" else "right")
        for d in report.documents:
            table.add_row(d.file, str(d.triples), str(d.initiatives), str(d.organisations), str(d.fundings),
                          str(d.fundings_with_amount), str(d.participations))
        err.print(table)
    return report


def open_graph(settings: Settings, backend: str = "oxigraph", french: bool = False):
    """The built graph, or a message and exit 1 (in French for the commands that speak it)."""
    from maillage.store import StoreMissing, open_store

    try:
        return open_store(settings.store_dir, backend)
    except StoreMissing as exc:
        fail(f"erreur : pas de graphe dans {settings.store_dir} : lancez d'abord `maillage build`" if french else str(exc))
    except ValueError as exc:  # an unknown --backend
        fail(f"error: {exc}", 2)
    except OSError as exc:     # a folder with a build stamp but no readable store in it
        fail(f"cannot open the graph at {settings.store_dir}: {exc.strerror or exc}; "
             "run `maillage build --force` to write it again")


def parse_params(values: list[str]) -> dict[str, str]:
    params = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"--param {item!r}: write key=value (e.g. --param funder=\"Fondation Macif\")", 2)
        params[key.strip()] = value
    return params
