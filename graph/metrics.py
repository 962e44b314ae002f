"""Centrality and communities on a projection; results are stored as node attributes."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
from networkx.algorithms.centrality.betweenness import _rescale

SAMPLED_ABOVE = 500   # past this many nodes, betweenness is estimated from SOURCES sampled sources
SOURCES = 300
BATCH = 64            # sources walked at once (memory: a few nodes × BATCH arrays of float64)


def annotate(g: nx.Graph, *, seed: int = 42) -> nx.Graph:
    """Add degree, weighted degree, betweenness and a community number to every node."""
    if g.number_of_nodes() == 0:
        return g
    degree = nx.degree_centrality(g)
    # exact betweenness is O(nodes × edges): past 500 nodes, estimate it from 300 sampled sources
    n = g.number_of_nodes()
    betweenness = betweenness_centrality(g, k=None if n <= SAMPLED_ABOVE else SOURCES, seed=seed)
    communities = nx.community.louvain_communities(g, weight="weight", seed=seed) if g.number_of_edges() else [{n} for n in g]
    for number, members in enumerate(sorted(communities, key=lambda c: (-len(c), sorted(c)))):
        for n in members:
            g.nodes[n]["community"] = number
    for n in g.nodes:
        g.nodes[n]["degree"] = degree[n]
        g.nodes[n]["weighted_degree"] = g.degree(n, weight="weight")
        g.nodes[n]["betweenness"] = betweenness[n]
    return g


def betweenness_centrality(g: nx.Graph, k: int | None = None, seed: int = 42) -> dict:
    """networkx's ``betweenness_centrality(g, k, seed=seed)`` (unweighted, normalised, no
    endpoints, the same sampled sources), computed with Brandes' algorithm on BATCH sources at
    once as numpy arrays instead of one Python BFS per source: 3.6 s -> about 0.1 s for 300
    sources on the 2,000-organisation graph. Undirected graphs only."""
    if g.is_directed() or g.is_multigraph():
        return nx.betweenness_centrality(g, k=k, seed=seed)
    nodes = list(g.nodes())
    n = len(nodes)
    sources = nodes if k is None else random.Random(seed).sample(nodes, k)  # as networkx's seeded sample
    raw = np.zeros(n)
    if n > 2 and g.number_of_edges():
        index = {node: i for i, node in enumerate(nodes)}
        pairs = np.array([(index[a], index[b]) for a, b in g.edges() if a != b], dtype=np.intp).reshape(-1, 2)
        rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
        cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
        order = np.argsort(rows, kind="stable")
        rows, cols = rows[order], cols[order]
        starts = np.searchsorted(rows, np.arange(n))
        linked = np.unique(rows)  # nodes with a neighbour (reduceat needs non-empty segments)

        def spread(values: np.ndarray) -> np.ndarray:
            """For each node, the sum of ``values`` over its neighbours (one column per source)."""
            out = np.zeros_like(values)
            if len(cols):
                out[linked] = np.add.reduceat(values[cols], starts[linked], axis=0)
            return out

        src = np.array([index[s] for s in sources], dtype=np.intp)
        for at in range(0, len(src), BATCH):
            raw += _dependencies(src[at:at + BATCH], n, spread)
    b = dict(zip(nodes, raw.tolist()))
    return _rescale(b, n, normalized=True, directed=False, endpoints=False,
                    sampled_nodes=None if k is None else sources)


def _dependencies(src: np.ndarray, n: int, spread) -> np.ndarray:
    """Brandes' dependency of every node, summed over the sources ``src`` (endpoints excluded)."""
    width = np.arange(len(src))
    sigma = np.zeros((n, len(src)))
    dist = np.full((n, len(src)), -1, dtype=np.int32)
    sigma[src, width] = 1.0
    dist[src, width] = 0
    frontier, depth = sigma.copy(), 0
    while True:  # breadth first, every source at once: the number of shortest paths to each node
        reached = spread(frontier)
        new = (dist < 0) & (reached > 0)
        if not new.any():
            break
        depth += 1
        dist[new] = depth
        frontier = np.where(new, reached, 0.0)
        sigma += frontier
    delta = np.zeros_like(sigma)
    safe = np.where(sigma > 0, sigma, 1.0)
    for d in range(depth, 0, -1):  # back from the farthest level: what each node passes on
        coef = np.where(dist == d, (1.0 + delta) / safe, 0.0)
        delta += np.where(dist == d - 1, sigma * spread(coef), 0.0)
    delta[src, width] = 0.0
    return delta.sum(axis=1)


def top(g: nx.Graph, attribute: str = "betweenness", n: int = 10) -> list[tuple[str, float]]:
    ranked = sorted(g.nodes, key=lambda x: (-g.nodes[x].get(attribute, 0), g.nodes[x].get("label", x)))
    return [(g.nodes[x].get("label", x), g.nodes[x].get(attribute, 0)) for x in ranked[:n]]
