"""Trials and renewals (SPEC §7b "Renewals": trials apart, amount after discounts excl. tax)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from billing.models import PauseCollection
from billing.money import Money
from billing.periods import next_n_days
from billing.renewals import renewals
from billing.trials import trials
from tests.billing.book import NOW, Book, month_start
from tests.billing.build import coupon, discount


def test_trials_with_days_left_and_ending_soon():
    b = Book()
    b.monthly("Soon", [1], first=6, status="trialing", trial_end=NOW + timedelta(days=2, hours=5))
    b.monthly("Later", [1], first=6, status="trialing", trial_end=NOW + timedelta(days=9))
    rows = trials(b.done(), NOW)
    assert [(r.account.name, r.days_left, r.ends_within_3_days) for r in rows] == [
        ("Soon", 2, True),
        ("Later", 9, False),
    ]
    assert rows[0].mrr_after_trial == Money(10000, "USD")


def test_renewals_in_window_skip_ending_paused_and_trialing():
    b = Book()
    b.monthly("Renews", [1] * 7)  # period ends Aug 5
    b.monthly("Ending", [1] * 7, cancel_at_period_end=True)
    b.monthly("CancelAt", [1] * 7, cancel_at=month_start(7))
    b.monthly("Paused", [1] * 7, pause_collection=PauseCollection("void"))
    b.monthly("Trial", [1] * 7, status="trialing")
    b.monthly("Behind", [2] * 7, status="past_due")
    rows = renewals(b.done(), next_n_days(NOW, 30))
    assert sorted(r.account.name for r in rows) == ["Behind", "Renews"]
    assert renewals(b.done(), next_n_days(NOW, 7)) == []


def test_renewal_amount_is_next_charge_after_discounts():
    off = discount(coupon("forever", amount=2000), sub="s")
    once = discount(coupon("once", percent=50), id="di_once", sub="s")
    b = Book()
    b.monthly("Deal", [3] * 7, sub_id="s", discount=off)
    sub = b.ledger.subscriptions["s"]
    b.ledger.subscriptions["s"] = dataclasses.replace(sub, discounts=(off, once))
    (row,) = renewals(b.done(), next_n_days(NOW, 30))
    assert row.amount == Money(28000, "USD")  # 3 × 100 − 20; a "once" coupon is spent
    assert row.date == month_start(7)
