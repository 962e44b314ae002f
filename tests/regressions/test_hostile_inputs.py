"""Issue 14 item 2: every input path ends in a message. A corpus of hostile files, made here, is
walked through every command that reads a user's file (build, check, add, load scdl, load
data-inclusion, extract): each ends with a non-zero exit, a message naming the file, and no
traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from maillage.cli import app
from maillage.config import REPO_ROOT
from maillage.loaders.sources.data_inclusion import read_structures
from maillage.loaders.sources.scdl import read_grants
from maillage.loaders.sources.tabular import FileInvalid

HEADER = "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;objet;montant\n"
ROW = "Ville;21750001600019;2023-01-01;Asso;Aide;1500\n"


def _bomb() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i, name in enumerate("bcdefghi"):
        text += f"{name}: &{name} [" + ",".join([f"*{'abcdefghi'[i]}"] * 9) + "]\n"
    return text


RECORDS = {  # name -> bytes (None: made by a function below)
    "yaml-bomb.yaml": _bomb().encode(),
    "deep.yaml": b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "bad-date.yaml": b"document: {file: bad-date.txt, title: T}\ninitiatives:\n  - id: x\n    name: X\n    start: 2023-13-45\n    source: [0, 1]\n",
    "inf-amount.yaml": b"document: {file: inf-amount.txt, title: T}\nfundings:\n  - funder: etat\n    recipient: etat\n    amount_eur: .inf\n    source: [0, 1]\n",
    "latin1.yaml": "document: {file: latin1.txt, title: Re\u00e9l}\n".encode("latin-1"),
    "binary.yaml": bytes(range(256)) * 4,
    "folder.yaml": None,
    "loop.yaml": None,
    "pipe.yaml": None,
}
CSV = {
    "latin1-0x81.csv": (HEADER + "Ville;21750001600019;2023-01-01;Cr\u00e9che;Aide;1500\n").encode("latin-1") + b"\x81\x8d\n",
    "binary.csv": b"\x00\x01\x02PK\x03\x04" * 2000,
    "unclosed-quote.csv": (HEADER + 'Ville;21750001600019;2023-01-01;"Asso;Aide;1500\n' + ROW * 3).encode(),
    "huge-field.csv": (HEADER + "Ville;21750001600019;2023-01-01;" + '"' + "x" * 200_000 + '"' + ";Aide;1500\n").encode(),
    "montant-400-digits.csv": (HEADER + "Ville;21750001600019;2023-01-01;Asso;Aide;" + "9" * 400 + "\n").encode(),
    "date-0001.csv": (HEADER + "Ville;21750001600019;0001-01-01;Asso;Aide;1500\n").encode(),
}
JSONS = {
    "not-objects.json": json.dumps({"structures": [1, "two", [3], None]}).encode(),
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "latin1.json": json.dumps([{"id": "1", "nom": "Cr\u00e9che"}], ensure_ascii=False).encode("latin-1"),
    "scalar.json": b"42",
    "truncated.json": b'{"structures": [{"id": "1", "nom": "A"',
}
TEXTS = {
    "binary.txt": bytes(range(256)) * 40,
    "latin1.txt": "Le d\u00e9partement a financ\u00e9 l'association \u00e0 hauteur de 1 000 \u20ac.".encode("cp1252") + b"\x81",
    "folder.txt": None,
}


def make(folder: Path, name: str, data: bytes | None) -> Path:
    path = folder / name
    if data is not None:
        path.write_bytes(data)
    elif name.startswith("folder"):
        path.mkdir()
    elif name.startswith("loop"):
        path.symlink_to(path)
    elif name.startswith("pipe"):
        os.mkfifo(path)
    return path


def assert_refused(result, name: str) -> None:
    shown = (result.stdout or "") + (result.stderr or "")
    assert result.exit_code != 0, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in shown
    assert name in shown, shown


@pytest.fixture
def common(tmp_path):
    return (REPO_ROOT / "data" / "common.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_hostile_records_file_through_build_check_and_add(tmp_path, common, name):
    data = tmp_path / "data"
    data.mkdir()
    (data / "common.yaml").write_text(common, encoding="utf-8")
    make(data, name, RECORDS[name])
    runner = CliRunner()
    base = ["--data", str(data), "--store", str(tmp_path / "store")]
    for command in (["build"], ["check"]):
        assert_refused(runner.invoke(app, [*base, *command]), name)
    assert not (tmp_path / "store").exists()
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    draft = make(drafts, name, RECORDS[name])
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "common.yaml").write_text(common, encoding="utf-8")
    assert_refused(runner.invoke(app, ["--data", str(clean), "add", str(draft)]), name)
    assert sorted(p.name for p in clean.iterdir()) == ["common.yaml"]


@pytest.mark.parametrize("kind,name", [("scdl", n) for n in sorted(CSV)] + [("data-inclusion", n) for n in sorted(JSONS)]
                         + [("data-inclusion", "latin1-0x81.csv"), ("data-inclusion", "binary.csv")])
def test_hostile_file_through_load(tmp_path, kind, name):
    path = make(tmp_path, name, {**CSV, **JSONS}[name])
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "store"), "load", kind, str(path)])
    assert_refused(result, name)
    assert not (tmp_path / "store-sources").exists() or not any((tmp_path / "store-sources").glob("*.json"))


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_hostile_document_through_extract(tmp_path, name):
    path = make(tmp_path, name, TEXTS[name])
    result = CliRunner().invoke(app, ["extract", "--no-link", str(path)])
    shown = (result.stdout or "") + (result.stderr or "")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in shown
    if name != "latin1.txt":  # a cp1252 text may be read (extract-readers' call); it must not crash
        assert result.exit_code != 0 and name in shown, shown


# ---------------------------------------------------------------- the readers' messages, precisely

def test_latin1_csv_with_a_byte_cp1252_lacks_is_read_with_its_detected_encoding(tmp_path):
    path = make(tmp_path, "ok-latin1.csv", (HEADER + "Ville;21750001600019;2023-01-01;Cr\u00e8che \u00e9t\u00e9;Aide;1500\n").encode("latin-1"))
    grants, errors, _ = read_grants(path)
    assert not errors and grants[0].beneficiary_name == "Cr\u00e8che \u00e9t\u00e9"


def test_unclosed_quote_names_the_line(tmp_path):
    path = make(tmp_path, "q.csv", CSV["unclosed-quote.csv"])
    with pytest.raises(FileInvalid) as info:
        read_grants(path)
    assert str(info.value.errors[0]).startswith(f"{path}:2: (csv): malformed CSV")


def test_data_inclusion_items_that_are_not_objects_get_their_json_pointer(tmp_path):
    path = make(tmp_path, "n.json", json.dumps({"structures": [{"id": "1"}, 2]}, indent=1).encode())
    _, errors, _ = read_structures(path)
    assert any(e.column == "/structures/1" and "is a number, not an object" in e.message for e in errors)


@pytest.mark.parametrize("name", ["deep.json", "latin1.json"])
def test_data_inclusion_deep_or_latin1_json_is_refused_with_a_message(tmp_path, name):
    path = make(tmp_path, name, JSONS[name])
    with pytest.raises(FileInvalid) as info:
        read_structures(path)
    assert str(info.value.errors[0]).startswith(f"{path}:1: (json):")


def test_full_disk_during_build_or_load_ends_in_a_message(tmp_path, common, monkeypatch):
    import errno

    import maillage.build as build_module

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    data = tmp_path / "data"
    data.mkdir()
    (data / "common.yaml").write_text(common, encoding="utf-8")
    monkeypatch.setattr(build_module, "write_store", full)
    runner = CliRunner()
    base = ["--data", str(data), "--store", str(tmp_path / "store")]
    result = runner.invoke(app, [*base, "build"])
    shown = result.stdout + result.stderr
    assert result.exit_code == 1 and "No space left on device" in shown and "previous graph is unchanged" in shown
    path = tmp_path / "g.csv"
    path.write_bytes((HEADER + ROW).encode())
    result = runner.invoke(app, [*base, "load", "scdl", str(path)])
    shown = result.stdout + result.stderr
    assert result.exit_code == 1 and "No space left on device" in shown and "Traceback" not in shown


def test_data_inclusion_impossible_update_date_is_a_bad_row(tmp_path):
    rows = [{"id": "1", "nom": "A", "date_maj": "2023-13-45"}, {"id": "2", "nom": "B", "date_maj": "2024-03-01T10:00:00Z"}]
    path = make(tmp_path, "d.json", json.dumps(rows, indent=1).encode())
    structures, errors, _ = read_structures(path)
    assert [s.id for s in structures] == ["2"] and errors[0].column == "date_maj"
