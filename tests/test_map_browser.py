"""The map in a real browser (Playwright driving Debian's chromium, issue 16): every département of
the shipped outlines is drawn, the legend is visible, the toggles switch level and measure without
any script, hovering shows a territory's figures, a click reaches its territory page, and no
request leaves the server (the static page of `maillage map` asks nothing of anyone)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import test_explorer_browser as explorer
from maillage.cli import app
from maillage.viz.map import outlines

# the explorer's browser fixtures: one chromium, one server per module, a page that fails the test
# when it asks another server for anything or logs an error
browser, server, page, french = explorer.browser, explorer.server, explorer.page, explorer.french

pytestmark = pytest.mark.browser

DRAWN = """sel => Array.from(document.querySelectorAll(sel)).filter(p => {
  const b = p.getBoundingClientRect(); return b.width > 0 && b.height > 0 && getComputedStyle(p).fill !== 'none'; }).length"""


def test_the_map_draws_every_departement_and_its_legend(page, server, screenshot_dir):
    page.goto(server.url + "/")
    with page.expect_navigation():
        page.click("#nav-carte")
    assert page.url.endswith("/carte")
    text = french(page)
    assert "comptent dans leur département" in text and "IGN — Admin Express COG 2018" in text
    assert page.evaluate(DRAWN, "#carte-departement path.territoire") == len(outlines()["departements"]) == 101
    assert page.evaluate(DRAWN, "#carte-region path.territoire") == 0          # the other level is hidden
    legend = page.locator(".l-departement-nombre")
    assert legend.is_visible() and "aucune initiative" in legend.inner_text()
    assert not page.locator(".l-departement-montant").is_visible()
    # hover: the figures of the territory under the pointer, in the map's strip
    page.hover("#carte-departement path[data-code='63']")
    info = page.locator("#carte-departement a:hover .info")
    assert info.is_visible() and "Puy-de-Dôme (63)" in info.text_content() and "initiatives" in info.text_content()
    page.set_viewport_size({"width": 1280, "height": 1180})
    page.evaluate("window.scrollTo(0, document.querySelector('.carte').offsetTop - 60)")
    page.hover("#carte-departement path[data-code='63']")
    page.screenshot(path=str(screenshot_dir / "carte.png"), full_page=False)


def test_the_toggles_switch_level_and_measure_and_money_stays_honest(page, server):
    page.goto(server.url + "/carte")
    page.click("label[for=niveau-region]")
    assert page.evaluate(DRAWN, "#carte-region path.territoire") == 18
    assert page.evaluate(DRAWN, "#carte-departement path.territoire") == 0
    page.click("label[for=mesure-montant]")
    assert page.locator(".l-region-montant").is_visible() and not page.locator(".l-region-nombre").is_visible()
    page.click("label[for=niveau-departement]")
    assert page.locator(".l-departement-montant").is_visible()
    page.hover("#carte-departement path[data-code='62']")     # six fundings, none with an amount
    info = page.locator("#carte-departement a:hover .info").text_content()
    assert "montant non précisé" in info and "0 €" not in info
    hatched = page.evaluate("getComputedStyle(document.querySelector(\"#carte-departement path[data-code='62']\")).fill")
    assert "hachures" in hatched


def test_the_filters_keep_the_toggles_and_say_what_they_kept(page, server):
    page.goto(server.url + "/carte")
    page.click("label[for=niveau-region]")
    page.select_option("select[name=theme]", "Mobilité")
    with page.expect_navigation():
        page.click("form.carte button[type=submit]")
    assert "theme=Mobilit" in page.url and "niveau=region" in page.url
    text = french(page)
    assert "Filtres : thème : Mobilité." in text
    assert page.evaluate(DRAWN, "#carte-region path.territoire") == 18


def test_a_click_reaches_the_territory_page(page, server):
    page.goto(server.url + "/carte")
    with page.expect_navigation():
        page.click("#carte-departement path[data-code='62']")
    assert page.url.endswith("/id/territoire/departement/62")
    assert page.inner_text("#entity-label") == "Pas-de-Calais"
    page.goto(server.url + "/carte")         # Paris, too small on the map, is enlarged in its own box
    assert page.locator("#carte-departement use.territoire").count() == 4
    with page.expect_navigation():
        page.click("#carte-departement use[data-code='75']")
    assert page.url.endswith("/id/territoire/departement/75") and page.inner_text("#entity-label") == "Paris"


def test_the_static_page_draws_offline(browser, built, tmp_path):
    out = tmp_path / "carte.html"
    r = CliRunner().invoke(app, ["--store", str(built.store_dir), "map", "-o", str(out)])
    assert r.exit_code == 0, r.output
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    tab = context.new_page()
    requests, errors = [], []
    tab.on("request", lambda q: requests.append(q.url))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(out.as_uri())
    assert tab.evaluate(DRAWN, "#carte-departement path.territoire") == 101
    assert tab.locator(".l-departement-nombre").is_visible()
    tab.click("label[for=mesure-montant]")
    assert tab.locator(".l-departement-montant").is_visible()
    assert requests == [out.as_uri()] and errors == []
    context.close()


def test_the_map_page_has_the_explorer_policy(server):
    import httpx

    r = httpx.get(server.url + "/carte", timeout=60)
    assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
    assert "<script" not in r.text
    css = httpx.get(server.url + "/carte.css", timeout=60)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    bad = httpx.get(server.url + "/carte", params={"theme": "licorne"}, timeout=60)
    assert bad.status_code == 400 and "licorne" in bad.text
