"""New customers: accounts whose first MRR in synced history starts in the period (SPEC §7b):
billing/new_customers.py through the ``first_paying`` facts sync stores."""

from __future__ import annotations

from datetime import datetime

from billing.facts import Kind
from billing.ledger import Ledger
from billing.money import Money
from billing.periods import Period
from tests.billing.book import NOW, Book, at, month_start
from tests.billing.fact_lists import facts_of


def _new(ledger: Ledger, period: Period) -> list[tuple[str, datetime]]:
    names = {a.id: a.name for a in ledger.accounts.values()}
    return [
        (names[f.account_id or ""], f.at)
        for f in facts_of(ledger, NOW, Kind.FIRST_PAYING)
        if f.at is not None and period.contains(f.at)
    ]


def test_first_paying_instant_decides_and_returning_accounts_are_not_new():
    b = Book()
    b.monthly("Fresh", [2] * 4, first=3)
    b.monthly("Back", [1], status="canceled", ended_at=month_start(1))
    b.monthly("Back", [1] * 4, first=3)
    ledger = b.done()
    assert _new(ledger, Period(at(4, 1, 0), at(5, 1, 0))) == [("Fresh", month_start(3))]
    mrr = [f.money() for f in facts_of(ledger, NOW, Kind.ACCOUNT_MRR)]
    assert Money(20000, "USD") in mrr


def test_paying_at_window_start_is_new_at_the_window_start():
    b = Book()
    b.monthly("Old", [1] * 8, first=-1)
    ledger = b.done()
    assert _new(ledger, Period(at(1, 1, 0), at(2, 1, 0))) == [("Old", ledger.window_start)]


def test_trial_is_not_paying_until_it_converts():
    b = Book()
    b.monthly("Trial", [1] * 3, first=4, trial_start=month_start(4), trial_end=month_start(5))
    assert [when for _, when in _new(b.done(), Period(at(5, 1, 0), NOW))] == [month_start(5)]
