"""Centrality and communities on a projection; results are stored as node attributes."""

from __future__ import annotations

import networkx as nx


def annotate(g: nx.Graph, *, seed: int = 42) -> nx.Graph:
    """Add degree, weighted degree, betweenness and a community number to every node."""
    if g.number_of_nodes() == 0:
        return g
    degree = nx.degree_centrality(g)
    # exact betweenness is O(nodes × edges): past 500 nodes, estimate it from 300 sampled sources
    n = g.number_of_nodes()
    betweenness = nx.betweenness_centrality(g, k=None if n <= 500 else 300, seed=seed, weight=None)
    communities = nx.community.louvain_communities(g, weight="weight", seed=seed) if g.number_of_edges() else [{n} for n in g]
    for number, members in enumerate(sorted(communities, key=lambda c: (-len(c), sorted(c)))):
        for n in members:
            g.nodes[n]["community"] = number
    for n in g.nodes:
        g.nodes[n]["degree"] = degree[n]
        g.nodes[n]["weighted_degree"] = g.degree(n, weight="weight")
        g.nodes[n]["betweenness"] = betweenness[n]
    return g


def top(g: nx.Graph, attribute: str = "betweenness", n: int = 10) -> list[tuple[str, float]]:
    ranked = sorted(g.nodes, key=lambda x: (-g.nodes[x].get(attribute, 0), g.nodes[x].get("label", x)))
    return [(g.nodes[x].get("label", x), g.nodes[x].get(attribute, 0)) for x in ranked[:n]]
