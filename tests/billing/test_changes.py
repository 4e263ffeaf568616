"""Downgrades and upgrades with when they happened (SPEC §7b "Downgrades")."""

from __future__ import annotations

from dataclasses import replace

from billing.changes import downgrades, subscription_changes, upgrades
from billing.models import InvoiceLine
from billing.money import Money
from billing.periods import Period
from tests.billing.book import NOW, Book, at, month_start
from tests.billing.build import coupon, discount

SPRING = Period(at(3, 1, 0), at(6, 1, 0))


def test_quantity_fall_is_a_downgrade_at_the_new_line():
    b = Book()
    b.monthly("Down", [4, 4, 4, 2, 2, 2, 2])
    (row,) = downgrades(b.done(), SPRING, NOW)
    assert (row.at, row.kind) == (month_start(3), "change")
    assert (row.mrr_before, row.mrr_after) == (Money(40000, "USD"), Money(20000, "USD"))


def test_fall_to_zero_or_start_from_zero_is_not_a_change():
    b = Book()
    b.monthly("Gone", [1, 1, 1], status="canceled", ended_at=month_start(3))
    b.monthly("New", [1] * 4, first=3)
    assert subscription_changes(b.done(), SPRING, NOW) == []


def test_discount_start_and_end_kinds():
    off = discount(
        coupon("repeating", percent=25), start=month_start(3), end=month_start(4), sub="s"
    )
    b = Book()
    b.monthly("Deal", [1] * 7, sub_id="s", discount=off)
    b.ledger.discounts[off.id] = off
    ledger = b.done()
    (down,) = downgrades(ledger, SPRING, NOW)
    (up,) = upgrades(ledger, SPRING, NOW)
    assert (down.kind, down.at, down.mrr_after) == (
        "discount_start",
        month_start(3),
        Money(7500, "USD"),
    )
    assert (up.kind, up.at, up.mrr_after) == ("discount_end", month_start(4), Money(10000, "USD"))


def test_mid_period_change_is_dated_by_its_proration_line():
    b = Book()
    b.monthly("Mid", [1, 1, 1, 3, 3, 3, 3], sub_id="s")
    proration = InvoiceLine(
        id="il_pro",
        amount=5000,
        currency="USD",
        period_start=at(3, 20, 14),
        period_end=month_start(3),
        price_id="price_usd_10000",
        quantity=3,
        proration=True,
        subscription_id="s",
        subscription_item_id="si_s",
    )
    next_invoice = b.ledger.invoices["in_s_3"]
    b.ledger.invoices["in_s_3"] = replace(next_invoice, lines=(proration, *next_invoice.lines))
    (row,) = upgrades(b.done(), SPRING, NOW)
    assert row.at == at(3, 20, 14)
    assert (row.mrr_before.amount, row.mrr_after.amount) == (10000, 30000)
