"""The partner-network page: one self-contained HTML file, drawn by vis-network, that loads
nothing from the internet.

The page comes from our own Jinja2 template (``templates/network.html``, with its script and style
sheet beside it), with vis-network's JS and CSS inlined from the copy the pyvis package ships (read
as files: importing pyvis would load IPython, over a second).
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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from maillage.viz.layout import layout, layout_weight
from maillage.viz.style import DEFAULT_KIND, families, kind_styles, scheme_kinds

__all__ = ["write_network_page", "embed_json", "kind_styles", "families"]

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "network.html"
SCRIPT, STYLE = "network.js", "network.css"   # inlined into the page as they are

# --- sizes -------------------------------------------------------------------------------------
NODE_MIN_PX, NODE_MAX_PX = 8.0, 40.0
EDGE_MIN_PX, EDGE_MAX_PX = 1.0, 10.0
MAX_FACTS = 25                # facts listed in one tooltip; the rest are counted
LARGE_GRAPH = 300             # above this, hide edges while dragging/zooming
# labels: every label in sight shows once it is this many pixels high on screen; below that, only
# the labels of the most central bodies (and of the ones in focus) are drawn, that high, where they fit
LABEL_PX = 12
TOP_LABELS_MIN, TOP_LABELS_MAX = 8, 40

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
    import importlib.util

    spec = importlib.util.find_spec("pyvis")         # where the package is, without importing it
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the pyvis package (which ships vis-network) is not installed")
    folder = Path(list(spec.submodule_search_locations)[0]).joinpath(*_VIS_DIR)
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



def _safe_href(value: Any) -> str | None:
    """A link the page may show: a path of the explorer ("/id/…") or an http(s) URL."""
    if not isinstance(value, str) or not value or any(c in value for c in "\\\"'<>` \t\r\n"):
        return None
    if value.startswith("/") and not value.startswith("//"):
        return value
    return value if re.match(r"https?://[^/]", value) else None


# --- the page ----------------------------------------------------------------------------------
def write_network_page(G: nx.Graph, out: Path, *, title: str = "Réseau des partenaires",
                       size_by: str = "betweenness", max_nodes: int | None = None,
                       links: Callable[[str], tuple[str | None, str | None]] | None = None,
                       home: str | None = None, focus: str | None = None) -> Path:
    """Write the partner network of ``G`` as one self-contained HTML page at ``out``.

    Nodes are coloured by family of body and shaped by kind inside the family (viz.style),
    sized by the ``size_by`` centrality; edges are as wide as their ``weight``. The page answers
    "who works with X?": searching a body focuses it and its partners (the others dim) and opens
    its details (partners, facts with their sources, links) beside the graph. It has a compact
    legend, plain-text tooltips, a territory select and a theme select (a filtered view is laid
    out again). ``links(node_id)`` gives the explorer's page of a body and of its network (paths
    or http(s) URLs; anything else is dropped); ``home`` is the explorer's home page; ``focus``
    is a body selected when the page opens. With ``max_nodes``, only the most central
    organisations are kept and the page says how many nodes and edges were left out. ``G`` is
    not modified.
    """
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

    labels: dict[Any, str] = {}

    def label_of(node: Any) -> str:
        if node not in labels:
            raw = G.nodes[node].get("label")
            text = _text(raw) if raw is not None else ""
            labels[node] = text if text else _default_label(ids_of[node])
        return labels[node]

    ranked = sorted(G.nodes, key=lambda n: (-centrality.get(n, 0.0), -G.degree(n), _fold(label_of(n)), ids_of[n]))
    if max_nodes is not None and total_nodes > max_nodes:
        ranked = ranked[:int(max_nodes)]
    rank = {n: i for i, n in enumerate(ranked)}
    kept = sorted(ranked, key=lambda n: ids_of[n])
    kept_set = set(kept)
    edge_list = []
    for a, b in G.edges():
        if a in kept_set and b in kept_set:
            ia, ib = ids_of[a], ids_of[b]
            edge_list.append((ia, ib, a, b) if ia <= ib else (ib, ia, b, a))
    edge_list.sort(key=lambda e: (e[0], e[1]))
    left_out_nodes, left_out_edges = total_nodes - len(kept), total_edges - len(edge_list)

    # kinds: styles from the typology scheme (viz.style); labels: the data's own label wins
    kinds: dict[Any, str] = {}
    kind_labels: dict[str, str] = {}
    for node in kept:
        d = G.nodes[node]
        kind = _text(d.get("kind")) if d.get("kind") not in (None, "") else DEFAULT_KIND
        kinds[node] = kind
        given = d.get("kind_label")
        if given not in (None, "") and kind not in kind_labels:
            kind_labels[kind] = _text(given)
    styles = kind_styles(set(kinds.values()))
    for kind in set(kinds.values()):
        kind_labels.setdefault(kind, styles[kind].label)

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
    positions = layout([ids_of[n] for n in kept],
                       [(ia, ib, layout_weight(_number(G.edges[a, b].get("weight"), 1.0)))
                        for ia, ib, a, b in edge_list], sizes, {ids_of[n]: label_of(n) for n in kept})

    nodes: list[dict] = []
    edges: list[dict] = []
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
        facts_at = None                 # where the facts start in the tooltip (the details panel lists them)
        if facts:
            lines.append("")
            facts_at = len("\n".join(lines).encode("utf-16-le")) // 2 + 1     # in UTF-16 units, as JS counts
            lines.extend("• " + f for f in facts[:MAX_FACTS])
            if len(facts) > MAX_FACTS:
                lines.append(f"… et {len(facts) - MAX_FACTS} autres faits")
        x, y = positions[nid]
        item = {"id": nid, "label": label, "title": "\n".join(lines), "kind": kind,
                "group": "kind:" + kind, "size": sizes[nid], "x": x, "y": y, "rank": rank[node],
                "territories": [territory_index[t] for t in node_territories[node]],
                "themes": [theme_index[t] for t in node_themes[node]]}
        if facts_at is not None:
            item["factsAt"] = facts_at
        page, around = links(nid) if links else (None, None)
        if _safe_href(page):
            item["href"] = page
        if _safe_href(around):
            item["net"] = around
        nodes.append(item)
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
        edges.append({"id": f"e{number}", "from": ia, "to": ib, "width": round(width, 2),
                      "weight": weight, "title": "\n".join(lines)})

    large = len(kept) > LARGE_GRAPH
    font_px = 14
    options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 42},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False, "keyboard": False},
        "nodes": {"shape": "dot", "borderWidth": 1, "borderWidthSelected": 3,
                  # labels are drawn by the page's script (network.js), never over one another
                  "scaling": {"label": {"drawThreshold": 10_000}},
                  "font": {"size": font_px, "face": "system-ui, 'DejaVu Sans', sans-serif", "color": "#1d2330",
                           "strokeWidth": 3, "strokeColor": "#ffffff"}},
        # one group per kind: its colour (the family's) and shape, shared by its nodes
        "groups": {"useDefaultGroups": False, **{"kind:" + k: styles[k].vis() for k in sorted(set(kinds.values()))}},
        "edges": {"smooth": False, "selectionWidth": 2,
                  "color": {"color": "#9aa5b1", "highlight": "#2c3e50", "hover": "#2c3e50", "opacity": 0.7}},
    }

    heading = _text(title)
    kind_counts = Counter(kinds.values())
    family_counts = Counter(styles[k].family for k in kinds.values())
    legend = []
    for code, family_label, colour in families():
        entries = [{"code": k, "label": kind_labels[k], "shape": styles[k].shape, "hollow": styles[k].hollow,
                    "count": kind_counts[k]}
                   for k in sorted(kind_counts, key=lambda k: (styles[k].family != code, _kind_order(k), k))
                   if styles[k].family == code]
        if entries:
            legend.append({"code": code, "family": family_label, "colour": colour, "count": family_counts[code],
                           "kinds": entries})

    top_labels = max(TOP_LABELS_MIN, min(TOP_LABELS_MAX, round(1.5 * math.sqrt(len(kept)))))
    payload = {"nodes": nodes, "edges": edges, "options": options,
               "territories": territories, "themes": themes, "sizeBy": size_by,
               "kinds": {k: {"label": kind_labels[k], "family": styles[k].family_label} for k in sorted(kind_counts)},
               "labels": {"top": top_labels, "px": LABEL_PX, "font": font_px},
               "focus": ids_of[focus] if focus is not None and focus in kept_set else None,
               "total": {"nodes": total_nodes, "edges": total_edges}}
    js, css = _vis_assets()
    html = _environment().get_template(TEMPLATE).render(
        title=heading, size_by=size_by, legend=legend, territories=territories, themes=themes,
        shown_nodes=len(nodes), shown_edges=len(edges), home=_safe_href(home),
        left_out_nodes=left_out_nodes, left_out_edges=left_out_edges, max_nodes=max_nodes,
        data_json=Markup(embed_json(payload)), vis_js=Markup(js), vis_css=Markup(css),
        page_js=Markup(_page_asset(SCRIPT)), page_css=Markup(_page_asset(STYLE)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8", newline="\n")
    return out


def _kind_order(kind: str) -> int:
    order = list(scheme_kinds())
    return order.index(kind) if kind in order else len(order)


@functools.lru_cache(maxsize=2)
def _page_asset(name: str) -> str:
    """The page's own script or style sheet (templates/), inlined as it is."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"{TEMPLATES / name} may not contain </script or </style")
    return text
