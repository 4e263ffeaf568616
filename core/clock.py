"""The one clock: "now" for the whole process, fixed by ``REVBOT_NOW`` when set.

Everything inside revbot is timezone-aware UTC. Billing functions never call
this; they receive ``now`` as a parameter from the layer that called them.

``REVBOT_NOW`` takes an ISO date or date-time and freezes time there (a
reproducible run). With the suffix ``+running``
(``REVBOT_NOW=2026-11-16T08:59:00Z+running``) the clock starts at that
instant and then runs: "now" is the instant plus the time elapsed since this
process first read the clock. Delivery tests use it to watch a scheduled
brief go out a minute later, in real seconds, instead of freezing time on
either side of 09:00. Elapsed time is measured on the monotonic clock, so a
wall-clock jump of the machine does not move it.

``REVBOT_NOW`` fixes the *business* date (what "overdue", "this month" and the
brief's week mean). Leases, claims and every other expiry measure real time
passing, so they read :func:`wall_now`, which ignores it: with a frozen clock a
crashed sync's lease would otherwise never expire.
"""

from __future__ import annotations

import os
import threading
import time as _time
from datetime import UTC, date, datetime, time, timedelta

RUNNING = "+running"


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


def parse_clock(text: str, *, name: str = "REVBOT_NOW") -> tuple[datetime, bool]:
    """A ``REVBOT_NOW`` value: its instant, and whether the clock runs from it."""
    raw = text.strip()
    running = raw.lower().endswith(RUNNING)
    if running:
        raw = raw[: -len(RUNNING)]
    try:
        return parse_instant(raw, name=name), running
    except ClockError:
        raise ClockError(
            f"{name}: expected an ISO date or date-time, optionally followed by "
            f"{RUNNING!r}, got {text!r}"
        ) from None


# The monotonic time at which this process first read each running ``REVBOT_NOW`` value.
_started: dict[str, float] = {}
_lock = threading.Lock()


def _elapsed(value: str) -> timedelta:
    current = _time.monotonic()
    with _lock:
        started = _started.setdefault(value, current)
    return timedelta(seconds=current - started)


def now() -> datetime:
    """Current time in UTC, or ``REVBOT_NOW``'s instant (fixed, or running from it)."""
    fixed = os.environ.get("REVBOT_NOW")
    if fixed:
        instant, running = parse_clock(fixed)
        return instant + _elapsed(fixed) if running else instant
    return datetime.now(UTC)


def wall_now() -> datetime:
    """The machine's real time in UTC, whatever ``REVBOT_NOW`` says.

    For expiries between processes (claims, leases): a frozen business date
    must not keep a crashed process's claim alive forever, and two replicas
    started apart would disagree on a running one.
    """
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
