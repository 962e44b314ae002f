"""HTML pages: Jinja2 templates with autoescaping always on, and the mapping from URIs to the
server's own pages (``{base}org/x`` -> ``/id/org/x``).

Every value from the graph reaches a page through an autoescaped ``{{ … }}`` (never ``|safe``),
and every link is built here from a URI: a path of this server, or an external http(s) URL,
never anything else (no ``javascript:``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from maillage.model import ONTOLOGY_IRI

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
    corpus: str | None = None          # folder of the source documents, when this server has them

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
        if uri.startswith(ONTOLOGY_IRI):        # the vocabulary: its terms and concepts dereference at /def
            rest, hash_, fragment = uri[len(ONTOLOGY_IRI):].partition("#")
            return "/def" + quote(rest, safe=_PATH_SAFE) + (hash_ + quote(fragment, safe=_PATH_SAFE) if hash_ else "")
        if uri.startswith(ONTOLOGY_IRI.rsplit("/", 1)[0] + "/") and known:       # the project's other IRIs
            return "/resource?" + urlencode({"uri": uri})
        if uri.startswith(("http://", "https://")):
            return uri
        return None

    def source(self, uri: str) -> dict:
        """A link to a passage of a source document (``…/document/FILE#char=a,b``): it opens the
        document page at the passage (``?char=a,b#passage``), which is highlighted there."""
        doc, _, fragment = uri.partition("#")
        name = doc.rsplit("/", 1)[-1]
        local = self.local_path(doc) or self.href(doc) or doc
        m = re.fullmatch(r"char=(\d+),(\d+)", fragment)
        if not m:
            return {"text": name, "href": local, "title": uri}
        text = f"doc. {name.split('_')[0]}, car. {m[1]}–{m[2]}"
        href = f"{local}?{urlencode({'char': f'{m[1]},{m[2]}'})}#passage" if local.startswith("/") else uri
        return {"text": text, "href": href, "title": f"{name}#{fragment}"}

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
        return f"{d:,}".replace(",", "\u202f").replace(".", ",")      # 2,5 and 1 234,5, as French writes them
    return str(value)


UNKNOWN_AMOUNT = "montant non précisé"

# a query's variable names as a page's column headers
COLUMN_LABELS = {
    "funder": "Financeur", "funders": "Financeurs", "initiative": "Initiative", "recipient": "Bénéficiaire",
    "object": "Objet", "amount_eur": "Montant", "period": "Période", "purpose": "Nature de l'aide",
    "programme": "Dispositif", "source": "Source", "kind": "Type de structure", "fundings": "Financements",
    "with_amount": "dont avec montant", "without_amount": "dont sans montant", "total_eur": "Total seul (connu)",
    "joint_eur": "Conjoint (connu)", "initiatives": "Initiatives", "partner": "Partenaire",
    "shared": "Initiatives communes", "roles": "Rôles", "role": "Rôle", "places": "Lieux", "pilots": "Pilotes",
    "themes": "Thèmes", "funder_a": "Financeur", "funder_b": "Autre financeur", "cofunders": "Cofinanceurs",
    "measure": "Mesure", "category": "Catégorie", "count": "Nombre", "name": "Nom", "type": "Type",
    "territory": "Territoire", "year": "Année", "theme": "Thème", "organisation": "Organisme",
}
AMOUNT_COLUMNS = {"amount_eur", "total_eur", "joint_eur"}


def column_label(name: str) -> str:
    return COLUMN_LABELS.get(name) or name.replace("_", " ").capitalize()


_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")


def period(value: Any) -> str:
    """'2022' -> '2022', '2020/2023' -> '2020–2023', 'P3Y' -> 'sur 3 ans', 'P18M' -> 'sur 18 mois'."""
    if value is None:
        return ""
    text = str(value).strip()
    if re.fullmatch(r"\d{4}(-\d{2})?/\d{4}(-\d{2})?", text):
        a, b = text.split("/")
        return f"{a}–{b}"
    m = _DURATION.match(text)
    if m and any(m.groups()):
        years, months, days = (int(g) if g else 0 for g in m.groups())
        parts = []
        if years:
            parts.append(f"{years} an{'s' if years > 1 else ''}")
        if months:
            parts.append(f"{months} mois")
        if days:
            parts.append(f"{days} jour{'s' if days > 1 else ''}")
        return "sur " + " et ".join(parts)
    return text


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def date(value: Any) -> str:
    """'2023-11-27' -> '27 novembre 2023', '2023-11' -> 'novembre 2023', '2026-12-01T07:22:24+00:00'
    -> '1er décembre 2026 à 07 h 22 (UTC)'; anything else as it is."""
    if value is None:
        return ""
    text = str(value).strip()
    m = _DATE.match(text)
    if not m or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
        return text
    year, month, day, hour, minute, zone = m.groups()
    if not month:
        return year
    out = f"{MONTHS[int(month) - 1]} {year}"
    if day:
        out = f"{'1er' if int(day) == 1 else int(day)} {out}"
    if hour:
        out += f" à {hour} h {minute}"
        if zone in ("Z", "+00:00", "+0000", "-00:00"):
            out += " (UTC)"
        elif zone:
            out += f" (UTC{zone})"
    return out


def amount(value: Any) -> str:
    """An amount for a page: '80 000 €', or 'montant non précisé' when it is not known (never 0 €)."""
    return UNKNOWN_AMOUNT if value is None or value == "" else euros(value)


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["euros"] = euros
    env.filters["number"] = number
    env.filters["amount"] = amount
    env.filters["period"] = period
    env.filters["date"] = date
    env.filters["column"] = column_label
    env.globals["urlencode"] = urlencode
    return env


def render(template: str, **context: Any) -> bytes:
    return environment().get_template(template).render(**context).encode("utf-8")
