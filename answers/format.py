"""Plain-text pieces of answers: money lists, human dates, lists cut with "and N more"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo

from billing.money import Money

# Text answers list at most this many rows; the rest is "and N more".
TEXT_ROWS = 10


def money_text(amounts: Iterable[Money]) -> str:
    """ "$1,200.00 + €300.00"; "$0.00" stays visible only when nothing else is there."""
    parts = [m.format() for m in amounts if m.amount]
    return " + ".join(parts) if parts else "0"


def local_date(instant: datetime, tz: tzinfo) -> date:
    return instant.astimezone(tz).date()


def human_date(day: date, today: date) -> str:
    """ "Nov 3" this year, "Nov 3, 2025" otherwise."""
    label = f"{day:%b} {day.day}"
    return label if day.year == today.year else f"{label}, {day.year}"


def relative_days(day: date, today: date) -> str:
    """ "today", "tomorrow", "in 5 days", "yesterday", "5 days ago"."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


def when(instant: datetime, tz: tzinfo, now: datetime) -> str:
    """ "Nov 3 (in 5 days)"."""
    day, today = local_date(instant, tz), local_date(now, tz)
    return f"{human_date(day, today)} ({relative_days(day, today)})"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def bullet_list(lines: Sequence[str], limit: int = TEXT_ROWS, total: int | None = None) -> str:
    """Bullets, cut to ``limit`` with "…and N more" (of ``total`` lines when only the
    first ones were built)."""
    count = len(lines) if total is None else max(total, len(lines))
    shown = [f"• {line}" for line in lines[:limit]]
    if count > limit:
        shown.append(f"…and {count - limit} more")
    return "\n".join(shown)


def with_list(
    headline: str, lines: Sequence[str], limit: int = TEXT_ROWS, total: int | None = None
) -> str:
    return headline if not lines else f"{headline}\n{bullet_list(lines, limit, total)}"


def period_text(label: str | None) -> str:
    return f" ({label})" if label else ""
