"""HTML pages: Jinja2 templates with autoescaping always on, and the mapping from URIs to the
server's own pages (``{base}org/x`` -> ``/id/org/x``).

Every value from the graph reaches a page through an autoescaped ``{{ … }}`` (never ``|safe``),
and every link is built here from a URI: a path of this server, or an external http(s) URL,
never anything else (no ``javascript:``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# what a local id may contain without escaping (RFC 3986 pchar, plus '/')
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


@dataclass(frozen=True)
class Site:
    """What a page needs to know about the server: the base of minted URIs and the limits."""

    base: str
    timeout: float = 10.0
    max_rows: int = 10_000
    updates: bool = False

    def local_path(self, uri: str) -> str | None:
        """``/id/…`` for a URI under the base (its fragment kept), else None."""
        if not isinstance(uri, str) or not uri.startswith(self.base):
            return None
        rest, hash_, fragment = uri[len(self.base):].partition("#")
        path = "/id/" + quote(rest, safe=_PATH_SAFE)
        return path + (hash_ + quote(fragment, safe=_PATH_SAFE + "?#") if hash_ else "")

    def href(self, uri: Any, known: bool = True) -> str | None:
        """Where a link to ``uri`` goes: its page here, the generic resource page for other
        IRIs of the graph (``known``), or the URL itself for an outside http(s) IRI."""
        if not isinstance(uri, str):
            return None
        local = self.local_path(uri)
        if local:
            return local
        if uri.startswith(("https://w3id.org/maillage/", )) and known:
            return "/resource?" + urlencode({"uri": uri})
        if uri.startswith(("http://", "https://")):
            return uri
        return None

    def network_path(self, uri: str) -> str | None:
        local = self.local_path(uri)
        return None if local is None else "/network/" + local[len("/id/"):].split("#")[0]

    def uri_of(self, path_rest: str) -> str:
        return self.base + path_rest


def euros(value: Any) -> str:
    """15000 -> '15 000 €' (narrow no-break spaces), None -> ''."""
    if value is None or value == "":
        return ""
    try:
        d = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    text = f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, Decimal, float)):
        d = Decimal(str(value))
        if d == d.to_integral_value():
            return f"{int(d):,}".replace(",", "\u202f")
        return str(value)
    return str(value)


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["euros"] = euros
    env.filters["number"] = number
    env.globals["urlencode"] = urlencode
    return env


def render(template: str, **context: Any) -> bytes:
    return environment().get_template(template).render(**context).encode("utf-8")
