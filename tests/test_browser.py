"""The partner-network page in a real browser: Debian's chromium, headless, driven by Playwright's
Python package (no `playwright install`: nothing is downloaded). The page is opened from a
file:// URL; every request it makes must stay on file:// or data:.

Without /usr/bin/chromium these tests skip (run scripts/install-browser), except under
MAILLAGE_STRICT_TESTS=1 (CI), where they fail. Screenshots go to MAILLAGE_SCREENSHOT_DIR, or to
pytest's tmp_path."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import networkx as nx
import pytest

from maillage import model
from maillage.viz.network import write_network_page

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STRICT = os.environ.get("MAILLAGE_STRICT_TESTS") == "1"
ORG = "https://maillage.example.org/id/org/"
EVIL_SCRIPT = "<script>alert(1)</script>"
EVIL_IMG = '"><img src=x onerror=alert(1)>'
READY = "window.maillageReady === true && window.maillageNetwork.body.data.nodes.length === {n}"


def _missing(reason: str) -> None:
    if STRICT:
        pytest.fail(f"{reason} (MAILLAGE_STRICT_TESTS=1: the browser tests may not be skipped)")
    pytest.skip(reason)


# --- graphs -----------------------------------------------------------------------------------
def partner_graph() -> nx.Graph:
    """A small cooperation network with French names (accents, apostrophes, an ampersand)."""
    g = nx.Graph()
    orgs = {
        "cd26": ("Conseil départemental de la Drôme", "CD", ["Drôme"], ["Insertion professionnelle", "Mobilité"]),
        "cd07": ("Conseil départemental de l'Ardèche", "CD", ["Ardèche"], ["Insertion professionnelle"]),
        "region": ("Région Auvergne-Rhône-Alpes", "REG", ["Auvergne-Rhône-Alpes"], ["Formation", "Mobilité"]),
        "ccas-valence": ("CCAS de Valence", "CCAS", ["Valence", "Drôme"], ["Aide alimentaire"]),
        "ddets26": ("DDETS de la Drôme", "ETAT", ["Drôme"], ["Insertion professionnelle"]),
        "etape": ("Atelier d'insertion L'Étape", "ACI", ["Valence", "Drôme"], ["Insertion professionnelle", "Mobilité"]),
        "jardins-die": ("Jardins de Cocagne du Diois", "ACI", ["Die", "Drôme"], ["Alimentation durable"]),
        "secours": ("Secours populaire français — fédération de l'Ardèche", "ASSO", ["Ardèche"], ["Aide alimentaire"]),
        "elan": ("Association Élan & Partage", "ASSO", ["Drôme"], ["Aide alimentaire", "Alimentation durable"]),
        "fondation": ("Fondation Abbé Pierre", "FONDATION", ["France"], ["Logement"]),
        "ft-privas": ("France Travail Privas", "FT", ["Ardèche"], ["Insertion professionnelle"]),
        "reemploi": ("Ré-Emploi Sud", "EI", ["Drôme"], ["Économie circulaire"]),
    }
    for key, (label, kind, territories, themes) in orgs.items():
        g.add_node(ORG + key, label=label, kind=kind, kind_label=model.concepts("kinds")[kind].label("fr"), territories=territories,
                   themes=themes, facts=["pilote — Api Truck's (000_db57453d3f781195.txt#char=120,200)"]
                   if kind == "ACI" else ["partenaire — Épicerie sociale l'Oasis (003_51a5ec4ebfa4ed0e.txt#char=1500,1588)"])
    for a, b, w in [("cd26", "etape", 2), ("cd26", "region", 1), ("cd26", "ddets26", 1), ("region", "etape", 1),
                    ("ddets26", "etape", 1), ("ccas-valence", "fondation", 1), ("ccas-valence", "etape", 1),
                    ("jardins-die", "elan", 1), ("jardins-die", "cd26", 1), ("secours", "cd07", 1),
                    ("secours", "ft-privas", 1), ("cd07", "ft-privas", 1), ("cd07", "region", 3)]:
        g.add_edge(ORG + a, ORG + b, weight=w, amount_eur=15000.0 if w > 1 else None, facts=["Api Truck's"])
    degree, betweenness = nx.degree_centrality(g), nx.betweenness_centrality(g)
    for n in g:
        g.nodes[n].update(degree=degree[n], betweenness=betweenness[n])
    return g


def large_graph(n: int = 1500, seed: int = 7) -> nx.Graph:
    rnd = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    kinds = ["ACI", "EI", "CD", "REG", "CCAS", "EPCI", "ETAT", "FT", "CAF", "ASSO", "RESEAU", "FONDATION", "OF"]
    territories = ["Drôme", "Ardèche", "Isère", "Savoie", "Rhône", "Loire", "Ain", "Valence"]
    degree = nx.degree_centrality(base)
    g = nx.Graph()
    for i in base.nodes:
        kind = rnd.choice(kinds)
        g.add_node(f"{ORG}n{i:05d}", label=f"Structure n°{i}", kind=kind, kind_label=model.concepts("kinds")[kind].label("fr"),
                   territories=rnd.sample(territories, rnd.randint(1, 2)), themes=["Insertion"],
                   facts=[f"pilote — Initiative {i} ({i:03d}_doc.txt#char=0,80)"], degree=degree[i],
                   betweenness=degree[i] ** 2)
    for a, b in base.edges:
        g.add_edge(f"{ORG}n{a:05d}", f"{ORG}n{b:05d}", weight=rnd.choice([1, 1, 2, 4]), facts=[])
    return g


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _missing(f"Debian's chromium is not installed at {CHROMIUM}: run scripts/install-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed: pip install -e '.[test]'")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A page with everything that must not happen recorded: console errors, page errors,
    dialogs (dismissed) and requests that leave file:// and data:."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, path: Path, nodes: int, timeout_ms: int = 30_000) -> float:
        start = time.perf_counter()
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(READY.format(n=nodes), timeout=timeout_ms)
        self.page.wait_for_selector("#mynetwork canvas", state="attached")
        return time.perf_counter() - start

    def check_clean(self) -> None:
        assert self.errors == []
        assert self.dialogs == []
        outside = [u for u in self.requests if not u.startswith(("file://", "data:", "about:"))]
        assert outside == [], "the page asked the network for something"

    def visible(self) -> dict:
        return self.page.evaluate("window.maillage.visible()")


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.context.close()


def assert_inside(page, ids: list[str]) -> None:
    """Every one of ``ids`` is drawn inside the canvas."""
    box = page.locator("#mynetwork canvas").bounding_box()
    points = page.evaluate("""(ids) => {
        const net = window.maillageNetwork, pos = net.getPositions(ids);
        return ids.map(id => net.canvasToDOM(pos[id]));
    }""", ids)
    outside = [(i, p) for i, p in zip(ids, points) if not (0 <= p["x"] <= box["width"] and 0 <= p["y"] <= box["height"])]
    assert outside == []


def label_pixels(page, node_id: str) -> int:
    """How many pixels under ``node_id`` change when the page's own labels (those of the most
    central bodies, or of the bodies in focus) are switched off: its label is drawn there."""
    return page.evaluate("""async (id) => {
        const net = window.maillageNetwork, canvas = document.querySelector('#mynetwork canvas');
        const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        const p = net.canvasToDOM(net.getPositions([id])[id]), r = net.body.nodes[id].options.size * net.getScale();
        const grab = () => Array.from(canvas.getContext('2d').getImageData(Math.max(0, p.x - 60), p.y + r, 120, 22).data);
        window.maillage.topLabels(false); await frame(); const off = grab();
        window.maillage.topLabels(true); await frame(); const on = grab();
        let differ = 0;
        for (let i = 0; i < on.length; i += 4) { if (Math.abs(on[i] - off[i]) + Math.abs(on[i + 1] - off[i + 1]) > 60) differ++; }
        return differ;
    }""", node_id)


def node_point(page, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    box = page.locator("#mynetwork canvas").bounding_box()
    p = page.evaluate("""(id) => {
        const net = window.maillageNetwork;
        return net.canvasToDOM(net.getPosition(id));
    }""", node_id)
    return box["x"] + p["x"], box["y"] + p["y"]


# --- tests ------------------------------------------------------------------------------------
def test_network_is_drawn_and_filters_work(watched, tmp_path, screenshot_dir):
    g = partner_graph()
    path = write_network_page(g, tmp_path / "network.html")
    watched.open(path, g.number_of_nodes())
    page = watched.page
    assert page.evaluate("window.maillageNetwork.body.data.edges.length") == g.number_of_edges()
    assert page.evaluate("document.querySelectorAll('#mynetwork canvas').length") == 1
    canvas = page.locator("#mynetwork canvas").bounding_box()
    assert canvas["width"] > 600 and canvas["height"] > 400
    assert watched.visible() == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    assert page.locator("#maillage-legend li").count() == len({d["kind"] for _, d in g.nodes(data=True)})
    assert "Atelier et chantier d'insertion" in page.inner_text("#maillage-legend")
    page.screenshot(path=str(screenshot_dir / "network.png"))

    # a territory: only the organisations working there, and the links between them
    page.select_option("#filter-territory", label="Ardèche")
    expected = {n for n, d in g.nodes(data=True) if "Ardèche" in d["territories"]}
    shown = set(page.evaluate("window.maillage.visibleNodeIds()"))
    assert shown == expected and 0 < len(shown) < g.number_of_nodes()
    hidden_in_vis = set(page.evaluate("window.maillage.nodes.get({filter: n => n.hidden === true}).map(n => n.id)"))
    assert hidden_in_vis == set(g.nodes) - expected
    drawn_edges = page.evaluate("window.maillage.edges.get({filter: e => !e.hidden}).map(e => [e.from, e.to])")
    assert {frozenset(e) for e in drawn_edges} == {frozenset(e) for e in g.subgraph(expected).edges}
    assert f"{len(expected)} / {g.number_of_nodes()} organisations" in page.inner_text("#maillage-count")
    page.screenshot(path=str(screenshot_dir / "network-ardeche.png"))

    # a theme on top of it
    page.select_option("#filter-theme", label="Aide alimentaire")
    assert set(page.evaluate("window.maillage.visibleNodeIds()")) == {
        n for n in expected if "Aide alimentaire" in g.nodes[n]["themes"]}

    # the filtered view is laid out again: every organisation shown is inside the drawing
    moved = page.evaluate("""() => window.maillage.visibleNodeIds().filter(id => {
        const n = window.maillage.data.nodes.find(m => m.id === id), p = window.maillageNetwork.getPositions([id])[id];
        return Math.abs(p.x - n.x) > 1 || Math.abs(p.y - n.y) > 1; })""")
    assert moved, "the filtered view has positions of its own"
    assert_inside(page, page.evaluate("window.maillage.visibleNodeIds()"))

    # the search box: case- and accent-insensitive; it dims the others, it does not hide them
    page.click("#filter-reset")
    assert watched.visible()["nodes"] == g.number_of_nodes()
    assert page.evaluate("""() => window.maillage.data.nodes.every(n => {
        const p = window.maillageNetwork.getPositions([n.id])[n.id]; return Math.abs(p.x - n.x) <= 1 && Math.abs(p.y - n.y) <= 1; })"""), \
        "back to the whole graph, back to its own layout"
    page.fill("#filter-search", "drome")
    page.wait_for_function("() => window.maillage.matches().length === 2")
    assert set(page.evaluate("window.maillage.matches()")) == {ORG + "cd26", ORG + "ddets26"}
    assert watched.visible()["nodes"] == g.number_of_nodes(), "nothing vanishes"
    around = {ORG + "cd26", ORG + "ddets26"} | set(g[ORG + "cd26"]) | set(g[ORG + "ddets26"])
    assert set(page.evaluate("window.maillage.focusedNodeIds()")) == around
    assert set(page.evaluate("window.maillage.dimmedNodeIds()")) == set(g) - around
    assert "2 organismes trouvés" in page.inner_text("#maillage-details-text")
    page.fill("#filter-search", "")
    page.wait_for_function("() => window.maillage.matches().length === 0")
    assert watched.visible() == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    assert page.evaluate("window.maillage.dimmedNodeIds()") == []

    # a click on a node shows its facts, with their sources
    page.wait_for_timeout(100)
    x, y = node_point(page, ORG + "etape")
    page.mouse.click(x, y)
    page.wait_for_selector("#maillage-details:not([hidden])")
    details = page.inner_text("#maillage-details-text")
    assert "Atelier d'insertion L'Étape" in details
    assert "pilote — Api Truck's (000_db57453d3f781195.txt#char=120,200)" in details
    watched.check_clean()


def test_hostile_labels_stay_text(watched, tmp_path, screenshot_dir):
    g = partner_graph()
    evil = ORG + "evil"
    g.add_node(evil, label=EVIL_SCRIPT + " " + EVIL_IMG, kind="ASSO", kind_label="Association",
               territories=[EVIL_SCRIPT, EVIL_IMG], themes=[EVIL_IMG],
               facts=[f"pilote — {EVIL_SCRIPT} ({EVIL_IMG}.txt#char=1,2)"], betweenness=0.9, degree=0.5)
    g.add_edge(evil, ORG + "cd26", weight=2, facts=[EVIL_SCRIPT])
    path = write_network_page(g, tmp_path / "hostile.html", title=f"Réseau {EVIL_IMG}")
    watched.open(path, g.number_of_nodes())
    page = watched.page
    page.wait_for_timeout(300)    # give any injected handler (img onerror…) the time to fire
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert page.title() == f"Réseau {EVIL_IMG}"
    assert page.inner_text("#maillage-title") == f"Réseau {EVIL_IMG}"
    assert page.evaluate("(id) => window.maillageNetwork.body.data.nodes.get(id).label", evil) == \
        EVIL_SCRIPT + " " + EVIL_IMG
    options = page.locator("#filter-territory option").all_inner_texts()
    assert EVIL_SCRIPT in options and EVIL_IMG in options

    # the territory filter still works with such a name
    page.select_option("#filter-territory", label=EVIL_IMG)
    assert page.evaluate("window.maillage.visibleNodeIds()") == [evil]
    page.click("#filter-reset")

    # the tooltip and the details panel show the text as written
    page.wait_for_timeout(100)
    x, y = node_point(page, evil)
    page.mouse.move(x, y)
    page.wait_for_function("""() => {
        const t = document.querySelector('div.vis-tooltip');
        return t && getComputedStyle(t).visibility === 'visible';
    }""", timeout=5000)
    tooltip = page.inner_text("div.vis-tooltip")
    assert tooltip.splitlines()[0] == EVIL_SCRIPT + " " + EVIL_IMG
    assert f"pilote — {EVIL_SCRIPT} ({EVIL_IMG}.txt#char=1,2)" in tooltip
    page.screenshot(path=str(screenshot_dir / "network-hostile.png"))
    page.mouse.click(x, y)
    page.wait_for_selector("#maillage-details:not([hidden])")
    assert page.inner_text("#maillage-details-text").splitlines()[0] == EVIL_SCRIPT + " " + EVIL_IMG
    assert f"pilote — {EVIL_SCRIPT} ({EVIL_IMG}.txt#char=1,2)" in page.inner_text("#maillage-details-text")
    # in a partner list too, and searched for by its name
    page.evaluate("(id) => window.maillage.select(id)", ORG + "cd26")
    partners = page.locator("#maillage-partners li button").all_inner_texts()
    assert EVIL_SCRIPT + " " + EVIL_IMG in partners
    page.fill("#filter-search", EVIL_SCRIPT + " " + EVIL_IMG)
    page.wait_for_function("(id) => window.maillage.selected() === id", arg=evil)
    page.wait_for_timeout(100)
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    watched.check_clean()


def test_large_page_is_interactive_at_once(watched, tmp_path, screenshot_dir):
    g = large_graph(1500)
    path = write_network_page(g, tmp_path / "large.html")
    elapsed = watched.open(path, 1500)
    print(f"1,500-node page drawn in chromium in {elapsed:.2f} s")
    assert elapsed < 60      # hang guard; the settling target is `maillage bench`'s
    page = watched.page
    assert page.evaluate("window.maillageNetwork.physics.options.enabled") is False
    page.screenshot(path=str(screenshot_dir / "network-large.png"))
    page.select_option("#filter-territory", label="Savoie")
    assert 0 < watched.visible()["nodes"] < 1500
    watched.check_clean()

    limited = write_network_page(g, tmp_path / "limited.html", max_nodes=300)
    watched.open(limited, 300)
    note = page.locator("#maillage-truncated")
    assert note.is_visible()
    assert "1200 nœuds" in note.inner_text()
    watched.check_clean()


def test_who_works_with_a_body(watched, tmp_path, screenshot_dir):
    """Issue 16: searching a body keeps it and its partners in view (the others dim, nothing
    vanishes) and opens its details beside the graph, with links and its partners; the most
    central bodies have their label at the default zoom."""
    g = large_graph(1500)

    def links(uri):
        tail = uri.rsplit("/", 1)[1]
        return "/id/org/" + tail, "/network/org/" + tail

    path = write_network_page(g, tmp_path / "who.html", links=links, home="/")
    watched.open(path, 1500)
    page = watched.page
    page.wait_for_timeout(100)
    top = page.evaluate("window.maillage.data.nodes.slice().sort((a, b) => a.rank - b.rank).slice(0, 3).map(n => n.id)")
    labelled = page.evaluate("window.maillage.labelledNodeIds()")
    assert top[0] in labelled and len(set(top) & set(labelled)) >= 2
    assert len(labelled) <= page.evaluate("window.maillage.data.labels.top"), "only the most central at this zoom"
    assert label_pixels(page, top[0]) > 20, "the label is drawn under the node"
    # zoomed in, the others get theirs
    rest = page.evaluate("""async () => {
        const net = window.maillageNetwork, m = window.maillage, n = m.data.nodes.find(n => n.rank === 500);
        net.moveTo({ position: net.getPositions([n.id])[n.id], scale: 1.5, animation: false });
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        return [n.id, m.labelledNodeIds(), m.data.labels.top];
    }""")
    assert rest[0] in rest[1] and len([i for i in rest[1] if i not in top]) > 0
    page.evaluate("window.maillageNetwork.fit({ animation: false })")

    target = f"{ORG}n00017"
    expected = {target} | set(g[target])
    page.fill("#filter-search", "structure n°17")       # matches n°17, n°170…: the exact name wins
    page.wait_for_function("(id) => window.maillage.selected() === id", arg=target)
    assert watched.visible()["nodes"] == 1500, "nothing vanishes"
    assert set(page.evaluate("window.maillage.focusedNodeIds()")) == expected
    assert set(page.evaluate("window.maillage.dimmedNodeIds()")) == set(g) - expected
    assert target in page.evaluate("window.maillage.labelledNodeIds()")
    assert_inside(page, sorted(expected))

    # its details: beside the graph, in sight, with its links and every partner
    details, canvas = page.locator("#maillage-details"), page.locator("#mynetwork canvas").bounding_box()
    assert details.is_visible()
    box = details.bounding_box()
    assert box["x"] >= canvas["x"] + canvas["width"] - 1 and box["y"] < canvas["y"] + 200
    text = page.inner_text("#maillage-details-text")
    assert text.splitlines()[0] == "Structure n°17" and f"travaille avec {len(g[target])} partenaires" in text.lower()
    assert page.get_attribute("#maillage-details a.entity", "href") == "/id/org/n00017"
    assert page.get_attribute("#maillage-details a.around", "href") == "/network/org/n00017"
    rows = page.locator("#maillage-partners li")
    assert rows.count() == len(g[target])
    assert {rows.nth(i).get_attribute("data-id") for i in range(rows.count())} == set(g[target])
    page.screenshot(path=str(screenshot_dir / "network-who.png"))

    # a partner in the list: its turn
    first = rows.nth(0).get_attribute("data-id")
    rows.nth(0).locator("button").click()
    assert page.evaluate("window.maillage.selected()") == first
    assert set(page.evaluate("window.maillage.focusedNodeIds()")) == {first} | set(g[first])
    page.click("#maillage-details-close")
    assert page.evaluate("window.maillage.dimmedNodeIds()") == [] and not details.is_visible()
    page.evaluate("(id) => window.maillage.select(id)", target)
    assert details.is_visible() and page.evaluate("window.maillage.dimmedNodeIds()") != []
    page.keyboard.press("Escape")
    assert page.evaluate("window.maillage.dimmedNodeIds()") == [] and not details.is_visible()
    watched.check_clean()
