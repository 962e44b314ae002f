"""Benchmarks: bench, bench-load, bench-extract. Their code lives in the checkout's benchmarks/ folder, outside
the installed package; these commands import it from there."""

from __future__ import annotations

import importlib
import sys

import typer

from maillage.cli.common import app, err, fail, out
from maillage.config import REPO_ROOT

ENGINES = "maillage,pyoxigraph,maillage-memory,pyoxigraph-memory,virtuoso,rdflib"


def _benchmarks(module: str):
    """benchmarks.<module> from the source checkout this maillage runs from."""
    if (REPO_ROOT / "benchmarks" / "__init__.py").is_file() and str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    try:
        return importlib.import_module(f"benchmarks.{module}")
    except ModuleNotFoundError as exc:
        if exc.name not in ("benchmarks", f"benchmarks.{module}"):
            raise
        fail("the benchmarks are not installed with the package: run `maillage bench` from a source checkout "
             "(git clone, then pip install -e .); they live in its benchmarks/ folder", 2)


@app.command()
def bench(triples: list[int] = typer.Option([100_000], "--triples", "-n", help="Size of the synthetic graph (repeatable: 10000, 100000, 1000000, 5000000)"),
          as_json: bool = typer.Option(False, "--json", help="Print one JSON object (a list for several sizes)"),
          repeat: int = typer.Option(3, help="Runs per query (the median is reported)"),
          rdflib_budget: float = typer.Option(3600.0, help="Seconds plain rdflib may take in all before it is stopped"),
          rdflib_query_budget: float = typer.Option(60.0, help="Seconds plain rdflib may take per step (always more than 20× maillage's time for it, so that a stopped step still decides the target)"),
          engines: str = typer.Option(ENGINES,
                                      help="Columns to measure, comma-separated: maillage (Oxigraph on disk, the default backend), "
                                           "pyoxigraph (raw, on disk), maillage-memory, pyoxigraph-memory, virtuoso (scripts/virtuoso), rdflib")) -> None:
    """Benchmark maillage's backend against plain rdflib and raw pyoxigraph on a synthetic graph."""
    import json

    for name, value, least in (("--triples", min(triples), 1000), ("--repeat", repeat, 1)):
        if value < least:
            fail(f"{name} {value}: give at least {least:,}", 2)
    for name, budget in (("--rdflib-budget", rdflib_budget), ("--rdflib-query-budget", rdflib_query_budget)):
        if not budget > 0:
            fail(f"{name} {budget}: give a number of seconds above 0", 2)
    b = _benchmarks("bench")
    try:
        chosen = b.parse_engines(engines)
    except ValueError as exc:
        fail(str(exc), 2)
    reports = []
    for n in triples:
        with err.status(f"bench at {n:,} triples…") as status:
            # on a terminal a spinner; in a log, one line per measured step
            say = status.update if err.is_terminal else (lambda m: err.print(m, markup=False, highlight=False))
            reports.append(b.run(n, repeat=repeat, rdflib_budget=rdflib_budget, rdflib_query_budget=rdflib_query_budget,
                                 progress=say, engines=chosen))
    if as_json:
        out.file.write(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2) + "\n")
        return
    report = _benchmarks("report")
    for r in reports:
        report.print_report(r, out)


@app.command("bench-load")
def bench_load(ctx: typer.Context,
               rows: int = typer.Option(100_000, help="Rows of the synthetic SCDL file"),
               seed: int = typer.Option(42, help="Random seed of the generator")) -> None:
    """Benchmark: generate a synthetic SCDL file and load it into a scratch store; print the figures."""
    if rows < 1:
        fail(f"--rows {rows}: give at least 1", 2)
    r = _benchmarks("load").run(ctx.obj, rows, seed)
    out.print(f"machine: {r.machine}")
    out.print(f"generated {r.rows:,} rows in {r.generated_s:.1f} s; seed build {r.seed_build_s:.2f} s")
    out.print(f"load scdl: {r.loaded_rows:,} rows, {r.quads:,} triples in {r.load_s:.1f} s "
              f"= {r.loaded_rows / r.load_s:,.0f} rows/s (target: 100,000 rows under 60 s)")


@app.command("bench-extract")
def bench_extract(batch: int = typer.Option(100, help="Documents drafted in one call of `maillage extract FOLDER` (0: skip)"),
                  as_json: bool = typer.Option(False, "--json", help="Print one JSON object")) -> None:
    """Benchmark the extractor on the real development documents: seconds per document once the models
    are loaded, and one call over a folder of --batch documents; the targets, met or NOT MET."""
    import json

    if batch < 0:
        fail(f"--batch {batch}: give 0 or more", 2)
    with err.status("bench-extract…") as status:
        say = status.update if err.is_terminal else (lambda m: err.print(m, markup=False, highlight=False))
        r = _benchmarks("extraction").run(batch=batch, progress=say)
    if as_json:
        out.file.write(json.dumps(r.to_dict(), indent=2) + "\n")
        return
    out.print(f"machine: {r.machine}")
    out.print(f"{r.documents} documents ({r.characters:,} bytes); models loaded in {r.load_s:.1f} s")
    out.print(f"per document: median {r.median_s:.2f} s, 95th percentile {r.p95_s:.2f} s, slowest {r.max_s:.2f} s ({r.slowest})")
    if r.batch_s is not None:
        out.print(f"{r.batch_documents} documents in one call: {r.batch_s:.1f} s ({r.batch_failed} refused)")
    for t in r.targets:
        out.print(f"{'met' if t['met'] else 'NOT MET'}: {t['target']} — {t['detail']}")
