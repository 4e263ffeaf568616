"""Synthetic Stripe worlds of any size, in the current or the pre-2025 object shape.

Used for pagination tests (more than 100 objects, invoices with more than 10
lines, subscriptions with more than 20 items), the legacy-shape tests, and the
backfill benchmark (10k customers / 10k subscriptions / 120k invoices).
"""

from __future__ import annotations

import random
from datetime import datetime

from testkit.stripe_server.world import Obj, StripeWorld

DAY = 86_400


def _newest_first(objs: list[Obj]) -> list[Obj]:
    return sorted(objs, key=lambda o: -int(o["created"]))


def generate_world(
    *,
    now: datetime,
    customers: int = 20,
    subscriptions: int = 20,
    invoices: int = 40,
    shape: str = "current",
    seed: int = 7,
    wide_invoice_lines: int = 0,
    wide_subscription_items: int = 0,
    old_subscriptions: int = 0,
    deleted_customers: int = 0,
) -> StripeWorld:
    """A consistent world: every subscription/invoice points at a listed customer and price.

    ``wide_invoice_lines``/``wide_subscription_items`` make the newest invoice /
    subscription that long; ``old_subscriptions`` are created 2 years back (half
    still active, half ended long ago); ``deleted_customers`` are customers
    whose subscriptions and invoices remain while the customer is gone.
    """
    rng = random.Random(seed)
    legacy = shape == "legacy"
    t_now = int(now.timestamp())
    world = StripeWorld(
        account={
            "id": "acct_gen",
            "object": "account",
            "business_profile": {"name": "Generated Co"},
        }
    )
    world.products = [
        {
            "id": f"prod_g{n:04d}",
            "object": "product",
            "name": f"Plan {n}",
            "active": True,
            "created": t_now - 900 * DAY + n,
        }
        for n in range(3)
    ]
    world.prices = [
        {
            "id": f"price_g{n:04d}",
            "object": "price",
            "active": True,
            "billing_scheme": "per_unit",
            "created": t_now - 800 * DAY + n,
            "currency": "usd",
            "product": f"prod_g{n % 3:04d}",
            "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
            "type": "recurring",
            "unit_amount": 1000 * (n + 1),
            "unit_amount_decimal": str(1000 * (n + 1)),
            "lookup_key": f"plan_{n}",
            "nickname": None,
            "tiers_mode": None,
            "transform_quantity": None,
        }
        for n in range(4)
    ]
    world.prices.append(
        {
            "id": "price_gtiered",
            "object": "price",
            "active": True,
            "billing_scheme": "tiered",
            "created": t_now - 700 * DAY,
            "currency": "usd",
            "product": "prod_g0000",
            "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
            "type": "recurring",
            "unit_amount": None,
            "unit_amount_decimal": None,
            "tiers_mode": "graduated",
            "transform_quantity": None,
            "lookup_key": None,
            "nickname": None,
            "tiers": [
                {
                    "up_to": 10,
                    "unit_amount": 500,
                    "unit_amount_decimal": "500",
                    "flat_amount": None,
                    "flat_amount_decimal": None,
                },
                {
                    "up_to": None,
                    "unit_amount": 300,
                    "unit_amount_decimal": "300",
                    "flat_amount": None,
                    "flat_amount_decimal": None,
                },
            ],
        }
    )
    world.coupons = [
        {
            "id": "GEN10",
            "object": "coupon",
            "duration": "forever",
            "percent_off": 10,
            "amount_off": None,
            "currency": None,
            "duration_in_months": None,
            "name": "10% off",
            "created": t_now - 600 * DAY,
        }
    ]
    total_customers = customers + deleted_customers
    all_customers = [
        {
            "id": f"cus_g{n:07d}",
            "object": "customer",
            "name": f"Company {n}",
            "email": f"billing@company{n}.com",
            "created": t_now - rng.randint(30, 1000) * DAY - n,
            "currency": "usd",
            "metadata": {},
            "description": None,
            "delinquent": False,
        }
        for n in range(total_customers)
    ]
    world.customers = _newest_first(all_customers[:customers])
    world.customers_deleted = [
        {"id": c["id"], "object": "customer", "deleted": True} for c in all_customers[customers:]
    ]
    subs: list[Obj] = []
    for n in range(subscriptions + old_subscriptions):
        old = n >= subscriptions
        created = t_now - (730 * DAY if old else rng.randint(1, 360) * DAY) - n
        ended = old and n % 2 == 1
        # The first subscriptions belong to the deleted customers (their history stays).
        cust = all_customers[customers + n if n < deleted_customers else n % total_customers]["id"]
        n_items = wide_subscription_items if (n == 0 and wide_subscription_items) else 1
        subs.append(
            _subscription(f"sub_g{n:07d}", cust, created, t_now, n_items, ended, legacy, rng, n)
        )
    world.subscriptions = _newest_first(subs)
    invs: list[Obj] = []
    for n in range(invoices):
        sub = subs[n % max(1, subscriptions)] if subscriptions else None
        created = t_now - rng.randint(0, 360 * DAY) - n
        n_lines = wide_invoice_lines if (n == 0 and wide_invoice_lines) else 1 + n % 2
        cust = sub["customer"] if sub else all_customers[n % total_customers]["id"]
        invs.append(_invoice(f"in_g{n:07d}", cust, sub, created, n_lines, legacy, n))
    if invs:
        invs[0]["created"] = t_now - 60  # the wide one is the newest
    world.invoices = _newest_first(invs)
    world.events = [
        {
            "id": f"evt_g{n:05d}",
            "object": "event",
            "type": "invoice.paid",
            "created": t_now - n * 3600,
            "api_version": "2026-10-28.endive",
            "data": {"object": {"id": f"in_g{n:07d}", "object": "invoice"}},
        }
        for n in range(3)
    ]
    return world


def _price_ref(n: int) -> str:
    return f"price_g{n % 4:04d}"


def _subscription(
    sub_id: str,
    cust: str,
    created: int,
    t_now: int,
    n_items: int,
    ended: bool,
    legacy: bool,
    rng: random.Random,
    n: int,
) -> Obj:
    period_end = created + 30 * DAY
    while period_end < t_now and not ended:
        period_end += 30 * DAY
    period_start = period_end - 30 * DAY
    discount = None
    if n % 5 == 0:
        discount = {
            "id": f"di_g{n:07d}",
            "object": "discount",
            "customer": cust,
            "subscription": sub_id,
            "subscription_item": None,
            "start": created,
            "end": None,
            "coupon" if legacy else "source": (
                {"id": "GEN10", "object": "coupon", "duration": "forever", "percent_off": 10}
                if legacy
                else {
                    "type": "coupon",
                    "coupon": {
                        "id": "GEN10",
                        "object": "coupon",
                        "duration": "forever",
                        "percent_off": 10,
                    },
                }
            ),
        }
    items = []
    for k in range(n_items):
        price_id = "price_gtiered" if (k == 1) else _price_ref(n + k)
        price = {
            "id": price_id,
            "object": "price",
            "currency": "usd",
            "product": "prod_g0000",
            "billing_scheme": "tiered" if price_id == "price_gtiered" else "per_unit",
            "unit_amount_decimal": None if price_id == "price_gtiered" else "1000",
            "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
        }
        item: Obj = {
            "id": f"si_g{n:07d}_{k:03d}",
            "object": "subscription_item",
            "created": created,
            "quantity": 1 + k % 3,
            "price": price,
            "subscription": sub_id,
            "metadata": {},
            "discounts": [],
        }
        if legacy:
            item["plan"] = {
                "id": price_id,
                "object": "plan",
                "amount": 1000,
                "currency": "usd",
                "interval": "month",
                "interval_count": 1,
            }
        else:
            item["current_period_start"] = period_start
            item["current_period_end"] = period_end
        items.append(item)
    sub: Obj = {
        "id": sub_id,
        "object": "subscription",
        "customer": cust,
        "created": created,
        "start_date": created,
        "status": "canceled" if ended else ("active" if n % 7 else "past_due"),
        "currency": "usd",
        "ended_at": created + 40 * DAY if ended else None,
        "canceled_at": created + 40 * DAY if ended else None,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "pause_collection": None,
        "trial_start": None,
        "trial_end": None,
        "collection_method": "charge_automatically",
        "latest_invoice": None,
        "metadata": {},
        "livemode": False,
        "discounts": [discount] if (discount and not legacy) else [],
    }
    if legacy:
        sub["current_period_start"] = period_start
        sub["current_period_end"] = period_end
        sub["discount"] = discount
    if n_items > 20:
        sub["_all_items"] = items
        sub["items"] = {
            "object": "list",
            "data": items[:20],
            "has_more": True,
            "url": "/v1/subscription_items",
        }
    else:
        sub["items"] = {
            "object": "list",
            "data": items,
            "has_more": False,
            "url": "/v1/subscription_items",
        }
    return sub


def _invoice(
    inv_id: str, cust: str, sub: Obj | None, created: int, n_lines: int, legacy: bool, n: int
) -> Obj:
    sub_id = sub["id"] if sub else None
    lines = []
    for k in range(n_lines):
        price_id = _price_ref(n + k)
        line: Obj = {
            "id": f"il_g{n:07d}_{k:03d}",
            "object": "line_item",
            "amount": 1000 + k,
            "currency": "usd",
            "description": f"line {k}",
            "quantity": 1,
            "period": {"start": created, "end": created + 30 * DAY},
            "discount_amounts": [],
            "discounts": [],
            "discountable": True,
        }
        if legacy:
            line.update(
                {
                    "price": {"id": price_id, "object": "price", "unit_amount_decimal": "1000"},
                    "plan": {"id": price_id, "object": "plan"},
                    "proration": k == 1,
                    "type": "subscription" if sub_id else "invoiceitem",
                    "subscription": sub_id,
                    "subscription_item": None,
                }
            )
        else:
            line.update(
                {
                    "pricing": {
                        "type": "price_details",
                        "price_details": {"price": price_id, "product": "prod_g0000"},
                        "unit_amount_decimal": "1000",
                    },
                    "parent": (
                        {
                            "type": "subscription_item_details",
                            "invoice_item_details": None,
                            "subscription_item_details": {
                                "subscription": sub_id,
                                "proration": k == 1,
                                "subscription_item": None,
                                "invoice_item": None,
                            },
                        }
                        if sub_id
                        else {
                            "type": "invoice_item_details",
                            "subscription_item_details": None,
                            "invoice_item_details": {"invoice_item": f"ii_{n}"},
                        }
                    ),
                }
            )
        lines.append(line)
    status = ("paid", "open", "void", "uncollectible")[n % 4]
    inv: Obj = {
        "id": inv_id,
        "object": "invoice",
        "customer": cust,
        "created": created,
        "currency": "usd",
        "status": status,
        "collection_method": "charge_automatically",
        "number": f"GEN-{n:06d}",
        "amount_due": 1000 * n_lines,
        "amount_paid": 1000 * n_lines if status == "paid" else 0,
        "amount_remaining": 0 if status == "paid" else 1000 * n_lines,
        "subtotal": 1000 * n_lines,
        "total": 1000 * n_lines,
        "due_date": None,
        "attempted": True,
        "attempt_count": 1,
        "billing_reason": "subscription_cycle",
        "period_start": created,
        "period_end": created,
        "status_transitions": {
            "finalized_at": created,
            "paid_at": created if status == "paid" else None,
            "voided_at": None,
            "marked_uncollectible_at": None,
        },
        "discounts": [],
        "livemode": False,
        "hosted_invoice_url": None,
        "total_taxes": [],
    }
    if legacy:
        inv["subscription"] = sub_id
    else:
        inv["parent"] = (
            {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {"subscription": sub_id, "metadata": {}},
            }
            if sub_id
            else None
        )
    if n_lines > 10:
        inv["_all_lines"] = lines
        inv["lines"] = {
            "object": "list",
            "data": lines[:10],
            "has_more": True,
            "url": f"/v1/invoices/{inv_id}/lines",
        }
    else:
        inv["lines"] = {
            "object": "list",
            "data": lines,
            "has_more": False,
            "url": f"/v1/invoices/{inv_id}/lines",
        }
    return inv
