"""Values checked at the door, the same way for every source (records, drafts, SCDL,
data·inclusion): amounts are exact decimals, finite, within a plausible range; dates are real
dates within a plausible range. A problem is a ValueError whose message says what is wrong; the
caller adds the file and line.

The limits (documented in the README, "What is guaranteed"):
- an amount in euros is 0 or more, at most 2 decimal places (cents), never above AMOUNT_MAX
  (10 billion €, about a quarter of the State's yearly social-inclusion budget lines together:
  beyond it the figure is a typo or a unit error); above AMOUNT_WARN (100 million €) it is
  accepted with a warning naming the row;
- a date lies between DATE_MIN and DATE_MAX (1900-01-01 … 2100-12-31, the range the records'
  `year` fields already had).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

AMOUNT_WARN = Decimal(100_000_000)
AMOUNT_MAX = Decimal(10_000_000_000)
OTHER_MAX = Decimal(10) ** 12           # a figure in another unit (people, hours…): finite and sane
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
_AMOUNT_TEXT_MAX = 40                   # characters of an amount as written (a 400-digit montant is refused unread)


def euros(value: Decimal) -> str:
    """1234567.5 -> '1 234 567,50 €' (how the messages show an amount)."""
    whole, _, cents = f"{value:.2f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return " ".join([whole, *groups]) + f",{cents} €"


def parse_amount_text(value: str) -> Decimal:
    """An amount as written in French or international files, exact: '15000', '15 000',
    '1500,50', '1 500.50', '1.500,50', '12345678901234567,89'. No float on the way."""
    text = re.sub(r"[\s\u00a0\u202f€]", "", value)
    if not text:
        raise ValueError("is empty")
    if len(text) > _AMOUNT_TEXT_MAX:
        raise ValueError(f"{value[:20]!r}… ({len(text)} characters) is not a plausible amount")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise ValueError(f"{value!r} is not an amount in euros")
    return Decimal(text)


def as_decimal(value: Any, what: str = "amount") -> Decimal:
    """A number read from YAML or JSON (int, Decimal, numeric text) as an exact Decimal. A float
    is refused: it may already have lost digits (readers of this project never make one)."""
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a plain number (15000, not {value!r})")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if len(text) <= _AMOUNT_TEXT_MAX and re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text):
            return Decimal(text)
        if text.lower().lstrip("+-") in (".inf", "inf", "infinity", ".nan", "nan"):
            return Decimal(text.lower().replace(".", ""))
    raise ValueError(f"{what} must be a plain number (15000, not {value!r})")


def check_amount(value: Any, what: str = "amount") -> tuple[Decimal, str | None]:
    """(the amount, a warning or None); ValueError when it cannot be a grant in euros."""
    number = as_decimal(value, what)
    if not number.is_finite():
        raise ValueError(f"{what} {number} is not a finite number")
    if number < 0:
        raise ValueError(f"{what} {number} is negative")
    if number > AMOUNT_MAX:
        raise ValueError(f"{what} {number} is above the limit of {euros(AMOUNT_MAX)} (a typo or a unit error?)")
    number = _normal(number)
    if number.as_tuple().exponent < -2:
        raise ValueError(f"{what} {number} has more than 2 decimal places (euros and cents)")
    warning = None
    if number > AMOUNT_WARN:
        warning = f"{what} {euros(number)} is above {euros(AMOUNT_WARN)}: check it is not a typo"
    return number, warning


def check_figure(value: Any, unit: str) -> Decimal:
    """A figure's value: euros follow the amount rules, other units are finite and sane."""
    if unit == "EUR":
        return check_amount(value, "value")[0]
    number = as_decimal(value, "value")
    if not number.is_finite():
        raise ValueError(f"value {number} is not a finite number")
    if abs(number) > OTHER_MAX:
        raise ValueError(f"value {number} is beyond {OTHER_MAX:,} {unit}: not a plausible figure")
    return _normal(number)


def _normal(number: Decimal) -> Decimal:
    """1500.00 -> 1500, 0.50 -> 0.5, 1E+3 -> 1000: the same amount written one way."""
    try:
        number = number.normalize()
    except InvalidOperation:
        return number
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def check_date(value: Any) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD: a real date (no 2023-02-30) between DATE_MIN and DATE_MAX."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(value).strip()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise ValueError(f"date {text!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in text.split("-")]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise ValueError(f"date {text!r}: there is no month {parts[1]}")
    if len(parts) == 3:
        try:
            dt.date(*parts)
        except ValueError:
            raise ValueError(f"date {text!r} does not exist (day {parts[2]} of month {parts[1]})") from None
    if not DATE_MIN.year <= parts[0] <= DATE_MAX.year:
        raise ValueError(f"date {text!r} is outside {DATE_MIN.isoformat()} … {DATE_MAX.isoformat()}")
    return text


def check_year(value: int) -> int:
    if not DATE_MIN.year <= value <= DATE_MAX.year:
        raise ValueError(f"year {value} is outside {DATE_MIN.year} … {DATE_MAX.year}")
    return value
