"""The README's examples run: every `$ maillage …` line of its text blocks is run against the
bundled data (the blocks in order, a block's commands in order, on a scratch store), and where the
README shows a CSV header under a command, the command prints exactly that header. The CSV
contracts it states in words ("has the columns `…`") are checked the same way."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from maillage.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```text\n(.*?)^```", re.S | re.M)

# Commands the README shows but this test cannot run here, with why.
NOT_RUN = {
    "serve": "starts a server (tests/test_server.py runs it)",
    "extract": "reads a document the README does not ship (new-fiche.txt)",
    "add": "adds the draft of the extract example",
    "coverage": "needs the corpus (tests/test_corpus_crossdoc.py runs it)",
    "push": "needs a SPARQL store to push to",
}


def examples() -> list[list[tuple[str, str | None]]]:
    """Per text block, its `$ maillage …` commands, each with the line the README prints under it."""
    blocks = []
    for block in BLOCK.findall(README):
        lines = block.splitlines()
        cmds = [(line[2:], lines[i + 1] if i + 1 < len(lines) and not lines[i + 1].startswith("$") else None)
                for i, line in enumerate(lines) if line.startswith("$ maillage ")]
        if cmds:
            blocks.append(cmds)
    return blocks


def argv(command: str) -> list[str] | None:
    """The arguments of a README command line (comments and `| head` dropped); None: not run here."""
    command = command.split(" | ")[0]
    args = shlex.split(command, comments=True)[1:]
    if "…" in command or "--endpoint" in args or args[0] in NOT_RUN:
        return None
    return args


def is_csv(args: list[str]) -> bool:
    return any(a in ("--format", "-f") and i + 1 < len(args) and args[i + 1] == "csv" for i, a in enumerate(args))


def test_the_readme_has_examples():
    assert sum(len(b) for b in examples()) >= 10


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("readme") / "store"
    r = CliRunner().invoke(app, ["--store", str(store), "build"])
    assert r.exit_code == 0, r.output
    return store


# blocks with at least one command this test runs (the others are only a server, an endpoint or the extractor)
RUNNABLE = [b for b in examples() if any(argv(c) is not None for c, _ in b)]


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: b[0][0][:60])
def test_readme_block_runs_and_prints_the_headers_it_shows(block, tmp_path, monkeypatch, base_store):
    import shutil

    monkeypatch.chdir(ROOT)  # the examples name files relative to the checkout
    store = tmp_path / "store"
    shutil.copytree(base_store, store)
    runner = CliRunner()
    for command, shown in block:
        args = argv(command)
        if args is None:
            continue
        result = runner.invoke(app, ["--store", str(store), *args])
        assert result.exit_code == 0, f"README: $ {command}\n{result.output}"
        if is_csv(args) and shown and "," in shown:
            assert result.stdout.splitlines()[0] == shown, f"README: $ {command}: the header it shows is not the one printed"


def stated_contracts() -> list[tuple[str, list[str]]]:
    """`NAME --format csv` has the columns `a,b,c` (and `NAME --format\\ncsv` the columns …)."""
    found = re.findall(r"`([\w-]+) --format\s+csv` (?:has )?the columns\s+`([\w,]+)`", README)
    return [(name, cols.split(",")) for name, cols in found]


def test_the_readme_states_csv_contracts():
    assert {name for name, _ in stated_contracts()} >= {"who-funds-what", "partnerships"}


@pytest.mark.parametrize("name, columns", stated_contracts())
def test_stated_csv_contract_is_the_real_header(name, columns, base_store):
    result = CliRunner().invoke(app, ["--store", str(base_store), "query", name, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split(",") == columns


def test_every_picture_the_readme_shows_is_in_docs_and_every_picture_in_docs_is_shown():
    """The README's screenshots are files of docs/ (written by the browser tests with
    MAILLAGE_SCREENSHOT_DIR=docs, or scripts/screenshot); a picture no longer shown is removed."""
    shown = set(re.findall(r"!\[[^\]]*\]\((docs/[^)\s]+\.png)\)", README))
    assert shown and all((ROOT / path).is_file() for path in shown), sorted(p for p in shown if not (ROOT / p).is_file())
    pictures = {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.png")}
    assert pictures - shown == set(), "pictures in docs/ the README does not show"
