"""The Virtuoso column of the bench: a real Virtuoso (scripts/virtuoso) loaded from the synthetic
N-Quads answers every canned query of the bench plan with the rows Oxigraph gives for the same
file, by either load path; the column emits one figure per step, null for a failed query, and
says why when it cannot run."""

from __future__ import annotations

import shutil
import socket

import pytest

from benchmarks import virtuoso as bv, workload
from maillage import query as queries
from maillage.store import OxigraphStore, aggregates
from maillage.store.remote import RemoteStore

from conftest import canonical_rows, require


def _require_virtuoso():
    require(shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None,
            "Virtuoso is not installed: run scripts/virtuoso install (Debian's virtuoso-opensource)")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    nq = folder / "graph.nq"
    names = workload.synthetic_nquads(20000, nq)
    return nq, names


@pytest.fixture(scope="module")
def local(synthetic):
    nq, _ = synthetic
    return OxigraphStore.in_memory(nq.read_bytes())


@pytest.mark.parametrize("loader", bv.LOADERS)
def test_every_bench_query_gives_oxigraphs_rows_on_virtuoso(synthetic, local, tmp_path, loader):
    _require_virtuoso()
    nq, names = synthetic
    with bv.running_virtuoso(tmp_path) as server:
        seconds = bv.load(server, nq, loader)
        assert seconds > 0
        remote = RemoteStore(server.endpoint, timeout=180)
        facts = sum(1 for q in local.quads() if q.graph_name.value != aggregates.graph_iri())  # not what the store writes
        assert remote.select(bv.COUNT_MAILLAGE_QUADS).rows[0]["n"] == facts == names["quads"]
        for name, params in workload.plan(names):
            # Virtuoso holds the file only: it is asked what the bench asks it (the aggregated
            # questions computed from the facts), Oxigraph the canned question (read from its aggregates)
            there = queries.run(remote, workload.question(name), params)
            here = queries.run(local, name, params)
            assert there.variables == here.variables, name
            assert canonical_rows(there) == canonical_rows(here), name
            assert here.rows, f"{name} is empty: the check would prove little"
    assert not any(tmp_path.iterdir()), "the database was not removed"


def test_the_column_emits_the_load_and_every_query_once(synthetic, tmp_path):
    _require_virtuoso()
    nq, names = synthetic
    emitted = []
    note = bv.virtuoso_column(nq, names, 2, lambda step, s: emitted.append((step, s)), workdir=tmp_path)
    assert note is None
    assert [step for step, _ in emitted] == ["load"] + [f"query:{name}" for name, _ in workload.plan(names)]
    assert all(isinstance(s, float) and s > 0 for _, s in emitted)
    assert not any(tmp_path.iterdir())


def test_a_failed_query_is_a_null_figure_and_a_note(synthetic, tmp_path, monkeypatch):
    _require_virtuoso()
    nq, names = synthetic
    monkeypatch.setattr(workload, "plan", lambda names: [("funded-by", {"funder": names["funder"]}),
                                                      ("who-funds-what", {"territory": "Nowhere-sur-Rien"})])
    emitted = []
    note = bv.virtuoso_column(nq, names, 1, lambda step, s: emitted.append((step, s)), workdir=tmp_path)
    assert [step for step, _ in emitted] == ["load", "query:funded-by", "query:who-funds-what"]
    assert emitted[1][1] > 0 and emitted[2][1] is None
    assert note.startswith("who-funds-what: ") and "Nowhere-sur-Rien" in note
    assert "funded-by" not in note


def test_a_bad_nquads_file_fails_the_load_with_virtuosos_reason(tmp_path):
    _require_virtuoso()
    nq = tmp_path / "bad.nq"
    nq.write_text('<urn:s> <urn:p> "unterminated <urn:g> .\n', encoding="utf-8")
    emitted = []
    note = bv.virtuoso_column(nq, {}, 1, lambda step, s: emitted.append((step, s)), workdir=tmp_path / "work")
    assert emitted == [("load", None)]
    assert note.startswith("Virtuoso's load (bulk) failed: ")


def test_not_installed_is_a_reason_and_emits_nothing(synthetic, tmp_path, monkeypatch):
    nq, names = synthetic
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda cmd, *a, **k: None if cmd == "virtuoso-t" else real(cmd, *a, **k))
    emitted = []
    note = bv.virtuoso_column(nq, names, 1, lambda step, s: emitted.append((step, s)), workdir=tmp_path)
    assert note == bv.NOT_INSTALLED == "Virtuoso is not installed (scripts/virtuoso install)"
    assert emitted == [] and not any(tmp_path.iterdir())


def test_a_virtuoso_that_cannot_start_gives_its_logs_last_line(synthetic, tmp_path, monkeypatch):
    _require_virtuoso()
    nq, names = synthetic
    with socket.socket() as taken:  # bound, not listening: Virtuoso cannot bind it, nothing answers on it
        taken.bind(("127.0.0.1", 0))
        monkeypatch.setattr(bv, "_free_port", lambda: taken.getsockname()[1])
        emitted = []
        note = bv.virtuoso_column(nq, names, 1, lambda step, s: emitted.append((step, s)), workdir=tmp_path)
    assert emitted == []
    assert note.startswith("Virtuoso did not start: ") and "listening" in note, note
    assert not any(tmp_path.iterdir())


def test_an_unknown_loader_is_refused(synthetic, tmp_path):
    nq, names = synthetic
    with pytest.raises(ValueError, match="loader"):
        bv.virtuoso_column(nq, names, 1, lambda *a: None, workdir=tmp_path, loader="scp")
