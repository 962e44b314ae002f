"""How the bench times a step: medians that do not let one slow run decide, peak memory, and a
step run in a forked child with its own time limit."""

from __future__ import annotations

import multiprocessing as mp
import resource
import statistics
import time


def peak_mb(children: bool = False) -> float:
    """Peak resident memory of this process; with ``children``, of its largest finished child
    too (rdflib's queries run in forked children, whose memory is the query's own)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if children:
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return peak / 1024


def median(fn, repeat: int, *, min_total: float = 1.0, max_runs: int = 200) -> float:
    """Median of at least ``repeat`` runs; a query of a few milliseconds runs on until about
    ``min_total`` seconds have passed, so that one slow run (a cold cache, a scheduler hiccup on
    shared cores) does not decide a ratio of two millisecond figures."""
    times: list[float] = []
    while len(times) < repeat or (sum(times) < min_total and len(times) < max_runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def timed_in_child(fn, budget: float) -> float | None:
    """Seconds ``fn()`` took in a forked copy of this process, or None when it ran over
    ``budget`` seconds (the copy is killed). rdflib's evaluation cannot be interrupted from
    within; a fork shares the loaded graph copy-on-write, so each query gets its own limit
    without loading the graph again."""
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child():
        t = time.perf_counter()
        fn()
        send.send(time.perf_counter() - t)

    proc = ctx.Process(target=child)
    proc.start()
    send.close()
    try:
        if receive.poll(budget):
            try:
                return receive.recv()
            except EOFError:  # the child died (e.g. out of memory): no figure
                return None
        return None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()


def paired_medians(fn_a, fn_b, repeat: int, *, min_total: float = 2.0, max_runs: int = 200) -> tuple[float, float]:
    """Medians of ``fn_a`` and ``fn_b`` run in turn (a, b, a, b, …), at least ``repeat`` times each
    and on until about ``min_total`` seconds have passed: a change of the machine's load while
    they run falls on both, so their ratio holds on shared cores where two columns measured
    minutes apart do not."""
    wall_a, wall_b, _, _ = paired_timings(fn_a, fn_b, repeat, min_total=min_total, max_runs=max_runs)
    return wall_a, wall_b


def paired_timings(fn_a, fn_b, repeat: int, *, min_total: float = 2.0,
                   max_runs: int = 200) -> tuple[float, float, float, float]:
    """``paired_medians`` with the CPU seconds of this process too: (wall a, wall b, CPU a, CPU b),
    each a median. On cores shared with other work, wall time counts the waits for a core and
    CPU time does not: a query evaluated in this process's own threads is measured by its CPU."""
    wall: tuple[list[float], list[float]] = ([], [])
    cpu: tuple[list[float], list[float]] = ([], [])
    while len(wall[0]) < repeat or (sum(wall[0]) + sum(wall[1]) < min_total and len(wall[0]) < max_runs):
        for i in (0, 1) if len(wall[0]) % 2 == 0 else (1, 0):
            t, c = time.perf_counter(), time.process_time()
            (fn_a, fn_b)[i]()
            wall[i].append(time.perf_counter() - t)
            cpu[i].append(time.process_time() - c)
    return (statistics.median(wall[0]), statistics.median(wall[1]),
            statistics.median(cpu[0]), statistics.median(cpu[1]))
