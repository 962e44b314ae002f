"""Fundings by year (issue 16 item 2): each funding placed in the years it covers, its known amount
spread over them, and the undated ones counted beside, never dropped.

The rule, said on every page that shows it (``RULE``):

- a funding given for one year counts in that year;
- a period (``2020/2023``) covers each of its calendar years, both ends included;
- a duration (``P3Y``, ``P18M``) covers as many calendar years as it lasts, counted from a known
  start: the funding's own start date, else the start of the initiative it funds; without either
  it is undated;
- a funding counts once in each year it covers (so a year's count is the fundings running that
  year); its known amount is split evenly over those years, to the cent (the first years take the
  odd cents), so the years' money adds up to the dated money exactly;
- an unknown amount is never counted as 0: a year knows how many of its fundings have no amount,
  and a year whose fundings all lack one has no money figure at all ("montant non précisé");
- a joint funding (several funders) counts once, whole.

Rows come from ``queries/internal/years-fundings.rq`` (``maillage.query.select``); this module only
computes, it never reads the store itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from maillage import query

RULE = ("Un financement d'une année compte dans cette année ; une période (2020/2023) compte dans chacune de ses "
        "années ; une durée (P3Y : 3 ans) compte à partir d'un début connu (celui du financement, sinon celui de "
        "l'initiative financée), sinon le financement est sans date. Un financement sur plusieurs années compte "
        "dans chacune, et son montant connu est réparti à parts égales entre elles (au centime). Un montant "
        "inconnu n'est jamais compté comme 0 ; un financement conjoint compte une fois, en entier.")
UNDATED = "sans date"
MAX_YEARS = 50              # a period or duration longer than this is taken as an error: undated
_YEAR = re.compile(r"^([0-9]{4})")
_DURATION = re.compile(r"^P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?$")
HOW = {"year": "année", "period": "période", "duration": "durée depuis son début",
       "duration-initiative": "durée depuis le début de l'initiative", "undated": "sans date",
       "duration-unanchored": "durée sans début connu"}


def duration_months(text: Any) -> int | None:
    """An ISO 8601 duration of years, months, weeks or days -> whole months (a part month counts
    as one); None when it is not such a duration or lasts nothing. ``P3Y`` -> 36, ``P1Y6M`` -> 18."""
    if not isinstance(text, str):
        return None
    m = _DURATION.match(text.strip())
    if not m or not any(m.groups()):
        return None
    years, months, weeks, days = (int(g) if g else 0 for g in m.groups())
    total_days = weeks * 7 + days
    out = years * 12 + months + (-(-total_days // 31) if total_days else 0)
    return out or None


def year_of(text: Any) -> int | None:
    """The year a date or gYear starts with: '2022', '2022-02', '2022-02-01' -> 2022."""
    m = _YEAR.match(str(text).strip()) if text not in (None, "") else None
    return int(m[1]) if m and int(m[1]) >= 1000 else None


@dataclass(frozen=True)
class Placed:
    years: tuple[int, ...]          # empty: undated
    how: str                        # a key of HOW


def place(row: dict) -> Placed:
    """The years one funding covers, from its start/end, period, duration and initiative start."""
    start, end = year_of(row.get("start")), year_of(row.get("end"))
    period = (row.get("period") or "").strip() if isinstance(row.get("period"), str) else ""
    if start is None and (m := re.fullmatch(r"([0-9]{4})(?:-[0-9]{2}){0,2}(?:/([0-9]{4})(?:-[0-9]{2}){0,2})?", period)):
        start, end = year_of(m[1]), year_of(m[2] or m[1])
    months = duration_months(row.get("duration")) or duration_months(period)
    if start is not None and end is not None:
        if end < start or end - start >= MAX_YEARS:
            return Placed((), "undated")
        return Placed(tuple(range(start, end + 1)), "year" if start == end else "period")
    if months:
        anchor, how = (start, "duration") if start is not None else (year_of(row.get("initiative_start")), "duration-initiative")
        if anchor is None:
            return Placed((), "duration-unanchored")
        n = -(-months // 12)
        if n > MAX_YEARS:
            return Placed((), "undated")
        return Placed(tuple(range(anchor, anchor + n)), how)
    if start is not None:
        return Placed((start,), "year")
    return Placed((), "undated")


def shares(amount: Decimal, n: int) -> list[Decimal]:
    """``amount`` split into ``n`` even parts to the cent, the first parts taking the odd cents:
    the parts add up to the amount (rounded to the cent) exactly."""
    cents = int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    base, extra = divmod(cents, n)
    return [Decimal(base + (1 if i < extra else 0)) / 100 for i in range(n)]


@dataclass
class Tally:
    """Fundings of one year (or the undated ones): how many, with and without a known amount, and
    the known money, given alone and jointly (None: no known amount at all, never 0)."""
    label: str
    fundings: int = 0
    with_amount: int = 0
    without_amount: int = 0
    multi_year: int = 0
    alone: Decimal | None = None
    joint: Decimal | None = None

    @property
    def amount(self) -> Decimal | None:
        if self.alone is None and self.joint is None:
            return None
        return (self.alone or Decimal(0)) + (self.joint or Decimal(0))

    def add(self, value: Decimal | None, joint: bool, multi: bool) -> None:
        self.fundings += 1
        self.multi_year += multi
        if value is None:
            self.without_amount += 1
            return
        self.with_amount += 1
        if joint:
            self.joint = (self.joint or Decimal(0)) + value
        else:
            self.alone = (self.alone or Decimal(0)) + value

    def row(self) -> dict:
        return {"year": self.label, "fundings": self.fundings, "with_amount": self.with_amount,
                "without_amount": self.without_amount, "amount_eur": self.amount, "alone_eur": self.alone,
                "joint_eur": self.joint, "multi_year": self.multi_year}


@dataclass
class Timeline:
    years: list[Tally] = field(default_factory=list)      # chronological, gaps filled with empty years
    undated: Tally = field(default_factory=lambda: Tally(UNDATED))
    fundings: int = 0
    with_amount: int = 0
    dated_amount: Decimal | None = None
    undated_reasons: dict[str, int] = field(default_factory=dict)
    detail: list[dict] = field(default_factory=list)       # one row per funding and year (its share)

    COLUMNS = ("year", "fundings", "with_amount", "without_amount", "amount_eur", "alone_eur", "joint_eur", "multi_year")
    DETAIL_COLUMNS = ("year", "funding", "funders", "initiative", "recipient", "period", "how", "amount_eur", "share_eur", "source")

    def rows(self) -> list[dict]:
        """One row per year, then the undated fundings (``year`` = "sans date"): the CSV."""
        return [t.row() for t in self.years] + [self.undated.row()]

    @property
    def dated(self) -> int:
        return self.fundings - self.undated.fundings


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def build(rows: list[dict]) -> Timeline:
    """The timeline of the rows of ``years-fundings``."""
    tl = Timeline()
    by_year: dict[int, Tally] = {}
    for r in rows:
        value, joint = _amount(r.get("amount_eur")), int(r.get("funder_count") or 1) > 1
        placed = place(r)
        tl.fundings += 1
        tl.with_amount += value is not None
        funders = " ; ".join(sorted((r.get("funders") or "").split(" ; "), key=query.normalise)) or None
        common = {"funding": r.get("funding"), "funders": funders, "initiative": r.get("initiative"),
                  "recipient": r.get("recipient_name"), "period": r.get("period"), "how": HOW[placed.how],
                  "amount_eur": value, "source": r.get("source")}
        if not placed.years:
            tl.undated.add(value, joint, False)
            tl.undated_reasons[HOW[placed.how]] = tl.undated_reasons.get(HOW[placed.how], 0) + 1
            tl.detail.append({**common, "year": UNDATED, "share_eur": value})
            continue
        parts = shares(value, len(placed.years)) if value is not None else [None] * len(placed.years)
        for year, part in zip(placed.years, parts):
            by_year.setdefault(year, Tally(str(year))).add(part, joint, len(placed.years) > 1)
            tl.detail.append({**common, "year": str(year), "share_eur": part})
        if value is not None:
            tl.dated_amount = (tl.dated_amount or Decimal(0)) + sum(parts)
    if by_year:
        first, last = min(by_year), max(by_year)
        span = range(first, last + 1) if last - first <= 2 * MAX_YEARS else sorted(by_year)
        tl.years = [by_year.get(y, Tally(str(y))) for y in span]
    tl.detail.sort(key=lambda d: (d["year"] == UNDATED, d["year"], str(d["initiative"] or ""), str(d["funding"])))
    return tl


FILTERS = ("funder", "recipient", "territory", "theme")


def fundings(store, **scope: str | None) -> list[dict]:
    """The rows of ``years-fundings`` for a scope given as URIs (funder, recipient, territory,
    theme; None or absent: no filter)."""
    unknown = set(scope) - set(FILTERS)
    if unknown:
        raise ValueError(f"no such filter: {sorted(unknown)} (filters: {', '.join(FILTERS)})")
    bindings = {k: v for k, v in scope.items() if v}
    return query.select(store, "years-fundings", bindings).rows


def timeline(store, **scope: str | None) -> Timeline:
    return build(fundings(store, **scope))


def resolve_scope(store, given: dict[str, str | None]) -> dict[str, str]:
    """People's names for the filters -> URIs (``funder=MSA``, ``territory=Pas-de-Calais``,
    ``theme=mobilité``, ``recipient`` an initiative or a body); QueryError says what is wrong."""
    out = {}
    kinds = {"funder": ("organisation",), "recipient": ("initiative", "organisation"),
             "territory": ("territory",), "theme": ("theme",)}
    labels = {"funder": "financeur", "recipient": "bénéficiaire", "territory": "territoire", "theme": "thème"}
    for key, value in given.items():
        if not value:
            continue
        if key == "territory" and query.normalise(value) in query.FRANCE:
            continue
        error = None
        for kind in kinds[key]:
            try:
                out[key] = query.resolve(store, query.Param(key, kind, False, "", labels[key]), value)
                error = None
                break
            except query.QueryError as exc:
                error = error or exc
        if error is not None:
            raise error
    return out
