"""ARR at risk (SPEC §7b) and upsell candidates (SPEC §7, §7b "Upsell")."""

from __future__ import annotations

from datetime import timedelta

from billing.models import Invoice
from billing.money import Money
from billing.periods import Period, this_month
from billing.risk import arr_at_risk
from billing.upsell import UpsellRules, upsell_candidates
from tests.billing.book import NOW, Book, at


def test_past_due_unpaid_and_failed_active_are_at_risk_incomplete_is_not():
    b = Book()
    b.monthly("Late", [1] * 7, status="past_due")
    b.monthly("Unpaid", [2] * 7, status="unpaid")
    b.monthly("Never", [5], first=6, status="incomplete")
    b.monthly("Fine", [1] * 7, sub_id="s_fine")
    b.monthly("Failing", [3] * 7, sub_id="s_fail")
    b.monthly("Scheduled", [1] * 7, cancel_at_period_end=True)
    b.invoice(
        Invoice(
            id="in_fail",
            customer_id="cus_failing",
            status="open",
            currency="USD",
            created=at(7, 5),
            subscription_id="s_fail",
            amount_due=30000,
            amount_remaining=30000,
            attempted=True,
            attempt_count=1,
            finalized_at=at(7, 5),
        )
    )
    report = arr_at_risk(b.done(), this_month(NOW), NOW)
    got = {r.account.name: (r.reason, r.arr.amount) for r in report.rows}
    assert got == {
        "Late": ("past_due", 120000),
        "Unpaid": ("unpaid", 240000),
        "Failing": ("payment_failed", 360000),
    }
    assert report.arr_at_risk == [Money(720000, "USD")]
    assert list(report.scheduled_churn_arr) == [Money(120000, "USD")]
    june = Period(at(6, 1, 0), at(7, 1, 0))
    assert "Failing" not in {r.account.name for r in arr_at_risk(b.done(), june, NOW).rows}


def test_upsell_needs_tenure_an_old_expansion_and_paying_status():
    b = Book(window=at(1, 1, 0) - timedelta(days=400))
    b.monthly("Grown", [1, 2] + [2] * 17, first=-12)  # grew in Feb 2025
    b.monthly("Recent", [1] * 15 + [2] * 4, first=-12)  # grew in April 2026
    b.monthly("Flat", [2] * 19, first=-12)
    b.monthly("Young", [1, 2, 2, 2], first=3)
    b.monthly("Behind", [1, 2] + [2] * 17, first=-12, status="past_due")
    rows = upsell_candidates(b.done(), NOW)
    assert [r.account.name for r in rows] == ["Grown"]
    assert rows[0].tenure_days >= 180 and len(rows[0].expansions) == 1
    relaxed = upsell_candidates(b.done(), NOW, UpsellRules(quiet_days=30))
    assert [r.account.name for r in relaxed] == ["Grown", "Recent"]
