"""Issue 14 item 2, every command: a hostile input given to any `maillage` command ends in a message,
never a traceback (test_hostile_inputs.py walks the records, CSV, JSON and document corpus through
the commands that read them; this file covers the rest). What broke, found by walking them:

- `sparql FILE`: a binary or Latin-1 query file, a folder, a link loop, a missing file gave a
  traceback; a query nested 5,000 deep crashed the process (segmentation fault in the parser, and
  a server worker with it); SERVICE made the command fetch another endpoint, then a traceback;
- `span`: a binary document, a folder or a link loop gave a traceback;
- `export -o` / `viz -o` naming a folder: a traceback;
- `push --endpoint notaurl`: a traceback;
- `--store FILE build` replaced the user's file by a store, and a `--store` folder of other
  things would have been moved aside and deleted by the next build;
- a store folder whose build stamp is over no readable store: tracebacks in `serve`'s workers;
- `bench -n -5`: ran until killed.
A last net under every command turns an operating system error into a message (`guard_os_errors`);
`test_every_command_is_walked` fails when a command is added without hostile cases here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from maillage.cli import app
from maillage.config import REPO_ROOT

runner = CliRunner()


def make_files(folder: Path) -> dict[str, Path]:
    files = {
        "binary.rq": bytes(range(256)) * 4,
        "latin1.rq": 'SELECT * WHERE { ?s ?p "\u00e9" }'.encode("latin-1"),
        "deep-braces.rq": ("SELECT * WHERE " + "{" * 20_000 + "}" * 20_000).encode(),
        "deep-parens.rq": ("SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }").encode(),
        "huge.rq": b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 1_100_000,
        "service.rq": b"SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "binary.txt": bytes(range(256)) * 40,
        "file.txt": b"not a store\n",
    }
    out = {}
    for name, data in files.items():
        (folder / name).write_bytes(data)
        out[name] = folder / name
    (folder / "folder").mkdir()
    out["folder"] = folder / "folder"
    (folder / "loop").symlink_to(folder / "loop")
    out["loop"] = folder / "loop"
    os.mkfifo(folder / "pipe")
    out["pipe"] = folder / "pipe"
    out["missing"] = folder / "missing.rq"
    (folder / "notes").mkdir()
    (folder / "notes" / "keep.txt").write_text("mine\n")
    out["notes"] = folder / "notes"
    (folder / "stamp-only").mkdir()
    (folder / "stamp-only" / "maillage-build.json").write_text("{}")
    out["stamp-only"] = folder / "stamp-only"
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    return make_files(tmp_path_factory.mktemp("hostile"))


def invoke(args: list[str], input: bytes | None = None):
    result = runner.invoke(app, args, input=input)
    shown = (result.stdout or "") + (result.stderr or "")
    assert result.exception is None or isinstance(result.exception, SystemExit), f"{args}: {result.exception!r}\n{shown}"
    assert "Traceback" not in shown, shown
    return result, shown


def refused(args: list[str], needle: str, input: bytes | None = None) -> str:
    result, shown = invoke(args, input)
    assert result.exit_code in (1, 2), f"{args}: exit {result.exit_code}\n{shown}"
    assert needle in shown, f"{args}: {needle!r} not in\n{shown}"
    return shown


# ---------------------------------------------------------------- files the user names

@pytest.mark.parametrize("name,needle", [
    ("binary.rq", "not UTF-8 text"), ("latin1.rq", "not UTF-8 text"), ("folder", "is a folder"),
    ("loop", "Too many levels of symbolic links"), ("pipe", "not a regular file"), ("missing", "No such file"),
    ("huge.rq", "more than the limit of 1,000,000 bytes"), ("service.rq", "federated queries (SERVICE) are not run"),
])
def test_hostile_query_file_through_sparql(built, hostile, name, needle):
    shown = refused(["--store", str(built.store_dir), "sparql", str(hostile[name])], needle)
    assert str(hostile[name]) in shown


@pytest.mark.parametrize("name", ["deep-braces.rq", "deep-parens.rq"])
def test_deeply_nested_query_crashed_sparql(built, hostile, name):
    """In a process of its own: the crash this guards against is a segmentation fault."""
    r = subprocess.run([sys.executable, "-m", "maillage.cli", "--store", str(built.store_dir), "sparql", str(hostile[name])],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, (r.returncode, r.stderr[-500:])
    assert "nested more than 256 deep" in r.stderr and "Traceback" not in r.stderr


def test_binary_query_on_standard_input(built):
    refused(["--store", str(built.store_dir), "sparql", "-"], "standard input: not UTF-8 text", input=bytes(range(128, 256)))
    result, shown = invoke(["--store", str(built.store_dir), "sparql", "-"], input=b"ASK { ?s ?p ?o }")
    assert result.exit_code == 0 and "true" in shown


@pytest.mark.parametrize("name,needle", [
    ("binary.txt", "not UTF-8 text"), ("folder", "is a folder"), ("loop", "Too many levels of symbolic links"),
    ("pipe", "not a regular file"), ("missing", "No such file"),
])
def test_hostile_document_through_span(hostile, name, needle):
    refused(["span", str(hostile[name]), "passage"], needle)


@pytest.mark.parametrize("args", [["export", "-f", "ttl", "-o"], ["export", "-f", "graphml", "-o"], ["viz", "-o"]])
def test_output_path_that_is_a_folder(built, hostile, args):
    refused(["--store", str(built.store_dir), *args, str(hostile["folder"])], "is a folder; give the name of a file")
    assert list(hostile["folder"].iterdir()) == []


# ---------------------------------------------------------------- where the store is

@pytest.mark.parametrize("name,needle", [("file.txt", "is a file, not a store folder"),
                                         ("notes", "holds no maillage store")])
def test_store_path_over_a_file_or_a_folder_of_other_things(tmp_path, hostile, name, needle):
    data = tmp_path / "data"
    data.mkdir()
    (data / "common.yaml").write_text((REPO_ROOT / "data" / "common.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in ([hostile[name]] if hostile[name].is_file() else hostile[name].iterdir())}
    for command in ("build", "demo"):
        refused(["--data", str(data), "--store", str(hostile[name]), command], needle)
    after = {p.name: p.read_bytes() for p in ([hostile[name]] if hostile[name].is_file() else hostile[name].iterdir())}
    assert after == before and not hostile[name].is_symlink()
    assert not list(hostile[name].parent.glob(f"{hostile[name].name}.gen-*"))


STORE_READERS = [["query", "who-funds-what"], ["sparql", "-"], ["export", "-f", "nt"], ["search", "insertion"],
                 ["years"], ["network"], ["stats"], ["map", "-o", "{tmp}/carte.html"], ["similar", "Api Truck's"], ["viz", "-o", "{tmp}/v.html"], ["push", "--endpoint", "http://127.0.0.1:9/sparql"],
                 ["serve", "--port", "0"]]


@pytest.mark.parametrize("store", ["missing", "file.txt", "stamp-only"])
@pytest.mark.parametrize("args", STORE_READERS, ids=lambda a: a[0])
def test_commands_reading_a_store_that_is_not_one(tmp_path, hostile, store, args):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    _, shown = invoke(["--store", str(hostile[store]), *args], input=b"ASK {}")
    assert ("no graph at" in shown or "pas de graphe dans" in shown or "cannot open the graph at" in shown), shown


# ---------------------------------------------------------------- parameters and options

@pytest.mark.parametrize("args", [
    ["query", "partners-of", "-p", "organisation=\x00\x01"],
    ["query", "partners-of", "-p", "organisation=" + "a" * 100_000],
    ["query", "partners-of", "-p", "organisation=\"> } ; DROP ALL #"],
    ["query", "partners-of", "-p", "bogus=1"],
    ["query", "partners-of", "-p", "noequals"],
    ["query", "no-such-query"],
    ["search", "\x00"], ["search", "(" * 10_000], ["search", "*[(?"], ["search", "a" * 100_000],
    ["years", "--funder", "\x00"], ["years", "--territory", "dep:999"],
    ["map", "-o", "{folder}"], ["map", "--year", "abc", "-o", "{tmpfile}"], ["map", "--level", "bogus", "-o", "{tmpfile}"],
    ["map", "--theme", "\x00", "-o", "{tmpfile}"], ["map", "--explorer", "javascript:alert(1)", "-o", "{tmpfile}"],
    ["similar", "\x00"], ["similar", "a" * 100_000], ["similar", "no such initiative"], ["similar", "Api Truck's", "-n", "0"],
    ["similar", "http://example.org/not-an-initiative"],
    ["orgs", "--suspects"], ["network", "--top", "-5"], ["sources"], ["queries"],
    ["push", "--endpoint", "notaurl"], ["push", "--endpoint", "http://127.0.0.1:9/sparql", "--gsp", "ftp://x"],
    ["push", "--endpoint", "http://127.0.0.1:9/sparql"],
    ["bench-extract", "--batch", "-5"], ["bench", "-n", "-5"], ["bench", "--repeat", "0"], ["bench-load", "--rows", "0"],
    ["eval-extract", "--set", "bogus"], ["eval-extract", "--corpus", "{missing}"],
    ["coverage", "--corpus", "{missing}"], ["coverage", "--corpus", "{file}"],
    ["load", "scdl", "{folder}"], ["load", "data-inclusion", "{pipe}"], ["extract", "{loop}"], ["add", "{folder}"],
], ids=lambda a: " ".join(a)[:40])
def test_hostile_parameters_end_in_a_message(built, hostile, tmp_path, args):
    places = {"{missing}": "missing", "{file}": "file.txt", "{folder}": "folder", "{pipe}": "pipe", "{loop}": "loop"}
    args = [str(hostile[places[a]]) if a in places else a.replace("{tmpfile}", str(tmp_path / "out.html")) for a in args]
    store = tmp_path / "store" if args[0] in ("demo", "load") else built.store_dir
    result, shown = invoke(["--store", str(store), *args])
    assert result.exit_code in (0, 1, 2), shown
    if result.exit_code:
        assert shown.strip(), f"{args}: exit {result.exit_code} without a word"


def test_every_command_is_walked():
    """A new command must come with its hostile cases (here or in test_hostile_inputs.py)."""
    walked = {a[0] for a in STORE_READERS} | {"sparql", "span", "export", "viz", "build", "demo"}
    source = Path(__file__).read_text(encoding="utf-8") + (Path(__file__).parent / "test_hostile_inputs.py").read_text(encoding="utf-8")
    commands = set(typer.main.get_command(app).commands)
    missing = {c for c in commands if c not in walked and f'["{c}"' not in source and f'"{c}",' not in source}
    assert not missing, f"commands without a hostile case: {sorted(missing)}"


@pytest.mark.parametrize("name,needle", [("folder", "is a folder, not a draft"), ("loop", "Too many levels of symbolic links"),
                                         ("pipe", "not a regular file"), ("missing", "No such file")])
def test_add_called_a_folder_a_link_loop_or_a_pipe_no_such_file(hostile, name, needle):
    """`maillage add` said "no such file" of a folder, a link loop and a pipe alike."""
    refused(["add", str(hostile[name])], needle)
