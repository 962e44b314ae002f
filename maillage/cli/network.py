"""The cooperation network: viz, network."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from maillage.cli.common import app, open_graph, out
from maillage.config import Settings


@app.command()
def viz(ctx: typer.Context,
        output_path: Path = typer.Option(Path("out/network.html"), "--output", "-o", help="Where to write the page"),
        max_nodes: Optional[int] = typer.Option(500, "--max-nodes", help="Keep the N most central organisations (0: all); the page says what was left out"),
        funders: bool = typer.Option(True, "--funders/--no-funders", help="Include funders as participants")) -> None:
    """Write the partner-network page (pyvis; works offline)."""
    path = write_viz(ctx.obj, output_path, max_nodes, funders)
    out.print(f"network page written to {path}")


def write_viz(settings: Settings, output_path: Path, max_nodes=500, funders=True) -> Path:
    from maillage.graph import metrics, projections
    from maillage.viz.network import write_network_page

    store = open_graph(settings)
    g = metrics.annotate(projections.cooperation(store, include_funders=funders))
    output_path.parent.mkdir(parents=True, exist_ok=True)
    return write_network_page(g, output_path, max_nodes=max_nodes or None)


@app.command()
def network(ctx: typer.Context, top: int = typer.Option(10, help="How many organisations to list")) -> None:
    """Print the most central organisations of the cooperation network and its communities."""
    from rich.table import Table

    from maillage.graph import metrics, projections

    g = metrics.annotate(projections.cooperation(open_graph(ctx.obj)))
    table = Table(title=f"cooperation network: {g.number_of_nodes()} organisations, {g.number_of_edges()} links",
                  header_style="bold")
    for col in ("organisation", "kind", "degree", "betweenness", "community"):
        table.add_column(col, justify="left" if col in ("organisation", "kind") else "right")
    ranked = sorted(g.nodes, key=lambda n: (-g.nodes[n]["betweenness"], -g.nodes[n]["degree"], g.nodes[n]["label"]))
    for n in ranked[:top]:
        d = g.nodes[n]
        table.add_row(d["label"], d["kind"], f"{d['degree']:.3f}", f"{d['betweenness']:.3f}", str(d["community"]))
    out.print(table)

