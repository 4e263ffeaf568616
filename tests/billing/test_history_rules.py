"""MRR history rebuilt from invoice lines (SPEC §7 "MRR history", §7b "History")."""

from __future__ import annotations

from datetime import UTC, datetime

from billing.history import account_history, month_ends, subscription_mrr_at
from billing.ledger import Ledger
from billing.models import Account, Invoice, Price, Subscription
from billing.money import Money
from tests.billing.build import (
    NOW,
    T0,
    coupon,
    discount,
    dt,
    invoice,
    item,
    line,
    price,
    sub,
)

MAR_END = dt("2026-03-31T23:59:59")


def ledger_of(subs: list[Subscription], invoices: list[Invoice], prices: list[Price]) -> Ledger:
    ledger = Ledger(window_start=T0)
    ledger.accounts["acct"] = Account(id="acct", name="Acme")
    ledger.customer_accounts["cus_1"] = "acct"
    ledger.subscriptions = {s.id: s for s in subs}
    ledger.invoices = {i.id: i for i in invoices}
    ledger.prices = {p.id: p for p in prices}
    return ledger


def monthly_invoices(
    start: str, months: int, price_id: str = "price_a", quantity: int = 1
) -> list[Invoice]:
    out = []
    year, month = int(start[:4]), int(start[5:7])
    for n in range(months):
        y, m = year + (month - 1 + n) // 12, (month - 1 + n) % 12 + 1
        ny, nm = y + m // 12, m % 12 + 1
        begin, end = datetime(y, m, 10, tzinfo=UTC), datetime(ny, nm, 10, tzinfo=UTC)
        out.append(
            invoice(
                f"in_{y}{m:02d}",
                created=begin,
                lines=(line(begin, end, price_id=price_id, quantity=quantity),),
            )
        )
    return out


def test_month_ends_are_last_instants_and_now() -> None:
    points = month_ends(NOW)
    assert len(points) == 12
    assert points[0] == ("2026-03", MAR_END)
    assert points[-2] == ("2027-01", dt("2027-01-31T23:59:59"))
    assert points[-1] == ("2027-02", NOW)


def test_history_uses_billed_price_and_quantity_not_todays_items() -> None:
    old, new = price(1000, id="price_a"), price(2000, id="price_b")
    s = sub(item(new, 3), start=dt("2026-01-10"))
    invoices = monthly_invoices("2026-01", 6, "price_a", 2) + monthly_invoices(
        "2026-07", 8, "price_b", 3
    )
    ledger = ledger_of([s], invoices, [old, new])
    assert subscription_mrr_at(ledger, s, MAR_END) == Money(2000, "USD")
    assert subscription_mrr_at(ledger, s, dt("2026-08-31T23:59:59")) == Money(6000, "USD")


def test_proration_lines_are_ignored() -> None:
    s = sub(item(price(1000), 1), start=dt("2026-03-10"))
    prorated = invoice(
        "in_pr",
        created=dt("2026-03-20"),
        lines=(line(dt("2026-03-20"), dt("2026-04-10"), quantity=50, proration=True),),
    )
    ledger = ledger_of([s], [*monthly_invoices("2026-03", 2), prorated], [price(1000)])
    assert subscription_mrr_at(ledger, s, MAR_END) == Money(1000, "USD")


def test_not_yet_started_trialing_and_ended_are_zero() -> None:
    p = price(1000)
    late = sub(item(p), id="sub_1", start=dt("2026-05-01"))
    invoices = monthly_invoices("2026-03", 3)
    ledger = ledger_of([late], invoices, [p])
    assert subscription_mrr_at(ledger, late, MAR_END) == Money(0, "USD")  # not yet started

    trial = sub(
        item(p), start=dt("2026-03-10"), trial_start=dt("2026-03-10"), trial_end=dt("2026-04-10")
    )
    ledger = ledger_of([trial], invoices, [p])
    assert subscription_mrr_at(ledger, trial, MAR_END) == Money(0, "USD")  # trialing
    assert subscription_mrr_at(ledger, trial, dt("2026-04-30T23:59:59")) == Money(1000, "USD")

    ended = sub(item(p), status="canceled", start=dt("2026-01-10"), ended_at=dt("2026-04-10"))
    ledger = ledger_of([ended], monthly_invoices("2026-01", 3), [p])
    assert subscription_mrr_at(ledger, ended, MAR_END) == Money(1000, "USD")
    assert subscription_mrr_at(ledger, ended, dt("2026-04-30T23:59:59")) == Money(0, "USD")


def test_no_covering_line_is_zero() -> None:
    p = price(1000)
    s = sub(item(p), start=dt("2026-01-10"))
    ledger = ledger_of([s], monthly_invoices("2026-01", 1), [p])
    assert subscription_mrr_at(ledger, s, MAR_END) == Money(0, "USD")


def test_discounts_active_at_the_instant_only() -> None:
    p = price(10000)
    d = discount(coupon("repeating", percent=25), start=dt("2026-03-10"), end=dt("2026-06-10"))
    s = sub(item(p), start=dt("2026-01-10"))
    ledger = ledger_of([s], monthly_invoices("2026-01", 14), [p])
    ledger.discounts[d.id] = d  # ended discount, known from the ledger only
    assert subscription_mrr_at(ledger, s, dt("2026-02-28T23:59:59")) == Money(10000, "USD")
    assert subscription_mrr_at(ledger, s, MAR_END) == Money(7500, "USD")
    assert subscription_mrr_at(ledger, s, dt("2026-06-30T23:59:59")) == Money(10000, "USD")


def test_current_month_uses_current_mrr() -> None:
    p = price(1000)
    s = sub(item(p, 7), start=dt("2026-01-10"))
    ledger = ledger_of([s], monthly_invoices("2026-01", 14), [p])
    history = account_history(ledger, "acct", NOW)
    assert history[-1] == ("2027-02", [Money(7000, "USD")])
    assert history[0] == ("2026-03", [Money(1000, "USD")])


def test_history_is_kept_per_currency_and_omits_zero() -> None:
    usd_p, eur_p = price(1000), price(2000, id="price_e", currency="EUR")
    a = sub(item(usd_p), id="sub_1", start=dt("2026-01-10"))
    b = sub(
        item(eur_p, id="si_e"),
        id="sub_2",
        currency="EUR",
        start=dt("2026-01-10"),
        status="canceled",
        ended_at=dt("2026-02-01"),
    )
    ledger = ledger_of([a, b], monthly_invoices("2026-01", 14), [usd_p, eur_p])
    assert account_history(ledger, "acct", NOW)[0] == ("2026-03", [Money(1000, "USD")])


def test_period_billed_before_the_window_uses_earliest_synced_line() -> None:
    # A yearly subscription renewed before the synced window: its covering invoice was
    # never synced, so the first synced period stands in; with nothing synced, today's items.
    p = price(120000, interval="year")
    s = sub(item(p, 2), start=dt("2025-06-10"))
    window_start = dt("2026-02-15T12:00:00")
    renewal = invoice(
        "in_renew",
        created=dt("2026-06-10"),
        lines=(line(dt("2026-06-10"), dt("2027-06-10"), quantity=3),),
    )
    ledger = ledger_of([s], [renewal], [p])
    ledger.window_start = window_start
    assert subscription_mrr_at(ledger, s, MAR_END) == Money(30000, "USD")
    assert subscription_mrr_at(ledger, s, dt("2026-07-31T23:59:59")) == Money(30000, "USD")
    ledger.invoices = {}
    ledger.__dict__.pop("invoices_by_subscription", None)
    assert subscription_mrr_at(ledger, s, MAR_END) == Money(20000, "USD")


def test_gap_inside_synced_history_is_zero() -> None:
    # Voided periods (pause_collection with behavior void) bill nothing: MRR 0 then.
    p = price(1000)
    s = sub(item(p), start=dt("2026-01-10"))
    invoices = monthly_invoices("2026-01", 6)
    voided = invoices[2]
    invoices[2] = invoice(voided.id, status="void", created=voided.created, lines=voided.lines)
    ledger = ledger_of([s], invoices, [p])
    assert subscription_mrr_at(ledger, s, MAR_END) == Money(0, "USD")
    assert subscription_mrr_at(ledger, s, dt("2026-04-30T23:59:59")) == Money(1000, "USD")
