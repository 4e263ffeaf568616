"""Which month-end points a trend answer shows for the question's period.

"The last N months" reads as N points ending with the period's last month (the
current one for a rolling window), not every calendar month the rolling window
touches (N + 1). Other periods show every month they touch; no period shows the
last 12 months (SPEC §7b "History", §8).
"""

from __future__ import annotations

import re

from questions.query import Period

DEFAULT_MONTHS = 12
# The labels the parser gives "last/past N months" and "the past year".
LAST_N_MONTHS = re.compile(r"^the last (\d+) months?$")


def _month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def _month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def trend_months(period: Period | None, available: list[str]) -> list[str]:
    """The months (``YYYY-MM``, oldest first) of ``available`` a trend over ``period`` shows."""
    if period is None:
        return available[-DEFAULT_MONTHS:]
    first, last = period.start.strftime("%Y-%m"), period.end.strftime("%Y-%m")
    wanted = LAST_N_MONTHS.match(period.label or "")
    if wanted and int(wanted[1]) > 0:
        first = max(first, _month_text(_month_index(last) - int(wanted[1]) + 1))
    return [m for m in available if first <= m <= last]
