"""Bar charts drawn on the server as SVG (no script, no outside request; presentation attributes
only, so the pages' Content-Security-Policy holds). Known money is the bar, alone then jointly
given; a group whose amounts are all unknown has no bar and says so: never a 0 € bar."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from maillage.server.pages import UNKNOWN_AMOUNT, euros

WIDTH, LABEL, BAR, ROW = 720, 230, 300, 26


def bars(groups: list[dict], title: str) -> str:
    """``groups``: dicts with label, count, unknown, alone, joint (Decimal or None). Returns SVG text
    (already escaped, for a template's ``|safe``-free Markup: the caller wraps it)."""
    by_money = any((g["alone"] or 0) + (g["joint"] or 0) for g in groups)
    top = max([((g["alone"] or 0) + (g["joint"] or 0)) if by_money else g["count"] for g in groups] or [1]) or 1
    height = ROW * len(groups) + 34
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" height="{height}" '
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
