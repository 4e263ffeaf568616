"""Period helpers: half-open UTC spans laid out in a workspace time zone (SPEC §8 time phrases)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from billing import periods as P

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)  # a Monday
PARIS = ZoneInfo("Europe/Paris")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (P.this_month(NOW), utc(2027, 2, 1), NOW),
        (P.last_month(NOW), utc(2027, 1, 1), utc(2027, 2, 1)),
        (P.this_week(NOW), utc(2027, 2, 15), NOW),
        (P.last_week(NOW), utc(2027, 2, 8), utc(2027, 2, 15)),
        (P.this_week(NOW, week_start=6), utc(2027, 2, 14), NOW),
        (P.last_n_days(NOW, 7), utc(2027, 2, 8, 12), NOW),
        (P.last_n_days(NOW, 7, calendar=True), utc(2027, 2, 9), NOW),
        (P.today(NOW), utc(2027, 2, 15), NOW),
        (P.year_to_date(NOW), utc(2027, 1, 1), NOW),
        (P.quarter_period(2026, 4), utc(2026, 10, 1), utc(2027, 1, 1)),
        (P.named_quarter(1, NOW), utc(2027, 1, 1), NOW),
        (P.named_quarter(3, NOW), utc(2026, 7, 1), utc(2026, 10, 1)),
        (P.named_month(3, NOW), utc(2026, 3, 1), utc(2026, 4, 1)),
        (P.named_month(2, NOW), utc(2027, 2, 1), NOW),
        (P.since(date(2026, 12, 1), NOW), utc(2026, 12, 1), NOW),
        (P.next_n_days(NOW, 14), NOW, utc(2027, 3, 1, 12)),
        (P.year_period(2026), utc(2026, 1, 1), utc(2027, 1, 1)),
    ],
)
def test_period_bounds_in_utc(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_time_zone_moves_the_bounds():
    month = P.this_month(NOW, PARIS)
    assert month.start == utc(2027, 1, 31, 23)
    assert P.month_period(2026, 7, PARIS).start == utc(2026, 6, 30, 22)  # summer time


def test_half_open_and_json():
    month = P.month_period(2026, 1)
    assert month.contains(utc(2026, 1, 1))
    assert not month.contains(utc(2026, 2, 1))
    assert not month.contains(None)
    assert month.to_json() == {"start": "2026-01-01", "end": "2026-01-31"}


def test_month_and_week_iteration_cover_the_period():
    period = P.Period(utc(2026, 11, 20), utc(2027, 2, 3))
    months = list(P.month_periods(period))
    assert [m.label for m in months] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert months[0].start == period.start and months[-1].end == period.end
    weeks = list(P.week_periods(period))
    assert all(a.end == b.start for a, b in itertools.pairwise(weeks))
    assert P.last_n_months(NOW, 12)[0].label == "2026-03"


def test_rejects_naive_and_reversed():
    with pytest.raises(ValueError):
        P.Period(datetime(2026, 1, 1), utc(2026, 2, 1))
    with pytest.raises(ValueError):
        P.Period(utc(2026, 2, 1), utc(2026, 1, 1))
    with pytest.raises(ValueError):
        P.quarter_period(2026, 5)
