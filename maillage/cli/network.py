"""The cooperation network: viz, network."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from maillage.cli.common import app, open_graph, out, output_file
from maillage.config import Settings


@app.command()
def viz(ctx: typer.Context,
        output_path: Path = typer.Option(Path("out/network.html"), "--output", "-o", help="Where to write the page"),
        max_nodes: Optional[int] = typer.Option(500, "--max-nodes", help="Keep the N most central organisations (0: all); the page says what was left out"),
        funders: bool = typer.Option(True, "--funders/--no-funders", help="Include funders as participants"),
        explorer: Optional[str] = typer.Option(None, "--explorer", help="URL of a running `maillage serve` (http://127.0.0.1:8000): each body links to its page there")) -> None:
    """Write the partner-network page (pyvis; works offline)."""
    if explorer is not None and not explorer.startswith(("http://", "https://")):
        raise typer.BadParameter(f"--explorer must be an http(s) URL, not {explorer!r}")
    path = write_viz(ctx.obj, output_file(output_path), max_nodes, funders, explorer=explorer)
    out.print(f"network page written to {path}")


def write_viz(settings: Settings, output_path: Path, max_nodes=500, funders=True, explorer: str | None = None) -> Path:
    """The page; with ``explorer`` (the URL of a running explorer), each body links to its pages
    there and the page links back to the explorer's home."""
    from maillage.graph import metrics, projections
    from maillage.server.pages import Site
    from maillage.viz.network import write_network_page

    store = open_graph(settings)
    g = metrics.annotate(projections.cooperation(store, include_funders=funders))
    output_path.parent.mkdir(parents=True, exist_ok=True)
    links, home = None, None
    if explorer:
        site, root = Site(settings.base), explorer.rstrip("/")

        def links(uri: str) -> tuple[str | None, str | None]:
            page, around = site.local_path(uri), site.network_path(uri)
            return (root + page if page else None, root + around if around else None)

        home = root + "/"
    return write_network_page(g, output_path, max_nodes=max_nodes or None, links=links, home=home)


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

