"""Cancellations and scheduled cancellations (SPEC §7b "Cancellations", "Scheduled to cancel")."""

from __future__ import annotations

from billing.cancellations import cancellations, scheduled_cancellations
from billing.money import Money
from billing.periods import Period
from tests.billing.book import NOW, Book, at, month_start

APRIL = Period(at(4, 1, 0), at(5, 1, 0))


def test_immediate_and_period_end_cancellations_with_mrr_lost():
    b = Book()
    b.monthly("Now", [1, 1, 1, 1], status="canceled", canceled_at=at(4, 2), ended_at=at(4, 2))
    b.monthly(
        "Later",
        [2, 2, 2],
        status="canceled",
        canceled_at=at(3, 20),
        ended_at=month_start(3),
        cancel_at_period_end=True,
    )
    rows = {r.account.name: r for r in cancellations(b.done(), APRIL, NOW)}
    assert rows["Now"].kind == "immediate" and rows["Now"].mrr_lost == Money(10000, "USD")
    assert rows["Later"].kind == "period_end" and rows["Later"].mrr_lost == Money(20000, "USD")


def test_incomplete_expired_and_other_periods_are_excluded():
    b = Book()
    b.monthly("Never", [1], first=3, status="incomplete_expired", ended_at=at(4, 6))
    b.monthly("March", [1, 1], status="canceled", canceled_at=at(3, 2), ended_at=at(3, 2))
    assert cancellations(b.done(), APRIL, NOW) == []


def test_scheduled_cancellations_keep_mrr_until_they_end():
    b = Book()
    b.monthly("Quiet", [1] * 7, cancel_at_period_end=True, canceled_at=at(7, 1))
    b.monthly("Dated", [3] * 7, cancel_at=at(9, 30), canceled_at=at(7, 2))
    b.monthly("Stays", [1] * 7)
    rows = scheduled_cancellations(b.done(), NOW)
    assert [(r.account.name, r.kind) for r in rows] == [("Quiet", "period_end"), ("Dated", "at")]
    assert rows[0].ends_on == month_start(7) and rows[0].requested_at == at(7, 1)
    assert rows[1].ends_on == at(9, 30) and rows[1].mrr == Money(30000, "USD")
    assert [r.arr for r in rows] == [Money(120000, "USD"), Money(360000, "USD")]
