"""On a document page, a key figure's row gave its label alone: document 004 listed "personnes
accompagnées ↗ · Chiffre clé" twice (one for the EMPC driving school, one for the Alzen
écomusée), neither saying of what, how many or when: the "identical rows" issue 15 complained of.
Each figure's row now names its initiative, its value (in French digits) and its date:
"Plateforme de mobilité pour l'insertion (EMPC) — 200 personnes accompagnées (2015)"."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

import httpx
import pytest

from maillage.server.launch import ServerProcess


@pytest.fixture(scope="module")
def rows(built):
    with ServerProcess(built.store_dir, "--timeout", "30") as srv:
        with httpx.Client(base_url=srv.url, timeout=90) as http:
            r = http.get("/id/document/004_6542941b035b2caf.txt", headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text[-500:]
    page = r.text
    out = []
    for tr in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        cells = [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        if cells:
            out.append(cells)
    return out


def test_a_key_figure_names_its_initiative_value_and_date(rows):
    figures = [c[0] for c in rows if c[1] == "Chiffre clé"]
    assert figures
    assert "Plateforme de mobilité pour l'insertion (EMPC) — 200 personnes accompagnées (2015) ↗" in figures, figures[:5]
    assert all(" — " in f and re.search(r"\d", f) for f in figures), [f for f in figures if " — " not in f][:5]


def test_no_two_key_figure_rows_read_alike(rows):
    counts = Counter(c[0] for c in rows if c[1] == "Chiffre clé")
    assert [f for f, n in counts.items() if n > 1] == []
