"""Human formatting for Slack text: money with symbols, dates like "Nov 3", "in 5 days"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from billing.money import Money


def money_list(amounts: Sequence[Money], empty: str = "—") -> str:
    """Amounts per currency joined with " + " ("$1,400.00 + €200.00")."""
    return " + ".join(m.format() for m in amounts) if amounts else empty


def short_date(moment: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """ "Nov 3", with the year when it differs from now's."""
    local = moment.astimezone(tz)
    text = f"{local:%b} {local.day}"
    if now is not None and local.year != now.astimezone(tz).year:
        text += f", {local.year}"
    return text


def short_time(moment: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """ "Nov 3, 09:00" in the workspace zone."""
    return f"{short_date(moment, tz, now)}, {moment.astimezone(tz):%H:%M}"


def relative(moment: datetime, now: datetime) -> str:
    """ "in 5 days", "2 hours ago", "just now"."""
    seconds = (moment - now).total_seconds()
    future = seconds > 0
    seconds = abs(seconds)
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            label = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {label}" if future else f"{label} ago"
    return "just now"
