"""The extractor in bounded time (issue 14 item 4): inputs that made a pattern backtrack
exponentially, a per-document budget of characters and seconds, and property tests that random
and adversarial 10 KB texts are drafted in bounded time. Time limits here are generous
wall-clock bounds against hangs (seconds where a hang was minutes), not speed targets."""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from maillage.extract.batch import draft_document, extract_path
from maillage.extract.budget import Budget, BudgetExceeded
from maillage.extract.pipeline import extract_text
from maillage.extract.prose import read_list
from maillage.extract.readers import read_bytes
from pdf_maker import make_pdf, one_column


class Hung(Exception):
    pass


@contextmanager
def at_most(seconds: float):
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""
    def expired(signum, frame):
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def draft(text: str, reader: str = "auto"):
    return extract_text(text, "hostile.txt", reader, link=False)


@pytest.fixture(scope="module", autouse=True)
def _model_loaded():
    draft("Le Département finance l'association.", "prose")   # load spaCy outside the timed blocks


def test_regression_list_reader_backtracked_exponentially_on_repeated_1_000():
    # 85 bytes of "1 000" repeated: the skipped-item pattern of the list reader (a repeated group
    # of determiners or digits, each followed by optional spaces) tried every split of the digits:
    # 8 repetitions 2.7 s, 10 repetitions 127 s on the shared machine; now a few milliseconds.
    for n in (10, 14, 17, 200):
        text = "1 000" * n
        with at_most(10):
            read_list(text, 0)
            draft(text, "prose")
            draft(text, "fiche")


def test_budget_seconds_stops_a_slow_document_with_a_message():
    budget = Budget(seconds=0.2)
    with pytest.raises(BudgetExceeded, match=r"doc\.txt: .*more than the budget of 0\.2 s"):
        with budget.clock("doc.txt"):
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < 5:
                pass


def test_budget_chars_refuses_a_long_text_with_a_message():
    with pytest.raises(BudgetExceeded, match=r"big\.txt: 3 000 001 characters"):
        Budget(max_chars=2_000_000).check_chars("big.txt", 3_000_001)


ADVERSARIAL = ["1 000", "1 000 ", " €", "€", "M€", " millions d'euros", ", ", " et ", "de la ", "du ", "des ",
               "Région ", "Conseil départemental ", "Fondation ", "(", ")", "[", "]", "« ", " »", "\n", "- ",
               "## ", "**", "Partenaires : ", "financé par ", "avec le soutien de ", "en partenariat avec ",
               "l'", "d'", "A", "é", ".", ";", ":", "|", "2023 : ", "0", "1", " ", "\u00a0", "-"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.sampled_from(ADVERSARIAL), min_size=1, max_size=60).map("".join), st.integers(1, 400))
def test_adversarial_10kb_texts_finish_in_bounded_time(unit, repeat):
    text = (unit * (10_000 // max(1, len(unit)) + 1))[:10_000] if repeat > 200 else (unit * repeat)[:10_000]
    with at_most(60):
        for reader in ("prose", "fiche"):
            draft(text, reader)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.text(min_size=1, max_size=10_000))
def test_random_10kb_texts_finish_in_bounded_time(text):
    with at_most(60):
        draft(text)


def read_and_draft(data: bytes, name: str = "hostile.txt", budget: Budget = Budget()):
    doc = read_bytes(data, name, Path(name).suffix, budget)
    return draft_document(doc, link=False, budget=budget)


def test_500_kb_of_brackets_finish():
    # spaCy's tokenizer is quadratic in one token's length (20,000 brackets: a minute); the reader
    # blanks runs of punctuation and cuts 200+ character "words" (offsets kept)
    for text in ("[" * 500_000, "(" * 250_000 + ")" * 250_000, "[a" * 250_000):
        with at_most(120):
            read_and_draft(text.encode())


def test_a_20_mb_single_line_is_refused_by_the_budget_at_once():
    with at_most(30), pytest.raises(BudgetExceeded, match=r"line\.txt: 20 000 000 characters of text, more than the budget of 12 000 000"):
        read_and_draft(b"a" * 20_000_000, "line.txt")


def test_a_20_mb_single_line_within_a_raised_budget_ends_in_bounded_time():
    budget = Budget(max_chars=0, seconds=5)
    with at_most(60):
        try:
            read_and_draft(("Le Département finance " * 900_000).encode(), "line.txt", budget)
        except BudgetExceeded as exc:
            assert "line.txt: drafting it took more than the budget of 5 s" in str(exc)


BAD = {
    "empty.txt": (b"", "the file is empty"),
    "blank.md": (b"  \n\n \t\n", "the file is empty"),
    "noise.txt": (bytes(range(256)) * 40, "a binary file"),
    "image.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "a binary file"),
    "nobody.html": (b"<!DOCTYPE html><html><head><title>Accueil</title></head><body></body></html>",
                    "an HTML page with no main text"),
    "menu.html": (b"<html><body><nav><a href='/'>Accueil</a> <a href='/c'>Contact</a></nav></body></html>",
                  "an HTML page with no main text"),
    "only-source.txt": (b"SOURCE: https://www.example.org/x\n\n", "only a header"),
    "broken.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF", "PDF"),
    "utf16-no-bom.txt": ("Le Département".encode("utf-16-le"), "a binary file"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_ends_in_one_message_naming_the_file(tmp_path, name):
    data, message = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    out = extract_path(path, link=False, name=str(path))
    assert not out.ok and out.error.startswith(f"{path}: ") and message in out.error, out.error


def test_scanned_pdf_without_text_layer(tmp_path):
    pdf = make_pdf(tmp_path / "scan.pdf", [None, None, None])
    out = extract_path(pdf, link=False, name="scan.pdf")
    assert out.error == "scan.pdf: a PDF of 3 page(s) with no text layer (a scanned document?); run OCR on it first"


def test_a_50_mb_pdf_is_refused_before_it_is_parsed(tmp_path):
    pdf = make_pdf(tmp_path / "gros.pdf", [one_column(["Le Département finance le chantier."])], padding=50_000_000)
    with at_most(20):
        out = extract_path(pdf, link=False, name="gros.pdf")
    assert out.error.startswith("gros.pdf: 50 000") and "more than the budget of 50 000 000 bytes" in out.error


def test_a_pdf_with_more_text_than_the_budget_stops_at_the_page_that_passes_it(tmp_path):
    page = one_column(["Le Département de la Vienne finance le chantier d'insertion du Val de Loire."] * 50)
    pdf = make_pdf(tmp_path / "long.pdf", [page] * 40)
    out = extract_path(pdf, link=False, name="long.pdf", budget=Budget(max_chars=20_000))
    assert out.error.startswith("long.pdf: more than 20 000 characters of text by page 6"), out.error


def test_unknown_encoding_is_refused_or_read_never_garbled_silently(tmp_path):
    f = tmp_path / "mac.txt"
    f.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 200)    # bytes Windows-1252 leaves undefined, nothing else
    out = extract_path(f, link=False, name="mac.txt")
    assert not out.ok and out.error.startswith("mac.txt: "), out.error


def test_folders_and_missing_files_are_named(tmp_path):
    assert extract_path(tmp_path, link=False, name="d").error == "d: a folder, not a file"
    assert extract_path(tmp_path / "nope.txt", link=False, name="nope.txt").error == "nope.txt: no such file"
