"""Reporting periods: half-open ``[start, end)`` spans of aware UTC instants.

Calendar periods (a month, a week, a quarter, a year) are laid out in a
workspace time zone and then held in UTC. Periods that contain "now" end at
now: nothing after now is synced, and SPEC §8 answers "this month" with the
month so far. The question engine turns phrases into these; the billing lists
only ever see a :class:`Period`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

# Monday; weeks start on Monday unless a caller says otherwise (0 = Monday … 6 = Sunday).
DEFAULT_WEEK_START = 0


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open span of time ``start <= t < end`` in aware UTC datetimes."""

    start: datetime
    end: datetime
    label: str = ""

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Period bounds must be timezone-aware")
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))
        if self.end < self.start:
            raise ValueError(f"Period ends before it starts: {self.start} > {self.end}")

    def contains(self, instant: datetime | None) -> bool:
        """Whether ``instant`` lies in ``[start, end)``; ``None`` never does."""
        return instant is not None and self.start <= instant < self.end

    def __contains__(self, instant: object) -> bool:
        return isinstance(instant, datetime) and self.contains(instant)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def clip(self, now: datetime) -> Period:
        """The part of the period up to ``now`` (a period in the future becomes empty)."""
        end = min(self.end, max(self.start, now))
        return Period(self.start, end, self.label)

    def last_day(self) -> date:
        """The last UTC date the period touches (its end is exclusive)."""
        if self.end == self.start:
            return self.start.date()
        return (self.end - timedelta(microseconds=1)).date()

    def to_json(self) -> dict[str, str]:
        """ISO dates in UTC, the end being the last day included (SPEC §8 ``entities.period``)."""
        return {"start": self.start.date().isoformat(), "end": self.last_day().isoformat()}


def _local(now: datetime, tz: tzinfo) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(tz)


def midnight(day: date, tz: tzinfo = UTC) -> datetime:
    """The instant ``day`` starts in ``tz``, as UTC."""
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


def day_period(day: date, tz: tzinfo = UTC) -> Period:
    return Period(midnight(day, tz), midnight(day + timedelta(days=1), tz), day.isoformat())


def today(now: datetime, tz: tzinfo = UTC) -> Period:
    return day_period(_local(now, tz).date(), tz).clip(now)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_period(year: int, month: int, tz: tzinfo = UTC) -> Period:
    """The whole calendar month (not clipped)."""
    next_year, next_month = _add_months(year, month, 1)
    return Period(
        midnight(date(year, month, 1), tz),
        midnight(date(next_year, next_month, 1), tz),
        f"{year:04d}-{month:02d}",
    )


def month_of(instant: datetime, tz: tzinfo = UTC) -> Period:
    """The calendar month holding ``instant`` (not clipped)."""
    local = _local(instant, tz)
    return month_period(local.year, local.month, tz)


def this_month(now: datetime, tz: tzinfo = UTC) -> Period:
    return month_of(now, tz).clip(now)


def last_month(now: datetime, tz: tzinfo = UTC) -> Period:
    local = _local(now, tz)
    return month_period(*_add_months(local.year, local.month, -1), tz)


def months_ago(now: datetime, n: int, tz: tzinfo = UTC) -> Period:
    """The calendar month ``n`` months before the current one (0 = this month, clipped)."""
    local = _local(now, tz)
    return month_period(*_add_months(local.year, local.month, -n), tz).clip(now)


def named_month(month: int, now: datetime, tz: tzinfo = UTC, year: int | None = None) -> Period:
    """A month named without a year: the latest one that has begun ("March" in Feb → last March)."""
    local = _local(now, tz)
    if year is None:
        year = local.year if month <= local.month else local.year - 1
    return month_period(year, month, tz).clip(now)


def week_period(day: date, tz: tzinfo = UTC, week_start: int = DEFAULT_WEEK_START) -> Period:
    """The calendar week holding ``day`` (not clipped)."""
    first = day - timedelta(days=(day.weekday() - week_start) % 7)
    return Period(midnight(first, tz), midnight(first + timedelta(days=7), tz), f"week of {first}")


def this_week(now: datetime, tz: tzinfo = UTC, week_start: int = DEFAULT_WEEK_START) -> Period:
    return week_period(_local(now, tz).date(), tz, week_start).clip(now)


def last_week(now: datetime, tz: tzinfo = UTC, week_start: int = DEFAULT_WEEK_START) -> Period:
    return week_period(_local(now, tz).date() - timedelta(days=7), tz, week_start)


def last_n_days(now: datetime, n: int, tz: tzinfo = UTC, *, calendar: bool = False) -> Period:
    """The last ``n`` days up to now.

    Rolling by default (``now - n days``); with ``calendar`` it starts at the
    local midnight ``n - 1`` days before today, so today counts as one of the n.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if not calendar:
        return Period(now - timedelta(days=n), now, f"last {n} days")
    first = _local(now, tz).date() - timedelta(days=max(n - 1, 0))
    return Period(midnight(first, tz), now, f"last {n} days")


def next_n_days(now: datetime, n: int) -> Period:
    """From now to ``n`` days ahead (renewals, trials ending)."""
    return Period(now, now + timedelta(days=n), f"next {n} days")


def quarter_period(year: int, quarter: int, tz: tzinfo = UTC) -> Period:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, got {quarter}")
    first_month = 3 * (quarter - 1) + 1
    end_year, end_month = _add_months(year, first_month, 3)
    return Period(
        midnight(date(year, first_month, 1), tz),
        midnight(date(end_year, end_month, 1), tz),
        f"{year:04d}-Q{quarter}",
    )


def named_quarter(quarter: int, now: datetime, tz: tzinfo = UTC, year: int | None = None) -> Period:
    """Q1–Q4 without a year: the latest one that has begun."""
    local = _local(now, tz)
    current = (local.month - 1) // 3 + 1
    if year is None:
        year = local.year if quarter <= current else local.year - 1
    return quarter_period(year, quarter, tz).clip(now)


def year_period(year: int, tz: tzinfo = UTC) -> Period:
    return Period(midnight(date(year, 1, 1), tz), midnight(date(year + 1, 1, 1), tz), str(year))


def this_year(now: datetime, tz: tzinfo = UTC) -> Period:
    return year_period(_local(now, tz).year, tz).clip(now)


def year_to_date(now: datetime, tz: tzinfo = UTC) -> Period:
    period = this_year(now, tz)
    return Period(period.start, period.end, "year to date")


def since(day: date, now: datetime, tz: tzinfo = UTC) -> Period:
    """From the local midnight starting ``day`` until now."""
    return Period(min(midnight(day, tz), now), now, f"since {day}")


def month_periods(period: Period, tz: tzinfo = UTC) -> Iterator[Period]:
    """The calendar months overlapping ``period``, each clipped to it."""
    current = month_of(period.start, tz)
    while current.start < period.end:
        yield Period(max(current.start, period.start), min(current.end, period.end), current.label)
        local = _local(current.start, tz)
        current = month_period(*_add_months(local.year, local.month, 1), tz)


def week_periods(
    period: Period, tz: tzinfo = UTC, week_start: int = DEFAULT_WEEK_START
) -> Iterator[Period]:
    """The calendar weeks overlapping ``period``, each clipped to it."""
    current = week_period(_local(period.start, tz).date(), tz, week_start)
    while current.start < period.end:
        yield Period(max(current.start, period.start), min(current.end, period.end), current.label)
        current = week_period(_local(current.end, tz).date(), tz, week_start)


def last_n_months(now: datetime, n: int, tz: tzinfo = UTC) -> list[Period]:
    """The ``n`` calendar months ending with the current one (clipped), oldest first."""
    return [months_ago(now, k, tz) for k in range(n - 1, -1, -1)]
