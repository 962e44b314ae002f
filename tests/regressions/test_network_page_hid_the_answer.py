"""The network page hid the answer to "who works with X?" (issue 16, tried as a new user would):
searching "France Travail" left one node and none of its 27 links; no label showed at the
default zoom; a click filled a details panel below the 30-entry legend, out of sight, without
links. Each test below failed on the page before the remake."""

from __future__ import annotations

import networkx as nx
import pytest

from maillage.viz.network import write_network_page
from test_browser import ORG, Watched, browser  # noqa: F401  (the fixture is used by name)

pytestmark = pytest.mark.browser


def hub_graph() -> nx.Graph:
    """France Travail and its 27 partners, plus bodies that have nothing to do with it."""
    g = nx.Graph()
    g.add_node(ORG + "ft", label="France Travail", kind="FT", betweenness=0.9, degree=0.5)
    for i in range(27):
        g.add_node(f"{ORG}p{i:02d}", label=f"Partenaire {i}", kind=("ASSO", "CD", "ACI", "ETAT")[i % 4],
                   betweenness=0.01, degree=0.02)
        g.add_edge(ORG + "ft", f"{ORG}p{i:02d}", weight=1 + i % 3, facts=[f"Initiative {i}"])
    for i in range(40):
        g.add_node(f"{ORG}o{i:02d}", label=f"Organisme sans lien {i}", kind="ASSO", betweenness=0.0, degree=0.01)
        if i:
            g.add_edge(f"{ORG}o{i - 1:02d}", f"{ORG}o{i:02d}", weight=1)
    return g


@pytest.fixture
def opened(browser, tmp_path):  # noqa: F811
    g = hub_graph()
    path = write_network_page(g, tmp_path / "hub.html", links=lambda u: ("/id/org/" + u.rsplit("/", 1)[1], None), home="/")
    w = Watched(browser)
    w.open(path, g.number_of_nodes())
    yield g, w
    w.context.close()


def test_search_keeps_the_body_and_its_27_partners(opened):
    g, w = opened
    w.page.fill("#filter-search", "France Travail")
    w.page.wait_for_function("() => window.maillage.selected() !== null")
    shown = set(w.page.evaluate("() => window.maillage.focusedNodeIds()"))
    assert shown == {ORG + "ft"} | set(g[ORG + "ft"]) and len(shown) == 28
    assert w.visible() == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}, "the others dim, they stay"
    strong = w.page.evaluate("() => window.maillage.edges.get().filter(e => e.color && e.color.opacity > 0.8).length")
    assert strong == 27, "its 27 links are drawn"
    w.check_clean()


def test_labels_at_the_default_zoom(opened):
    _, w = opened
    assert ORG + "ft" in w.page.evaluate("() => window.maillage.labelledNodeIds()")


def test_details_beside_the_graph_in_sight_with_links(opened):
    _, w = opened
    w.page.evaluate("() => window.maillage.select(window.maillage.data.nodes.find(n => n.label === 'France Travail').id)")
    details = w.page.locator("#maillage-details")
    assert details.is_visible()
    box, canvas = details.bounding_box(), w.page.locator("#mynetwork canvas").bounding_box()
    legend = w.page.locator("#maillage-legend").bounding_box()
    assert box["x"] >= canvas["x"] + canvas["width"] - 1 and box["y"] < legend["y"], "beside the graph, above the legend"
    assert box["y"] + 40 < w.page.viewport_size["height"]
    assert w.page.get_attribute("#maillage-details a.entity", "href") == "/id/org/ft"
    assert w.page.locator("#maillage-partners li").count() == 27
    assert w.page.get_attribute("#maillage-home", "href") == "/"
    w.check_clean()
