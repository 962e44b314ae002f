"""The map of France: a choropleth drawn in pure SVG from the outlines shipped in
``static/carte-france.json`` (derived by scripts/make-map-outlines; IGN — Admin Express COG 2018,
INSEE COG, Licence Ouverte). No map library, no script, nothing fetched: the toggles (départements
or régions, initiatives or money) are radio buttons read by the stylesheet, the figures of the
territory under the pointer are drawn in the map's top strip on hover or focus, and each territory
is a link to its page.

The same fragment serves the explorer (/carte, inside its form of filters) and the static page
(`maillage map`). Every string from the data is XML-escaped here or HTML-escaped by the template's
autoescaping. Money is honest: a territory whose fundings have no known amount is hatched, never
coloured as 0, and its figures say how many fundings have an amount and how many do not.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from maillage.model import SVG
from maillage.territory_map import LEVEL_NAMES, MEASURES, MapFigures, Territory

HERE = Path(__file__).parent
OUTLINES = HERE / "static" / "carte-france.json"
STYLESHEET = HERE / "static" / "carte.css"
TEMPLATES = HERE / "templates"
CLASSES = 5
ZOOM = ("75", "92", "93", "94")            # too small to point at: enlarged in a box of their own
ZOOM_BOX = (210, 540, 352, 700)           # in the Bay of Biscay (x0, y0, x1, y1 of the outlines' frame)
UNKNOWN_AMOUNT = "montant non précisé"
SINGULAR = {"departement": "département", "region": "région"}
ATTRIBUTION = "Contours : IGN — Admin Express COG 2018 ; INSEE COG (Licence Ouverte / Open Licence, Etalab), simplifiés."
# the static page's own policy: no script at all, nothing from another server
STATIC_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
              "form-action 'none'; base-uri 'none'")

Href = Callable[[str], "str | None"]


@functools.cache
def outlines() -> dict:
    """The shipped outlines: ``departements`` and ``regions`` (code, nom, d), ``insets``, the size."""
    return json.loads(OUTLINES.read_text(encoding="utf-8"))


def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def euros(value) -> str:
    d = Decimal(str(value))
    text = f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,}".replace(",", "\u202f") + " " + (word if n == 1 else (words or word + "s"))


# ---------------------------------------------------------------- classes of the legend

def classify(values, money: bool) -> list[dict]:
    """Up to CLASSES classes of the positive values, by quantiles: each with its upper bound, its
    label (the smallest and largest value it holds) and how many territories it holds."""
    positive = sorted(v for v in values if v is not None and v > 0)
    if not positive:
        return []
    k = min(CLASSES, len(set(positive)))
    uppers = sorted({positive[math.ceil(i * len(positive) / k) - 1] for i in range(1, k + 1)})
    classes, below = [], None
    for upper in uppers:
        members = [v for v in positive if (below is None or v > below) and v <= upper]
        lo, hi = members[0], members[-1]
        fmt = euros if money else (lambda v: f"{int(v):,}".replace(",", "\u202f"))
        classes.append({"upper": upper, "label": fmt(lo) if lo == hi else f"{fmt(lo)} à {fmt(hi)}", "count": len(members)})
        below = upper
    return classes


def class_of(value, classes: list[dict]) -> int:
    if value is None or value <= 0:
        return 0
    return next(i for i, c in enumerate(classes, start=1) if value <= c["upper"])


def money_class(t: Territory, classes: list[dict]) -> str:
    if not t.fundings:
        return "e0"
    if not t.with_amount:
        return "ex"           # fundings, none with a known amount: hatched, never a 0
    return f"e{class_of(t.known_eur, classes)}"


def classes_of(t: Territory, counts: list[dict], money: list[dict]) -> str:
    return f"territoire n{class_of(t.initiatives, counts)} {money_class(t, money)}"


# ---------------------------------------------------------------- what a territory says

def money_text(t: Territory) -> str:
    if not t.fundings:
        return "aucun financement connu"
    text = plural(t.fundings, "financement")
    if not t.with_amount:
        return text + f" : {UNKNOWN_AMOUNT} (aucun n'a de montant)"
    text += f" : {euros(t.known_eur)} connus ({plural(t.with_amount, 'avec montant', 'avec montant')}"
    return text + (f", {t.without_amount} sans montant)" if t.without_amount else ")")


def figures_text(t: Territory) -> tuple[str, str, str]:
    return f"{t.name} ({t.code})", plural(t.initiatives, "initiative"), money_text(t)


# ---------------------------------------------------------------- the SVG of one level

def svg(figures: MapFigures, href: Href) -> str:
    geo = outlines()
    level = figures.level
    width, height, top = geo["width"], geo["height"], geo["top"]
    counts = classify([t.initiatives for t in figures.territories.values()], money=False)
    money = classify([t.known_eur for t in figures.territories.values() if t.with_amount], money=True)
    out = [f'<svg xmlns="{SVG}" class="carte-svg niveau-{level}" id="carte-{level}" '
           f'viewBox="0 0 {width} {height}" role="group" aria-label={quoteattr("Carte des " + LEVEL_NAMES[level])}>',
           f'<text class="consigne" x="12" y="28">Survolez un {SINGULAR[level]} : ses chiffres s’affichent ici ; '
           f'cliquez pour ouvrir sa page.</text>']
    for inset in geo["insets"]:
        x0, y0, x1, y1 = inset["box"]
        out.append(f'<rect class="encadre" x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}"/>'
                   f'<text class="encadre-nom" x="{x0 + 6}" y="{y1 - 6}">{escape(inset["nom"])}</text>')
    shapes = geo["departements" if level == "departement" else "regions"]
    for shape in shapes:
        t = figures.territories.get(shape["code"]) or Territory(shape["code"], shape["nom"], "")
        name, count, cash = figures_text(t)
        classes = classes_of(t, counts, money)
        link = href(t.uri) if t.uri else None
        out.append(f'<a href={quoteattr(link)} aria-label={quoteattr(f"{name} : {count} ; {cash}")}>' if link
                   else '<g class="sans-lien">')
        ident = f' id="d-{shape["code"]}"' if level == "departement" else ""
        out.append(f'<path{ident} class="{classes}" data-code={quoteattr(shape["code"])} d="{shape["d"]}">'
                   f'<title>{escape(f"{name} — {count} ; {cash}")}</title></path>')
        out.append(info(name, count, cash, top))
        out.append("</a>" if link else "</g>")
    if level == "departement":      # the régions' borders over the départements, for orientation
        out.append('<g class="frontieres">' + "".join(f'<path d="{r["d"]}"/>' for r in geo["regions"]) + "</g>")
        out.append(zoom(figures, href, {s["code"]: s["d"] for s in shapes}, top, counts, money))
    out.append("</svg>")
    return "".join(out)


def bbox(d: str) -> tuple[float, float, float, float]:
    """The bounding box of a path of the shipped form (rings 'M x y l dx dy … z')."""
    xs, ys = [], []
    for start, moves in re.findall(r"M([^l]+)l([^z]*)z", d):
        x, y = map(float, start.split())
        xs.append(x)
        ys.append(y)
        numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+", moves)]
        for dx, dy in zip(numbers[::2], numbers[1::2]):
            x, y = x + dx, y + dy
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def zoom(figures: MapFigures, href: Href, outlines_by_code: dict[str, str], top: int, counts: list, money: list) -> str:
    """Paris and its inner ring enlarged in the Bay of Biscay: the same paths again (``<use>``, so
    each département is still one path), each a link with its figures like the original."""
    boxes = [bbox(outlines_by_code[c]) for c in ZOOM if c in outlines_by_code]
    if not boxes:
        return ""
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    bx0, by0, bx1, by1 = ZOOM_BOX
    scale = min((bx1 - bx0 - 16) / (x1 - x0), (by1 - by0 - 30) / (y1 - y0))
    tx = bx0 + (bx1 - bx0 - (x1 - x0) * scale) / 2 - x0 * scale
    ty = by0 + 8 + (by1 - by0 - 30 - (y1 - y0) * scale) / 2 - y0 * scale
    out = [f'<rect class="encadre" x="{bx0}" y="{by0}" width="{bx1 - bx0}" height="{by1 - by0}"/>'
           f'<text class="encadre-nom zoom-nom" x="{bx0 + 5}" y="{by1 - 6}">Paris et petite couronne</text><g class="zoom">']
    for code in ZOOM:
        t = figures.territories.get(code)
        if t is None or code not in outlines_by_code:
            continue
        name, count, cash = figures_text(t)
        link = href(t.uri) if t.uri else None
        out.append(f'<a href={quoteattr(link)} aria-label={quoteattr(f"{name} : {count} ; {cash}")}>' if link else "<g>")
        # the classes on the <use> itself: the page's stylesheet does not reach inside its copy, which inherits the fill
        out.append(f'<use href="#d-{code}" class="{classes_of(t, counts, money)}" data-code="{code}" '
                   f'transform="translate({tx:.1f} {ty:.1f}) scale({scale:.3f})"/>')
        out.append(info(name, count, cash, top))
        out.append("</a>" if link else "</g>")
    return "".join(out) + "</g>"


def info(name: str, count: str, cash: str, top: int) -> str:
    width = outlines()["width"]
    return (f'<g class="info"><rect x="0" y="0" width="{width}" height="{top - 2}"/>'
            f'<text class="info-nom" x="12" y="20">{escape(name)}</text>'
            f'<text x="12" y="41">{escape(count)} (ici ou dans un territoire qu’il contient)</text>'
            f'<text x="12" y="61">{escape(cash[:1].upper() + cash[1:])}</text></g>')


def legends(figures: MapFigures) -> dict[str, dict]:
    """The two legends of one level (nombre, montant): classes with their colour class and label."""
    ts = list(figures.territories.values())
    counts = classify([t.initiatives for t in ts], money=False)
    money = classify([t.known_eur for t in ts if t.with_amount], money=True)
    unit = SINGULAR[figures.level]
    n_none = sum(1 for t in ts if not t.initiatives)
    count_items = [{"css": "n0", "label": "aucune initiative", "count": plural(n_none, unit)}]
    count_items += [{"css": f"n{i}", "label": c["label"] + (" initiative" if c["label"] == "1" else " initiatives"),
                     "count": plural(c["count"], unit)} for i, c in enumerate(counts, start=1)]
    money_items = [{"css": "e0", "label": "aucun financement connu", "count": plural(sum(1 for t in ts if not t.fundings), unit)},
                   {"css": "ex", "label": f"financements sans montant connu ({UNKNOWN_AMOUNT}, pas 0 €)",
                    "count": plural(sum(1 for t in ts if t.fundings and not t.with_amount), unit)}]
    money_items += [{"css": f"e{i}", "label": c["label"], "count": plural(c["count"], unit)}
                    for i, c in enumerate(money, start=1)]
    return {"nombre": {"title": f"Nombre d’initiatives par {unit}", "items": count_items},
            "montant": {"title": f"Montant connu des financements par {unit}", "items": money_items}}


def level_context(figures: MapFigures, href: Href) -> dict:
    """What the fragment shows for one level: the SVG, the legends, the totals, the table."""
    rows = sorted(figures.territories.values(), key=lambda t: (t.code.zfill(3) if t.code.isdigit() else t.code))
    return {"key": figures.level, "name": LEVEL_NAMES[figures.level].capitalize(), "singular": SINGULAR[figures.level],
            "svg": Markup(svg(figures, href)), "legends": legends(figures), "figures": figures,
            "known": euros(figures.known_eur) if figures.known_eur is not None else UNKNOWN_AMOUNT,
            "rows": [{"t": t, "href": href(t.uri) if t.uri else None,
                      "money": euros(t.known_eur) if t.known_eur is not None else (UNKNOWN_AMOUNT if t.fundings else "")}
                     for t in rows if t.initiatives or t.fundings]}


@functools.cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["plural"] = plural
    return env


def fragment(by_level: dict[str, MapFigures], href: Href, *, niveau: str = "departement", mesure: str = "nombre",
             form: dict | None = None) -> Markup:
    """The map's HTML (toggles, legends, both levels' maps, the notes and the table of figures);
    ``form``: the explorer's filters (choices, chosen values), None on the static page."""
    levels = [level_context(by_level[k], href) for k in ("departement", "region") if k in by_level]
    first = next(iter(by_level.values()))
    html = _environment().get_template("_carte.html").render(
        levels=levels, niveau=niveau if niveau in by_level else levels[0]["key"],
        mesure=mesure if mesure in MEASURES else "nombre", measures=MEASURES, form=form,
        filters=first.filters.describe(), attribution=ATTRIBUTION)
    return Markup(html)


def write_map_page(by_level: dict[str, MapFigures], path: Path, href: Href, *, title: str = "Carte des initiatives",
                   niveau: str = "departement", mesure: str = "nombre") -> Path:
    """The static page: one self-contained HTML file (its stylesheet inlined, no script)."""
    body = fragment(by_level, href, niveau=niveau, mesure=mesure)
    html = _environment().get_template("carte.html").render(title=title, body=body, css=Markup(stylesheet()),
                                                            csp=STATIC_CSP)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
