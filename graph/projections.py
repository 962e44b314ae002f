"""networkx projections of the graph: cooperation network, bipartite organisation–initiative
graph, and funding flows. Each reads the store through SPARQL files kept next to this module."""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from itertools import combinations
from operator import itemgetter
from pathlib import Path

import networkx as nx

HERE = Path(__file__).resolve().parent


@cache
def _query(name: str) -> str:
    return (HERE / f"{name}.rq").read_text(encoding="utf-8")


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector off while a projection builds its hundreds of thousands of
    rows, dicts and lists (none of them garbage): at 1 M triples its repeated passes over the
    growing heap were 40 % of the cooperation projection's Python time. Nothing is left off:
    it is on again afterwards if it was before (another thread's pause only makes it wait)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _fact_line(role: str, initiative: str, source: str, amount) -> str:
    money = f" {_euros(amount)}" if amount is not None else ""
    return f"{role}{money} — {initiative}" + (f" ({source})" if source else "")


def _euros(amount) -> str:
    value = int(amount) if Decimal(str(amount)) == int(amount) else float(amount)
    return f"{value:,} €".replace(",", " ")


FUNDER_ROLE = "financeur"   # the role a funding gives its funder in the projections


def participation_rows(store) -> list[dict]:
    """One row per fact: org, orgName, kind, kindName, initiative, initiativeName, role, amount,
    source (the passages, space-separated)."""
    return [dict(zip(_ROW_KEYS, fact)) for fact in _facts(store)]


_ROW_KEYS = ("org", "orgName", "kind", "kindName", "initiative", "initiativeName", "role", "amount", "source")


def _facts(store) -> list[tuple]:
    """participation_rows as tuples in the order of ``_ROW_KEYS`` (the projections read them by
    position: a dict per fact cost a third of the cooperation projection's Python time)."""
    codes = {r["concept"]: (r["code"], r["name"]) for r in store.select(_query("notations")).rows}
    labels = {r["thing"]: (r["name"], r["k"]) for r in store.select(_query("labels")).rows}
    facts: dict[tuple, list] = {}
    for r in store.select(_query("participants")).rows:
        if (part := r["r"]) is None:
            role = FUNDER_ROLE
        elif (code := codes.get(part)) is not None:
            role = code[0]
        else:
            continue  # a role without a code: not a part the projections know
        org, initiative, passage = r["org"], r["initiative"], r["passage"]
        key = (r["fact"], org, initiative, role)
        fact = facts.get(key)
        if fact is None:
            org_name, k = labels.get(org, (None, None))
            kind, kind_name = codes.get(k, (None, None)) if k is not None else (None, None)
            if kind_name is None:
                kind = None  # a kind counts with its code and its French label, as before
            ini_name = labels.get(initiative, (None, None))[0]
            fact = facts[key] = [org, org_name or org, kind or "AUTRE", kind_name or "Autre structure", initiative,
                                 ini_name or initiative, role, r["amount"], set()]
        if passage:
            fact[8].add(passage.split("/document/", 1)[-1])
    for fact in facts.values():
        fact[8] = " ".join(sorted(fact[8]))
    return [tuple(fact) for fact in facts.values()]


def contexts(store) -> dict[str, dict[str, set[str]]]:
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"territory": set(), "theme": set()})
    for row in store.select(_query("contexts")).rows:
        out[row["thing"]][row["what"]].add(row["name"])
    return out


def bipartite(store, *, include_funders: bool = True, ctx=None) -> nx.MultiGraph:
    """Organisations and initiatives; one edge per fact (role, amount, source)."""
    g = nx.MultiGraph()
    ctx = contexts(store) if ctx is None else ctx
    for row in participation_rows(store):
        if row["role"] == FUNDER_ROLE and not include_funders:
            continue
        g.add_node(row["org"], bipartite="organisation", label=row["orgName"], kind=row["kind"],
                   kind_label=row["kindName"])
        g.add_node(row["initiative"], bipartite="initiative", label=row["initiativeName"],
                   territories=sorted(ctx[row["initiative"]]["territory"]),
                   themes=sorted(ctx[row["initiative"]]["theme"]))
        g.add_edge(row["org"], row["initiative"], role=row["role"], amount_eur=row["amount"],
                   source=row["source"] or "")
    return g


def cooperation(store, *, include_funders: bool = True) -> nx.Graph:
    """Organisations linked when they take part in (or fund) the same initiative; the weight is
    the number of initiatives they share. Node attributes follow viz.network's contract.

    Built from the fact rows with plain dicts (the bipartite MultiGraph in between cost three
    quarters of the time at 1 M triples); the same nodes, edges and attributes as projecting
    ``bipartite``."""
    with gc_paused():
        return _cooperation(store, include_funders)


def _cooperation(store, include_funders: bool) -> nx.Graph:
    ctx = contexts(store)
    no_context = {"territory": (), "theme": ()}
    of_org: dict[str, list[tuple]] = defaultdict(list)
    members: dict[str, set[str]] = defaultdict(set)
    ini_label: dict[str, str] = {}
    for fact in _facts(store):
        org, initiative, role = fact[0], fact[4], fact[6]
        if role == FUNDER_ROLE and not include_funders:
            continue
        of_org[org].append(fact)
        members[initiative].add(org)
        ini_label[initiative] = fact[5]
    by_part = itemgetter(4, 6)  # (initiative, role); stable: ties keep row order
    g = nx.Graph()
    nodes = []
    for o in sorted(of_org):
        facts_of = sorted(of_org[o], key=by_part)
        last = of_org[o][-1]
        territories, themes = set(ctx[o]["territory"]) if o in ctx else set(), set()
        for initiative in {f[4] for f in facts_of}:  # a set's union does not depend on the order
            c = ctx.get(initiative, no_context)
            territories.update(c["territory"])
            themes.update(c["theme"])
        nodes.append((o, {"label": last[1], "kind": last[2], "kind_label": last[3],
                          "territories": sorted(territories), "themes": sorted(themes),
                          "facts": [_fact_line(f[6], f[5], f[8], f[7]) for f in facts_of]}))
    g.add_nodes_from(nodes)
    pairs: dict[tuple[str, str], list[str]] = {}
    for ini in sorted(members):
        label = ini_label[ini]
        for pair in combinations(sorted(members[ini]), 2):
            shared = pairs.get(pair)
            if shared is None:
                pairs[pair] = [label]
            else:
                shared.append(label)
    g.add_edges_from((a, c, {"weight": len(shared), "facts": shared, "amount_eur": None})
                     for (a, c), shared in pairs.items())
    return g


def funding_flows(store) -> nx.DiGraph:
    """Funder -> initiative, with the summed amount and the number of fundings."""
    g = nx.DiGraph()
    for row in participation_rows(store):
        if row["role"] != FUNDER_ROLE:
            continue
        g.add_node(row["org"], label=row["orgName"], kind=row["kind"], side="funder")
        g.add_node(row["initiative"], label=row["initiativeName"], side="initiative")
        if g.has_edge(row["org"], row["initiative"]):
            e = g[row["org"]][row["initiative"]]
        else:
            g.add_edge(row["org"], row["initiative"], amount_eur=Decimal(0), fundings=0)
            e = g[row["org"]][row["initiative"]]
        e["fundings"] += 1
        if row["amount"] is not None:
            e["amount_eur"] += Decimal(str(row["amount"]))
    return g
