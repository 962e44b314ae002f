"""Bar charts drawn on the server as SVG (no script, no outside request; presentation attributes
only, so the pages' Content-Security-Policy holds). Known money is the bar, alone then jointly
given; a group whose amounts are all unknown has no bar and says so: never a 0 € bar."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from maillage.model import SVG
from maillage.server.pages import UNKNOWN_AMOUNT, euros

WIDTH, LABEL, BAR, ROW = 720, 230, 300, 26


def bars(groups: list[dict], title: str) -> str:
    """``groups``: dicts with label, count, unknown, alone, joint (Decimal or None). Returns SVG text
    (already escaped, for a template's ``|safe``-free Markup: the caller wraps it)."""
    by_money = any((g["alone"] or 0) + (g["joint"] or 0) for g in groups)
    top = max([((g["alone"] or 0) + (g["joint"] or 0)) if by_money else g["count"] for g in groups] or [1]) or 1
    height = ROW * len(groups) + 34
    out = [f'<svg xmlns="{SVG}" class="chart" role="img" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" aria-label={quoteattr(title)}>',
           f'<title>{escape(title)}</title>']
    for i, g in enumerate(groups):
        y = 8 + i * ROW
        label = g["label"] if len(g["label"]) <= 34 else g["label"][:33] + "…"
        out.append(f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end" font-size="12" fill="#222">{escape(label)}</text>')
        x = LABEL
        if by_money:
            for part, colour in ((g["alone"], "#2c6e8f"), (g["joint"], "#8fbcd4")):
                if part:
                    w = max(1.0, float(Decimal(part) / Decimal(top)) * BAR)
                    out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="16" fill="{colour}"/>')
                    x += w
            known = (g["alone"] or 0) + (g["joint"] or 0)
            text = euros(known) if (g["alone"] is not None or g["joint"] is not None) else UNKNOWN_AMOUNT
        else:
            w = max(1.0, g["count"] / top * BAR)
            out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="16" fill="#9a9a9a"/>')
            x += w
            text = UNKNOWN_AMOUNT
        n = g["count"]
        text += f" · {n} financement{'s' if n > 1 else ''}"
        if g["unknown"]:
            text += f" (dont {g['unknown']} sans montant)"
        out.append(f'<text x="{x + 6:.1f}" y="{y + 15}" font-size="12" fill="#222">{escape(text)}</text>')
    legend_y = height - 10
    if by_money:
        out.append(f'<rect x="{LABEL}" y="{legend_y - 9}" width="10" height="10" fill="#2c6e8f"/>'
                   f'<text x="{LABEL + 14}" y="{legend_y}" font-size="11" fill="#444">donné seul</text>'
                   f'<rect x="{LABEL + 100}" y="{legend_y - 9}" width="10" height="10" fill="#8fbcd4"/>'
                   f'<text x="{LABEL + 114}" y="{legend_y}" font-size="11" fill="#444">donné conjointement (montant entier)</text>')
    else:
        out.append(f'<text x="{LABEL}" y="{legend_y}" font-size="11" fill="#444">aucun montant connu : '
                   'barres au nombre de financements</text>')
    out.append("</svg>")
    return "".join(out)


def _short(value) -> str:
    """26666.67 -> '26,7 k€', 1800000 -> '1,8 M€', 900 -> '900 €' (a column's label)."""
    v = float(value)
    if v >= 1_000_000:
        text = f"{v / 1_000_000:.1f} M€"
    elif v >= 1_000:
        text = f"{v / 1_000:.1f} k€"
    else:
        text = f"{v:.0f} €"
    return text.replace(".0 ", " ").replace(".", ",")


def years(tallies: list[dict], title: str, undated: dict | None = None) -> str:
    """A column per year, in order (``tallies``: dicts with label, fundings, without_amount,
    amount): the column is the known money (a multi-year funding's share), or, when no year has
    a known amount, the number of fundings. A year whose fundings all lack an amount has no money
    column: it reads "n. p." (montant non précisé), never 0 €. ``undated``: the same figures for
    the fundings without a date, written beside the axis, so that they are never out of sight."""
    by_money = any(t["amount"] is not None for t in tallies)
    top = max([(t["amount"] or 0) if by_money else t["fundings"] for t in tallies] or [1]) or 1
    n = max(len(tallies), 1)
    left, plot_w, plot_h, top_pad = 16, WIDTH - 32, 150, 34
    step = plot_w / n
    col = min(44.0, step * 0.7)
    height = top_pad + plot_h + 60 + (22 if undated else 0)
    out = [f'<svg xmlns="{SVG}" class="chart years-chart" role="img" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" aria-label={quoteattr(title)}>', f'<title>{escape(title)}</title>']
    base_y = top_pad + plot_h
    out.append(f'<line x1="{left}" y1="{base_y}" x2="{left + plot_w}" y2="{base_y}" stroke="#888"/>')
    for i, t in enumerate(tallies):
        x = left + i * step + (step - col) / 2
        cx = x + col / 2
        value = (t["amount"] or 0) if by_money else t["fundings"]
        if t["fundings"]:
            if by_money and t["amount"] is None:
                h, colour, label = 3.0, "#bbbbbb", "n. p."
            else:
                h = max(2.0, float(Decimal(str(value)) / Decimal(str(top))) * plot_h)
                colour = "#2c6e8f" if by_money else "#9a9a9a"
                label = _short(t["amount"]) if by_money else str(t["fundings"])
            out.append(f'<rect class="year-bar" x="{x:.1f}" y="{base_y - h:.1f}" width="{col:.1f}" height="{h:.1f}" fill="{colour}">'
                       f'<title>{escape(_tooltip(t))}</title></rect>')
            out.append(f'<text x="{cx:.1f}" y="{base_y - h - 4:.1f}" text-anchor="middle" font-size="10" fill="#222">{escape(label)}</text>')
        out.append(f'<text x="{cx:.1f}" y="{base_y + 14}" text-anchor="middle" font-size="11" fill="#222">{escape(t["label"])}</text>')
        if t["fundings"]:
            out.append(f'<text x="{cx:.1f}" y="{base_y + 27}" text-anchor="middle" font-size="9" fill="#555">'
                       f'{t["fundings"]} fin.</text>')
    legend = ("colonne : montant connu de l'année (part d'un financement sur plusieurs années) ; « n. p. » : montant non précisé"
              if by_money else "aucun montant connu : colonnes au nombre de financements")
    out.append(f'<text x="{left}" y="{base_y + 46}" font-size="11" fill="#444">{escape(legend)}</text>')
    if undated:
        text = f"Sans date : {undated['fundings']} financement{'s' if undated['fundings'] > 1 else ''}"
        if undated["fundings"]:
            text += (f", {euros(undated['amount'])} connus" if undated["amount"] is not None else f", {UNKNOWN_AMOUNT}")
            text += f" ({undated['without_amount']} sans montant)"
        out.append(f'<text class="undated" x="{left}" y="{base_y + 66}" font-size="12" font-weight="bold" fill="#8a3b00">{escape(text)}</text>')
    out.append("</svg>")
    return "".join(out)


def _tooltip(t: dict) -> str:
    money = euros(t["amount"]) if t["amount"] is not None else UNKNOWN_AMOUNT
    n = t["fundings"]
    text = f"{t['label']} : {n} financement{'s' if n > 1 else ''}, {money}"
    if t["without_amount"]:
        text += f" (dont {t['without_amount']} sans montant)"
    return text
