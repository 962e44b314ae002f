"""maillage's benchmarks: kept in the source checkout, outside the installed package.

- ``workload``: the synthetic graph shaped like the real one, and the canned queries' bench plan;
- ``bench``: ``run()`` measures each engine's column in its own process and checks the targets;
- ``timing``, ``browser``: how a step is timed (medians, forked children with a time limit,
  the network page in headless Chromium);
- ``virtuoso``: the Virtuoso column (a Virtuoso of its own, started with scripts/virtuoso);
- ``load``: the SCDL loading benchmark; ``report``: the tables `maillage bench` prints.

`maillage bench` and `maillage bench-load` import this package when run from a checkout.
"""
