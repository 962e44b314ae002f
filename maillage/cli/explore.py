"""`maillage years` (fundings by year) and `maillage similar` (initiatives like this one): the
explorer's time view and its similar-initiatives block from the command line, the same rows."""

from __future__ import annotations

from typing import Optional

import typer

from maillage.cli.choices import TableFormat
from maillage.cli.common import app, err, fail, open_graph, out


@app.command()
def years(ctx: typer.Context,
          funder: Optional[str] = typer.Option(None, "--funder", help="Only fundings given by this body (alone or jointly)"),
          recipient: Optional[str] = typer.Option(None, "--recipient", help="Only fundings of this initiative or received by this body"),
          territory: Optional[str] = typer.Option(None, "--territory", help="Only fundings in this territory (as who-funds-what's filter)"),
          theme: Optional[str] = typer.Option(None, "--theme", help="Only fundings of initiatives with this theme (or a narrower one)"),
          detail: bool = typer.Option(False, "--detail", help="One row per funding and year (its share of the amount) instead of one per year"),
          fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="How the rows are printed")) -> None:
    """Fundings by year: each funding in the years it covers, its known amount split evenly over them; the undated ones in a last row."""
    from maillage import output, timeline
    from maillage.query import QueryError
    from maillage.store import QueryResult

    store = open_graph(ctx.obj, french=True)
    try:
        scope = timeline.resolve_scope(store, {"funder": funder, "recipient": recipient, "territory": territory, "theme": theme})
    except QueryError as exc:
        fail(f"erreur : {exc.fr}", 2)   # the command speaks French: its errors too
    with err.status("financements par année…"):
        tl = timeline.timeline(store, **scope)
    if detail:
        result = QueryResult(list(tl.DETAIL_COLUMNS), tl.detail)
    else:
        result = QueryResult(list(tl.COLUMNS), tl.rows())
    output.emit(result, fmt.value, out, title="Financements par année")
    if fmt.value == "table":
        known = tl.undated.amount
        out.print(f"{tl.fundings} financement(s), {tl.dated} daté(s), {tl.undated.fundings} sans date "
                  f"({tl.undated.with_amount} avec montant{f', {output.plain(known)} € connus' if known is not None else ''}, "
                  f"{tl.undated.without_amount} sans montant).", markup=False, highlight=False)
        err.print(timeline.RULE, markup=False, highlight=False)


@app.command()
def similar(ctx: typer.Context,
            initiative: str = typer.Argument(..., help="The initiative: its name, another name or its URI (case and accents do not matter)"),
            limit: int = typer.Option(10, "--limit", "-n", min=1, max=100, help="How many similar initiatives to list"),
            fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="How the rows are printed")) -> None:
    """Initiatives like this one: by themes, publics, kind of pilot, kind of territory and partners' kinds, each with a score and its reasons."""
    from maillage import output, similar as sim
    from maillage.query import QueryError
    from maillage.store import QueryResult

    store = open_graph(ctx.obj, french=True)
    try:
        uri = sim.resolve(store, initiative)
    except QueryError as exc:
        fail(f"erreur : {exc.fr}", 2)   # the command speaks French: its errors too
    with err.status("initiatives semblables…"):
        matches = sim.similar(store, uri, limit)
    rows = [m.row(i) for i, m in enumerate(matches, start=1)]
    output.emit(QueryResult(list(sim.COLUMNS), rows), fmt.value, out, title=f"Initiatives semblables à {initiative}")
    if fmt.value == "table":
        err.print(sim.METHOD, markup=False, highlight=False)
