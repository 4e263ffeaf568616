"""Property: ingesting a world twice, or in another page order, gives the same state and figures.

Small random worlds (customers sharing or not an email domain, prices in
two currencies and intervals, subscriptions and invoices of every status,
coupons by percent or amount, discounts expanded or named by id, invoices
outside the window, deleted customers, either API shape) go through the file
source; the stored rows and the ``accounts list`` figures must not depend on
how many times or in which order the pages came.
"""

from __future__ import annotations

import random
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.settings import Settings
from storage.db import Database
from sync import file_source
from sync.file_source import ingest_folder
from testkit.stripe_server.generate import _invoice, _subscription
from testkit.stripe_server.world import StripeWorld
from tests.stripe_server.helpers import dump_tables
from usecases.accounts import account_list
from usecases.backend import Backend

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
T_NOW = int(NOW.timestamp())
DAY = 86_400
Obj = dict[str, Any]

# Repeats weight the draws towards what makes figures (active subscriptions, paid invoices).
SUB_STATUSES = ("active",) * 4 + ("past_due", "canceled", "trialing", "unpaid", "incomplete")
INVOICE_STATUSES = ("paid",) * 3 + ("open", "void", "uncollectible", "draft")
DOMAINS = ("acme.com", "acme.com", "globex.io", "initech.dev", "gmail.com")


def _coupon(draw: st.DrawFn, n: int) -> Obj:
    duration = draw(st.sampled_from(["forever", "once", "repeating"]))
    by_percent = draw(st.booleans())
    return {
        "id": f"CPN{n}",
        "object": "coupon",
        "duration": duration,
        "duration_in_months": draw(st.integers(1, 6)) if duration == "repeating" else None,
        "percent_off": draw(st.sampled_from([10, 25, 50, 12.5])) if by_percent else None,
        "amount_off": None if by_percent else draw(st.integers(100, 3000)),
        "currency": None if by_percent else "usd",
        "name": f"coupon {n}",
    }


def _discount(draw: st.DrawFn, coupons: list[Obj], n: int, legacy: bool, **refs: Any) -> Obj:
    coupon = draw(st.sampled_from(coupons))
    start = T_NOW - draw(st.integers(1, 500)) * DAY
    ended = draw(st.booleans())
    return {
        "id": f"di_p{n:04d}",
        "object": "discount",
        "start": start,
        "end": start + draw(st.integers(10, 200)) * DAY if ended else None,
        "customer": refs.get("customer"),
        "subscription": refs.get("subscription"),
        "subscription_item": refs.get("subscription_item"),
        **({"coupon": coupon} if legacy else {"source": {"type": "coupon", "coupon": coupon}}),
    }


@st.composite
def worlds(draw: st.DrawFn) -> StripeWorld:
    """A small, consistent world with random statuses, prices, discounts and dates."""
    legacy = draw(st.booleans())
    rng = random.Random(draw(st.integers(0, 2**16)))
    world = StripeWorld(account={"id": "acct_prop", "object": "account"})
    world.products = [{"id": "prod_g0000", "object": "product", "name": "Plan", "active": True}]
    world.prices = []
    for n in range(4):  # the generator's items and lines name price_g0000..price_g0003
        amount = draw(st.integers(0, 50_000))
        world.prices.append(
            {
                "id": f"price_g{n:04d}",
                "object": "price",
                "active": True,
                "billing_scheme": "per_unit",
                "created": T_NOW - 800 * DAY + n,
                "currency": draw(st.sampled_from(["usd", "eur"])),
                "product": "prod_g0000",
                "recurring": {
                    "interval": draw(st.sampled_from(["month", "year"])),
                    "interval_count": 1,
                    "usage_type": "licensed",
                },
                "type": "recurring",
                "unit_amount": amount,
                "unit_amount_decimal": str(amount),
            }
        )
    world.coupons = [_coupon(draw, n) for n in range(draw(st.integers(1, 3)))]
    n_customers = draw(st.integers(1, 5))
    customers = [
        {
            "id": f"cus_p{n:04d}",
            "object": "customer",
            "name": f"Customer {n}",
            "email": f"billing{n}@{draw(st.sampled_from(DOMAINS))}",
            "created": T_NOW - draw(st.integers(30, 900)) * DAY - n,
            "currency": "usd",
            "metadata": {},
        }
        for n in range(n_customers)
    ]
    gone = draw(st.integers(0, 1))  # a deleted customer whose history remains
    world.customers = customers[gone:]
    world.customers_deleted = [
        {"id": c["id"], "object": "customer", "deleted": True} for c in customers[:gone]
    ]
    discounts: list[Obj] = []
    subs: list[Obj] = []
    for n in range(draw(st.integers(0, 5) | st.integers(1, 5))):
        customer = draw(st.sampled_from(customers))["id"]
        created = T_NOW - draw(st.integers(1, 700)) * DAY - n
        status = draw(st.sampled_from(SUB_STATUSES))
        n_items = draw(st.integers(1, 2))
        sub = _subscription(
            f"sub_p{n:04d}", customer, created, T_NOW, n_items, status == "canceled", legacy, rng, n
        )
        sub["status"] = status
        sub["cancel_at_period_end"] = draw(st.booleans()) and status != "canceled"
        for item in sub["items"]["data"]:
            item["quantity"] = draw(st.integers(1, 5))
        sub["discounts"] = []  # the generator's own discount is replaced by a drawn one
        if legacy:
            sub["discount"] = None
        if draw(st.booleans()):
            discount = _discount(
                draw,
                world.coupons,
                len(discounts),
                legacy,
                customer=customer,
                subscription=sub["id"],
            )
            discounts.append(discount)
            if legacy:
                sub["discount"] = discount
            else:
                sub["discounts"] = [discount]
        subs.append(sub)
    invoices: list[Obj] = []
    for n in range(draw(st.integers(0, 8))):
        sub = draw(st.sampled_from(subs)) if subs and draw(st.booleans()) else None
        customer = sub["customer"] if sub else draw(st.sampled_from(customers))["id"]
        created = T_NOW - draw(st.integers(0, 420)) * DAY - n  # some before the window
        inv = _invoice(f"in_p{n:04d}", customer, sub, created, draw(st.integers(1, 3)), legacy, n)
        status = draw(st.sampled_from(INVOICE_STATUSES))
        total = sum(line["amount"] for line in inv["lines"]["data"])
        paid = total if status == "paid" else 0
        inv.update(
            status=status,
            total=total,
            subtotal=total,
            amount_due=total,
            amount_paid=paid,
            amount_remaining=total - paid if status in ("open", "uncollectible") else 0,
        )
        for line in inv["lines"]["data"]:
            line["amount"] = draw(st.integers(0, 20_000))
        usable = [d for d in discounts if d.get("customer") == customer]
        if usable and draw(st.booleans()):
            discount = draw(st.sampled_from(usable))
            expanded = draw(st.booleans())  # or named by id only (resolved from discounts.json)
            inv["discounts"] = [discount if expanded else discount["id"]]
            first = inv["lines"]["data"][0]
            first["discounts"] = [discount["id"]]
            first["discount_amounts"] = [
                {"amount": draw(st.integers(1, 500)), "discount": discount["id"]}
            ]
        invoices.append(inv)
    world.subscriptions = sorted(subs, key=lambda o: -int(o["created"]))
    world.invoices = sorted(invoices, key=lambda o: -int(o["created"]))
    world.discounts = discounts
    world.events = [
        {"id": "evt_p0", "object": "event", "type": "invoice.paid", "created": T_NOW - 60}
    ]
    return world


def _shuffled(world: StripeWorld, seed: int) -> StripeWorld:
    """The same objects with every list in another order."""
    rng = random.Random(seed)
    out = StripeWorld(account=world.account)
    for name in (
        "products",
        "prices",
        "coupons",
        "customers",
        "customers_deleted",
        "subscriptions",
        "invoices",
        "events",
        "discounts",
    ):
        values = list(getattr(world, name))
        rng.shuffle(values)
        setattr(out, name, values)
    return out


def _ingest(db: Database, ws: str, world: StripeWorld, page: int = file_source.PAGE) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "world"
        world.to_folder(folder)
        with mock.patch.object(file_source, "PAGE", page):
            ingest_folder(db, ws, folder, NOW, settings=Settings())


def _state(db: Database, ws: str) -> tuple[dict[str, list[tuple[str, ...]]], list[dict[str, Any]]]:
    """Every stored row of ``ws`` (its id replaced) and its ``accounts list`` objects."""
    dump = {
        name: sorted(tuple("WS" if v == repr(ws) else v for v in row) for row in rows)
        for name, rows in dump_tables(db, ws).items()
    }
    return dump, account_list(Backend(Settings(), db), ws)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds(), seed=st.integers(0, 1000), page=st.integers(1, 4))
def test_ingesting_twice_or_in_another_order_gives_the_same_state_and_figures(
    db: Database, world: StripeWorld, seed: int, page: int
) -> None:
    ws = "P" + uuid.uuid4().hex[:8]
    _ingest(db, ws, world)
    first, figures = _state(db, ws)
    assert sum(len(rows) for rows in first.values()) >= len(world.customers)
    _ingest(db, ws, world)
    again, figures_again = _state(db, ws)
    assert again == first
    assert figures_again == figures
    # Another workspace reads the same objects in another order, a few per page.
    other = "Q" + uuid.uuid4().hex[:8]
    _ingest(db, other, _shuffled(world, seed), page=page)
    reordered, figures_reordered = _state(db, other)
    assert reordered == first
    assert figures_reordered == figures
