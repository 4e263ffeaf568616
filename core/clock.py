"""The one clock: "now" for the whole process, fixed by ``REVBOT_NOW`` when set.

Everything inside revbot is timezone-aware UTC. Billing functions never call
this; they receive ``now`` as a parameter from the layer that called them.

``REVBOT_NOW`` fixes the *business* date (what "overdue", "this month" and the
brief's week mean). Leases, claims and every other expiry measure real time
passing, so they read :func:`wall_now`, which ignores it: with a frozen clock a
crashed sync's lease would otherwise never expire.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time


class ClockError(ValueError):
    """REVBOT_NOW (or an --as-of value) could not be read."""


def parse_instant(text: str, *, name: str = "REVBOT_NOW") -> datetime:
    """Parse an ISO date or date-time; naive values are taken as UTC."""
    raw = text.strip()
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), time(), tzinfo=UTC)
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ClockError(f"{name}: expected an ISO date or date-time, got {text!r}") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def now() -> datetime:
    """Current time in UTC, or the fixed instant of ``REVBOT_NOW``."""
    fixed = os.environ.get("REVBOT_NOW")
    if fixed:
        return parse_instant(fixed)
    return datetime.now(UTC)


def wall_now() -> datetime:
    """The real current time in UTC, even when ``REVBOT_NOW`` fixes the business date:
    for leases, claims, caches and every other expiry."""
    return datetime.now(UTC)


def as_of_instant(as_of: date | None) -> datetime:
    """The instant an ``--as-of`` date stands for.

    The end of that day in UTC, unless the clock itself falls on that day
    (then the clock's instant), so ``--as-of`` today means "now".
    """
    current = now()
    if as_of is None or as_of == current.date():
        return current
    return datetime.combine(as_of, time(23, 59, 59), tzinfo=UTC)
