"""A source link whose span lies past the end of its document (`?char=99999999,999999999`) said
"Le texte du document n'est pas disponible sur ce serveur" on a server that has the document:
a journalist was told to look elsewhere for a passage that does not exist. A malformed span
(`?char=abc`, `?char=50,10`) was ignored without a word. Both are now said."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest

from maillage.server.launch import ServerProcess

DOC = "/id/document/002_35e265126090b055.txt"


@pytest.fixture(scope="module")
def http(built, corpus_dir):
    with ServerProcess(built.store_dir, "--timeout", "20", "--corpus", str(corpus_dir)) as srv:
        with httpx.Client(base_url=srv.url, timeout=60) as client:
            yield client


def passage_text(http, char: str) -> str:
    r = http.get(DOC, params={"char": char}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    section = r.text.split('id="passage-section"', 1)[1].split("</section>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", section)).split())


def test_a_span_past_the_end_says_so_with_the_documents_length(http, corpus_dir):
    length = len((corpus_dir / DOC.rsplit("/", 1)[1]).read_text(encoding="utf-8"))
    said = passage_text(http, f"{length + 10},{length + 20}")
    assert "dépasse la fin du document" in said
    counted = re.search(r"compte ([\d\s]+) caractères", said)
    assert counted and int(re.sub(r"\s", "", counted[1])) == length, said
    assert "pas disponible" not in said


def test_a_span_ending_exactly_at_the_end_is_shown(http, corpus_dir):
    text = (corpus_dir / DOC.rsplit("/", 1)[1]).read_text(encoding="utf-8")
    said = passage_text(http, f"{len(text) - 5},{len(text)}")
    assert "dépasse" not in said and "pas disponible" not in said


@pytest.mark.parametrize("char", ["abc", "50,10", "1,"])
def test_a_malformed_span_is_named(http, char):
    said = passage_text(http, char)
    assert f"« {char} » n'est pas un passage" in said
