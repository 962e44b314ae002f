"""The partner-network page: one self-contained HTML file, drawn by vis-network, that loads
nothing from the internet.

pyvis holds the nodes, edges and options; the page itself comes from our own Jinja2 template
(``templates/network.html``), with vis-network's JS and CSS inlined from the copy pyvis ships.
Every string that comes from the data is either embedded as JSON with ``<``, ``>``, ``&``,
U+2028 and U+2029 escaped (so no label can close the ``<script>`` element) or HTML-escaped by
the template's autoescaping. Positions are computed once in Python (seeded) and physics is off,
so even a large page is interactive at once and the same graph always gives the same file.

Input contract (see ``graph.projections.cooperation``): an undirected ``nx.Graph`` whose node
ids are URI strings, with node attributes ``label``, ``kind``, ``kind_label``, ``territories``,
``themes``, ``facts``, ``degree``, ``betweenness`` and edge attributes ``weight``,
``amount_eur``, ``facts``. Any of them may be missing.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from maillage import model

__all__ = ["write_network_page", "KIND_STYLES", "FAMILIES", "kind_colour", "embed_json"]

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "network.html"

# --- colours -----------------------------------------------------------------------------------
# One family of colours per sort of organisation; the legend groups kinds by family, in this order.
FAMILIES: tuple[str, ...] = model.families()   # ontology/concepts/typology.ttl, legend order

# kind code -> (colour, default French label). Labels follow the typology concept scheme
# (ontology/concepts/typology.ttl); a node's own ``kind_label`` wins over them. Families come from
# the scheme too (mai:family).
_KIND_COLOURS: dict[str, tuple[str, str]] = {
    # collectivités: blues
    "REG": ("#1f4e9c", "Région (conseil régional)"),
    "CD": ("#2f6fd0", "Département (conseil départemental)"),
    "EPCI": ("#4a90e2", "Intercommunalité (EPCI)"),
    "MUNI": ("#7fb0ea", "Commune"),
    "SM": ("#5c6fb0", "Syndicat mixte"),
    "CCAS": ("#0e86b3", "Centre communal d'action sociale"),
    "CIAS": ("#3fa7cf", "Centre intercommunal d'action sociale"),
    "COLLECTIVITE": ("#9fc1e8", "Collectivité territoriale"),
    # SIAE and other insertion / adapted-work structures: greens and teals
    "ACI": ("#2e8b57", "Atelier et chantier d'insertion"),
    "EI": ("#43a047", "Entreprise d'insertion"),
    "AI": ("#7cb342", "Association intermédiaire"),
    "ETTI": ("#1b6e3a", "Entreprise de travail temporaire d'insertion"),
    "EITI": ("#9ccc65", "Entreprise d'insertion par le travail indépendant"),
    "SIAE": ("#66bb6a", "Structure d'insertion par l'activité économique"),
    "GEIQ": ("#00897b", "Groupement d'employeurs pour l'insertion et la qualification"),
    "EA": ("#26a69a", "Entreprise adaptée"),
    "ESAT": ("#4db6ac", "Établissement et service d'aide par le travail"),
    # State services and public bodies: reds
    "ETAT": ("#c62828", "Service de l'État"),
    "FT": ("#e53935", "France Travail (ex-Pôle emploi)"),
    "UE": ("#8e1b1b", "Union européenne, fonds européens"),
    "GIP": ("#ef7070", "Groupement d'intérêt public"),
    "EPIC": ("#ad1457", "Établissement public industriel et commercial"),
    "PLIE": ("#d84315", "Plan local pour l'insertion et l'emploi"),
    "ML": ("#f4511e", "Mission locale"),
    # social security funds: ambers
    "CAF": ("#f9a825", "Caisse d'allocations familiales"),
    "CPAM": ("#e0b400", "Caisse primaire d'assurance maladie"),
    "MSA": ("#f57f17", "Mutualité sociale agricole"),
    # foundations: purple
    "FONDATION": ("#8e24aa", "Fondation"),
    # associations and networks: oranges
    "ASSO": ("#fb8c00", "Association"),
    "RESEAU": ("#ffb74d", "Réseau, fédération"),
    # companies, social-economy companies, landlords, training bodies: browns and pink
    "ENTREPRISE": ("#6d4c41", "Entreprise"),
    "ESS": ("#a1887f", "Entreprise de l'économie sociale et solidaire"),
    "BAILLEUR": ("#8d6e63", "Bailleur social"),
    "OF": ("#d81b60", "Organisme de formation"),
    # anything else: greys
    "AUTRE": ("#9e9e9e", "Autre structure"),
}
# kind code -> (family, colour, default French label)
KIND_STYLES: dict[str, tuple[str, str, str]] = {k: (model.kind_family(k), c, label) for k, (c, label) in _KIND_COLOURS.items()}
# Kinds outside the typology get these, in sorted order of their codes (deterministic).
_EXTRA_COLOURS = ("#607d8b", "#90a4ae", "#455a64", "#b0bec5", "#78909c", "#37474f", "#bdbdbd", "#757575")
DEFAULT_KIND = "AUTRE"

# --- sizes -------------------------------------------------------------------------------------
NODE_MIN_PX, NODE_MAX_PX = 8.0, 40.0
EDGE_MIN_PX, EDGE_MAX_PX = 1.0, 10.0
MAX_FACTS = 25                # facts listed in one tooltip; the rest are counted
NX_LAYOUT_MAX_NODES = 500     # up to here nx.spring_layout; above, a vectorised numpy layout
LAYOUT_ITERATIONS = 50
LARGE_GRAPH = 300             # above this, hide edges while dragging/zooming
LABEL_AWARE_MAX_NODES = 200   # up to here the layout keeps labels from overlapping
LABEL_GAP = 18.0              # px kept free between two discs, for the label under a node

_VIS_DIR = ("templates", "lib", "vis-9.1.2")


# --- small helpers -----------------------------------------------------------------------------
def _text(value: Any) -> str:
    """A data value as a str that can be written as UTF-8 (lone surrogates become U+FFFD)."""
    s = value if isinstance(value, str) else str(value)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s


def _texts(value: Any) -> list[str]:
    """A list attribute (territories, themes, facts) as a list of non-empty strs, order kept,
    duplicates dropped; a single string counts as a one-item list."""
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        value = [value]
    out: list[str] = []
    seen: set[str] = set()
    for item in value:
        if item is None:
            continue
        s = _text(item)
        if s and s not in seen:
            seen.add(s)
            out.append(s)
    return out


def _number(value: Any, default: float = 0.0) -> float:
    if isinstance(value, bool) or value is None:
        return default
    try:
        f = float(value)
    except (TypeError, ValueError):
        return default
    return f if math.isfinite(f) else default


def _fold(s: str) -> str:
    """Sort key: case- and accent-insensitive, then the string itself."""
    base = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return base.casefold()


def _sorted_labels(labels: Iterable[str]) -> list[str]:
    return sorted(set(labels), key=lambda s: (_fold(s), s))


def _default_label(node_id: str) -> str:
    tail = re.split(r"[/#]", node_id.rstrip("/#"))[-1]
    return tail or node_id


def _euros(amount: float) -> str:
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def kind_colour(kind: str, extra: dict[str, str] | None = None) -> str:
    if kind in KIND_STYLES:
        return KIND_STYLES[kind][1]
    return (extra or {}).get(kind, KIND_STYLES[DEFAULT_KIND][1])


_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def embed_json(data: Any) -> str:
    """JSON for a ``<script type="application/json">`` element: deterministic (sorted keys) and
    with ``<``, ``>``, ``&``, U+2028, U+2029 written as ``\\uXXXX`` so no string can end the
    element or start a comment; ``JSON.parse`` gives the original strings back."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


@functools.lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the copy that ships inside the pyvis package, made safe to
    inline (no ``</script`` / ``</style`` can end their element early)."""
    import pyvis

    folder = Path(pyvis.__file__).parent.joinpath(*_VIS_DIR)
    js_path, css_path = folder / "vis-network.min.js", folder / "vis-network.css"
    if not (js_path.is_file() and css_path.is_file()):
        raise FileNotFoundError(f"vis-network not found in the pyvis package at {folder}")
    js = js_path.read_text(encoding="utf-8")
    css = css_path.read_text(encoding="utf-8")
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    css = re.sub(r"</(style)", r"\\3c/\1", css, flags=re.IGNORECASE)
    return js, css


@functools.lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)),
                       autoescape=select_autoescape(enabled_extensions=("html",), default=True),
                       keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


# --- layout ------------------------------------------------------------------------------------
def _numpy_layout(n: int, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray,
                  *, seed: int = 42, iterations: int = LAYOUT_ITERATIONS) -> np.ndarray:
    """Fruchterman-Reingold, fully vectorised (O(n²) memory, no Python loop over nodes), with a
    weak pull to the centre so separate components stay in view. About 1 s for 1,500 nodes."""
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) - 0.5
    k = 1.0 / math.sqrt(n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    gravity = 0.1 * n * k
    for _ in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        rep = dx * dx
        rep += dy * dy
        np.maximum(rep, 1e-9, out=rep)
        np.divide(k * k, rep, out=rep)            # repulsion k²/d along the unit vector
        fx = np.einsum("ij,ij->i", dx, rep)
        fy = np.einsum("ij,ij->i", dy, rep)
        if len(rows):
            ex = pos[rows] - pos[cols]
            dist = np.sqrt((ex * ex).sum(axis=1))
            pull = ex * (dist * weights / k)[:, None]  # attraction d²/k along the edge
            fx -= np.bincount(rows, pull[:, 0], n) - np.bincount(cols, pull[:, 0], n)
            fy -= np.bincount(rows, pull[:, 1], n) - np.bincount(cols, pull[:, 1], n)
        fx -= gravity * pos[:, 0]
        fy -= gravity * pos[:, 1]
        disp = np.sqrt(fx * fx + fy * fy)
        np.maximum(disp, 1e-9, out=disp)
        step = np.minimum(disp, temperature) / disp
        pos[:, 0] += fx * step
        pos[:, 1] += fy * step
        temperature -= cooling
    return pos


def _component_layout(ids: list[str], edges: list[tuple[str, str, float]]) -> np.ndarray:
    """Positions of one connected component, centred, within the unit disc."""
    n = len(ids)
    if n == 1:
        return np.zeros((1, 2))
    if n <= NX_LAYOUT_MAX_NODES:
        h = nx.Graph()
        h.add_nodes_from(ids)
        h.add_weighted_edges_from(edges)
        raw = nx.spring_layout(h, seed=42, iterations=LAYOUT_ITERATIONS, weight="weight")
        pos = np.array([raw[node] for node in ids], dtype=float)
    else:
        index = {node: i for i, node in enumerate(ids)}
        rows = np.array([index[a] for a, _, _ in edges], dtype=np.intp)
        cols = np.array([index[b] for _, b, _ in edges], dtype=np.intp)
        weights = np.array([w for _, _, w in edges], dtype=float)
        pos = _numpy_layout(n, rows, cols, weights)
    pos -= pos.mean(axis=0)
    radius = float(np.sqrt((pos * pos).sum(axis=1)).max())
    return pos / radius if radius > 0 else pos


def _separate(pos: np.ndarray, half_w: np.ndarray, half_h: np.ndarray, *, gap: float, iterations: int) -> None:
    """Push apart boxes (centred on ``pos``) that overlap, along the axis where they overlap
    least; in place and deterministic. The caller puts a node and its label in its box."""
    n = len(pos)
    if n < 2:
        return
    need_x = half_w[:, None] + half_w[None, :] + gap
    need_y = half_h[:, None] + half_h[None, :] + gap
    np.fill_diagonal(need_x, 0.0)
    np.fill_diagonal(need_y, 0.0)
    # ties (same x or same y) are broken by index, so twins do not stay on top of each other
    tie = np.sign(np.arange(n)[:, None] - np.arange(n)[None, :]).astype(float)
    for _ in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        ox = need_x - np.abs(dx)
        oy = need_y - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        if not hit.any():
            return
        along_x = hit & (ox * need_y < oy * need_x)     # relatively less overlap in x: move in x
        along_y = hit & ~along_x
        sx = np.where(dx != 0, np.sign(dx), tie)
        sy = np.where(dy != 0, np.sign(dy), tie)
        pos[:, 0] += (np.where(along_x, ox, 0.0) * sx).sum(axis=1) * 0.25
        pos[:, 1] += (np.where(along_y, oy, 0.0) * sy).sum(axis=1) * 0.25


def _layout(ids: list[str], edges: list[tuple[str, str, float]],
            radii: dict[str, float], labels: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Pixel positions, seeded: the same graph always lands in the same place. Each connected
    component is laid out on its own (so isolated organisations do not squeeze the rest), the
    components are packed in rows, largest first, then overlapping discs are pushed apart."""
    if not ids:
        return {}
    h = nx.Graph()
    h.add_nodes_from(ids)
    h.add_weighted_edges_from((a, b, w) for a, b, w in edges if a != b)
    components = sorted((sorted(c) for c in nx.connected_components(h)), key=lambda c: (-len(c), c[0]))
    component_of = {node: i for i, comp in enumerate(components) for node in comp}
    edges_of: list[list[tuple[str, str, float]]] = [[] for _ in components]
    for a, b, w in sorted(edges):
        if a != b:
            edges_of[component_of[a]].append((a, b, w))
    # small graphs get room for their labels; big ones stay compact (labels appear on zoom)
    spacing = max(45.0, 140.0 - 27.0 * math.log10(len(ids)))
    label_aware = len(ids) <= LABEL_AWARE_MAX_NODES
    # a node's box holds its disc and, on small graphs, the label under it (~7 px a character)
    half_w = {node: max(radii[node], min(7.5 * len(labels[node]), 480.0) / 2) if label_aware else radii[node]
              for node in ids}
    blocks = []
    for comp, comp_edges in zip(components, edges_of):
        spread = spacing * math.sqrt(len(comp)) if len(comp) > 1 else 0.0
        local = _component_layout(comp, comp_edges) * spread
        reach = spread + max(half_w[node] for node in comp) + LABEL_GAP
        blocks.append((comp, local, reach))
    # shelf packing: rows of components, the first (largest) one alone is the widest thing
    total_area = sum((2 * reach) ** 2 for _, _, reach in blocks)
    row_width = max(2 * blocks[0][2], math.sqrt(total_area) * 1.2)
    pos = np.zeros((len(ids), 2))
    order = {node: i for i, node in enumerate(ids)}
    x = y = row_height = 0.0
    for comp, local, reach in blocks:
        if x > 0 and x + 2 * reach > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        centre = np.array([x + reach, y + reach])
        for node, p in zip(comp, local):
            pos[order[node]] = p + centre
        x += 2 * reach
        row_height = max(row_height, 2 * reach)
    r = np.array([radii[node] for node in ids])
    if label_aware:    # the box spans the disc and the label line under it
        pos[:, 1] += 11.0
        _separate(pos, np.array([half_w[node] for node in ids]), r + 11.0, gap=6.0, iterations=80)
        pos[:, 1] -= 11.0
    else:   # labels only show once zoomed in: keep the discs apart
        _separate(pos, r, r, gap=4.0, iterations=8)
    pos -= (pos.min(axis=0) + pos.max(axis=0)) / 2
    return {node: (round(float(px), 1), round(float(py), 1)) for node, (px, py) in zip(ids, pos)}


def _layout_weight(weight: float) -> float:
    # shared initiatives pull harder, but a 30-initiative pair must not collapse onto itself
    return 1.0 + math.log1p(max(weight, 1.0) - 1.0)


# --- centrality --------------------------------------------------------------------------------
def _centrality(g: nx.Graph, size_by: str) -> dict[Any, float]:
    """The ``size_by`` attribute of each node; when no node has it, degree and betweenness are
    computed (betweenness sampled on large graphs, seeded), anything else is 0."""
    if any(size_by in d for _, d in g.nodes(data=True)):
        return {n: max(_number(d.get(size_by)), 0.0) for n, d in g.nodes(data=True)}
    if g.number_of_nodes() == 0:
        return {}
    if size_by == "degree":
        return nx.degree_centrality(g)
    if size_by == "betweenness":
        n = g.number_of_nodes()
        return nx.betweenness_centrality(g, k=min(n, 300) if n > 1000 else None, seed=42)
    return {n: 0.0 for n in g}


# --- the page ----------------------------------------------------------------------------------
def write_network_page(G: nx.Graph, out: Path, *, title: str = "Réseau des partenaires",
                       size_by: str = "betweenness", max_nodes: int | None = None) -> Path:
    """Write the partner network of ``G`` as one self-contained HTML page at ``out``.

    Nodes are coloured by ``kind`` (one colour family per sort of organisation), sized by the
    ``size_by`` centrality; edges are as wide as their ``weight``. The page has a legend,
    plain-text tooltips listing each organisation's facts with their source, a territory select,
    a theme select and a search box. With ``max_nodes``, only the most central organisations are
    kept and the page says how many nodes and edges were left out. ``G`` is not modified.
    """
    from pyvis.network import Network

    if max_nodes is not None and (isinstance(max_nodes, bool) or int(max_nodes) < 1):
        raise ValueError(f"max_nodes must be a positive number, not {max_nodes!r}")
    out = Path(out)
    size_by = _text(size_by)

    # stable string ids, sorted iteration everywhere
    ids_of: dict[Any, str] = {}
    for node in G.nodes:
        ids_of[node] = _text(node)
    if len(set(ids_of.values())) != len(ids_of):
        raise ValueError("two nodes of the graph have the same id once written as text")
    centrality = _centrality(G, size_by)
    total_nodes, total_edges = G.number_of_nodes(), G.number_of_edges()

    def label_of(node: Any) -> str:
        raw = G.nodes[node].get("label")
        text = _text(raw) if raw is not None else ""
        return text if text else _default_label(ids_of[node])

    kept = sorted(G.nodes, key=lambda n: ids_of[n])
    if max_nodes is not None and total_nodes > max_nodes:
        ranked = sorted(kept, key=lambda n: (-centrality.get(n, 0.0), -G.degree(n), _fold(label_of(n)), ids_of[n]))
        kept = sorted(ranked[:int(max_nodes)], key=lambda n: ids_of[n])
    kept_set = set(kept)
    edge_list = []
    for a, b in G.edges():
        if a in kept_set and b in kept_set:
            ia, ib = ids_of[a], ids_of[b]
            edge_list.append((ia, ib, a, b) if ia <= ib else (ib, ia, b, a))
    edge_list.sort(key=lambda e: (e[0], e[1]))
    left_out_nodes, left_out_edges = total_nodes - len(kept), total_edges - len(edge_list)

    # kinds: colours for kinds outside the palette, labels (the data's own label wins)
    kinds: dict[Any, str] = {}
    kind_labels: dict[str, str] = {}
    for node in kept:
        d = G.nodes[node]
        kind = _text(d.get("kind")) if d.get("kind") not in (None, "") else DEFAULT_KIND
        kinds[node] = kind
        given = d.get("kind_label")
        if given not in (None, "") and kind not in kind_labels:
            kind_labels[kind] = _text(given)
    unknown = sorted({k for k in kinds.values() if k not in KIND_STYLES})
    extra = {k: _EXTRA_COLOURS[i % len(_EXTRA_COLOURS)] for i, k in enumerate(unknown)}
    for kind in set(kinds.values()):
        kind_labels.setdefault(kind, KIND_STYLES[kind][2] if kind in KIND_STYLES else kind)

    # territories and themes: sorted lists, nodes refer to them by index
    node_territories = {n: _texts(G.nodes[n].get("territories")) for n in kept}
    node_themes = {n: _texts(G.nodes[n].get("themes")) for n in kept}
    territories = _sorted_labels(t for ts in node_territories.values() for t in ts)
    themes = _sorted_labels(t for ts in node_themes.values() for t in ts)
    territory_index = {t: i for i, t in enumerate(territories)}
    theme_index = {t: i for i, t in enumerate(themes)}

    values = [centrality.get(n, 0.0) for n in kept]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)

    def node_size(value: float) -> float:
        if high <= low:
            return round((NODE_MIN_PX + NODE_MAX_PX) / 3, 1)
        share = (value - low) / (high - low)
        return round(NODE_MIN_PX + (NODE_MAX_PX - NODE_MIN_PX) * math.sqrt(share), 1)  # area ~ value

    sizes = {ids_of[n]: node_size(centrality.get(n, 0.0)) for n in kept}
    positions = _layout([ids_of[n] for n in kept],
                        [(ia, ib, _layout_weight(_number(G.edges[a, b].get("weight"), 1.0)))
                         for ia, ib, a, b in edge_list], sizes, {ids_of[n]: label_of(n) for n in kept})

    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line", heading=_text(title))
    for node in kept:
        d = G.nodes[node]
        nid, label, kind = ids_of[node], label_of(node), kinds[node]
        facts = _texts(d.get("facts"))
        lines = [label, f"{kind_labels[kind]} ({kind})"]
        if node_territories[node]:
            lines.append("Territoires : " + ", ".join(node_territories[node]))
        if node_themes[node]:
            lines.append("Thématiques : " + ", ".join(node_themes[node]))
        lines.append(f"Centralité ({size_by}) : {centrality.get(node, 0.0):.3f}"
                     f" · {G.degree(node)} partenaire{'s' if G.degree(node) != 1 else ''}")
        if facts:
            lines.append("")
            lines.extend("• " + f for f in facts[:MAX_FACTS])
            if len(facts) > MAX_FACTS:
                lines.append(f"… et {len(facts) - MAX_FACTS} autres faits")
        x, y = positions[nid]
        options = {"id": nid, "label": label, "title": "\n".join(lines), "kind": kind,
                   "color": kind_colour(kind, extra), "size": sizes[nid],
                   "x": x, "y": y,
                   "territories": [territory_index[t] for t in node_territories[node]],
                   "themes": [theme_index[t] for t in node_themes[node]]}
        net.nodes.append(options)       # not add_node: it is O(n) per call
        net.node_ids.append(nid)
        net.node_map[nid] = options
    for number, (ia, ib, a, b) in enumerate(edge_list):
        d = G.edges[a, b]
        weight = max(int(round(_number(d.get("weight"), 1.0))), 1)
        amount = _number(d.get("amount_eur"), float("nan"))
        facts = _texts(d.get("facts"))
        lines = [f"{label_of(a)} — {label_of(b)}",
                 f"{weight} initiative{'s' if weight > 1 else ''} partagée{'s' if weight > 1 else ''}"]
        if math.isfinite(amount):
            lines.append("Montant : " + _euros(amount))
        lines.extend("• " + f for f in facts[:MAX_FACTS])
        if len(facts) > MAX_FACTS:
            lines.append(f"… et {len(facts) - MAX_FACTS} autres")
        width = min(EDGE_MIN_PX + 2.0 * math.log2(weight), EDGE_MAX_PX)
        net.edges.append({"id": f"e{number}", "from": ia, "to": ib, "width": round(width, 2),
                          "weight": weight, "title": "\n".join(lines)})   # not add_edge: O(E) per call

    large = len(kept) > LARGE_GRAPH
    net.options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 42},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False, "keyboard": False},
        "nodes": {"shape": "dot", "borderWidth": 1, "borderWidthSelected": 3,
                  "font": {"size": 14, "face": "system-ui, 'DejaVu Sans', sans-serif", "color": "#1d2330",
                           "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "selectionWidth": 2,
                  "color": {"color": "#9aa5b1", "highlight": "#2c3e50", "hover": "#2c3e50", "opacity": 0.7}},
    }

    nodes, edges, heading, _height, _width, options_json = net.get_network_data()
    kind_counts = Counter(kinds.values())
    legend = []
    for family in FAMILIES:
        entries = [{"code": k, "label": kind_labels[k], "colour": kind_colour(k, extra), "count": kind_counts[k]}
                   for k in sorted(kind_counts, key=lambda k: (list(KIND_STYLES).index(k) if k in KIND_STYLES
                                                               else len(KIND_STYLES), k))
                   if (KIND_STYLES[k][0] if k in KIND_STYLES else "Autres") == family]
        if entries:
            legend.append({"family": family, "kinds": entries})

    payload = {"nodes": nodes, "edges": edges, "options": json.loads(options_json),
               "territories": territories, "themes": themes, "sizeBy": size_by,
               "total": {"nodes": total_nodes, "edges": total_edges}}
    js, css = _vis_assets()
    html = _environment().get_template(TEMPLATE).render(
        title=heading, size_by=size_by, legend=legend, territories=territories, themes=themes,
        shown_nodes=len(nodes), shown_edges=len(edges),
        left_out_nodes=left_out_nodes, left_out_edges=left_out_edges, max_nodes=max_nodes,
        data_json=Markup(embed_json(payload)), vis_js=Markup(js), vis_css=Markup(css))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8", newline="\n")
    return out
