"""`maillage search`: the explorer's search from the command line (maillage.search)."""

from __future__ import annotations

from typing import Optional

import typer

from maillage.cli.choices import TableFormat
from maillage.cli.common import app, err, fail, open_graph, out


@app.command()
def search(ctx: typer.Context,
           text: str = typer.Argument("", help="Words to find (accents, case, apostrophes do not matter); empty: everything"),
           theme: list[str] = typer.Option([], "--theme", help="Only this theme (its French name, e.g. Mobilité); repeatable: any of them"),
           kind: list[str] = typer.Option([], "--kind", help="Only this kind of body (its French name)"),
           region: list[str] = typer.Option([], "--region", help="Only in this région"),
           departement: list[str] = typer.Option([], "--departement", help="Only in this département"),
           year: list[str] = typer.Option([], "--year", help="Only fundings of this year"),
           amount: Optional[bool] = typer.Option(None, "--amount/--no-amount", help="Only fundings with (or without) a known amount"),
           group: list[str] = typer.Option([], "--group", help="initiative | organisation | territoire | financement"),
           fmt: TableFormat = typer.Option(TableFormat.table, "--format", "-f", help="How the results are printed")) -> None:
    """Search initiatives, organisations, territories and fundings (all of France unless filtered)."""
    from maillage import output
    from maillage.search import WITH_AMOUNT, WITHOUT_AMOUNT, SearchFilterError, SearchIndex, current_index
    from maillage.store import QueryResult

    filters = {"theme": theme, "kind": kind, "region": region, "departement": departement, "year": year, "group": group}
    if amount is not None:
        filters["amount"] = [WITH_AMOUNT if amount else WITHOUT_AMOUNT]
    graph = open_graph(ctx.obj, french=True)                  # says so when there is no graph
    index = current_index(ctx.obj.store_dir)     # the file `maillage build` wrote
    if index is None:                              # a store written before it: minutes on a big graph, say so
        import time

        start = time.perf_counter()
        err.print(f"index de recherche absent ou périmé dans {ctx.obj.store_dir} : construction en mémoire "
                  "(`maillage build --force` l'écrit une fois pour toutes)…", markup=False, highlight=False)
        with err.status("index de recherche…") as status:
            index = SearchIndex(graph, progress=lambda m: status.update(m))
        err.print(f"index de recherche construit en {time.perf_counter() - start:.1f} s", markup=False, highlight=False)
    try:
        results = index.search(text, filters)
    except SearchFilterError as exc:
        fail(f"erreur : {exc}", 2)
    rows = results.rows()
    columns = ["group", "name", "detail", "amount_eur", "year", "uri"]
    output.emit(QueryResult(columns, rows), fmt.value, out, title=f"{len(rows)} résultat(s)")
