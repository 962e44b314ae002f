"""The gold files of the real-document evaluation set (tests/fixtures/real/<folder>, see its
README.md): every folder is a `--set real-<folder>`, every gold loads through the scorer's own
loader, every funder or partner can be matched by a surface form of its text, and the README's
counts table is what the gold files hold.

These tests read the texts and the gold files; they never run the extractor (the blind folders
are measured once, by `maillage eval-extract`, and by no test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from maillage.extract.evaluate import FIXTURES, SETS, gold_documents, gold_from_yaml, set_folders

REAL = FIXTURES / "real"
FOLDERS = sorted(p for p in REAL.iterdir() if p.is_dir())
GOLDS = sorted(g for folder in FOLDERS for g in folder.glob("*.gold.yaml"))
KINDS = {"press", "experience", "foundation", "network-fiche", "collectivite", "pdf"}


def _text(gold: Path) -> tuple[str, str]:
    """(the SOURCE url, the text after the SOURCE line) of a gold's document."""
    doc = gold.with_name(gold.name.removesuffix(".gold.yaml") + ".txt")
    assert doc.is_file(), f"{gold}: no document {doc.name} beside it"
    first, _, rest = doc.read_text(encoding="utf-8").partition("\n")
    assert first.startswith("SOURCE: "), f"{doc}:1: the first line is not 'SOURCE: <url>'"
    return first.removeprefix("SOURCE: ").strip(), rest


def test_every_real_folder_is_a_set_of_eval_extract():
    assert {"dev", "blind"} <= {f.name for f in FOLDERS}
    for folder in FOLDERS:
        assert f"real-{folder.name}" in SETS, folder
        assert set_folders(f"real-{folder.name}") == [folder]
        assert [d for d, _ in gold_documents([folder])] == sorted(folder.glob("*.txt"))


def test_a_real_set_without_documents_is_refused_before_any_extraction(tmp_path):
    assert set_folders("real-blind2", tmp_path) == [tmp_path / "real" / "blind2"]
    assert gold_documents(set_folders("real-blind2", tmp_path)) == []
    from maillage.cli import app

    result = CliRunner().invoke(app, ["eval-extract", "--set", "real-blind2", "--doc", "no-such-document"])
    assert result.exit_code == 2, result.output
    assert "no annotated document" in result.output and "blind2" in result.output


@pytest.mark.parametrize("gold", GOLDS, ids=lambda g: f"{g.parent.name}/{g.name}")
def test_a_real_gold_loads_and_names_what_its_text_says(gold):
    data = yaml.safe_load(gold.read_text(encoding="utf-8"))
    url, text = _text(gold)
    assert data["url"] == url, f"{gold}: url is not the SOURCE line"
    assert data["kind"] in KINDS, f"{gold}: kind {data['kind']!r}"
    assert data["initiatives"], f"{gold}: no initiative"
    for f in data.get("funders") or []:
        assert f.get("name"), f"{gold}: a funder without a name"
        assert f.get("amount_eur") is None or (isinstance(f["amount_eur"], (int, float)) and f["amount_eur"] > 0), f"{gold}: {f}"
        assert f.get("joint", False) in (True, False), f"{gold}: {f}"
    for p in data.get("partners") or []:
        assert p.get("name"), f"{gold}: a partner without a name"
    g = gold_from_yaml(data)
    assert len(g.funders) == len({f["name"] for f in data.get("funders") or []})
    assert len(g.partners) == len(data.get("partners") or [])
    lower = text.lower()
    for item in [*g.funders, *g.partners]:
        assert any(n.lower() in lower for n in item.names), f"{gold}: neither {item.names} occurs in the text"


def test_no_real_document_is_in_two_folders():
    seen: dict[str, Path] = {}
    for gold in GOLDS:
        url, _ = _text(gold)
        assert url not in seen, f"{gold} and {seen.get(url)} have the same SOURCE {url}"
        seen[url] = gold


def test_the_readme_counts_table_matches_the_gold_files():
    """tests/fixtures/real/README.md, section Counts: one row per folder, counted as it says."""
    row = re.compile(r"^\| (\w+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", re.M)
    rows = {m[0]: [int(x) for x in m[1:]] for m in row.findall((REAL / "README.md").read_text(encoding="utf-8"))}
    for folder in FOLDERS:
        golds = [yaml.safe_load(g.read_text(encoding="utf-8")) for g in sorted(folder.glob("*.gold.yaml"))]
        funders = [f for d in golds for f in d.get("funders") or []]
        counted = [len(golds), sum(len(d.get("initiatives") or []) for d in golds),
                   sum(len(d.get("pilots") or []) for d in golds), len(funders),
                   sum(f.get("amount_eur") is not None for f in funders), sum(bool(f.get("joint")) for f in funders),
                   sum(len(d.get("partners") or []) for d in golds)]
        assert rows.get(folder.name) == counted, f"README.md Counts row for {folder.name}: {rows.get(folder.name)} != {counted}"


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower().replace("’", "'")).strip()


def test_a_later_blind_set_does_not_repeat_an_initiative_of_the_earlier_folders():
    """blind2/ to blind8/ were built from new pages: none of their initiatives is one
    already annotated in a folder built before them (dev/, blind/, then blind2/, blind3/, blind4/, blind5/, blind6/, blind7/)."""
    order = ["dev", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8"]
    seen: dict[str, str] = {}
    for name in order:
        folder = REAL / name
        if not folder.is_dir():
            continue
        mine = {_norm(i): name for g in sorted(folder.glob("*.gold.yaml"))
                for i in yaml.safe_load(g.read_text(encoding="utf-8"))["initiatives"]}
        if name in ("blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8"):
            repeated = sorted(set(mine) & set(seen))
            assert not repeated, f"{name}/ repeats initiatives of {[seen[r] for r in repeated]}: {repeated}"
        seen.update({k: v for k, v in mine.items() if k not in seen})


def test_blind3_is_registered_but_no_test_extracts_it():
    assert "real-blind3" in SETS and set_folders("real-blind3") == [REAL / "blind3"]
    assert len(list((REAL / "blind3").glob("*.gold.yaml"))) >= 10


def test_blind4_is_registered_but_no_test_extracts_it():
    assert "real-blind4" in SETS and set_folders("real-blind4") == [REAL / "blind4"]


def test_blind5_is_registered_but_no_test_extracts_it():
    assert "real-blind5" in SETS and set_folders("real-blind5") == [REAL / "blind5"]


def test_blind6_is_registered_but_no_test_extracts_it():
    assert "real-blind6" in SETS and set_folders("real-blind6") == [REAL / "blind6"]


def test_blind7_is_registered_but_no_test_extracts_it():
    assert "real-blind7" in SETS and set_folders("real-blind7") == [REAL / "blind7"]


def test_blind8_is_registered_but_no_test_extracts_it():
    assert "real-blind8" in SETS and set_folders("real-blind8") == [REAL / "blind8"]
