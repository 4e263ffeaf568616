"""MRR movements per account and currency (SPEC §7 "MRR movements", §7b "Movements")."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from billing.ledger import Ledger
from billing.models import PauseCollection
from billing.money import Money
from billing.movements import MovementReport, monthly_movements, movements, weekly_movements
from billing.periods import Period, month_period
from tests.billing.book import NOW, Book, month_start
from tests.billing.build import coupon, discount


def month(m: int) -> Period:
    return month_period(2026, m).clip(NOW)


def kinds(report: MovementReport) -> dict[str, list[tuple[str, int, int]]]:
    out: dict[str, list[tuple[str, int, int]]] = {}
    for mv in report.movements:
        out.setdefault(mv.kind, []).append((mv.account.name, mv.before.amount, mv.after.amount))
    return out


def test_new_is_first_mrr_ever():
    b = Book()
    b.monthly("Acme", [1, 1, 1, 1, 1], first=2)
    ledger = b.done()
    assert kinds(movements(ledger, month(3), NOW)) == {"new": [("Acme", 0, 10000)]}
    assert kinds(movements(ledger, month(4), NOW)) == {}


def test_paying_at_window_start_is_new_in_the_window_start_month():
    # "new = first MRR ever in synced history": nothing is known before the window.
    b = Book()
    b.monthly("Acme", [1] * 8, first=-1)
    ledger = b.done()
    assert kinds(movements(ledger, month(1), NOW)) == {"new": [("Acme", 0, 10000)]}
    assert kinds(movements(ledger, month(2), NOW)) == {}


def test_expansion_and_contraction_from_billed_quantities():
    b = Book()
    b.monthly("Up", [1, 1, 3, 3, 3, 3, 3])
    b.monthly("Down", [4, 4, 4, 2, 2, 2, 2])
    ledger = b.done()
    assert kinds(movements(ledger, month(3), NOW)) == {"expansion": [("Up", 10000, 30000)]}
    assert kinds(movements(ledger, month(4), NOW)) == {"contraction": [("Down", 40000, 20000)]}


def test_churn_when_the_subscription_ends():
    b = Book()
    b.monthly("Gone", [1, 1, 1], status="canceled", ended_at=month_start(3, 1))
    report = movements(b.done(), month(4), NOW)
    assert kinds(report) == {"churn": [("Gone", 10000, 0)]}
    assert report.totals()["churn"] == [Money(10000, "USD")]


def test_reactivation_after_churn():
    b = Book()
    b.monthly("Back", [1, 1], status="canceled", ended_at=month_start(2, 1))
    b.monthly("Back", [2, 2, 2], first=4)
    ledger = b.done()
    assert kinds(movements(ledger, month(3), NOW)) == {"churn": [("Back", 10000, 0)]}
    assert kinds(movements(ledger, month(5), NOW)) == {"reactivation": [("Back", 0, 20000)]}


def test_discount_start_is_contraction_and_end_is_expansion():
    off = discount(
        coupon("repeating", percent=50), start=month_start(3), end=month_start(5), sub="sub_d"
    )
    b = Book()
    b.monthly("Deal", [1] * 7, sub_id="sub_d", discount=off)
    b.ledger.discounts[off.id] = off
    ledger = b.done()
    assert kinds(movements(ledger, month(4), NOW)) == {"contraction": [("Deal", 10000, 5000)]}
    assert kinds(movements(ledger, month(6), NOW)) == {"expansion": [("Deal", 5000, 10000)]}


def test_unpaid_produces_churn():
    b = Book()
    b.monthly("Late", [1] * 7, status="unpaid")
    assert kinds(movements(b.done(), month(7), NOW)) == {"churn": [("Late", 10000, 0)]}


def test_pause_collection_produces_churn():
    b = Book()
    b.monthly("Pause", [1] * 7, pause_collection=PauseCollection("void"))
    assert kinds(movements(b.done(), month(7), NOW)) == {"churn": [("Pause", 10000, 0)]}


def test_second_subscription_on_paying_account_is_expansion():
    b = Book()
    b.monthly("Two", [1] * 7)
    b.monthly("Two", [2] * 4, first=3, unit=5000)
    ledger = b.done()
    assert kinds(movements(ledger, month(4), NOW)) == {"expansion": [("Two", 10000, 20000)]}


def test_second_currency_on_paying_account_is_expansion_in_that_currency():
    b = Book()
    b.monthly("Multi", [1] * 7)
    b.monthly("Multi", [1] * 4, first=3, currency="EUR", unit=8000)
    report = movements(b.done(), month(4), NOW)
    assert kinds(report) == {"expansion": [("Multi", 0, 8000)]}
    assert report.movements[0].after.currency == "EUR"


def test_unassigned_customers_are_left_out():
    b = Book()
    b.monthly("Known", [1] * 7, first=0)
    b.monthly("Stray", [1] * 4, first=3)
    del b.ledger.customer_accounts["cus_stray"]
    del b.ledger.accounts["acct_stray"]
    report = movements(b.done(), month(4), NOW)
    assert kinds(report) == {}


def test_churn_rate_is_churned_over_previous_period_end():
    b = Book()
    b.monthly("Stay", [3] * 7)
    b.monthly("Gone", [1, 1, 1], status="canceled", ended_at=month_start(3, 1))
    report = movements(b.done(), month(4), NOW)
    (usd,) = report.churn_rates()
    assert usd.mrr_at_start == Money(40000, "USD")
    assert usd.fraction == Fraction(1, 4)
    assert usd.to_json()["percent"] == 25.0


def test_current_month_ends_now_and_reconciles():
    b = Book()
    b.monthly("Now", [1] * 6 + [2])
    report = movements(b.done(), month(7), NOW)
    assert report.mrr_at_end == (Money(20000, "USD"),)
    assert report.reconciles()


def test_weekly_movements_split_the_month():
    b = Book()
    b.monthly("Week", [1, 1, 2, 2, 2, 2, 2])
    reports = weekly_movements(b.done(), month(3), NOW)
    moved = [r for r in reports if r.movements]
    assert len(moved) == 1
    assert moved[0].period.contains(month_start(2))
    assert moved[0].period.duration <= timedelta(days=7)


def test_monthly_series_chains_end_to_start():
    b = Book()
    b.monthly("A", [1, 2, 2, 1, 1, 3, 3])
    reports = monthly_movements(b.done(), NOW, months=7)
    for earlier, later in itertools.pairwise(reports):
        assert earlier.mrr_at_end == later.mrr_at_start


# A random workspace: each account gets monthly quantities (0 = a month without a
# line, so MRR drops to 0 and may come back), possibly in EUR, ending active.
account_plans = st.lists(
    st.tuples(
        st.lists(st.integers(0, 3), min_size=7, max_size=7).map(lambda q: [*q[:6], q[6] or 1]),
        st.sampled_from(["USD", "EUR"]),
    ),
    min_size=1,
    max_size=4,
)


def build(plans: list[tuple[list[int], str]]) -> Ledger:
    b = Book()
    for n, (quantities, currency) in enumerate(plans):
        b.monthly(f"A{n}", quantities, currency=currency)
    return b.done()


@settings(max_examples=40, deadline=None)
@given(account_plans)
def test_property_movements_reconcile_with_the_mrr_change(plans):
    ledger = build(plans)
    reports = monthly_movements(ledger, NOW, months=7)
    for report in reports:
        assert report.reconciles()
    first, last = reports[0], reports[-1]
    net: dict[str, int] = {m.currency: -m.amount for m in first.mrr_at_start}
    for report in reports:
        for mv in report.movements:
            net[mv.after.currency] = net.get(mv.after.currency, 0) + mv.signed.amount
    for m in last.mrr_at_end:
        net[m.currency] = net.get(m.currency, 0) - m.amount
    assert all(v == 0 for v in net.values())


def test_movement_json_shape():
    b = Book()
    b.monthly("Json", [1] * 7, first=0)
    report = movements(b.done(), month(1), NOW)
    data = report.to_json()
    assert data["period"] == {"start": "2026-01-01", "end": "2026-01-31"}
    assert data["new"][0]["amount"] == {"amount": "100.00", "currency": "USD"}
    assert data["new"][0]["account"]["name"] == "Json"
    assert replace(report).reconciles()
