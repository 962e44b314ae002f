"""Worker processes for the web server: a small pool for queries, and one-off processes for
batch jobs (dumps, network pages, updates).

A query is sent to an idle worker over a pipe; the event loop only waits for the answer (a
thread blocks on the pipe). When the time limit passes, or the client goes away, the worker is
killed (SIGKILL: the query stops at once and its memory goes back to the system) and a fresh
one is forked from a forkserver that has already imported everything, so the pool is whole
again within milliseconds. Workers open the store read-only: several processes share it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from maillage.server import worker as worker_module


class PoolError(Exception):
    status = 500
    message = "internal error"

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class QueryTimeout(PoolError):
    status = 504


class Busy(PoolError):
    status = 503


class WorkerDied(PoolError):
    status = 500


class JobFailed(PoolError):
    """The worker answered with an error (status and message for the client)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Stats:
    started: int = 0
    jobs: int = 0
    timeouts: int = 0
    abandoned: int = 0          # client gone: worker killed
    died: int = 0
    refused_busy: int = 0       # no worker free within the time limit: 503
    batch: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    since: float = field(default_factory=time.monotonic)


_CONTEXT_LOCK = threading.Lock()


def _context():
    """A forkserver context that has imported the worker module (and with it pyoxigraph, rdflib,
    the queries) once: each new worker is a fork of it, ready at once. Forking the web server
    itself is avoided (it runs threads and an event loop)."""
    with _CONTEXT_LOCK:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["maillage.server.worker", "maillage.server.app", "maillage.query", "maillage.server.pages",
                                    "rdflib", "jinja2"])
        return ctx


class WorkerPool:
    def __init__(self, store_dir, base: str, *, size: int = 2, timeout: float = 10.0, memory_mb: int = 0):
        self.store_dir = str(store_dir)
        self.base = base
        self.size = size
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.stats = Stats()
        self._ctx = _context()
        self._idle: asyncio.Queue[_Worker] | None = None
        self._threads = ThreadPoolExecutor(max_workers=2 * size + 4, thread_name_prefix="maillage-pool")
        self._tasks: set[asyncio.Task] = set()
        self._all: set[_Worker] = set()
        self._batch = asyncio.Semaphore(1)
        self._closed = False

    # ------------------------------------------------------------ life cycle

    def _spawn(self, writable: bool = False, memory_mb: int | None = None) -> _Worker:
        parent, child = self._ctx.Pipe()
        memory = self.memory_mb if memory_mb is None else memory_mb
        process = self._ctx.Process(target=worker_module.serve, name="maillage-worker",
                                    args=(child, self.store_dir, self.base, memory, writable), daemon=True)
        process.start()
        child.close()
        self.stats.started += 1
        return _Worker(process, parent)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size)))
        for w in workers:
            self._all.add(w)
            self._idle.put_nowait(w)

    async def close(self) -> None:
        self._closed = True
        for t in list(self._tasks):
            t.cancel()
        for w in list(self._all):
            self._kill(w)
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._threads, w.process.join, 2) for w in list(self._all)),
                             return_exceptions=True)
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def _kill(w: _Worker) -> None:
        try:
            if w.process.is_alive():
                w.process.kill()
        except (OSError, ValueError, AttributeError):
            pass
        try:
            w.conn.close()
        except OSError:
            pass

    def _discard(self, w: _Worker) -> None:
        """Kill a worker and start another in its place (in the background)."""
        self._kill(w)
        self._all.discard(w)
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._replace(w))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self, old: _Worker) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, old.process.join, 5)
        new = await loop.run_in_executor(self._threads, self._spawn)
        if self._closed:
            self._kill(new)
            return
        self._all.add(new)
        self._idle.put_nowait(new)

    # ------------------------------------------------------------ running jobs

    @property
    def busy_workers(self) -> int:
        return len(self._all) - (self._idle.qsize() if self._idle else 0)

    async def run(self, job: str, gen: Any, timeout: float | None = None, **kwargs) -> Any:
        """Run a job on a pool worker; its answer, or a PoolError subclass."""
        timeout = self.timeout if timeout is None else timeout
        try:
            w = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            self.stats.refused_busy += 1
            raise Busy(f"the server is busy: no worker became free within {timeout:g} s; try again") from None
        return await self._exchange(w, (job, gen, kwargs), timeout, pooled=True)

    async def _exchange(self, w: _Worker, message, timeout: float, pooled: bool) -> Any:
        loop = asyncio.get_running_loop()
        self.stats.jobs += 1
        try:
            w.conn.send(message)
            reply = await asyncio.wait_for(loop.run_in_executor(self._threads, w.conn.recv), timeout)
        except TimeoutError:
            self.stats.timeouts += 1
            self._discard(w) if pooled else self._kill(w)
            raise QueryTimeout(f"the query was stopped after {timeout:g} s, the server's time limit (--timeout)") from None
        except asyncio.CancelledError:
            self.stats.abandoned += 1
            self._discard(w) if pooled else self._kill(w)
            raise
        except (EOFError, OSError, BrokenPipeError):
            self.stats.died += 1
            code = w.process.exitcode
            self._discard(w) if pooled else self._kill(w)
            raise WorkerDied("the query stopped its worker process, which the server replaced (it needed more "
                             "memory than a query may use here, or the engine failed on it"
                             f"{'' if code is None else f'; exit code {code}'})") from None
        if pooled:
            self._idle.put_nowait(w)
        if reply[0] == "ok":
            return reply[1]
        raise JobFailed(reply[1], reply[2])

    async def run_batch(self, job: str, gen: Any, timeout: float, *, writable: bool = False,
                        exclusive: bool = True, **kwargs) -> Any:
        """Run a job in a process of its own: dumps and network pages take long and must not hold
        a query worker (``exclusive``: one such job at a time, the machine is small); updates
        need the store opened for writing. These are the server's own jobs (or an update sent
        with the token): no memory limit."""
        if exclusive:
            async with self._batch:
                return await self._batch_run(job, gen, timeout, writable, kwargs)
        return await self._batch_run(job, gen, timeout, writable, kwargs)

    async def _batch_run(self, job, gen, timeout, writable, kwargs):
        loop = asyncio.get_running_loop()
        w = await loop.run_in_executor(self._threads, self._spawn, writable, 0)
        self.stats.batch += 1
        try:
            return await self._exchange(w, (job, gen, kwargs), timeout, pooled=False)
        finally:
            try:
                w.conn.send(None)
            except OSError:
                pass
            await loop.run_in_executor(self._threads, _reap, w)

    def describe(self) -> dict:
        return {"workers": len(self._all), "busy": self.busy_workers, "pid": os.getpid(), **self.stats.as_dict()}


def _reap(w: _Worker) -> None:
    w.process.join(5)
    if w.process.is_alive():
        w.process.kill()
        w.process.join(1)
    try:
        w.conn.close()
    except OSError:
        pass
