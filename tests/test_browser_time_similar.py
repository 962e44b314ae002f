"""Fundings by year and similar initiatives in a real browser (Playwright driving Debian's chromium,
issue 16): the time view shows the undated count beside its chart; the similar-initiatives block of
an initiative page lists reasons and its links lead to the initiatives. French words, nothing asked
of another server."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from maillage.server.launch import ServerProcess

from conftest import require

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ENGLISH = re.compile(r"\b(amount_eur|with_amount|without_amount|multi_year|share_eur|undated|Funding|Search|"
                     r"Results?|Download|similar|reasons|score_)\b")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the playwright Python package is not installed: pip install -e '.[test]'")
    require(CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
            f"Debian's chromium is not installed at {CHROMIUM}: run scripts/install-browser")
    p = sync_playwright().start()
    b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
    yield b
    b.close()
    p.stop()


@pytest.fixture(scope="module")
def server(built):
    with ServerProcess(built.store_dir, "--timeout", "20") as srv:
        yield srv


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1, locale="fr-FR")
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    yield page
    outside = [u for u in page.requests if not u.startswith((server.url, "data:", "about:"))]
    assert outside == [], "a page asked another server for something"
    assert page.errors == []
    context.close()


def french(page) -> str:
    text = page.inner_text("main")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert ENGLISH.findall(text) == []
    return text


def test_the_time_view_shows_the_undated_count(page, server, screenshot_dir):
    page.goto(server.url + "/")
    page.click("#nav-years")
    page.wait_for_url("**/annees")
    text = french(page)
    undated = page.inner_text("#undated")
    m = re.match(r"(\d+) financements sans date : (\d+) avec un montant \((.+) connus\), (\d+) sans montant", undated)
    assert m, undated
    assert int(m[2]) + int(m[4]) == int(m[1]) > 0
    assert "réparti à parts égales" in text
    assert page.locator("svg.years-chart rect.year-bar").count() >= 3
    assert page.locator("svg.years-chart text.undated").is_visible()
    assert page.inner_text("#undated-row td >> nth=0") == "sans date"
    page.screenshot(path=str(screenshot_dir / "explorer-years.png"), full_page=False)


def test_the_time_view_filtered_by_a_funder(page, server):
    page.goto(server.url + "/annees")
    page.fill("input[name=financeur]", "MSA")
    page.click(".years-filters button")
    page.wait_for_url("**/annees?*")
    text = french(page)
    assert "Mutualité sociale agricole" in text
    assert page.locator("svg.years-chart rect.year-bar").count() == 3       # the P3Y funding over 2022–2024


def test_a_funder_page_has_its_years_and_undated_count(page, server):
    page.goto(server.url + "/financeur/org/etat")
    french(page)
    assert re.search(r"\d+ financements? datés?, \d+ sans date", page.inner_text("#undated-count"))


def test_the_similar_initiatives_block_lists_reasons(page, server, screenshot_dir):
    page.goto(server.url + "/id/initiative/bus-emploi-insertion-barlin")
    french(page)
    items = page.locator("#similar-list > li")
    assert items.count() == 5
    for i in range(5):
        reasons = items.nth(i).locator("ul.reasons > li")
        assert reasons.count() >= 1
        assert re.search(r"en commun|comme vous|même", reasons.first.inner_text())
    page.locator("#similar").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "explorer-similar-block.png"))
    first = items.first.locator("a").first
    name = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.inner_text("#entity-label") == name


def test_the_similar_page(page, server, screenshot_dir):
    page.goto(server.url + "/semblables")
    page.fill("input[name=initiative]", "Bus de l'emploi et de l'insertion de Barlin")
    page.click("#similar-page form button")
    page.wait_for_url("**/semblables?*")
    text = french(page)
    assert "Initiatives semblables à Bus de l'emploi" in text and "Score sur 100" in text
    assert page.locator("#similar-list > li").count() >= 5
    page.screenshot(path=str(screenshot_dir / "explorer-similar.png"))
