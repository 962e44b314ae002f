"""`maillage search` on a store written before the search index existed (or whose index is
stale) built the index in memory without a word: on a big graph the command sat silent for as
long as that took. It now says that it builds it, how to write it once for all, and the time."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from maillage.cli import app
from maillage.search import INDEX_FILE


def test_search_says_it_builds_a_missing_index(built, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(built.store_dir, store, symlinks=False)
    (store / INDEX_FILE).unlink()
    r = CliRunner().invoke(app, ["--store", str(store), "search", "pôle emploi", "-f", "csv"])
    assert r.exit_code == 0, r.output
    assert "France Travail" in r.stdout
    assert "index de recherche absent ou périmé" in r.stderr and "construit en" in r.stderr, r.stderr


def test_search_with_its_index_says_nothing_more(built):
    r = CliRunner().invoke(app, ["--store", str(built.store_dir), "search", "pôle emploi", "-f", "csv"])
    assert r.exit_code == 0 and "index de recherche" not in r.stderr
