"""Where each body goes on the network page: seeded, so the same graph always gives the same
picture. Each connected component is laid out on its own (networkx's spring layout for small
ones, a vectorised Fruchterman-Reingold above NX_LAYOUT_MAX_NODES), the components are packed in
rows, largest first, then overlapping discs (and, on small graphs, their labels) are pushed apart."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

NX_LAYOUT_MAX_NODES = 500     # up to here nx.spring_layout; above, a vectorised numpy layout
LAYOUT_ITERATIONS = 50
LABEL_AWARE_MAX_NODES = 200   # up to here the layout keeps labels from overlapping
LABEL_GAP = 18.0              # px kept free between two discs, for the label under a node
_BLOCK = 256                  # rows of the repulsion computed at once


# --- layout ------------------------------------------------------------------------------------
def _numpy_layout(n: int, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray,
                  *, seed: int = 42, iterations: int = LAYOUT_ITERATIONS) -> np.ndarray:
    """Fruchterman-Reingold, fully vectorised (O(n²) memory, no Python loop over nodes), with a
    weak pull to the centre so separate components stay in view. The n×n repulsion is computed
    by blocks of rows (4× faster than whole matrices on 2,000 nodes: memory, not arithmetic, was
    the cost)."""
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) - 0.5
    k = 1.0 / math.sqrt(n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    gravity = 0.1 * n * k
    fx, fy = np.empty(n), np.empty(n)
    for _ in range(iterations):
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)   # single precision is plenty here
        for start in range(0, n, _BLOCK):          # a block of rows at a time: it stays in the cache
            rows_ = slice(start, start + _BLOCK)
            dx = x[rows_, None] - x[None, :]
            dy = y[rows_, None] - y[None, :]
            rep = dx * dx
            rep += dy * dy
            np.maximum(rep, np.float32(1e-9), out=rep)
            np.divide(np.float32(k * k), rep, out=rep)            # repulsion k²/d along the unit vector
            fx[rows_] = np.einsum("ij,ij->i", dx, rep)
            fy[rows_] = np.einsum("ij,ij->i", dy, rep)
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


def _close_pairs(pos: np.ndarray, reach: float) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (i < j) of points at most ``reach`` apart along x and along y, in a fixed order:
    sorted by x, each point meets the next ones while they are within ``reach`` in x."""
    n = len(pos)
    order = np.argsort(pos[:, 0], kind="stable")
    xs = pos[order, 0]
    ends = np.searchsorted(xs, xs + reach, side="right")
    counts = ends - np.arange(n) - 1
    first = np.repeat(np.arange(n), counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    a, b = order[first], order[first + 1 + offsets]
    near = np.abs(pos[a, 1] - pos[b, 1]) <= reach
    a, b = a[near], b[near]
    i, j = np.minimum(a, b), np.maximum(a, b)
    keep = np.lexsort((j, i))
    return i[keep], j[keep]


def _separate(pos: np.ndarray, half_w: np.ndarray, half_h: np.ndarray, *, gap: float, iterations: int) -> None:
    """Push apart boxes (centred on ``pos``) that overlap, along the axis where they overlap
    least; in place and deterministic. The caller puts a node and its label in its box. Only
    pairs close enough to overlap are looked at (found by a sweep along x)."""
    n = len(pos)
    if n < 2:
        return
    reach = 2 * float(max(half_w.max(), half_h.max())) + gap
    for _ in range(iterations):
        i, j = _close_pairs(pos, reach)
        if not len(i):
            return
        dx, dy = pos[i, 0] - pos[j, 0], pos[i, 1] - pos[j, 1]
        need_x, need_y = half_w[i] + half_w[j] + gap, half_h[i] + half_h[j] + gap
        ox, oy = need_x - np.abs(dx), need_y - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        if not hit.any():
            return
        i, j, dx, dy, ox, oy, need_x, need_y = (a[hit] for a in (i, j, dx, dy, ox, oy, need_x, need_y))
        along_x = ox * need_y < oy * need_x     # relatively less overlap in x: move in x
        # ties (same x or same y) are broken by index, so twins do not stay on top of each other
        tie = np.sign(i - j).astype(float)
        mx = np.where(along_x, ox, 0.0) * np.where(dx != 0, np.sign(dx), tie) * 0.25
        my = np.where(along_x, 0.0, oy) * np.where(dy != 0, np.sign(dy), tie) * 0.25
        pos[:, 0] += np.bincount(i, mx, n) - np.bincount(j, mx, n)
        pos[:, 1] += np.bincount(i, my, n) - np.bincount(j, my, n)


def layout(ids: list[str], edges: list[tuple[str, str, float]],
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


def layout_weight(weight: float) -> float:
    # shared initiatives pull harder, but a 30-initiative pair must not collapse onto itself
    return 1.0 + math.log1p(max(weight, 1.0) - 1.0)
