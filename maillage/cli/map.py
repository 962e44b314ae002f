"""The map of France as a static page: map."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from maillage.cli.common import app, err, fail, open_graph, out
from maillage.config import Settings


@app.command("map")
def map_page(ctx: typer.Context,
             output_path: Path = typer.Option(Path("out/carte.html"), "--output", "-o", help="Where to write the page"),
             theme: str = typer.Option("", "--theme", help="Only initiatives with this theme (or a narrower one), e.g. Mobilité"),
             kind: str = typer.Option("", "--kind", help="Only initiatives where a body of this kind takes part or gives money, e.g. CCAS"),
             year: str = typer.Option("", "--year", help="Only initiatives running that year and fundings of that year"),
             level: str = typer.Option("departement", "--level", help="Map shown first: departement or region"),
             measure: str = typer.Option("nombre", "--measure", help="Measure shown first: nombre (initiatives) or montant (known money)"),
             explorer: Optional[str] = typer.Option(None, "--explorer", help="Link the territories to this explorer (e.g. http://127.0.0.1:8000); default: their URIs")) -> None:
    """Write the map of France (initiatives and known money per département and région; offline, pure SVG)."""
    path, by_level = write_map(ctx.obj, output_path, theme, kind, year, level, measure, explorer)
    dep, reg = by_level["departement"], by_level["region"]
    out.print(f"map written to {path}: {len(dep.territories)} départements, {len(reg.territories)} régions; "
              f"{dep.initiatives} initiatives ({dep.initiatives_placed} in a département), "
              f"{dep.fundings} fundings ({dep.with_amount} with an amount)", markup=False, highlight=False)


def write_map(settings: Settings, output_path: Path, theme="", kind="", year="", level="departement",
              measure="nombre", explorer: str | None = None):
    from maillage.store.base import QueryError
    from maillage.territory_map import LEVELS, MEASURES, Filters, figures_by_level
    from maillage.viz.map import write_map_page

    if level not in LEVELS:
        fail(f"--level is departement or region, not {level!r}", 2)
    if measure not in MEASURES:
        fail(f"--measure is nombre or montant, not {measure!r}", 2)
    store = open_graph(settings)
    filters = Filters(theme, kind, year)
    try:
        with err.status("figures per département and région…"):
            by_level = figures_by_level(store, filters)
    except QueryError as exc:
        fail(f"error: {exc}", 2)

    def href(uri: str) -> str:
        if explorer and uri.startswith(settings.base):
            return explorer.rstrip("/") + "/id/" + uri[len(settings.base):]
        return uri

    title = "Carte des initiatives" + (f" ({filters.describe()})" if filters.given() else "")
    return write_map_page(by_level, output_path, href, title=title, niveau=level, mesure=measure), by_level
