"""The explorer in a real browser (Playwright driving Debian's chromium, issue 15): home, search
with two facets, a funder page with its charts, a recipient page, a document page with the
highlighted passage, a concept page. Each page's visible text is French (no variable name or
engine note) and no page asks anything of another server."""

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
ENGLISH = re.compile(r"\b(amount_eur|total_eur|joint_eur|with_amount|funder_a|cofunders|needs --param|"
                     r"Oxigraph|hash-join|FILTER\(BOUND|planner|Funding|Initiative s|Search|Results?|Download|"
                     r"No results|Source document|Partners)\b")

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
def server(built, corpus_dir):
    with ServerProcess(built.store_dir, "--timeout", "20", "--corpus", str(corpus_dir)) as srv:
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
    found = ENGLISH.findall(text)
    assert found == [], found
    return text


def test_home(page, server, screenshot_dir):
    page.goto(server.url + "/")
    text = french(page)
    assert "Qui finance quoi" in text and "montant" in text
    assert "Pour commencer" in text


def test_search_with_two_facets(page, server, screenshot_dir):
    page.goto(server.url + "/")
    page.fill("header input[name=q]", "mobilité")
    with page.expect_navigation():
        page.press("header input[name=q]", "Enter")
    with page.expect_navigation():
        page.click("#facet-theme a:text-is('Mobilité')")
    with page.expect_navigation():
        page.click("#facet-region a:text-is('Hauts-de-France')")
    assert "theme=Mobilit" in page.url and "region=Hauts-de-France" in page.url
    text = french(page)
    assert "Thème : Mobilité" in text and "Région : Hauts-de-France" in text
    assert page.locator("#group-initiative li").count() >= 3
    page.screenshot(path=str(screenshot_dir / "explorer-search.png"), full_page=False)


def test_a_funder_page_with_its_charts(page, server, screenshot_dir):
    page.goto(server.url + "/id/org/etat")
    with page.expect_navigation():
        page.click("#funder-page-link")
    assert page.url.endswith("/financeur/org/etat")
    text = french(page)
    assert "Total connu, conjointement" in text and "montant non précisé" in text
    assert page.locator("svg.chart").count() >= 5
    assert page.locator("svg.chart rect").count() > 5
    page.screenshot(path=str(screenshot_dir / "explorer-funder.png"), full_page=False)


def test_a_recipient_page(page, server):
    page.goto(server.url + "/beneficiaire/initiative/api-trucks")
    text = french(page)
    assert "Tableau de bord du bénéficiaire" in text and "Par financeur" in text
    assert "Fondation Macif" in text


def test_a_document_page_shows_the_highlighted_passage(page, server, screenshot_dir):
    page.goto(server.url + "/id/initiative/garage-associatif-solidaire-gas18")
    with page.expect_navigation():
        page.locator("#fundings-in a.src").first.click()
    assert "?char=" in page.url and page.url.endswith("#passage")
    mark = page.locator("mark#passage")
    assert mark.count() == 1 and mark.inner_text().strip()
    assert mark.is_visible()
    text = french(page)
    assert "Éditeur" in text and "Faits tirés de ce document" in text and " — " in text
    page.evaluate("window.scrollTo(0, 0)")        # the page's head, the passage box still on its mark
    page.screenshot(path=str(screenshot_dir / "explorer-document.png"), full_page=False)


def test_a_concept_page(page, server):
    page.goto(server.url + "/def")
    with page.expect_navigation():
        page.click("a[href='/def/theme/mobilite']")
    text = french(page)
    assert page.inner_text("#entity-label") == "Mobilité" and "Utilisé par" in text
