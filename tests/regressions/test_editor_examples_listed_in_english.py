"""The SPARQL editor's list of examples gave each canned question by its English comment
("who-funds-what — Who funds which initiative, with how much, when and for what?") on a page
of the French explorer; the query text in the editor keeps its notes, the list names the
questions in French (their `# titre:`)."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest

from maillage.query import catalogue
from maillage.server.launch import ServerProcess


@pytest.fixture(scope="module")
def http(built):
    with ServerProcess(built.store_dir, "--timeout", "20") as srv:
        with httpx.Client(base_url=srv.url, timeout=60) as client:
            yield client


def test_the_editor_lists_the_examples_by_their_french_titles(http):
    page = http.get("/editor?example=who-funds-what", headers={"Accept": "text/html"}).text
    aside = unescape(re.sub(r"<[^>]+>", " ", page.split("<aside>", 1)[1].split("</aside>", 1)[0]))
    questions = catalogue()
    for q in questions.values():
        assert q.title in aside, q.name
        assert q.question.strip() not in aside, q.name   # the English comment of the .rq file
    assert not re.search(r"\b(Who|Which|What|How)\b", aside), aside
