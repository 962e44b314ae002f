"""The explorer's time view and similar initiatives (issue 16 items 2 and 3), over HTTP: French
words, the undated fundings always counted beside the years, money that tells unknown from zero,
CSV and JSON, parameters bound and escaped."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import httpx
import pytest

from maillage.server.launch import ServerProcess


@pytest.fixture(scope="module")
def http(built):
    with ServerProcess(built.store_dir, "--timeout", "20") as srv:
        with httpx.Client(base_url=srv.url, timeout=60) as client:
            yield client


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_national_time_view_counts_the_undated(http):
    r = http.get("/annees")
    assert r.status_code == 200 and '<html lang="fr">' in r.text
    text = text_of(r.text)
    assert "Financements par année — toute la France" in text
    m = re.search(r"Sans date (\d+) financements sans date : (\d+) avec un montant \(([^)]*) connus\), (\d+) sans montant", text)
    assert m, text[:2000]
    undated, with_amount, _, without = (m[1], m[2], m[3], m[4])
    assert int(with_amount) + int(without) == int(undated) > 30
    assert "réparti à parts égales" in text                       # the page says how a period is spread
    assert 'class="undated"' in r.text                              # the chart writes the undated count too
    assert "0\u00a0€" not in text.replace("000\u00a0€", "")       # never a 0 € for an unknown amount
    assert "montant non précisé" in text


def test_time_view_csv_and_json_are_the_rows_of_the_page(http):
    rows = list(csv.DictReader(io.StringIO(http.get("/annees", params={"format": "csv"}).text)))
    assert rows[-1]["year"] == "sans date" and [r["year"] for r in rows if r["multi_year"] == "1"] == ["2022", "2023", "2024"]
    data = http.get("/annees", params={"format": "json", "financeur": "MSA"}).json()
    assert [r["year"] for r in data["rows"]] == ["2022", "2023", "2024", "sans date"]
    detail = list(csv.DictReader(io.StringIO(http.get("/annees", params={"format": "csv", "detail": "oui"}).text)))
    assert {"year", "funding", "share_eur", "how"} <= set(detail[0])


def test_time_view_filters_resolve_names_and_refuse_unknown_ones_in_french(http):
    r = http.get("/annees", params={"territoire": "Pas-de-Calais"})
    assert r.status_code == 200 and "Pas-de-Calais" in text_of(r.text)
    r = http.get("/annees", params={"theme": "<script>alert(1)</script>"})
    assert r.status_code == 400 and "aucun résultat" in r.text and "<script>alert(1)" not in r.text


def test_funder_territory_and_theme_pages_show_fundings_by_year(http):
    for path in ("/financeur/org/etat", "/beneficiaire/initiative/api-trucks", "/id/territoire/departement/62",
                 "/def/theme/mobilite"):
        r = http.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 200, path
        block = re.search(r'id="undated-count">(.*?)</p>', r.text, re.S)
        assert block, path
        assert re.search(r"\d+ financements? datés?, \d+ sans date", text_of(block.group(1))), path
        assert 'href="/annees?' in r.text, path


def test_the_initiative_page_lists_similar_initiatives_with_reasons(http):
    r = http.get("/id/initiative/bus-emploi-insertion-barlin", headers={"Accept": "text/html"})
    assert r.status_code == 200
    block = r.text[r.text.index('id="similar"'):]
    items = re.findall(r'<li class="similar-item"><a href="(/id/initiative/[^"]+)">', block)
    assert len(items) == 5 and "/id/initiative/bus-emploi-insertion-barlin" not in items
    assert re.search(r"\d+ thèmes? en commun : ", text_of(block)) and "/100" in block
    assert 'href="/semblables?initiative=' in block


def test_the_similar_page_csv_json_and_errors(http):
    r = http.get("/semblables", params={"initiative": "Bus de l'emploi et de l'insertion de Barlin"})
    assert r.status_code == 200 and "Initiatives semblables à" in text_of(r.text) and "Score sur 100" in r.text
    rows = list(csv.DictReader(io.StringIO(http.get("/semblables", params={"initiative": "api trucks", "format": "csv"}).text)))
    assert rows and {"rank", "initiative", "score", "reasons", "uri"} == set(rows[0])
    data = http.get("/semblables", params={"initiative": "api trucks", "format": "json"}).json()
    assert [row["initiative"] for row in data["rows"]] == [row["initiative"] for row in rows]
    r = http.get("/semblables", params={"initiative": "<img src=x onerror=alert(1)>"})
    assert r.status_code == 404 and "aucun résultat" in r.text and "<img src=x" not in r.text
    assert http.get("/semblables").status_code == 200                  # the empty form


def test_the_explorer_and_the_cli_give_the_same_rows(http, built):
    from typer.testing import CliRunner

    from maillage.cli import app

    run = lambda *args: CliRunner().invoke(app, ["--store", str(built.store_dir), *args]).stdout
    assert http.get("/annees", params={"format": "csv"}).text == run("years", "-f", "csv")
    assert http.get("/annees", params={"format": "csv", "theme": "Mobilité", "detail": "oui"}).text == \
        run("years", "--theme", "Mobilité", "--detail", "-f", "csv")
    barlin = "Bus de l'emploi et de l'insertion de Barlin"
    assert http.get("/semblables", params={"initiative": barlin, "format": "csv"}).text == \
        run("similar", barlin, "-n", "20", "-f", "csv")
