"""The curated records against the documents they come from: every span is real, every amount
is in its passage. These tests read the corpus (MAILLAGE_CORPUS)."""

from __future__ import annotations

import re
import unicodedata

import pytest

from maillage.build import read_records
from maillage.config import Settings

pytestmark = pytest.mark.corpus


def _flat(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[\s\u00a0\u202f]+", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


@pytest.fixture(scope="module")
def record_files(data_dir):
    return read_records(Settings(data_dir=data_dir)).documents


def _facts(records):
    r = records
    for kind in ("organisations", "initiatives", "participations", "memberships", "programmes", "fundings", "territories"):
        for i, fact in enumerate(getattr(r, kind)):
            yield f"{kind}[{i}]", fact
    for i, ini in enumerate(r.initiatives):
        for j, fig in enumerate(ini.figures):
            yield f"initiatives[{i}].figures[{j}]", fig


def test_every_document_named_by_records_is_in_the_corpus(record_files, corpus_dir):
    for f in record_files:
        assert (corpus_dir / f.doc_file).is_file(), f.doc_file


def test_every_span_lies_inside_its_document(record_files, corpus_dir):
    for f in record_files:
        length = len((corpus_dir / f.doc_file).read_text(encoding="utf-8"))
        for where, fact in _facts(f.records):
            for start, end in fact.source or []:
                assert end <= length, f"{f.display} {where}: span [{start}, {end}] beyond {length} characters"


def _amount_forms(amount: float) -> list[str]:
    forms = [str(int(amount))] if float(amount).is_integer() else [f"{amount:.2f}".replace(".", ",")]
    if amount >= 1_000_000:
        forms.append(f"{amount / 1_000_000:g}".replace(".", ","))
    if amount >= 1_000 and float(amount / 1000).is_integer():
        forms.append(f"{int(amount / 1000)}k")
    return forms


def test_every_funding_amount_is_written_in_its_passage(record_files, corpus_dir):
    checked = 0
    for f in record_files:
        text = (corpus_dir / f.doc_file).read_text(encoding="utf-8")
        for i, fu in enumerate(f.records.fundings):
            if fu.amount_eur is None:
                continue
            passage = _flat(" ".join(text[s:e] for s, e in fu.source))
            assert any(form in passage for form in _amount_forms(fu.amount_eur)), (
                f"{f.display}:{f.line('fundings', i)}: {fu.amount_eur} not found in its source passage")
            checked += 1
    assert checked >= 5


def test_every_funder_is_named_in_or_near_its_passage(record_files, corpus_dir, data_dir):
    rs = read_records(Settings(data_dir=data_dir))
    programmes = {p.id: p.name for f in rs.files for p in f.records.programmes}
    for f in record_files:
        text = (corpus_dir / f.doc_file).read_text(encoding="utf-8")
        for i, fu in enumerate(f.records.fundings):
            window = _flat(" ".join(text[max(0, s - 300):e + 300] for s, e in fu.source))
            for funder in fu.funder:
                org = rs.organisations[funder]
                names = [org.name, *org.aliases]
                if fu.programme:  # e.g. a State programme named instead of the State itself
                    names.append(programmes[fu.programme])
                words = {w for n in names for w in re.findall(r"\w{4,}", _flat_words(n))}
                assert any(_flat(n) in window for n in names) or any(w in window for w in words), (
                    f"{f.display}:{f.line('fundings', i)}: funder {funder!r} not named near its passage")


def _flat_words(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()
