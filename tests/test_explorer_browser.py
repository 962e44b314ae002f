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
    assert re.search(r"\d\u00a0€ au total connu", page.inner_text("#known-total") + " au total connu")


def test_search_with_two_facets(page, server, screenshot_dir):
    page.goto(server.url + "/")
    page.fill("header input[name=q]", "mobilité")
    with page.expect_navigation():
        page.press("header input[name=q]", "Enter")
    facets = [page.locator(f"#facet-{f}").count() for f in ("theme", "kind", "region", "departement", "amount", "year")]
    assert facets == [1] * 6, facets
    with page.expect_navigation():
        page.click("#facet-theme a:text-is('Mobilité')")
    with page.expect_navigation():
        page.click("#facet-region a:text-is('Hauts-de-France')")
    assert "theme=Mobilit" in page.url and "region=Hauts-de-France" in page.url
    text = french(page)
    assert "Thème : Mobilité" in text and "Région : Hauts-de-France" in text
    assert page.locator("#group-initiative li").count() >= 3
    assert "format=csv" in page.get_attribute("#download-csv", "href") and "region=Hauts-de-France" in page.get_attribute("#download-json", "href")
    page.screenshot(path=str(screenshot_dir / "explorer-search.png"), full_page=False)
    # a new text keeps the two facets
    page.fill("form.search-page input[name=q]", "insertion")
    with page.expect_navigation():
        page.press("form.search-page input[name=q]", "Enter")
    assert "q=insertion" in page.url and "theme=Mobilit" in page.url and "region=Hauts-de-France" in page.url


def test_a_funder_page_with_its_charts(page, server, screenshot_dir):
    page.goto(server.url + "/id/org/etat")
    with page.expect_navigation():
        page.click("#funder-page-link")
    assert page.url.endswith("/financeur/org/etat")
    text = french(page)
    assert "Total connu, conjointement" in text and "montant non précisé" in text
    assert page.locator("svg.chart").count() >= 5
    assert page.locator("svg.chart rect").count() > 5
    kind = page.locator("#by-kind")
    assert "Par type de bénéficiaire" in kind.inner_text() and kind.locator("svg.chart rect").count() >= 2
    assert "Association" in kind.locator("svg.chart").text_content()
    assert kind.locator("a[href='?format=csv&par=kind']").count() == 1
    charts = " ".join(page.locator("svg.chart").all_text_contents())
    assert not re.search(r"(?<![\d\u202f,])0\u00a0€", charts) and "montant non précisé" in charts
    page.screenshot(path=str(screenshot_dir / "explorer-funder.png"), full_page=False)


def test_a_recipient_page(page, server):
    page.goto(server.url + "/beneficiaire/initiative/api-trucks")
    text = french(page)
    assert "Tableau de bord du bénéficiaire" in text and "Par financeur" in text
    assert "Fondation Macif" in text
    assert page.locator("#by-funder svg.chart rect").count() >= 1 and page.locator("#by-funder-kind svg.chart").count() == 1
    assert "Par type de financeur" in text


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
    assert re.search(r"\b\d{1,2}(er)? (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}\b",
                     page.inner_text("#date"))
    page.evaluate("window.scrollTo(0, 0)")        # the page's head, the passage box still on its mark
    page.screenshot(path=str(screenshot_dir / "explorer-document.png"), full_page=False)


def test_an_entity_page(page, server, screenshot_dir):
    page.goto(server.url + "/id/initiative/api-trucks")
    text = french(page)
    assert "Financements reçus" in text and "sur 3 ans" in text and "80\u202f000\u00a0€" in text
    assert "P3Y" not in text
    with page.expect_navigation():
        page.locator("#fundings-in a.src").first.click()
    assert page.locator("mark#passage").count() == 1
    page.go_back()
    page.screenshot(path=str(screenshot_dir / "explorer-entity.png"), full_page=False)


def test_a_concept_page(page, server):
    page.goto(server.url + "/def")
    with page.expect_navigation():
        page.click("a[href='/def/theme/mobilite']")
    text = french(page)
    assert page.inner_text("#entity-label") == "Mobilité" and "Utilisé par" in text


def test_network_who_works_with_france_travail(page, server, screenshot_dir):
    """Issue 16: on the served network page, searching "France Travail" leaves it and every
    organisation it works with in view (the others dim, none vanishes) and opens its details
    beside the graph, with links to the explorer's pages; the page links back to the explorer."""
    page.goto(server.url + "/network")
    page.wait_for_function("() => window.maillageReady === true", timeout=30_000)
    page.wait_for_timeout(100)
    data = page.evaluate("() => ({ nodes: window.maillage.data.nodes.map(n => [n.id, n.label, n.rank]),"
                         " edges: window.maillage.data.edges.map(e => [e.from, e.to]) })")
    everyone = {n for n, _, _ in data["nodes"]}
    top = [n for n, _, _ in sorted(data["nodes"], key=lambda r: r[2])][:3]
    labelled = page.evaluate("() => window.maillage.labelledNodeIds()")
    assert top[0] in labelled and len(set(top) & set(labelled)) >= 2, "the most central bodies are named at once"
    ft = next(n for n, label, _ in data["nodes"] if label == "France Travail")
    partners = {b for a, b in data["edges"] if a == ft} | {a for a, b in data["edges"] if b == ft}
    assert len(partners) >= 10

    page.fill("#filter-search", "France Travail")
    page.wait_for_function("(id) => window.maillage.selected() === id", arg=ft)
    assert page.evaluate("() => window.maillage.visible().nodes") == len(everyone), "nothing vanishes"
    assert set(page.evaluate("() => window.maillage.focusedNodeIds()")) == partners | {ft}
    assert set(page.evaluate("() => window.maillage.dimmedNodeIds()")) == everyone - partners - {ft}

    details, canvas = page.locator("#maillage-details"), page.locator("#mynetwork canvas").bounding_box()
    assert details.is_visible()
    box = details.bounding_box()
    assert box["x"] >= canvas["x"] + canvas["width"] - 1, "beside the graph"
    assert box["y"] < canvas["y"] + 200 and box["y"] + 100 < 900, "in sight"
    assert page.inner_text("#maillage-details-text").splitlines()[0] == "France Travail"
    entity = page.get_attribute("#maillage-details a.entity", "href")
    assert entity.startswith("/id/") and ft.endswith(entity[len("/id/"):])
    rows = page.locator("#maillage-partners li")
    assert {rows.nth(i).get_attribute("data-id") for i in range(rows.count())} == partners
    assert page.locator("#maillage-partners a.page").count() == len(partners)
    text = french(page)
    assert "Travaille avec" in text or "TRAVAILLE AVEC" in text
    page.screenshot(path=str(screenshot_dir / "network-france-travail.png"), full_page=False)

    with page.expect_navigation():
        page.click("#maillage-details a.entity")
    assert page.url == server.url + entity
    assert page.inner_text("#entity-label") == "France Travail"

    # its own network: the same body, selected when the page opens
    page.goto(server.url + "/network")
    page.wait_for_function("() => window.maillageReady === true", timeout=30_000)
    page.fill("#filter-search", "France Travail")
    page.wait_for_function("(id) => window.maillage.selected() === id", arg=ft)
    with page.expect_navigation():
        page.click("#maillage-details a.around")
    page.wait_for_function("() => window.maillageReady === true", timeout=30_000)
    assert page.evaluate("() => window.maillage.selected()") == ft
    assert set(page.evaluate("() => window.maillage.visibleNodeIds()")) == partners | {ft}
    assert page.locator("#maillage-details").is_visible()
    with page.expect_navigation():
        page.click("#maillage-home")
    assert page.url == server.url + "/"
