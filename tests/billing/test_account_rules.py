"""Overdue, payment status, lifecycle, renewal, plan and invoice-date rules (SPEC §7, §7b)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from billing.figures import AccountFigures, account_figures
from billing.ledger import Ledger
from billing.models import Account, Invoice, Product, Subscription
from billing.money import Money
from billing.overdue import days_overdue, is_overdue, overdue_invoices, written_off
from billing.plan import plan_label, price_label
from billing.renewal_date import renewal_date, scheduled_to_cancel
from billing.status import lifecycle, payment_status
from tests.billing.build import NOW, T0, dt, invoice, item, line, price, sub

DUE = NOW - timedelta(days=10, hours=1)


def send(**kw: object) -> Invoice:
    base: dict[str, object] = dict(
        status="open", collection_method="send_invoice", amount_remaining=5000, due_date=DUE
    )
    base.update(kw)
    return invoice(**base)  # type: ignore[arg-type]


def auto(**kw: object) -> Invoice:
    base: dict[str, object] = dict(
        status="open",
        collection_method="charge_automatically",
        amount_remaining=5000,
        attempted=True,
        attempt_count=1,
        finalized_at=NOW - timedelta(days=3, seconds=1),
        created=NOW - timedelta(days=4),
    )
    base.update(kw)
    return invoice(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("inv", "overdue"),
    [
        (send(), True),  # send_invoice past its due date
        (send(due_date=NOW + timedelta(days=1)), False),  # not due yet
        (send(due_date=None), False),
        (send(amount_remaining=0), False),
        (send(status="uncollectible"), False),  # written off, not overdue
        (send(status="void"), False),
        (send(status="paid"), False),
        (auto(), True),  # automatic payment failed
        (auto(attempted=False, attempt_count=0), False),  # not attempted yet
        (auto(status="uncollectible"), False),
    ],
)
def test_overdue_send_invoice_vs_charge_automatically(inv: Invoice, overdue: bool) -> None:
    assert is_overdue(inv, NOW) is overdue


def test_days_overdue_floor_from_due_date_or_finalized_or_created() -> None:
    assert days_overdue(send(), NOW) == 10  # 10 days 1 hour -> 10
    assert days_overdue(send(due_date=NOW - timedelta(seconds=86399)), NOW) == 0
    assert days_overdue(auto(), NOW) == 3  # from finalized_at
    assert days_overdue(auto(finalized_at=None), NOW) == 4  # falls back to created


def test_overdue_rows_and_written_off() -> None:
    rows = overdue_invoices([send(id="in_a"), auto(id="in_b"), send(id="in_c", status="paid")], NOW)
    assert [(r.invoice_id, r.days_overdue) for r in rows] == [("in_a", 10), ("in_b", 3)]
    bad = send(id="in_u", status="uncollectible", amount_remaining=9000)
    assert written_off([bad, send()]) == [Money(9000, "USD")]


ACTIVE = sub(item(price(1000)))


@pytest.mark.parametrize(
    ("subs", "invoices", "status"),
    [
        ([ACTIVE], [auto(), send()], "failed"),  # failed wins over overdue
        ([ACTIVE], [send()], "overdue"),
        ([sub(status="past_due")], [], "overdue"),
        ([sub(status="unpaid")], [], "overdue"),
        ([ACTIVE], [send(due_date=NOW + timedelta(days=2))], "paid"),
        ([sub(status="trialing")], [], "paid"),
        ([sub(status="paused")], [], "paid"),  # has not ended
        ([sub(status="canceled")], [], "none"),
        ([sub(status="incomplete_expired")], [], "none"),
        ([sub(status="canceled")], [send(status="uncollectible")], "none"),
        ([], [], "none"),
    ],
)
def test_payment_status_precedence(
    subs: list[Subscription], invoices: list[Invoice], status: str
) -> None:
    got, reason = payment_status(subs, invoices, NOW)
    assert got == status
    assert reason


def test_payment_status_reasons_name_the_object() -> None:
    assert payment_status([ACTIVE], [auto(id="in_x", attempt_count=2)], NOW)[1] == (
        "open invoice in_x: automatic payment failed (2 attempts)"
    )
    assert "in_y past due since" in payment_status([ACTIVE], [send(id="in_y")], NOW)[1]


@pytest.mark.parametrize(
    ("statuses", "ever_paying", "stage"),
    [
        (["active"], [], "customer"),
        (["past_due"], [], "customer"),
        (["unpaid", "trialing"], [], "customer"),
        (["trialing", "canceled"], [], "trial"),
        (["canceled"], [0], "churned"),
        (["canceled"], [], "none"),  # ended without ever having MRR
        (["incomplete"], [], "none"),
        (["paused"], [], "none"),
        ([], [], "none"),
    ],
)
def test_lifecycle(statuses: list[str], ever_paying: list[int], stage: str) -> None:
    subs = [sub(id=f"sub_{n}", status=s) for n, s in enumerate(statuses)]
    assert lifecycle(subs, [subs[i] for i in ever_paying]) == stage


def test_renewal_date_with_cancel_at_and_trial() -> None:
    a = sub(item(price(), period_end=dt("2027-03-10")), id="a")
    b = sub(item(price(), period_end=dt("2027-03-20")), id="b", cancel_at=dt("2027-03-01"))
    t = sub(id="t", status="trialing", trial_end=dt("2027-02-20"))
    gone = sub(item(price(), period_end=dt("2027-02-16")), id="c", status="canceled")
    assert renewal_date([a]) == dt("2027-03-10")
    assert renewal_date([a, b]) == dt("2027-03-01")  # ends rather than renews
    assert renewal_date([a, b, t]) == dt("2027-02-20")  # trial end while trialing
    assert renewal_date([a, gone]) == dt("2027-03-10")  # canceled never renews
    assert renewal_date([gone]) is None


def test_scheduled_to_cancel() -> None:
    assert scheduled_to_cancel(sub(cancel_at_period_end=True))
    assert scheduled_to_cancel(sub(cancel_at=dt("2027-03-01")))
    assert not scheduled_to_cancel(sub())
    assert not scheduled_to_cancel(sub(status="canceled", cancel_at=dt("2026-03-01")))


def test_plan_label_choice() -> None:
    products = {"prod_x": Product("prod_x", "Extra Product")}
    assert price_label(price(lookup_key="lk", nickname="nick", product="prod_x"), products) == "lk"
    assert price_label(price(nickname="nick", product="prod_x"), products) == "nick"
    assert price_label(price(product="prod_x"), products) == "Extra Product"
    big = sub(
        item(price(5000, id="p1", lookup_key="addon"), 1, id="si_1"),
        item(price(2000, id="p2", lookup_key="seat"), 5, id="si_2"),  # 10,000 a month
        item(price(99999, id="p3", lookup_key="usage", usage="metered"), 1, id="si_3"),
        id="big",
    )
    small = sub(item(price(9000, id="p4", lookup_key="small")), id="small")
    ended = sub(item(price(10**6, id="p5", lookup_key="old")), id="old", status="canceled")
    assert plan_label([small, big, ended], {}, products) == "seat"
    assert plan_label([ended], {}, products) is None


def _ledger(subs: list[Subscription], invoices: list[Invoice]) -> Ledger:
    ledger = Ledger(window_start=dt("2026-02-15T12:00:00"))
    ledger.accounts["acct"] = Account(id="acct", name="Acme", domain="acme.com", owner="Ann")
    ledger.customer_accounts["cus_1"] = "acct"
    ledger.subscriptions = {s.id: s for s in subs}
    ledger.invoices = {i.id: i for i in invoices}
    return ledger


def test_figures_last_invoice_date_ignores_draft_and_void_and_window() -> None:
    invoices = [
        invoice("in_old", created=dt("2025-12-01"), amount_paid=99900),  # before the window
        invoice("in_paid", created=dt("2026-12-01"), amount_paid=1000),
        invoice(
            "in_credit",
            created=dt("2026-12-15"),
            amount_paid=1000,
            post_payment_credit_notes_amount=400,
        ),
        invoice("in_void", status="void", created=dt("2027-01-05")),
        invoice("in_draft", status="draft", created=dt("2027-02-01")),
    ]
    figures = account_figures(_ledger([ACTIVE], invoices), "acct", NOW)
    assert figures.last_invoice_date == dt("2026-12-15").date()
    assert figures.lifetime_revenue == (Money(1600, "USD"),)


def test_figures_json_contract_and_round_trip() -> None:
    s = sub(
        item(price(2399940, interval="year", lookup_key="annual")),
        start=T0,
        cancel_at_period_end=True,
    )
    inv = send(created=dt("2026-12-01"), lines=(line(T0, dt("2027-01-01")),))
    figures = account_figures(_ledger([s], [inv]), "acct", NOW)
    data = figures.to_json()
    for key in (
        "account",
        "stripe_customer_ids",
        "mrr",
        "arr",
        "payment_status",
        "overdue",
        "max_days_overdue",
        "lifetime_revenue",
        "last_invoice_date",
        "plan",
        "renewal_date",
        "lifecycle",
        "scheduled_to_cancel",
        "mrr_history",
    ):
        assert key in data
    assert data["account"] == {"id": "acct", "name": "Acme", "domain": "acme.com"}
    assert data["mrr"] == [{"amount": "1999.95", "currency": "USD"}]
    assert data["arr"] == [{"amount": "23999.40", "currency": "USD"}]
    assert data["payment_status"] == "overdue"
    assert data["max_days_overdue"] == 10
    assert data["plan"] == "annual"
    assert data["scheduled_to_cancel"] is True
    assert len(data["mrr_history"]) == 12
    assert data["tenure_days"] == (NOW - T0).days
    assert AccountFigures.from_json(data) == figures
