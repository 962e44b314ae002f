"""Caches of the web server (in its event loop): values computed once per key, and answers to
read requests per graph generation within a byte budget."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any


class _Once:
    """Compute a value once per key, whoever asks first; later (and concurrent) askers share it.
    Failures are not kept. At most ``size`` values are kept (oldest dropped)."""

    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[Any, asyncio.Future] = OrderedDict()

    async def get(self, key: Any, factory: Callable[[], Awaitable[Any]]) -> Any:
        fut = self._items.get(key)
        if fut is None:
            fut = asyncio.ensure_future(factory())
            self._items[key] = fut

            def forget(f: asyncio.Future, key=key) -> None:
                if f.cancelled() or f.exception() is not None:
                    if self._items.get(key) is f:
                        del self._items[key]

            fut.add_done_callback(forget)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return await asyncio.shield(fut)

    def clear(self) -> None:
        self._items.clear()


class _Flight:
    def __init__(self, task: asyncio.Future):
        self.task = task
        self.waiters = 0


class ResultCache:
    """Answers to read requests (status 200 only), per graph generation, least recently used
    first out within a byte budget. Identical requests running at the same time are evaluated
    once; that evaluation is cancelled (its worker killed) only when every client waiting for it
    has left. A budget of 0 turns both off (each request is evaluated on its own)."""

    def __init__(self, max_bytes: int, max_entry: int = 4 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.max_entry = min(max_entry, max_bytes)
        self.bytes = 0
        self.hits = self.misses = self.shared = 0
        self._items: OrderedDict[Any, tuple] = OrderedDict()
        self._flights: dict[Any, _Flight] = {}
        self._gen: Any = None

    def _put(self, key: Any, payload: tuple) -> None:
        status, _, body, _ = payload
        if status != 200 or len(body) > self.max_entry or key in self._items:
            return
        self._items[key] = payload
        self.bytes += len(body)
        while self.bytes > self.max_bytes and self._items:
            _, old = self._items.popitem(last=False)
            self.bytes -= len(old[2])

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0

    async def answer(self, gen: Any, key: Any, factory: Callable[[], Awaitable[tuple]]) -> tuple:
        if not self.max_bytes:
            return await factory()
        if gen != self._gen:
            self.clear()
            self._gen = gen
        key = (gen, key)
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            self.hits += 1
            return hit
        flight = self._flights.get(key)
        if flight is None:
            self.misses += 1
            flight = _Flight(asyncio.ensure_future(factory()))
            self._flights[key] = flight

            def done(task: asyncio.Future, key=key, flight=flight) -> None:
                if self._flights.get(key) is flight:
                    del self._flights[key]
                if not task.cancelled() and task.exception() is None:
                    self._put(key, task.result())

            flight.task.add_done_callback(done)
        else:
            self.shared += 1
        flight.waiters += 1
        try:
            return await asyncio.shield(flight.task)
        except asyncio.CancelledError:
            if flight.waiters == 1 and not flight.task.done():
                flight.task.cancel()
            raise
        finally:
            flight.waiters -= 1

    def describe(self) -> dict:
        return {"entries": len(self._items), "bytes": self.bytes, "max_bytes": self.max_bytes, "hits": self.hits,
                "misses": self.misses, "shared": self.shared}
