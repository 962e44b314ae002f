"""`/financeur/org/personne?format=csv` (a body the graph does not hold, a mistyped link) answered
200 with an empty table, while the page itself said 404: a download script could not tell "no
such body" from "no fundings". The downloads now answer 404 with the page's French message."""

from __future__ import annotations

import httpx
import pytest

from maillage.server.launch import ServerProcess


@pytest.fixture(scope="module")
def http(built):
    with ServerProcess(built.store_dir, "--timeout", "20") as srv:
        with httpx.Client(base_url=srv.url, timeout=60) as client:
            yield client


@pytest.mark.parametrize("page", ["financeur", "beneficiaire"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_unknown_body_is_404_in_every_format(http, page, fmt):
    r = http.get(f"/{page}/org/personne-nulle-part", params={"format": fmt})
    assert r.status_code == 404 and "rien n'est connu" in r.text
    r = http.get(f"/{page}/org/personne-nulle-part", params={"format": fmt, "par": "theme"})
    assert r.status_code == 404


def test_a_known_body_still_downloads(http):
    r = http.get("/financeur/org/etat", params={"format": "csv"})
    assert r.status_code == 200 and r.text.count("\n") > 2
