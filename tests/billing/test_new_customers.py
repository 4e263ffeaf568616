"""New customers: accounts whose first MRR in synced history starts in the period (SPEC §7b)."""

from __future__ import annotations

from billing.money import Money
from billing.new_customers import new_customers
from billing.periods import Period
from tests.billing.book import NOW, Book, at, month_start


def test_first_paying_instant_decides_and_returning_accounts_are_not_new():
    b = Book()
    b.monthly("Fresh", [2] * 4, first=3)
    b.monthly("Back", [1], status="canceled", ended_at=month_start(1))
    b.monthly("Back", [1] * 4, first=3)
    rows = new_customers(b.done(), Period(at(4, 1, 0), at(5, 1, 0)), NOW)
    assert [(r.account.name, r.first_paying_at) for r in rows] == [("Fresh", month_start(3))]
    assert rows[0].mrr == (Money(20000, "USD"),)


def test_paying_at_window_start_is_new_at_the_window_start():
    b = Book()
    b.monthly("Old", [1] * 8, first=-1)
    rows = new_customers(b.done(), Period(at(1, 1, 0), at(2, 1, 0)), NOW)
    assert [(r.account.name, r.first_paying_at) for r in rows] == [("Old", b.ledger.window_start)]


def test_trial_is_not_paying_until_it_converts():
    b = Book()
    b.monthly("Trial", [1] * 3, first=4, trial_start=month_start(4), trial_end=month_start(5))
    rows = new_customers(b.done(), Period(at(5, 1, 0), NOW), NOW)
    assert [r.first_paying_at for r in rows] == [month_start(5)]
