"""How much one document may cost: characters read and seconds spent.

    budget = Budget(max_chars=2_000_000, seconds=30)
    with budget.clock("doc.pdf"):          # BudgetExceeded("doc.pdf: … more than 60 s …")
        draft = extract_text(...)

The clock is a SIGALRM timer: CPython checks signals inside the regular-expression engine and
between bytecodes, so even a runaway pattern or a pure-Python PDF parser is stopped. Signals
only reach the main thread; elsewhere (a worker thread) the clock does nothing and only the
character limit holds.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from maillage.extract.pipeline import ExtractError

__all__ = ["Budget", "BudgetExceeded", "DEFAULT_BUDGET"]


def grouped(n: int) -> str:
    """12 345 678: thousands grouped with spaces, as French writes them."""
    return f"{n:,}".replace(",", " ")


class BudgetExceeded(ExtractError):
    """A document larger or slower than its budget allows; the message names the file."""


@dataclass(frozen=True)
class Budget:
    # a 300-page report is about 1 M characters, a booklet of a thousand fiches 10 M (read in about
    # a minute); a 20 MB text is not one document
    max_chars: int = 12_000_000
    seconds: float = 120.0         # reading, then drafting, one document (each), after the model is loaded
    max_bytes: int = 50_000_000    # the file on disk (a PDF with images is much larger than its text)

    def check_chars(self, name: str, n: int) -> None:
        if self.max_chars and n > self.max_chars:
            raise BudgetExceeded(f"{name}: {grouped(n)} characters of text, more than the budget of "
                                 f"{grouped(self.max_chars)} per document (--max-chars to raise it)")

    def check_bytes(self, name: str, n: int) -> None:
        if self.max_bytes and n > self.max_bytes:
            raise BudgetExceeded(f"{name}: {grouped(n)} bytes, more than the budget of {grouped(self.max_bytes)} "
                                 "bytes per document (--max-mb to raise it)")

    @contextmanager
    def clock(self, name: str, what: str = "reading and drafting it") -> Iterator[None]:
        """Raise BudgetExceeded when the block runs longer than ``seconds`` (main thread only)."""
        if not self.seconds or self.seconds <= 0 or threading.current_thread() is not threading.main_thread():
            yield
            return
        seconds = self.seconds

        def expired(signum, frame):
            raise BudgetExceeded(f"{name}: {what} took more than the budget of {seconds:g} s per document "
                                 "(--max-seconds to raise it); nothing was drafted from it")

        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


DEFAULT_BUDGET = Budget()
