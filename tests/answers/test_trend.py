"""Which month-end points a trend shows for a question's period (no database)."""

from __future__ import annotations

from datetime import date

from answers.trend import trend_months
from questions.query import Period

MONTHS = [f"2026-{m:02d}" for m in range(1, 12)]  # Jan..Nov 2026, Nov the current month


def test_no_period_is_the_last_12_points() -> None:
    available = [f"2025-{m:02d}" for m in range(1, 13)] + MONTHS
    assert trend_months(None, available) == available[-12:]


def test_last_n_months_is_n_points_ending_with_the_current_month() -> None:
    six = Period(date(2026, 5, 22), date(2026, 11, 22), "the last 6 months")
    assert trend_months(six, MONTHS) == [
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
    ]
    twelve = Period(date(2025, 11, 22), date(2026, 11, 22), "the last 12 months")
    available = ["2025-11", "2025-12", *MONTHS]
    assert trend_months(twelve, available) == available[-12:]
    one = Period(date(2026, 10, 22), date(2026, 11, 22), "the last 1 month")
    assert trend_months(one, MONTHS) == ["2026-11"]


def test_other_periods_show_every_month_they_touch() -> None:
    since = Period(date(2026, 8, 1), date(2026, 11, 22), "since August 2026")
    assert trend_months(since, MONTHS) == ["2026-08", "2026-09", "2026-10", "2026-11"]
    ninety = Period(date(2026, 8, 24), date(2026, 11, 22), "the last 90 days")
    assert trend_months(ninety, MONTHS) == ["2026-08", "2026-09", "2026-10", "2026-11"]
    quarter = Period(date(2026, 4, 1), date(2026, 6, 30), "Q2 2026")
    assert trend_months(quarter, MONTHS) == ["2026-04", "2026-05", "2026-06"]
