"""ARR at risk (SPEC §7b) and upsell candidates (SPEC §7, §7b "Upsell"): the rules in
billing/risk.py and billing/upsell.py, through the facts sync stores."""

from __future__ import annotations

from datetime import datetime, timedelta

from billing.facts import Kind, iter_account_facts
from billing.ledger import Ledger
from billing.models import Invoice
from billing.money import Money
from billing.periods import Period, this_month
from billing.risk import PAYMENT_FAILED, risk_reason
from billing.upsell import UpsellRules, expansion_dates, is_upsell_candidate
from tests.billing.book import NOW, Book, at
from tests.billing.fact_lists import amounts, facts_of

USD = Money(100, "USD")


def _at_risk(ledger: Ledger, period: Period) -> dict[str, tuple[str | None, int | None]]:
    """Account name -> (reason, ARR) of the risk facts that count in ``period``."""
    names = {a.id: a.name for a in ledger.accounts.values()}
    out = {}
    for fact in facts_of(ledger, NOW, Kind.RISK):
        reason = risk_reason(
            fact.payload["status"], fact.failure_instants(), period.start, period.end
        )
        if reason is not None:
            out[names[fact.account_id or ""]] = (reason, fact.amount)
    return out


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
    ledger = b.done()
    assert _at_risk(ledger, this_month(NOW)) == {
        "Late": ("past_due", 120000),
        "Unpaid": ("unpaid", 240000),
        "Failing": (PAYMENT_FAILED, 360000),
    }
    june = Period(at(6, 1, 0), at(7, 1, 0))
    assert set(_at_risk(ledger, june)) == {"Late", "Unpaid"}
    scheduled = facts_of(ledger, NOW, Kind.SCHEDULED_CANCELLATION)
    assert amounts(scheduled, factor=12) == [Money(120000, "USD")]


def test_risk_reason_table():
    start, end = at(7, 1, 0), at(8, 1, 0)
    inside, before = [at(7, 5)], [at(6, 20)]
    assert risk_reason("past_due", [], start, end) == "past_due"
    assert risk_reason("unpaid", before, start, end) == "unpaid"
    assert risk_reason("active", inside, start, end) == PAYMENT_FAILED
    assert risk_reason("active", before, start, end) is None
    assert risk_reason("active", before) == PAYMENT_FAILED  # in some period
    assert risk_reason("incomplete", inside, start, end) is None
    assert risk_reason("canceled", inside) is None
    assert risk_reason(None, inside) is None


def _upsell_names(ledger: Ledger, rules: UpsellRules = UpsellRules()) -> list[str]:
    names = {a.id: a.name for a in ledger.accounts.values()}
    facts = [f for f in iter_account_facts(ledger, NOW, rules) if f.kind == Kind.UPSELL]
    return [names[f.account_id or ""] for f in sorted(facts, key=lambda f: -(f.amount or 0))]


def test_upsell_needs_tenure_an_old_expansion_and_paying_status():
    b = Book(window=at(1, 1, 0) - timedelta(days=400))
    b.monthly("Grown", [1, 2] + [2] * 17, first=-12)  # grew in Feb 2025
    b.monthly("Recent", [1] * 15 + [2] * 4, first=-12)  # grew in April 2026
    b.monthly("Flat", [2] * 19, first=-12)
    b.monthly("Young", [1, 2, 2, 2], first=3)
    b.monthly("Behind", [1, 2] + [2] * 17, first=-12, status="past_due")
    ledger = b.done()
    facts = facts_of(ledger, NOW, Kind.UPSELL)
    assert _upsell_names(ledger) == ["Grown"]
    assert facts[0].payload["tenure_days"] >= 180 and len(facts[0].payload["expansions"]) == 1
    assert _upsell_names(ledger, UpsellRules(quiet_days=30)) == ["Grown", "Recent"]


def test_upsell_rule_table():
    now = datetime(2027, 2, 15, tzinfo=NOW.tzinfo)
    old, recent = [now - timedelta(days=200)], [now - timedelta(days=20)]
    assert is_upsell_candidate("paid", [USD], 365, old, now)
    assert not is_upsell_candidate("paid", [USD], 365, recent, now)  # expanded lately
    assert not is_upsell_candidate("paid", [USD], 179, old, now)  # too young
    assert not is_upsell_candidate("paid", [USD], None, old, now)  # never billed
    assert not is_upsell_candidate("paid", [USD], 365, [], now)  # never grew
    assert not is_upsell_candidate("overdue", [USD], 365, old, now)
    assert not is_upsell_candidate("paid", [Money(0, "USD")], 365, old, now)
    assert not is_upsell_candidate("paid", [USD], 365, old, now, UpsellRules(min_expansions=2))
    assert is_upsell_candidate("paid", [USD], 30, recent, now, UpsellRules(30, 10, 1))


def test_expansions_count_only_growth_while_paying():
    t = [datetime(2026, m, 1, tzinfo=NOW.tzinfo) for m in range(1, 6)]
    steps = [
        (t[0], "USD", 100, 0),  # starts paying: new, not an expansion
        (t[1], "USD", 200, 100),  # grows
        (t[2], "USD", 150, 200),  # shrinks
        (t[3], "EUR", 50, 0),  # a second currency while paying: grows
        (t[3], "USD", 100, 150),
        (t[4], "USD", 0, 100),
    ]
    assert expansion_dates(steps) == [t[1], t[3]]
    assert expansion_dates([(t[0], "USD", 100, 0)]) == []
