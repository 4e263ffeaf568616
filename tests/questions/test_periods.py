"""Time phrases -> inclusive date ranges, relative to an as-of date other than the sample's."""

from __future__ import annotations

from datetime import date

import pytest

from questions.normalize import normalize
from questions.periods import find_period, mask_context_weekdays

AS_OF = date(2026, 7, 10)  # a Friday, in Q3

PERIODS: list[tuple[str, tuple[str, str] | None]] = [
    ("today", ("2026-07-10", "2026-07-10")),
    ("yesterday", ("2026-07-09", "2026-07-09")),
    ("this week", ("2026-07-06", "2026-07-10")),
    ("last week", ("2026-06-29", "2026-07-05")),
    ("this month", ("2026-07-01", "2026-07-10")),
    ("last month", ("2026-06-01", "2026-06-30")),
    ("previous month", ("2026-06-01", "2026-06-30")),
    ("the last month", ("2026-06-10", "2026-07-10")),
    ("past week", ("2026-07-03", "2026-07-10")),
    ("last 30 days", ("2026-06-10", "2026-07-10")),
    ("past 7 days", ("2026-07-03", "2026-07-10")),
    ("last two weeks", ("2026-06-26", "2026-07-10")),
    ("over the last 6 months", ("2026-01-10", "2026-07-10")),
    ("in the past 90 days", ("2026-04-11", "2026-07-10")),
    ("last 12 months", ("2025-07-10", "2026-07-10")),
    ("in March", ("2026-03-01", "2026-03-31")),
    ("in July", ("2026-07-01", "2026-07-10")),
    ("in August", ("2025-08-01", "2025-08-31")),
    ("December 2024", ("2024-12-01", "2024-12-31")),
    ("in sept", ("2025-09-01", "2025-09-30")),
    ("Q1", ("2026-01-01", "2026-03-31")),
    ("q3", ("2026-07-01", "2026-07-10")),
    ("Q4", ("2025-10-01", "2025-12-31")),
    ("Q2 2025", ("2025-04-01", "2025-06-30")),
    ("second quarter", ("2026-04-01", "2026-06-30")),
    ("this quarter", ("2026-07-01", "2026-07-10")),
    ("last quarter", ("2026-04-01", "2026-06-30")),
    ("this year", ("2026-01-01", "2026-07-10")),
    ("last year", ("2025-01-01", "2025-12-31")),
    ("ytd", ("2026-01-01", "2026-07-10")),
    ("year to date", ("2026-01-01", "2026-07-10")),
    ("month-to-date", ("2026-07-01", "2026-07-10")),
    ("since May", ("2026-05-01", "2026-07-10")),
    ("since 2026-03-15", ("2026-03-15", "2026-07-10")),
    ("since March 3rd", ("2026-03-03", "2026-07-10")),
    ("since last month", ("2026-06-01", "2026-07-10")),
    ("between April and June", ("2026-04-01", "2026-06-30")),
    ("from 2026-01-05 to 2026-02-10", ("2026-01-05", "2026-02-10")),
    ("between Nov 2025 and Feb", ("2025-11-01", "2026-02-28")),
    ("in the next 30 days", ("2026-07-10", "2026-08-09")),
    ("next 2 weeks", ("2026-07-10", "2026-07-24")),
    ("next fortnight", ("2026-07-10", "2026-07-24")),
    ("next month", ("2026-08-01", "2026-08-31")),
    ("on 3/15/2026", ("2026-03-15", "2026-03-15")),
    ("on 15 March", ("2026-03-15", "2026-03-15")),
    ("at the end of June", ("2026-06-01", "2026-06-30")),
    ("in 2025", ("2025-01-01", "2025-12-31")),
    ("3 months ago", ("2026-04-10", "2026-04-10")),
    ("who may be late", None),
    ("top 2025 accounts", None),
    ("over $2000", None),
    ("more than 30 days overdue", None),
    ("mrr now", None),
    # days whose date moves: the latest one (AS_OF is in July 2026)
    ("since easter", ("2026-04-05", "2026-07-10")),
    ("since good friday", ("2026-04-03", "2026-07-10")),
    ("since memorial day", ("2026-05-25", "2026-07-10")),
    ("after labor day", ("2025-09-01", "2026-07-10")),
    ("last weekend", ("2026-07-04", "2026-07-05")),
    ("over the weekend", ("2026-07-11", "2026-07-12")),
    # a weekday that names an event is context, not a period
    ("for the board deck on thursday I need current MRR", None),
    ("board deck thursday, need MRR", None),
    ("call with Acme friday: are they overdue", None),
    ("need churn numbers for friday", None),
    ("failed payments on monday", ("2026-07-06", "2026-07-06")),
    ("review failed payments on monday", ("2026-07-06", "2026-07-06")),
]


@pytest.mark.parametrize(("phrase", "expected"), PERIODS)
def test_period(phrase: str, expected: tuple[str, str] | None) -> None:
    match = find_period(mask_context_weekdays(normalize(phrase).folded), AS_OF)
    got = (match.period.start.isoformat(), match.period.end.isoformat()) if match else None
    assert got == expected


def test_point_in_time_phrases_set_at() -> None:
    match = find_period(normalize("MRR at the end of last month").folded, AS_OF)
    assert match is not None and match.at == date(2026, 6, 30)
    match = find_period(normalize("MRR as of May 31").folded, AS_OF)
    assert match is not None and match.at == date(2026, 5, 31)


def test_forward_reading_uses_next_occurrence() -> None:
    match = find_period(normalize("renewals in March").folded, AS_OF, forward=True)
    assert match is not None
    assert (match.period.start, match.period.end) == (date(2027, 3, 1), date(2027, 3, 31))


def test_labels_are_human() -> None:
    match = find_period(normalize("last 30 days").folded, AS_OF)
    assert match is not None and match.period.label == "the last 30 days"
    match = find_period(normalize("Q2 2025").folded, AS_OF)
    assert match is not None and match.period.label == "Q2 2025"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("trials ending before friday", ("2026-07-10", "2026-07-16")),  # AS_OF is a Friday
        ("renewals by wednesday", ("2026-07-10", "2026-07-15")),
        ("renewals until monday", ("2026-07-10", "2026-07-13")),
    ],
)
def test_forward_questions_read_before_a_weekday_as_a_window(
    phrase: str, expected: tuple[str, str]
) -> None:
    text = mask_context_weekdays(normalize(phrase).folded, forward=True)
    match = find_period(text, AS_OF, forward=True)
    assert match is not None
    assert (match.period.start.isoformat(), match.period.end.isoformat()) == expected


def test_a_deadline_weekday_is_no_period_looking_back() -> None:
    text = mask_context_weekdays(normalize("need the overdue list before wednesday").folded)
    assert find_period(text, AS_OF) is None
