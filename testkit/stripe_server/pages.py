"""The fewest requests a backfill of a world can make (the backfill benchmark's floor,
and the tests' check that sync never asks for more)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from testkit.stripe_server.listing import item_periods
from testkit.stripe_server.world import (
    StripeWorld,
    discount_coupon,
    invoice_lines_of,
    subscription_items_of,
)


def _pages(n: int) -> int:
    return max(1, math.ceil(n / 100))


def _coupon_id(discount: Any, discounts: dict[str, Any]) -> str | None:
    found = discounts.get(discount) if isinstance(discount, str) else discount
    if not isinstance(found, dict):
        return None
    coupon = discount_coupon(found)
    return coupon.get("id") if isinstance(coupon, dict) else coupon


def coupon_requests(world: StripeWorld, subs: list[Any], invoices: list[Any]) -> int:
    """Requests no backfill can avoid to learn coupons deleted in Stripe (not listed):
    one item list per subscription holding such an item discount, then one invoice's
    lines per coupon only a no-longer-attached line discount still names. Coupons of
    subscription- and invoice-level discounts come with the lists (expanded)."""
    discounts = {d["id"]: d for d in world.discounts if isinstance(d, dict)}
    known = {c["id"] for c in world.coupons}
    for holder in [*subs, *invoices]:
        known.update(
            filter(None, (_coupon_id(d, discounts) for d in holder.get("discounts") or ()))
        )
    requests = 0
    for sub in subs:
        item_coupons = {
            _coupon_id(d, discounts)
            for item in subscription_items_of(sub)
            for d in item.get("discounts") or ()
        } - {None}
        if item_coupons - known:
            requests += 1
            known |= item_coupons  # type: ignore[arg-type]
    for invoice in sorted(invoices, key=lambda i: -int(i["created"])):
        named = {
            _coupon_id(d, discounts)
            for line in invoice_lines_of(invoice)
            for d in line.get("discounts") or ()
            if (discounts.get(d) if isinstance(d, str) else d or {}).get("subscription_item")
        } - {None}
        if named - known:
            requests += 1
            known |= named  # type: ignore[arg-type]
    return requests


def minimum_pages(world: StripeWorld, window_start: datetime) -> int:
    """The fewest requests a backfill of ``world`` can make: lists of 100 (coupons
    included), the newest event (the catch-up cursor), extra lines and items, and the
    expansions coupons deleted in Stripe need (``coupon_requests``)."""
    ws = int(window_start.timestamp())
    subs = [
        s
        for s in world.subscriptions
        if min(item_periods(s, "current_period_end"), default=0) >= ws
    ]
    invoices = [i for i in world.invoices if int(i["created"]) >= ws]
    extra_lines = sum(
        math.ceil((len(invoice_lines_of(i)) - 10) / 100)
        for i in invoices
        if len(invoice_lines_of(i)) > 10
    )
    extra_items = sum(
        math.ceil((len(subscription_items_of(s)) - 20) / 100)
        for s in subs
        if len(subscription_items_of(s)) > 20
    )
    return (
        1  # newest event (the catch-up cursor)
        + _pages(len(world.products))
        + _pages(len(world.prices))
        + _pages(len(world.coupons))
        + _pages(len(world.customers))
        + _pages(len(subs))
        + _pages(len(invoices))
        + extra_lines
        + extra_items
        + coupon_requests(world, subs, invoices)
    )
