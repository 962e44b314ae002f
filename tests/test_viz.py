"""The partner-network page (viz/network.py): contents, escaping, offline, size limits, speed.

The page is checked as text and through Python's HTML parser here; tests/test_browser.py opens
it in a real headless chromium."""

from __future__ import annotations

import copy
import html
import json
import math
import os
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from maillage import model
from maillage.viz import network as viz, style
from maillage.viz.network import write_network_page

ORG = "https://maillage.example.org/id/org/"
EVIL_SCRIPT = "<script>alert(1)</script>"
EVIL_IMG = '"><img src=x onerror=alert(1)>'
DATA_RE = re.compile(r'<script type="application/json" id="maillage-data">(.*?)</script>', re.DOTALL)


# --- a small, realistic partner network -------------------------------------------------------
def partner_graph() -> nx.Graph:
    """Organisations around a few Drôme-Ardèche initiatives, as graph.projections.cooperation
    would give them (French names with accents, apostrophes and an ampersand)."""
    g = nx.Graph()
    orgs = [
        ("cd26", "Conseil départemental de la Drôme", "CD", "Département (conseil départemental)",
         ["Drôme"], ["Insertion professionnelle", "Mobilité"],
         ["financeur — Api Truck's (000_db57453d3f781195.txt#char=120,200)",
          "financeur — Garage solidaire de l'Étoile (003_51a5ec4ebfa4ed0e.txt#char=3310,3402)"]),
        ("cd07", "Conseil départemental de l'Ardèche", "CD", "Département (conseil départemental)",
         ["Ardèche"], ["Insertion professionnelle"],
         ["financeur — Épicerie sociale du Teil (003_51a5ec4ebfa4ed0e.txt#char=812,901)"]),
        ("region", "Région Auvergne-Rhône-Alpes", "REG", "Région (conseil régional)",
         ["Auvergne-Rhône-Alpes"], ["Formation", "Mobilité"],
         ["financeur — Api Truck's (000_db57453d3f781195.txt#char=415,480)"]),
        ("ccas-valence", "CCAS de Valence", "CCAS", "Centre communal d'action sociale",
         ["Valence", "Drôme"], ["Aide alimentaire"],
         ["partenaire — Épicerie sociale l'Oasis (003_51a5ec4ebfa4ed0e.txt#char=1500,1588)"]),
        ("ddets26", "DDETS de la Drôme", "ETAT", "Service de l'État",
         ["Drôme"], ["Insertion professionnelle"],
         ["financeur — Api Truck's (000_db57453d3f781195.txt#char=500,560)"]),
        ("etape", "Atelier d'insertion L'Étape", "ACI", "Atelier et chantier d'insertion",
         ["Valence", "Drôme"], ["Insertion professionnelle", "Mobilité"],
         ["pilote — Api Truck's (000_db57453d3f781195.txt#char=120,200)",
          "pilote — Garage solidaire de l'Étoile (003_51a5ec4ebfa4ed0e.txt#char=3310,3402)"]),
        ("jardins-die", "Jardins de Cocagne du Diois", "ACI", "Atelier et chantier d'insertion",
         ["Die", "Drôme"], ["Alimentation durable"],
         ["pilote — Paniers solidaires du Diois (003_51a5ec4ebfa4ed0e.txt#char=2010,2090)"]),
        ("secours", "Secours populaire français — fédération de l'Ardèche", "ASSO", "Association",
         ["Ardèche"], ["Aide alimentaire"],
         ["pilote — Épicerie sociale du Teil (003_51a5ec4ebfa4ed0e.txt#char=700,790)"]),
        ("elan", "Association Élan & Partage", "ASSO", "Association",
         ["Drôme"], ["Aide alimentaire", "Alimentation durable"],
         ["partenaire — Paniers solidaires du Diois (003_51a5ec4ebfa4ed0e.txt#char=2100,2150)"]),
        ("fondation", "Fondation Abbé Pierre", "FONDATION", "Fondation",
         ["France"], ["Logement"],
         ["financeur — Épicerie sociale l'Oasis (003_51a5ec4ebfa4ed0e.txt#char=1600,1650)"]),
        ("ft-privas", "France Travail Privas", "FT", "France Travail (ex-Pôle emploi)",
         ["Ardèche"], ["Insertion professionnelle"],
         ["partenaire — Épicerie sociale du Teil (003_51a5ec4ebfa4ed0e.txt#char=950,1010)"]),
        ("reemploi", "Ré-Emploi Sud", "EI", "Entreprise d'insertion",
         ["Drôme"], ["Économie circulaire"], []),
    ]
    for key, label, kind, kind_label, territories, themes, facts in orgs:
        g.add_node(ORG + key, label=label, kind=kind, kind_label=kind_label,
                   territories=territories, themes=themes, facts=facts)
    links = [
        ("cd26", "etape", 2, 80000.0, ["Api Truck's", "Garage solidaire de l'Étoile"]),
        ("cd26", "region", 1, None, ["Api Truck's"]),
        ("cd26", "ddets26", 1, None, ["Api Truck's"]),
        ("region", "etape", 1, None, ["Api Truck's"]),
        ("ddets26", "etape", 1, 19000.0, ["Api Truck's"]),
        ("region", "ddets26", 1, None, ["Api Truck's"]),
        ("ccas-valence", "fondation", 1, 2500.0, ["Épicerie sociale l'Oasis"]),
        ("ccas-valence", "etape", 1, None, ["Épicerie sociale l'Oasis"]),
        ("jardins-die", "elan", 1, None, ["Paniers solidaires du Diois"]),
        ("jardins-die", "cd26", 1, 15000.0, ["Paniers solidaires du Diois"]),
        ("secours", "cd07", 1, 20000.0, ["Épicerie sociale du Teil"]),
        ("secours", "ft-privas", 1, None, ["Épicerie sociale du Teil"]),
        ("cd07", "ft-privas", 1, None, ["Épicerie sociale du Teil"]),
        ("cd07", "region", 1, None, ["Formation des bénévoles"]),
    ]
    for a, b, weight, amount, facts in links:
        g.add_edge(ORG + a, ORG + b, weight=weight, amount_eur=amount, facts=facts)
    degree, betweenness = nx.degree_centrality(g), nx.betweenness_centrality(g)
    for n in g:
        g.nodes[n]["degree"] = degree[n]
        g.nodes[n]["betweenness"] = betweenness[n]
    return g


def large_graph(n: int = 1500, seed: int = 7) -> nx.Graph:
    """A scale-free partner network with the full attribute contract (centralities are cheap
    stand-ins: exact betweenness on 1,500 nodes is not what this measures)."""
    import random

    rnd = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    kinds = ["ACI", "EI", "AI", "CD", "REG", "CCAS", "MUNI", "EPCI", "ETAT", "FT", "CAF", "ASSO", "ASSO",
             "RESEAU", "FONDATION", "ENTREPRISE", "OF"]
    territories = ["Drôme", "Ardèche", "Isère", "Savoie", "Haute-Savoie", "Rhône", "Loire", "Ain", "Valence",
                   "Grenoble", "Lyon", "Saint-Étienne", "Privas", "Die"]
    themes = ["Insertion professionnelle", "Mobilité", "Aide alimentaire", "Logement", "Formation",
              "Économie circulaire", "Numérique", "Santé"]
    degree = nx.degree_centrality(base)
    g = nx.Graph()
    for i in base.nodes:
        kind = rnd.choice(kinds)
        g.add_node(f"{ORG}n{i:05d}", label=f"Structure n°{i} d'{rnd.choice(territories)}", kind=kind,
                   kind_label=model.concepts("kinds")[kind].label("fr"), territories=rnd.sample(territories, rnd.randint(1, 3)),
                   themes=rnd.sample(themes, rnd.randint(1, 2)),
                   facts=[f"pilote — Initiative {i}-{j} ({i:03d}_doc.txt#char={j * 100},{j * 100 + 80})"
                          for j in range(rnd.randint(0, 4))],
                   degree=degree[i], betweenness=degree[i] ** 2 + rnd.random() * 1e-4)
    for a, b in base.edges:
        g.add_edge(f"{ORG}n{a:05d}", f"{ORG}n{b:05d}", weight=rnd.choice([1, 1, 1, 2, 3, 5]),
                   amount_eur=rnd.choice([None, 1500.0, 20000.0]), facts=[f"Initiative {a}-{b}"])
    return g


# --- helpers ----------------------------------------------------------------------------------
def payload(page: str) -> dict:
    blocks = DATA_RE.findall(page)
    assert len(blocks) == 1, "exactly one embedded data block"
    return json.loads(blocks[0])


class Page(HTMLParser):
    """What the HTML parser (like a browser) makes of the page: tags, urls, texts by element id."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.options: dict[str, list[str]] = {}
        self.texts: dict[str, str] = {}
        self._select: str | None = None
        self._capture: list[list] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        for name in ("src", "href", "action", "data", "poster", "srcset", "formaction"):
            if name in a and a[name] is not None:
                self.urls.append((tag, name, a[name]))
        if tag == "select":
            self._select = a.get("id")
            self.options[self._select] = []
        if tag in self.VOID:
            return
        if tag == "option":
            self._capture.append(["option", ""])
        elif "id" in a or tag == "title":
            self._capture.append([a.get("id") or tag, ""])
        else:
            self._capture.append([None, ""])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if not self._capture:
            return
        key, text = self._capture.pop()
        if key == "option":
            self.options[self._select].append(text)
        elif key is not None:
            self.texts[key] = text
        if self._capture:
            self._capture[-1][1] += text

    def handle_data(self, data):
        if self._capture:
            self._capture[-1][1] += data


def scripts(page: str) -> tuple[int, int]:
    """How many `<script` and `</script` the page has besides those inside vis-network's own code
    (its core-js polyfill holds the string "<script>")."""
    js = viz._vis_assets()[0].lower()
    low = page.lower()
    return low.count("<script") - js.count("<script"), low.count("</script") - js.count("</script")


def write(g: nx.Graph, tmp_path: Path, name: str = "network.html", **kw) -> tuple[Path, str]:
    path = write_network_page(g, tmp_path / name, **kw)
    return path, path.read_bytes().decode("utf-8")


def graph_state(g: nx.Graph):
    return (sorted(g.nodes), copy.deepcopy(dict(g.nodes(data=True))),
            sorted((tuple(sorted((a, b))), repr(sorted(d.items()))) for a, b, d in g.edges(data=True)))


# --- examples ---------------------------------------------------------------------------------
def test_page_holds_the_whole_graph(tmp_path):
    g = partner_graph()
    before = graph_state(g)
    path, page = write(g, tmp_path)
    assert path == tmp_path / "network.html"
    data = payload(page)
    assert [n["id"] for n in data["nodes"]] == sorted(g.nodes)
    assert len(data["edges"]) == g.number_of_edges()
    assert {tuple(sorted((e["from"], e["to"]))) for e in data["edges"]} == {tuple(sorted(e)) for e in g.edges}
    by_id = {n["id"]: n for n in data["nodes"]}
    for node, d in g.nodes(data=True):
        shown = by_id[node]
        assert shown["label"] == d["label"]
        kind = style.kind_styles([d["kind"]])[d["kind"]]
        look = data["options"]["groups"][shown["group"]]     # one vis-network group per kind
        assert look["color"]["background"] == kind.colour == style.FAMILY_COLOURS[model.concepts("kinds")[d["kind"]].family]
        assert look["shape"] == kind.shape
        assert isinstance(shown["x"], float) and isinstance(shown["y"], float)
        assert [data["territories"][i] for i in shown["territories"]] == d["territories"]
        assert [data["themes"][i] for i in shown["themes"]] == d["themes"]
    # positions are precomputed and physics is off, so nothing moves when the page opens
    assert data["options"]["physics"]["enabled"] is False
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == g.number_of_nodes()
    assert graph_state(g) == before, "the input graph is not modified"
    assert "Réseau des partenaires" in Page(page).texts["maillage-title"]


def test_sizes_follow_the_centrality_and_widths_the_weight(tmp_path):
    g = partner_graph()
    for size_by in ("betweenness", "degree"):
        data = payload(write(g, tmp_path, size_by=size_by)[1])
        ranked = sorted(data["nodes"], key=lambda n: g.nodes[n["id"]][size_by])
        sizes = [n["size"] for n in ranked]
        assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
        assert data["sizeBy"] == size_by
    widths = {e["weight"]: e["width"] for e in data["edges"]}
    assert widths[2] > widths[1]


def test_tooltips_are_plain_text_listing_facts_with_their_source(tmp_path):
    g = partner_graph()
    data = payload(write(g, tmp_path)[1])
    etape = next(n for n in data["nodes"] if n["id"] == ORG + "etape")
    lines = etape["title"].split("\n")
    assert lines[0] == "Atelier d'insertion L'Étape"
    assert "Atelier et chantier d'insertion (ACI)" in lines
    assert "• pilote — Api Truck's (000_db57453d3f781195.txt#char=120,200)" in lines
    assert "Territoires : Valence, Drôme" in lines
    assert not re.search(r"<\w+|<br", etape["title"]), "tooltips are text, not HTML"
    edge = next(e for e in data["edges"] if {e["from"], e["to"]} == {ORG + "cd26", ORG + "etape"})
    assert "2 initiatives partagées" in edge["title"]
    assert "Montant : 80\u202f000\u00a0€" in edge["title"]
    assert "• Garage solidaire de l'Étoile" in edge["title"]


def test_legend_shows_the_families_and_the_kinds_with_their_shape(tmp_path):
    g = partner_graph()
    g.add_node(ORG + "gip", label="GIP Inclusion & Emploi")           # no kind, no kind_label
    g.add_node(ORG + "x", label="Coopérative Épi", kind="SCIC")       # a kind outside the typology
    page = write(g, tmp_path)[1]
    legend = page[page.index('id="maillage-legend"'):page.index('id="maillage-data"')]
    kinds = {d.get("kind", "AUTRE") for _, d in g.nodes(data=True)}
    for kind in kinds:
        assert f'data-kind="{kind}"' in legend
    for code, label in [("ACI", "Atelier et chantier d&#39;insertion"), ("CD", "Département (conseil départemental)"),
                        ("ETAT", "Service de l&#39;État"), ("FONDATION", "Fondation"), ("ASSO", "Association"),
                        ("AUTRE", "Autre structure")]:
        item = re.search(rf'<li data-kind="{code}" title="([^"]*)">(.*?)</li>', legend, re.DOTALL)
        assert item.group(1) == label and label in item.group(2)
        # the kind's family heads its group, with the family's colour; the kind's shape is drawn
        group = legend[:item.start()].rsplit('<div class="family"', 1)[1]
        family = model.concepts("kinds")[code].family
        assert group.startswith(f' data-family="{family}"') and style.FAMILY_COLOURS[family] in group
        assert "<svg" in item.group(2)
    assert '<span class="count">(2)</span>' in re.search(r'<li data-kind="ACI"[^>]*>(.*?)</li>', legend).group(1)
    # families in the scheme's order: collectivités, then SIAE, then the State..., "Autres" last
    order = [legend.index(f'data-kind="{k}"') for k in ("CCAS", "ACI", "ETAT", "FONDATION", "ASSO", "SCIC")]
    assert order == sorted(order)
    # a kind outside the typology is one of the "Autres", grey, with a shape of its own there
    groups = payload(page)["options"]["groups"]
    nodes = {n["id"]: groups[n["group"]] for n in payload(page)["nodes"]}
    scic, autre = nodes[ORG + "x"], nodes[ORG + "gip"]
    assert scic["color"]["background"] == autre["color"]["background"] == style.FAMILY_COLOURS["autres"]
    assert (scic["shape"], scic["borderWidth"]) != (autre["shape"], autre["borderWidth"])
    texts = Page(page).texts
    assert "SIAE et insertion" in texts["maillage-legend"]
    assert "Atelier et chantier d'insertion" in re.sub(r"\s+", " ", texts["maillage-legend"])


def test_palette_is_one_colour_per_family_from_the_model():
    families = model.concepts("families")
    colours = [c for _, _, c in style.families()]
    assert [code for code, _, _ in style.families()] == list(families), "every family of the scheme, in its order"
    assert set(families) <= set(style.FAMILY_COLOURS) and len(set(colours)) == len(colours)
    styles = style.scheme_kinds()
    assert list(styles) == list(model.concepts("kinds")), "every kind of the typology, none added"
    for code, s in styles.items():
        assert s.family_label == model.kind_family(code)
        assert s.label == model.concepts("kinds")[code].label("fr")
    # inside a family, no two kinds look the same
    for family in families:
        looks = [(s.shape, s.hollow) for s in styles.values() if s.family == family]
        assert len(set(looks)) == len(looks), family
    # viz/ never lists kinds: no kind code of the typology is a string literal there
    for source in (Path(viz.__file__).parent).glob("*.py"):
        text = source.read_text(encoding="utf-8")
        written = {code for code in styles if f'"{code}"' in text} - {style.DEFAULT_KIND}
        assert written == set(), f"{source.name} names kinds {written}"


_CVD = {  # Machado, Oliveira & Fernandes (2009), severity 1
    "deutéranopie": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "protanopie": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "tritanopie": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "vision normale": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
}


def _lab(colour: str, matrix) -> tuple[float, float, float]:
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    rgb = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    rgb = [min(max(sum(m * c for m, c in zip(row, rgb)), 0.0), 1.0) for row in matrix]
    xyz = [sum(m * c for m, c in zip(row, rgb)) / w for row, w in zip(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]], (0.95047, 1.0, 1.08883))]
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_family_colours_stay_apart_for_colour_blind_readers():
    colours = {code: colour for code, _, colour in style.families()}
    for vision, matrix in _CVD.items():
        lab = {code: _lab(c, matrix) for code, c in colours.items()}
        closest = min((math.dist(lab[a], lab[b]), a, b) for a in lab for b in lab if a < b)
        assert closest[0] > 10, f"{vision}: {closest[1]} and {closest[2]} look alike (ΔE {closest[0]:.1f})"


def test_links_to_the_explorer_only_when_safe(tmp_path):
    g = partner_graph()
    evil = {ORG + "cd26": "javascript:alert(1)", ORG + "etape": "//evil.example/x", ORG + "elan": '/id/org/a" onclick="x'}

    def links(uri):
        if uri in evil:
            return evil[uri], "data:text/html,x"
        return "/id/org/" + uri.rsplit("/", 1)[1], "/network/org/" + uri.rsplit("/", 1)[1]

    page = write(g, tmp_path, links=links, home="/")[1]
    nodes = {n["id"]: n for n in payload(page)["nodes"]}
    assert nodes[ORG + "secours"]["href"] == "/id/org/secours" and nodes[ORG + "secours"]["net"] == "/network/org/secours"
    for uri in evil:
        assert "href" not in nodes[uri] and "net" not in nodes[uri]
    assert ('id="maillage-home" href="/"') in page and "Retour à l'explorateur" in page
    plain = write(g, tmp_path, "plain.html")[1]
    assert 'id="maillage-home"' not in plain and all("href" not in n for n in payload(plain)["nodes"])
    assert 'id="maillage-home"' not in write(g, tmp_path, "bad.html", home="javascript:alert(1)")[1]


def test_focus_and_top_labels_are_in_the_data(tmp_path):
    g = partner_graph()
    data = payload(write(g, tmp_path, focus=ORG + "cd07")[1])
    assert data["focus"] == ORG + "cd07"
    by_rank = sorted(data["nodes"], key=lambda n: n["rank"])
    assert [n["rank"] for n in by_rank] == list(range(g.number_of_nodes()))
    assert by_rank[0]["id"] == max(g.nodes, key=lambda n: g.nodes[n]["betweenness"])
    assert data["labels"]["top"] >= 8
    assert payload(write(g, tmp_path, focus=ORG + "nobody")[1])["focus"] is None


def test_filters_list_every_territory_and_theme(tmp_path):
    g = partner_graph()
    page = write(g, tmp_path)[1]
    parsed = Page(page)
    territories = {t for _, d in g.nodes(data=True) for t in d["territories"]}
    themes = {t for _, d in g.nodes(data=True) for t in d["themes"]}
    assert sorted(parsed.options["filter-territory"][1:]) == sorted(territories)
    assert sorted(parsed.options["filter-theme"][1:]) == sorted(themes)
    assert parsed.options["filter-theme"][1:].index("Économie circulaire") < parsed.options["filter-theme"][1:].index("Formation")
    assert 'id="filter-search"' in page


def test_page_loads_nothing_from_the_internet(tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    out = tmp_path / "site" / "network.html"
    write_network_page(partner_graph(), out)
    write_network_page(partner_graph(), Path("relative.html"))
    assert sorted(os.listdir(cwd)) == ["relative.html"], "pyvis wrote no lib/ folder (nor anything else)"
    assert sorted(os.listdir(out.parent)) == ["network.html"]
    page = out.read_bytes().decode("utf-8")
    parsed = Page(page)
    remote = [(tag, name, url) for tag, name, url in parsed.urls if re.match(r"\s*(https?:)?//", url, re.I)]
    assert remote == []
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "<link" not in page.lower() and "<iframe" not in page.lower()
    assert parsed.tags.count("script") == 3 and not re.search(r"<script[^>]*\ssrc\s*=", page, re.I)
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "tom-select", "googleapis"):
        assert cdn not in page.lower()
    js, css = viz._vis_assets()
    assert js in page and css in page, "vis-network's JS and CSS are inlined"
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_data_cannot_break_out_of_the_page(tmp_path):
    g = partner_graph()
    evil = ORG + "evil"
    g.add_node(evil, label=EVIL_SCRIPT + EVIL_IMG, kind=EVIL_IMG, kind_label=EVIL_SCRIPT,
               territories=[EVIL_SCRIPT, EVIL_IMG, "Drôme"], themes=[EVIL_IMG],
               facts=[f"pilote — {EVIL_SCRIPT} (x.txt#char=1,2)", "a\u2028b\u2029c </SCRIPT > <!-- &amp;"])
    g.add_edge(evil, ORG + "cd26", weight=1, facts=[EVIL_IMG])
    page = write(g, tmp_path, title=f"Réseau {EVIL_SCRIPT}")[1]
    for raw in (EVIL_SCRIPT, EVIL_IMG, "<img", "</SCRIPT >", "<!-- &amp;", "\u2028", "\u2029"):
        assert raw not in page
    assert scripts(page) == (3, 3)
    block = DATA_RE.search(page).group(1)
    assert not set(block) & set("<>&\u2028\u2029")
    data = json.loads(block)
    node = next(n for n in data["nodes"] if n["id"] == evil)
    assert node["label"] == EVIL_SCRIPT + EVIL_IMG
    assert f"• pilote — {EVIL_SCRIPT} (x.txt#char=1,2)" in node["title"]
    parsed = Page(page)
    assert "img" not in parsed.tags
    assert parsed.texts["title"] == f"Réseau {EVIL_SCRIPT}"
    assert EVIL_SCRIPT in parsed.options["filter-territory"] and EVIL_IMG in parsed.options["filter-territory"]
    assert html.escape(EVIL_IMG) in page.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    assert EVIL_SCRIPT in re.sub(r"\s+", " ", parsed.texts["maillage-legend"])


# --- property ---------------------------------------------------------------------------------
_NASTY = ["</script>", "</SCRIPT", "<script>alert(1)</script>", EVIL_IMG, "<!--", "-->", "&amp;", "&lt;",
          "\u2028", "\u2029", "'", '"', "\\", "\\u003c", "${x}", "`", "{{ x }}", "{% raw %}", "\x00", "\r\n"]
_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
_label = st.one_of(_text, st.sampled_from(_NASTY),
                   st.lists(st.one_of(_text, st.sampled_from(_NASTY)), min_size=1, max_size=4).map("".join))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labels=st.lists(_label, min_size=1, max_size=6),
       territories=st.lists(st.lists(_label, max_size=3), min_size=1, max_size=6),
       title=_label)
def test_any_label_round_trips_and_stays_text(tmp_path_factory, labels, territories, title):
    g = nx.Graph()
    for i, label in enumerate(labels):
        g.add_node(f"{ORG}{i}", label=label, kind="ASSO", territories=territories[i % len(territories)],
                   themes=[label], facts=[label])
        if i:
            g.add_edge(f"{ORG}{i - 1}", f"{ORG}{i}", weight=1, facts=[label])
    path = write_network_page(g, tmp_path_factory.getbasetemp() / "property.html", title=title)
    page = path.read_bytes().decode("utf-8")
    # the embedded JSON parses back to the same strings
    block = DATA_RE.search(page).group(1)
    assert not set(block) & set("<>&\u2028\u2029")
    data = json.loads(block)
    assert {n["id"]: n["label"] for n in data["nodes"]} == {f"{ORG}{i}": label for i, label in enumerate(labels)}
    assert set(data["territories"]) == {t for i in range(len(labels)) for t in territories[i % len(territories)]}
    # no data string can end or open an element: the page keeps exactly its own three scripts
    assert scripts(page) == (3, 3)
    parsed = Page(page)
    assert parsed.tags.count("script") == 3 and "img" not in parsed.tags
    assert parsed.texts["title"] == title
    assert parsed.options["filter-territory"][1:] == data["territories"]
    assert parsed.options["filter-theme"][1:] == data["themes"]


# --- size limits, determinism, defaults -------------------------------------------------------
def test_max_nodes_keeps_the_most_central_and_says_what_was_left_out(tmp_path):
    g = partner_graph()
    page = write(g, tmp_path, max_nodes=5)[1]
    data = payload(page)
    top = sorted(g.nodes, key=lambda n: -g.nodes[n]["betweenness"])[:5]
    assert {n["id"] for n in data["nodes"]} == set(top)
    kept_edges = g.subgraph(top).number_of_edges()
    assert len(data["edges"]) == kept_edges
    note = re.sub(r"\s+", " ", Page(page).texts["maillage-truncated"])
    assert "5 organisations les plus centrales" in note
    assert f"{g.number_of_nodes() - 5} nœuds et {g.number_of_edges() - kept_edges} liens ne sont pas affichés" in note
    for unlimited in (None, g.number_of_nodes(), 10_000):
        assert 'id="maillage-truncated"' not in write(g, tmp_path, max_nodes=unlimited)[1]
    with pytest.raises(ValueError):
        write_network_page(g, tmp_path / "x.html", max_nodes=0)


def test_same_graph_same_page(tmp_path):
    g = partner_graph()
    shuffled = nx.Graph()
    shuffled.add_nodes_from(reversed(list(g.nodes(data=True))))
    shuffled.add_edges_from(reversed([(b, a, d) for a, b, d in g.edges(data=True)]))
    first = write(g, tmp_path, "a.html")[1]
    assert write(g, tmp_path, "b.html")[1] == first
    assert write(shuffled, tmp_path, "c.html")[1] == first


def test_missing_attributes_get_defaults(tmp_path):
    g = nx.Graph()
    g.add_edge(ORG + "a", ORG + "b")
    g.add_edge(ORG + "b", ORG + "c", weight=2, amount_eur=None, facts=None)
    g.add_node(ORG + "d", label="", kind=None, territories="Drôme", themes=None, facts="une seule ligne",
               betweenness=float("nan"))
    data = payload(write(g, tmp_path)[1])
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id[ORG + "a"]["label"] == "a" and by_id[ORG + "d"]["label"] == "d"
    assert {n["kind"] for n in data["nodes"]} == {"AUTRE"}
    assert data["territories"] == ["Drôme"] and by_id[ORG + "d"]["territories"] == [0]
    assert "• une seule ligne" in by_id[ORG + "d"]["title"]
    assert all(math.isfinite(n["size"]) for n in data["nodes"])
    # no betweenness given anywhere: it is computed, so the middle node is the biggest
    g2 = nx.path_graph([ORG + "x", ORG + "y", ORG + "z"])
    sizes = {n["id"]: n["size"] for n in payload(write(g2, tmp_path)[1])["nodes"]}
    assert sizes[ORG + "y"] > sizes[ORG + "x"] == sizes[ORG + "z"]
    empty = payload(write(nx.Graph(), tmp_path)[1])
    assert empty["nodes"] == [] and empty["edges"] == []


def test_1500_nodes_write_in_a_few_seconds(tmp_path):
    g = large_graph(1500)
    start = time.perf_counter()
    path, page = write(g, tmp_path, "large.html")
    elapsed = time.perf_counter() - start
    print(f"1,500-node page ({g.number_of_edges()} edges, {path.stat().st_size / 1e6:.1f} MB) written in {elapsed:.2f} s")
    assert elapsed < 60, f"{elapsed:.1f} s"     # hang guard; the page-writing target is `maillage bench`'s
    data = payload(page)
    assert len(data["nodes"]) == 1500 and len(data["edges"]) == g.number_of_edges()
    xs, ys = [n["x"] for n in data["nodes"]], [n["y"] for n in data["nodes"]]
    assert max(xs) - min(xs) > 1000 and max(ys) - min(ys) > 1000, "spread over a large canvas"
    assert len(set(zip(xs, ys))) > 1490
    assert data["options"]["physics"]["enabled"] is False
    # neighbours end up closer than random pairs: the layout did its job
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    d = lambda a, b: math.dist(pos[a], pos[b])  # noqa: E731
    linked = sorted(d(a, b) for a, b in g.edges)[len(g.edges) // 2]
    ids = sorted(pos)
    anyhow = sorted(d(ids[i], ids[(i * 7919 + 13) % 1500]) for i in range(1500))[750]
    assert linked < anyhow / 2
    limited = payload(write(g, tmp_path, "limited.html", max_nodes=200)[1])
    assert len(limited["nodes"]) == 200


@settings(max_examples=80, deadline=None)
@given(points=st.lists(st.tuples(st.floats(-500, 500), st.floats(-500, 500)), min_size=2, max_size=60),
       reach=st.floats(0, 120))
def test_close_pairs_are_every_pair_within_reach(points, reach):
    """The sweep that finds the discs to push apart misses no pair and adds none."""
    from maillage.viz.layout import _close_pairs

    pos = np.array(points, dtype=float)
    i, j = _close_pairs(pos, reach)
    brute = [(a, b) for a in range(len(pos)) for b in range(a + 1, len(pos))
             if abs(pos[a, 0] - pos[b, 0]) <= reach and abs(pos[a, 1] - pos[b, 1]) <= reach]
    assert list(zip(i.tolist(), j.tolist())) == brute
