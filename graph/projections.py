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


def participation_rows(store) -> list[dict]:
    """One row per fact: org, orgName, kind, kindName, initiative, initiativeName, role, amount,
    source (the passages, space-separated)."""
    labels = {r["thing"]: r for r in store.select(_query("labels")).rows}
    facts: dict[tuple, dict] = {}
    for r in store.select(_query("participants")).rows:
        key = (r["fact"], r["org"], r["initiative"], r["role"])
        row = facts.get(key)
        if row is None:
            org, ini = labels.get(r["org"], {}), labels.get(r["initiative"], {})
            row = facts[key] = {
                "org": r["org"], "orgName": org.get("name") or r["org"], "kind": org.get("kind") or "AUTRE",
                "kindName": org.get("kindName") or "Autre structure", "initiative": r["initiative"],
                "initiativeName": ini.get("name") or r["initiative"], "role": r["role"], "amount": r["amount"],
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
        if row["role"] == "financeur" and not include_funders:
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
    the number of initiatives they share. Node attributes follow viz.network's contract."""
    ctx = contexts(store)
    b = bipartite(store, include_funders=include_funders, ctx=ctx)
    g = nx.Graph()
    orgs = sorted(n for n, d in b.nodes(data=True) if d["bipartite"] == "organisation")
    for o in orgs:
        d = b.nodes[o]
        facts, territories, themes = [], set(ctx[o]["territory"]), set()
        for _, ini, e in sorted(b.edges(o, data=True), key=lambda t: (t[1], t[2]["role"])):
            facts.append(_fact_line(e["role"], b.nodes[ini]["label"], e["source"], e["amount_eur"]))
            territories |= set(b.nodes[ini]["territories"])
            themes |= set(b.nodes[ini]["themes"])
        g.add_node(o, label=d["label"], kind=d["kind"], kind_label=d["kind_label"],
                   territories=sorted(territories), themes=sorted(themes), facts=facts)
    initiatives = sorted(n for n, d in b.nodes(data=True) if d["bipartite"] == "initiative")
    for ini in initiatives:
        members = sorted(set(b.neighbors(ini)))
        for i, a in enumerate(members):
            for c in members[i + 1:]:
                if g.has_edge(a, c):
                    g[a][c]["weight"] += 1
                    g[a][c]["facts"].append(b.nodes[ini]["label"])
                else:
                    g.add_edge(a, c, weight=1, facts=[b.nodes[ini]["label"]], amount_eur=None)
    return g


def funding_flows(store) -> nx.DiGraph:
    """Funder -> initiative, with the summed amount and the number of fundings."""
    g = nx.DiGraph()
    for row in participation_rows(store):
        if row["role"] != "financeur":
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
