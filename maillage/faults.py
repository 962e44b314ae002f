"""Fault injection for the atomicity tests: ``MAILLAGE_FAULT=step`` makes the process die (as a
kill -9 would, no cleanup) when it reaches that named step of a load or a build."""

from __future__ import annotations

import os

STEPS = ("load:staged", "load:built", "load:committed", "build:written",
         "swap:renamed", "swap:linked", "swap:flipped")   # the store swap (maillage.store.swap.swap_in)


def fault(step: str) -> None:
    if os.environ.get("MAILLAGE_FAULT") == step:
        os._exit(137)
