"""networkx projections and metrics over the bundled graph."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings, strategies as st

from maillage.graph import metrics, projections


def _by_label(g):
    return {d["label"]: n for n, d in g.nodes(data=True)}


def test_cooperation_links_organisations_of_the_same_initiative(store):
    g = projections.cooperation(store)
    ids = _by_label(g)
    ccas, inter = ids["CCAS de Barlin"], ids["Inter Insert"]
    assert g.has_edge(ccas, inter) and g[ccas][inter]["weight"] == 1
    assert g[ccas][inter]["facts"] == ["Bus de l'emploi et de l'insertion de Barlin"]
    # nobody from Barlin works with the Api Truck's pilot
    assert not g.has_edge(ccas, ids["Agglo Pays d'Issoire"])
    node = g.nodes[ccas]
    assert node["kind"] == "CCAS" and node["kind_label"] == "Centre communal d'action sociale"
    assert any(f.startswith("pilote — Bus de l'emploi") and "003_51a5ec4ebfa4ed0e.txt#char=" in f for f in node["facts"])
    assert "Barlin" in " ".join(node["territories"])


def test_funders_can_be_left_out(store):
    with_f = projections.cooperation(store)
    without = projections.cooperation(store, include_funders=False)
    assert "Fondation Macif" in _by_label(with_f) and "Fondation Macif" not in _by_label(without)


def test_bipartite_keeps_one_edge_per_fact(store):
    b = projections.bipartite(store)
    ids = _by_label(b)
    dep = ids["Département du Pas-de-Calais"]
    bus = ids["Bus de l'emploi et de l'insertion de Barlin"]
    roles = sorted(d["role"] for d in b.get_edge_data(dep, bus).values())
    assert roles == ["financeur", "partenaire"]  # one body, two parts in the same initiative


def test_funding_flows_sum_amounts(store):
    f = projections.funding_flows(store)
    ids = _by_label(f)
    edge = f[ids["Fondation Macif"]][ids["Api Truck's"]]
    assert edge["amount_eur"] == Decimal(20000) and edge["fundings"] == 1


def test_metrics_annotate_every_node(store):
    g = metrics.annotate(projections.cooperation(store))
    assert all({"degree", "betweenness", "community", "weighted_degree"} <= set(d) for _, d in g.nodes(data=True))
    communities = {d["community"] for _, d in g.nodes(data=True)}
    assert len(communities) >= 2  # Issoire and Barlin do not cooperate
    ranked = metrics.top(g, "degree", 3)
    assert len(ranked) == 3 and ranked[0][1] >= ranked[-1][1]


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 60), st.floats(0.0, 0.3), st.integers(0, 10_000), st.booleans())
def test_betweenness_is_networkx_s_exact_or_sampled(n, p, graph_seed, sampled):
    """The batched numpy Brandes gives networkx's figures: every source, or the same k sources
    networkx samples with the same seed (its rescaling of a sample included)."""
    import networkx as nx

    g = nx.gnp_random_graph(n, p, seed=graph_seed)
    g.add_edge(0, 0)  # a self-loop is no shortcut
    k = max(2, n // 3) if sampled else None  # k=1: networkx gives NaN for the source (0/0)
    want = nx.betweenness_centrality(g, k=k, seed=42)
    got = metrics.betweenness_centrality(g, k=k, seed=42)
    assert got.keys() == want.keys()
    assert all(abs(got[v] - want[v]) < 1e-9 for v in g)


def _cooperation_by_hand(store, include_funders=True):
    """The cooperation projection written the plain way, from participation_rows (the fast one
    reads fact tuples, pairs by itertools.combinations, with the garbage collector paused)."""
    rows = [r for r in projections.participation_rows(store) if include_funders or r["role"] != projections.FUNDER_ROLE]
    ctx = projections.contexts(store)
    nodes, members, names = {}, {}, {}
    for r in rows:
        members.setdefault(r["initiative"], set()).add(r["org"])
        names[r["initiative"]] = r["initiativeName"]
    for o in {r["org"] for r in rows}:
        facts = sorted((r for r in rows if r["org"] == o), key=lambda r: (r["initiative"], r["role"]))
        ts = set(ctx[o]["territory"]) if o in ctx else set()
        hs = set()
        for r in facts:
            ts |= ctx[r["initiative"]]["territory"] if r["initiative"] in ctx else set()
            hs |= ctx[r["initiative"]]["theme"] if r["initiative"] in ctx else set()
        last = [r for r in rows if r["org"] == o][-1]
        nodes[o] = {"label": last["orgName"], "kind": last["kind"], "kind_label": last["kindName"],
                    "territories": sorted(ts), "themes": sorted(hs),
                    "facts": [projections._fact_line(r["role"], r["initiativeName"], r["source"], r["amount"]) for r in facts]}
    edges = {}
    for ini in sorted(members):
        for a in members[ini]:
            for c in members[ini]:
                if a < c:
                    edges.setdefault((a, c), []).append(names[ini])
    return nodes, {k: {"weight": len(v), "facts": v, "amount_eur": None} for k, v in edges.items()}


def test_cooperation_is_the_plain_projection_of_the_facts(store):
    import gc

    for include_funders in (True, False):
        assert gc.isenabled()
        g = projections.cooperation(store, include_funders=include_funders)
        assert gc.isenabled()  # paused while it builds, on again afterwards
        nodes, edges = _cooperation_by_hand(store, include_funders)
        assert dict(g.nodes(data=True)) == nodes
        assert {tuple(sorted((a, c))): d for a, c, d in g.edges(data=True)} == edges
        assert list(g.nodes) == sorted(nodes)  # nodes in IRI order, as before
