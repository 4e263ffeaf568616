"""Signals from the difference between two snapshots (SPEC §7 "Signals")."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from billing.ledger import Ledger
from billing.models import Invoice
from billing.signals import SignalRules, derive_signals
from tests.billing.book import NOW, Book, at, month_start

BEFORE = NOW - timedelta(hours=1)


def base() -> Book:
    b = Book()
    b.monthly("Acme", [2] * 7, sub_id="s_acme")
    return b


def open_invoice(**extra: object) -> Invoice:
    fields: dict[str, object] = dict(
        id="in_x",
        customer_id="cus_acme",
        status="open",
        currency="USD",
        created=at(7, 15, 9),
        subscription_id="s_acme",
        amount_due=20000,
        amount_remaining=20000,
        finalized_at=at(7, 15, 9),
    )
    fields.update(extra)
    return Invoice(**fields)  # type: ignore[arg-type]


def kinds(prev: Ledger, cur: Ledger) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in derive_signals(prev, cur, BEFORE, NOW):
        out.setdefault(s.kind, []).append(s.dedupe_key)
    return out


def test_payment_failed_then_recovered():
    b = base()
    b.invoice(open_invoice())
    prev = b.done()
    b.invoice(open_invoice(attempted=True, attempt_count=1))
    failed = b.done()
    (sig,) = [s for s in derive_signals(prev, failed, BEFORE, NOW) if s.kind == "payment_failed"]
    assert sig.account_id == "acct_acme" and sig.amount and sig.amount.amount == 20000
    assert sig.url == "https://dashboard.stripe.com/test/invoices/in_x"
    b.invoice(open_invoice(status="paid", attempted=True, attempt_count=2, paid_at=NOW))
    assert "payment_recovered" in kinds(failed, b.done())


def test_an_invoice_first_seen_paid_after_failures_is_a_recovery_once():
    b = base()
    prev = b.done()
    b.invoice(open_invoice(status="paid", attempted=True, attempt_count=3, paid_at=NOW))
    recovered = b.done()
    assert kinds(prev, recovered)["payment_recovered"] == ["payment_recovered:in_x"]
    assert "payment_failed" not in kinds(prev, recovered)
    assert "payment_recovered" not in kinds(recovered, recovered)  # seen already: nothing
    # paid at the first attempt, or paid long ago: no recovery to alert
    b1 = base()
    b1.invoice(open_invoice(status="paid", attempted=True, attempt_count=1, paid_at=NOW))
    assert "payment_recovered" not in kinds(prev, b1.done())
    b2 = base()
    old = NOW - timedelta(days=30)
    b2.invoice(open_invoice(status="paid", attempted=True, attempt_count=2, paid_at=old))
    assert "payment_recovered" not in kinds(prev, b2.done())


def test_send_invoice_becoming_overdue():
    b = base()
    b.invoice(open_invoice(collection_method="send_invoice", due_date=NOW - timedelta(minutes=5)))
    prev_state = b.done()
    assert kinds(prev_state, prev_state).get("payment_overdue") == ["payment_overdue:in_x"]
    b2 = base()
    b2.invoice(open_invoice(collection_method="send_invoice", due_date=NOW - timedelta(days=3)))
    already = b2.done()
    assert "payment_overdue" not in kinds(already, already)


def test_cancellations_scheduled_and_immediate():
    b = base()
    prev = b.done()
    sub = b.ledger.subscriptions["s_acme"]
    b.ledger.subscriptions["s_acme"] = replace(sub, cancel_at_period_end=True, canceled_at=NOW)
    assert kinds(prev, b.done())["subscription_canceled"] == [
        "subscription_canceled:s_acme:scheduled"
    ]
    b.ledger.subscriptions["s_acme"] = replace(
        sub, status="canceled", canceled_at=NOW, ended_at=NOW
    )
    (sig,) = [s for s in derive_signals(prev, b.done(), BEFORE, NOW) if s.kind.endswith("canceled")]
    assert sig.detail == "immediate" and sig.amount and sig.amount.amount == 20000


def test_downgrade_and_upgrade():
    b = base()
    prev = b.done()
    sub = b.ledger.subscriptions["s_acme"]
    item = sub.items[0]
    b.ledger.subscriptions["s_acme"] = replace(sub, items=(replace(item, quantity=1),))
    (down,) = [s for s in derive_signals(prev, b.done(), BEFORE, NOW) if "grade" in s.kind]
    assert down.kind == "subscription_downgraded" and down.amount and down.amount.amount == -10000
    b.ledger.subscriptions["s_acme"] = replace(sub, items=(replace(item, quantity=5),))
    assert "subscription_upgraded" in kinds(prev, b.done())


def test_new_customer_trial_ending_and_renewal_upcoming():
    prev = Book()
    prev.account("Newco")
    b = Book()
    b.monthly("Newco", [1], first=6)
    b.monthly("Trial", [1], first=6, status="trialing", trial_end=NOW + timedelta(days=2))
    cur = b.done()
    got = kinds(prev.done(), cur)
    assert got["new_customer"] == ["new_customer:acct_newco"]
    assert len(got["trial_ending"]) == 1
    assert "renewal_upcoming" not in got  # Aug 5 is 21 days away; the default window is 14
    wider = derive_signals(
        prev.done(), cur, BEFORE, NOW, SignalRules(renewal_upcoming=timedelta(days=30))
    )
    renewing = [s.dedupe_key for s in wider if s.kind == "renewal_upcoming"]
    assert renewing == [f"renewal_upcoming:sub_newco_1:{month_start(7).date()}"]
    again = derive_signals(prev.done(), cur, BEFORE, NOW)
    assert [s.dedupe_key for s in again] == [
        s.dedupe_key for s in derive_signals(prev.done(), cur, BEFORE, NOW)
    ]
