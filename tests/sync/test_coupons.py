"""Coupons joined by id: listed in full, deleted ones expanded where Stripe allows, none guessed.

At the pinned API version a discount's ``source.coupon`` is an id unless
expanded. The sample world holds five coupons: ``LOYAL20`` and ``SAVE150Q`` on
subscriptions, ``ADDON10`` on an item (and named by invoice lines). Deleting a
coupon in Stripe removes it from ``/v1/coupons`` while its discounts keep it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from billing.ledger import Ledger
from billing.models import Coupon, Discount
from storage.coupons import unresolved_by_customer, unresolved_coupon_ids
from storage.db import Database
from storage.ledger_reads import load_ledger
from sync.backfill import run_backfill
from sync.readers import read_discount
from testkit.stripe_server import StripeTestServer, StripeWorld
from testkit.stripe_server.pages import minimum_pages
from tests.stripe_server.helpers import make_client, settings

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
WINDOW_START = datetime(2026, 2, 15, 12, tzinfo=UTC)
ITEM_DISCOUNT = "di_1w4yYKczr3M4y4uwcfbOilpR"  # ADDON10 on an item, named by invoice lines


def _sync(db: Database, world: StripeWorld) -> tuple[Ledger, list[str]]:
    """Backfill ``world`` through the API (as few requests as possible); ledger and paths."""
    with StripeTestServer(world) as server:
        report = run_backfill(db, "local", make_client(server), settings(), NOW)
        assert report.request_count == len(server.requests)
        assert report.request_count == minimum_pages(world, WINDOW_START)
        paths = [r.path for r in server.requests]
    with db.session() as session:
        return load_ledger(session, "local", WINDOW_START), paths


def _without_coupon(world: StripeWorld, coupon_id: str) -> StripeWorld:
    world.coupons = [c for c in world.coupons if c["id"] != coupon_id]
    return world


def _coupons(ledger: Ledger) -> dict[str, Coupon]:
    return {d.coupon.id: d.coupon for d in ledger.discounts.values()}


def test_reader_keeps_a_coupon_known_by_id_in_both_shapes() -> None:
    current = {"id": "di_1", "source": {"type": "coupon", "coupon": "SAVE20"}, "start": 1}
    expanded = {
        "id": "di_2",
        "source": {"coupon": {"id": "SAVE20", "duration": "forever", "percent_off": 20}},
    }
    legacy = {"id": "di_3", "coupon": {"id": "OLD5", "duration": "once", "amount_off": 500}}
    by_id = read_discount(current)
    assert isinstance(by_id, Discount) and by_id.coupon == Coupon.unknown("SAVE20")
    assert not by_id.coupon.known
    full = read_discount(expanded)
    assert full is not None and full.coupon.known and full.coupon.percent_off == Decimal(20)
    old = read_discount(legacy)
    assert old is not None and old.coupon.amount_off == 500 and old.coupon.duration == "once"
    assert read_discount("di_4") is None  # type: ignore[arg-type]  # a discount id alone


def test_listed_coupons_are_joined_by_id(db: Database, stripe_world: StripeWorld) -> None:
    ledger, paths = _sync(db, stripe_world)
    listed = {c["id"] for c in stripe_world.coupons}
    assert paths.count("/v1/coupons") == 1 and "/v1/subscription_items" not in paths
    coupons = _coupons(ledger)
    assert set(coupons) == listed and all(c.known for c in coupons.values())
    assert coupons["ADDON10"].percent_off == Decimal(10)
    item_discounts = [
        d for s in ledger.subscriptions.values() for i in s.items for d in i.discounts
    ]
    assert [d.coupon.id for d in item_discounts] == ["ADDON10"]
    with db.session() as session:
        assert unresolved_coupon_ids(session, "local") == []


def test_a_deleted_subscription_coupon_comes_from_the_expanded_list(
    db: Database, stripe_world: StripeWorld
) -> None:
    ledger, paths = _sync(db, _without_coupon(stripe_world, "LOYAL20"))
    coupon = _coupons(ledger)["LOYAL20"]
    assert coupon.known and coupon.percent_off == Decimal(20) and coupon.duration == "forever"
    assert "/v1/subscription_items" not in paths  # no request beyond the lists


def test_a_deleted_item_coupon_comes_from_the_items_list(
    db: Database, stripe_world: StripeWorld
) -> None:
    with StripeTestServer(_without_coupon(stripe_world, "ADDON10")) as server:
        run_backfill(db, "local", make_client(server), settings(), NOW)
        asked = [r for r in server.requests if r.path == "/v1/subscription_items"]
    assert len(asked) == 1
    assert asked[0].params["expand"] == ["data.discounts.source.coupon"]
    with db.session() as session:
        ledger = load_ledger(session, "local", WINDOW_START)
        assert unresolved_coupon_ids(session, "local") == []
    coupon = ledger.discounts[ITEM_DISCOUNT].coupon
    assert coupon.known and coupon.percent_off == Decimal(10)


def test_a_deleted_coupon_only_invoice_lines_name_comes_from_one_invoices_lines(
    db: Database, stripe_world: StripeWorld
) -> None:
    world = _without_coupon(stripe_world, "ADDON10")
    for sub in world.subscriptions:  # the discount was removed from the item since
        for item in sub["items"]["data"]:
            item["discounts"] = []
    with StripeTestServer(world) as server:
        report = run_backfill(db, "local", make_client(server), settings(), NOW)
        assert report.request_count == minimum_pages(world, WINDOW_START)
        asked = [
            r.path
            for r in server.requests
            if r.params.get("expand") == ["data.discounts.source.coupon"]
        ]
    assert len(asked) == 1 and asked[0].endswith("/lines")  # one invoice's lines
    with db.session() as session:
        ledger = load_ledger(session, "local", WINDOW_START)
    assert ledger.discounts[ITEM_DISCOUNT].coupon.percent_off == Decimal(10)


def test_a_coupon_no_list_reaches_is_named_not_guessed(
    db: Database, stripe_world: StripeWorld
) -> None:
    """Item discounts whose coupon is gone from Stripe entirely stay unknown and are named."""
    world = _without_coupon(stripe_world, "ADDON10")
    world.discounts = [d for d in world.discounts if d["id"] != ITEM_DISCOUNT]
    for sub in world.subscriptions:
        for item in sub["items"]["data"]:
            for discount in item["discounts"]:
                discount["source"]["coupon"] = "ADDON10"  # not expandable anywhere
    customer = next(
        s["customer"]
        for s in world.subscriptions
        if any(i["discounts"] for i in s["items"]["data"])
    )
    with StripeTestServer(world) as server:
        run_backfill(db, "local", make_client(server), settings(), NOW)
    with db.session() as session:
        assert unresolved_coupon_ids(session, "local") == ["ADDON10"]
        assert unresolved_by_customer(session, "local") == {customer: ["ADDON10"]}
        ledger = load_ledger(session, "local", WINDOW_START)
    assert not ledger.discounts[ITEM_DISCOUNT].coupon.known
