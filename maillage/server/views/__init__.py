"""The explorer's views, one module per concern. Each module gives ``ROUTES`` (Starlette routes,
run in the event loop: they only route, negotiate and wait) and ``JOBS`` (functions run inside a
worker process: the queries, through maillage.query, and the page rendering, through
maillage.server.pages). A new view is a new module listed in ``MODULES``."""

from __future__ import annotations

import importlib

MODULES = ("home", "search", "canned", "entity", "funder", "document", "dataset", "vocabulary", "network", "years", "similar",
           "map")


def _modules():
    return [importlib.import_module(f"maillage.server.views.{name}") for name in MODULES]


def routes() -> list:
    return [route for module in _modules() for route in getattr(module, "ROUTES", [])]


def jobs() -> dict:
    out: dict = {}
    for module in _modules():
        for name, job in getattr(module, "JOBS", {}).items():
            if name in out:
                raise RuntimeError(f"two views define the job {name!r}")
            out[name] = job
    return out
