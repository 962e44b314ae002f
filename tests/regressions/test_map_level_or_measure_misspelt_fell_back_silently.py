"""`/carte?niveau=regions` (or any value but departement / region), or `?mesure=euros`, drew the
default map without a word, so a link with a typo showed the départements' initiatives as if it
were what was asked; `maillage map --level zz` was already refused. Now 400, in French."""

from __future__ import annotations

import httpx
import pytest

from maillage.server.launch import ServerProcess


@pytest.fixture(scope="module")
def http(built):
    with ServerProcess(built.store_dir, "--timeout", "30") as srv:
        with httpx.Client(base_url=srv.url, timeout=90) as client:
            yield client


@pytest.mark.parametrize("param, value, says", [("niveau", "regions", "departement ou region"),
                                                ("mesure", "euros", "nombre ou montant")])
def test_an_unknown_level_or_measure_is_refused_in_french(http, param, value, says):
    r = http.get("/carte", params={param: value}, headers={"Accept": "text/html"})
    assert r.status_code == 400 and f"« {value} »" in r.text and says in r.text


def test_the_known_ones_still_draw(http):
    r = http.get("/carte", params={"niveau": "region", "mesure": "montant"})
    assert r.status_code == 200 and "carte-region" in r.text
