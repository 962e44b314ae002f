"""networkx projections of the graph: cooperation network, bipartite organisation–initiative
graph, and funding flows. Each reads the store through SPARQL files kept next to this module."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path

import networkx as nx

HERE = Path(__file__).resolve().parent


@cache
def _query(name: str) -> str:
    return (HERE / f"{name}.rq").read_text(encoding="utf-8")


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
    codes = {r["concept"]: (r["code"], r["name"]) for r in store.select(_query("notations")).rows}
    labels = {r["thing"]: (r["name"], r["k"]) for r in store.select(_query("labels")).rows}
    facts: dict[tuple, dict] = {}
    for r in store.select(_query("participants")).rows:
        if r["r"] is None:
            role = FUNDER_ROLE
        elif (code := codes.get(r["r"])) is not None:
            role = code[0]
        else:
            continue  # a role without a code: not a part the projections know
        key = (r["fact"], r["org"], r["initiative"], role)
        row = facts.get(key)
        if row is None:
            org_name, k = labels.get(r["org"], (None, None))
            kind, kind_name = codes.get(k, (None, None)) if k is not None else (None, None)
            if kind_name is None:
                kind = None  # a kind counts with its code and its French label, as before
            ini_name = labels.get(r["initiative"], (None, None))[0]
            row = facts[key] = {
                "org": r["org"], "orgName": org_name or r["org"], "kind": kind or "AUTRE",
                "kindName": kind_name or "Autre structure", "initiative": r["initiative"],
                "initiativeName": ini_name or r["initiative"], "role": role, "amount": r["amount"],
                "passages": set()}
        if r["passage"]:
            row["passages"].add(r["passage"].split("/document/", 1)[-1])
    for row in facts.values():
        row["source"] = " ".join(sorted(row.pop("passages")))
    return list(facts.values())


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
    ctx = contexts(store)
    no_context = {"territory": (), "theme": ()}
    rows = [r for r in participation_rows(store) if include_funders or r["role"] != FUNDER_ROLE]
    of_org: dict[str, list[dict]] = defaultdict(list)
    members: dict[str, set[str]] = defaultdict(set)
    ini_label: dict[str, str] = {}
    for r in rows:
        of_org[r["org"]].append(r)
        members[r["initiative"]].add(r["org"])
        ini_label[r["initiative"]] = r["initiativeName"]
    g = nx.Graph()
    nodes = []
    for o in sorted(of_org):
        facts_of = sorted(of_org[o], key=lambda r: (r["initiative"], r["role"]))  # stable: ties keep row order
        last = of_org[o][-1]
        territories, themes = set(ctx[o]["territory"]) if o in ctx else set(), set()
        for r in facts_of:
            c = ctx.get(r["initiative"], no_context)
            territories.update(c["territory"])
            themes.update(c["theme"])
        nodes.append((o, {"label": last["orgName"], "kind": last["kind"], "kind_label": last["kindName"],
                          "territories": sorted(territories), "themes": sorted(themes),
                          "facts": [_fact_line(r["role"], r["initiativeName"], r["source"] or "", r["amount"])
                                    for r in facts_of]}))
    g.add_nodes_from(nodes)
    pairs: dict[tuple[str, str], dict] = {}
    for ini in sorted(members):
        group, label = sorted(members[ini]), ini_label[ini]
        for i, a in enumerate(group):
            for c in group[i + 1:]:
                edge = pairs.get((a, c))
                if edge is None:
                    pairs[(a, c)] = {"weight": 1, "facts": [label], "amount_eur": None}
                else:
                    edge["weight"] += 1
                    edge["facts"].append(label)
    g.add_edges_from((a, c, d) for (a, c), d in pairs.items())
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
