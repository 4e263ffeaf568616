"""Applying Stripe events: every handled type, ordering, ties, dedupe, old shapes, tenancy."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from storage.db import Database
from storage.models import (
    CouponRow,
    CustomerRow,
    DiscountRow,
    InvoiceLineRow,
    InvoiceRow,
    PriceRow,
    ProductRow,
    SubscriptionItemRow,
    SubscriptionRow,
)
from sync.events import (
    APPLIED,
    DUPLICATE,
    IGNORED,
    REFETCHED,
    SKIPPED_OLDER,
    apply_event,
)
from testkit.stripe_server import StripeTestServer, StripeWorld
from tests.sync.event_builders import (
    NOW,
    at,
    client_for,
    customer,
    event,
    event_rows,
    invoice,
    legacy_subscription,
    lines_of,
    make_workspaces,
    price,
    product,
    row,
    subscription,
)

WS = "ws_a"


def apply(db: Database, ev: dict[str, Any], client: Any = None, ws: str = WS) -> str:
    with db.session() as session:
        return apply_event(session, ws, ev, client, NOW)


@pytest.fixture
def ws(db: Database) -> Database:
    make_workspaces(db, WS, "ws_b")
    return db


# -- every handled type ------------------------------------------------------------------
@pytest.mark.parametrize("type_", ["customer.created", "customer.updated"])
def test_customer_events_store_the_customer(ws: Database, type_: str) -> None:
    assert apply(ws, event(type_, customer(name="Acme Inc", email="ops@Acme.io"))) == APPLIED
    stored = row(ws, CustomerRow, WS, "cus_1")
    assert (stored.name, stored.email_domain, stored.deleted) == ("Acme Inc", "acme.io", False)
    assert stored.source_updated_at == at(0)


def test_customer_deleted_marks_deleted_and_keeps_the_row(ws: Database) -> None:
    apply(ws, event("customer.created", customer(name="Acme"), 0))
    assert apply(ws, event("customer.deleted", customer(name="Acme"), 5)) == APPLIED
    stored = row(ws, CustomerRow, WS, "cus_1")
    assert stored.deleted is True and stored.name == "Acme"
    # A later-delivered update cannot bring a deleted customer back.
    apply(ws, event("customer.updated", customer(name="Zombie"), 9))
    assert row(ws, CustomerRow, WS, "cus_1").deleted is True


@pytest.mark.parametrize(
    ("type_", "status"),
    [
        ("customer.subscription.created", "incomplete"),
        ("customer.subscription.updated", "past_due"),
        ("customer.subscription.deleted", "canceled"),
        ("customer.subscription.paused", "paused"),
        ("customer.subscription.resumed", "active"),
        ("customer.subscription.trial_will_end", "trialing"),
        ("customer.subscription.pending_update_applied", "active"),
        ("customer.subscription.pending_update_expired", "active"),
    ],
)
def test_subscription_events_store_the_subscription(ws: Database, type_: str, status: str) -> None:
    assert apply(ws, event(type_, subscription(status=status, quantity=4))) == APPLIED
    stored = row(ws, SubscriptionRow, WS, "sub_1")
    assert stored.status == status and stored.source_updated_at == at(0)
    item = row(ws, SubscriptionItemRow, WS, "si_sub_1")
    assert (item.quantity, item.price_id) == (4, "price_1")


@pytest.mark.parametrize(
    ("type_", "status"),
    [
        ("invoice.created", "draft"),
        ("invoice.finalized", "open"),
        ("invoice.updated", "open"),
        ("invoice.paid", "paid"),
        ("invoice.payment_succeeded", "paid"),
        ("invoice.payment_failed", "open"),
        ("invoice.marked_uncollectible", "uncollectible"),
        ("invoice.voided", "void"),
        ("invoice.overdue", "open"),
    ],
)
def test_invoice_events_store_the_invoice(ws: Database, type_: str, status: str) -> None:
    assert apply(ws, event(type_, invoice(status=status, lines=2))) == APPLIED
    stored = row(ws, InvoiceRow, WS, "in_1")
    assert (stored.status, stored.subscription_id, stored.total) == (status, "sub_1", 10000)
    assert lines_of(ws, WS, "in_1") == ["il_in_1_0", "il_in_1_1"]


def test_invoice_deleted_removes_the_draft_and_late_events_stay_out(ws: Database) -> None:
    apply(ws, event("invoice.created", invoice(status="draft"), 0))
    assert apply(ws, event("invoice.deleted", invoice(status="draft"), 5)) == APPLIED
    assert row(ws, InvoiceRow, WS, "in_1") is None and lines_of(ws, WS, "in_1") == []
    assert apply(ws, event("invoice.updated", invoice(status="draft"), 3)) == SKIPPED_OLDER
    assert row(ws, InvoiceRow, WS, "in_1") is None


def test_invoice_upcoming_is_not_stored(ws: Database) -> None:
    upcoming = invoice(iid="upcoming_in_1")
    assert apply(ws, event("invoice.upcoming", upcoming)) == IGNORED
    assert row(ws, InvoiceRow, WS, "upcoming_in_1") is None
    assert [e.status for e in event_rows(ws, WS)] == ["ignored"]


def test_product_and_price_events(ws: Database) -> None:
    assert apply(ws, event("product.created", product(name="Pro"), 0)) == APPLIED
    assert apply(ws, event("product.updated", product(name="Pro+"), 1)) == APPLIED
    assert row(ws, ProductRow, WS, "prod_1").name == "Pro+"
    assert apply(ws, event("product.deleted", product(name="Pro+"), 2)) == APPLIED
    assert row(ws, ProductRow, WS, "prod_1").deleted is True
    assert apply(ws, event("price.created", price(amount=5000), 0)) == APPLIED
    assert apply(ws, event("price.updated", price(amount=5000, nickname="Monthly"), 1)) == APPLIED
    stored = row(ws, PriceRow, WS, "price_1")
    assert (stored.unit_amount_decimal, stored.nickname, stored.interval) == (
        "5000",
        "Monthly",
        "month",
    )
    assert apply(ws, event("price.deleted", price(amount=5000), 2)) == APPLIED
    assert row(ws, PriceRow, WS, "price_1").active is False


def test_tiered_price_update_keeps_stored_tiers(ws: Database) -> None:
    tiers = [
        {"up_to": 10, "unit_amount_decimal": "100", "flat_amount_decimal": None},
        {"up_to": "inf", "unit_amount_decimal": "80", "flat_amount_decimal": None},
    ]
    apply(
        ws,
        event("price.created", price(billing_scheme="tiered", tiers_mode="volume", tiers=tiers), 0),
    )
    # Webhook payloads never include tiers (an includable field).
    apply(
        ws,
        event(
            "price.updated",
            price(billing_scheme="tiered", tiers_mode="volume", nickname="Seats"),
            1,
        ),
    )
    stored = row(ws, PriceRow, WS, "price_1")
    assert stored.nickname == "Seats"
    assert [tier["unit_amount_decimal"] for tier in stored.tiers] == ["100", "80"]


def test_unknown_types_are_recorded_and_ignored(ws: Database) -> None:
    charge = {"id": "ch_1", "object": "charge", "amount": 100}
    assert apply(ws, event("charge.succeeded", charge, eid="evt_charge")) == IGNORED
    assert (
        apply(ws, event("customer.tax_id.created", {"id": "txi_1", "object": "tax_id"})) == IGNORED
    )
    rows = event_rows(ws, WS)
    by_id = {r.id: (r.type, r.status) for r in rows}
    assert by_id["evt_charge"] == ("charge.succeeded", "ignored")
    assert all(r.status == "ignored" for r in rows) and len(rows) == 2


# -- ordering --------------------------------------------------------------------------------
def test_older_event_after_newer_does_not_overwrite(ws: Database) -> None:
    assert (
        apply(ws, event("customer.subscription.updated", subscription(status="past_due"), 10))
        == APPLIED
    )
    late = event("customer.subscription.updated", subscription(status="active", quantity=9), 5)
    assert apply(ws, late) == SKIPPED_OLDER
    assert row(ws, SubscriptionRow, WS, "sub_1").status == "past_due"
    assert row(ws, SubscriptionItemRow, WS, "si_sub_1").quantity == 1
    assert row(ws, SubscriptionRow, WS, "sub_1").source_updated_at == at(10)
    # The skipped event is still recorded (deduplicated if delivered again).
    assert apply(ws, late) == DUPLICATE


def test_older_invoice_and_customer_events_do_not_overwrite(ws: Database) -> None:
    apply(ws, event("invoice.paid", invoice(status="paid"), 20))
    assert apply(ws, event("invoice.finalized", invoice(status="open"), 10)) == SKIPPED_OLDER
    assert row(ws, InvoiceRow, WS, "in_1").status == "paid"
    apply(ws, event("customer.updated", customer(name="New name"), 20))
    assert apply(ws, event("customer.updated", customer(name="Old name"), 10)) == SKIPPED_OLDER
    assert row(ws, CustomerRow, WS, "cus_1").name == "New name"


def test_same_second_tie_refetches_from_stripe(ws: Database) -> None:
    current = subscription(status="canceled", quantity=7)
    world = StripeWorld(subscriptions=[current], customers=[customer()])
    with StripeTestServer(world) as server:
        client = client_for(server)
        apply(
            ws, event("customer.subscription.updated", subscription(status="past_due"), 10), client
        )
        assert server.requests == []  # newer event: applied without a request
        tie = event("customer.subscription.updated", subscription(status="active"), 10)
        assert apply(ws, tie, client) == REFETCHED
        fetched = [r for r in server.requests if r.path == "/v1/subscriptions/sub_1"]
        assert len(fetched) == 1 and fetched[0].method == "GET"
        assert set(fetched[0].params["expand"]) == {
            "discounts",
            "discounts.source.coupon",
            "items.data.discounts",
        }
    assert row(ws, SubscriptionRow, WS, "sub_1").status == "canceled"
    assert row(ws, SubscriptionItemRow, WS, "si_sub_1").quantity == 7


def test_same_second_invoice_tie_without_client_never_regresses(ws: Database) -> None:
    apply(ws, event("invoice.paid", invoice(status="paid"), 10))
    assert apply(ws, event("invoice.finalized", invoice(status="open"), 10)) == SKIPPED_OLDER
    assert row(ws, InvoiceRow, WS, "in_1").status == "paid"


def test_deleted_invoice_refetch_404_removes_it(ws: Database) -> None:
    with StripeTestServer(StripeWorld()) as server:
        apply(ws, event("invoice.created", invoice(status="draft"), 10))
        tie = event("invoice.updated", invoice(status="draft"), 10)
        assert apply(ws, tie, client_for(server)) == REFETCHED
    assert row(ws, InvoiceRow, WS, "in_1") is None


# -- payload shapes and truncated lists --------------------------------------------------------
def test_pre_2025_invoice_shape(ws: Database) -> None:
    old = invoice(iid="in_old", status="open", lines=2, legacy=True)
    old_event = event("invoice.finalized", old)
    old_event["api_version"] = "2024-06-20"
    assert apply(ws, old_event) == APPLIED
    assert row(ws, InvoiceRow, WS, "in_old").subscription_id == "sub_1"
    stored = row(ws, InvoiceLineRow, WS, "il_in_old_0")
    assert (stored.price_id, stored.subscription_id, stored.kind) == (
        "price_legacy",
        "sub_1",
        "subscription",
    )


def test_pre_2025_subscription_shape(ws: Database) -> None:
    assert apply(ws, event("customer.subscription.updated", legacy_subscription())) == APPLIED
    item = row(ws, SubscriptionItemRow, WS, "si_old")
    assert (item.price_id, item.quantity, item.current_period_end) == ("plan_old", 3, at(2592000))
    assert row(ws, DiscountRow, WS, "di_old").coupon_id == "co_old"
    assert row(ws, PriceRow, WS, "plan_old").unit_amount_decimal == "2000"


def test_invoice_with_more_than_ten_lines_pages_them(ws: Database) -> None:
    big = invoice(iid="in_big", lines=13)
    with StripeTestServer(StripeWorld(invoices=[big])) as server:
        assert apply(ws, event("invoice.finalized", big), client_for(server)) == APPLIED
        assert [r.path for r in server.requests] == ["/v1/invoices/in_big/lines"] * 1
    assert len(lines_of(ws, WS, "in_big")) == 13


def test_truncated_lines_without_client_keep_stored_lines(ws: Database) -> None:
    big = invoice(iid="in_big", lines=13)
    full = event("invoice.created", big, 0)
    full["data"]["object"]["lines"] = {
        "object": "list",
        "data": big["_all_lines"],
        "has_more": False,
    }
    apply(ws, full)
    apply(ws, event("invoice.paid", invoice(iid="in_big", lines=13, status="paid"), 5))
    assert row(ws, InvoiceRow, WS, "in_big").status == "paid"
    assert len(lines_of(ws, WS, "in_big")) == 13


def test_subscription_discount_ids_are_resolved(ws: Database) -> None:
    discount = {
        "id": "di_1",
        "object": "discount",
        "start": 1_799_000_000,
        "end": None,
        "subscription": "sub_1",
        "coupon": {"id": "co_1", "object": "coupon", "duration": "forever", "percent_off": 20},
    }
    expanded = subscription(discounts=[discount])
    with StripeTestServer(StripeWorld(subscriptions=[expanded])) as server:
        client = client_for(server)
        # Unknown discount id in the payload: refetched with discounts expanded.
        assert (
            apply(
                ws,
                event("customer.subscription.updated", subscription(discounts=["di_1"]), 1),
                client,
            )
            == REFETCHED
        )
        assert row(ws, DiscountRow, WS, "di_1").coupon_id == "co_1"
        server.reset_requests()
        # Known discount id: resolved from storage, no request.
        assert (
            apply(
                ws,
                event(
                    "customer.subscription.updated", subscription(discounts=["di_1"], quantity=2), 2
                ),
                client,
            )
            == APPLIED
        )
        assert server.requests == []
    assert row(ws, DiscountRow, WS, "di_1").subscription_id == "sub_1"
    assert row(ws, SubscriptionItemRow, WS, "si_sub_1").quantity == 2


def _coupon(cid: str = "SAVE20", **kw: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "coupon",
        "duration": "forever",
        "percent_off": 20,
        "amount_off": None,
        "currency": None,
        **kw,
    }


@pytest.mark.parametrize("type_", ["coupon.created", "coupon.updated", "coupon.deleted"])
def test_coupon_events_store_the_coupon(ws: Database, type_: str) -> None:
    """A deleted coupon still discounts what it discounted: its terms are kept."""
    assert apply(ws, event(type_, _coupon(name="Twenty"))) == APPLIED
    stored = row(ws, CouponRow, WS, "SAVE20")
    assert (stored.duration, stored.percent_off, stored.name) == ("forever", "20", "Twenty")
    assert row(ws, CouponRow, "ws_b", "SAVE20") is None


def test_current_shape_discounts_join_coupons_by_id(ws: Database) -> None:
    """``source.coupon`` is an id: the item discount's coupon, deleted in Stripe (not
    listed), is expanded from the subscription's items list."""
    sub_discount = {
        "id": "di_sub",
        "object": "discount",
        "start": 1_799_000_000,
        "subscription": "sub_1",
        "subscription_item": None,
        "source": {"type": "coupon", "coupon": _coupon("SAVE20")},
    }
    item_discount = {
        "id": "di_item",
        "object": "discount",
        "start": 1_799_000_000,
        "subscription": "sub_1",
        "subscription_item": "si_sub_1",
        "source": {"type": "coupon", "coupon": _coupon("GONE10", percent_off=10)},
    }
    current = subscription(discounts=[sub_discount])
    current["items"]["data"][0]["discounts"] = [item_discount]
    payload = subscription(discounts=["di_sub"])
    payload["items"]["data"][0]["discounts"] = ["di_item"]
    world = StripeWorld(subscriptions=[current], coupons=[_coupon("SAVE20")])
    with StripeTestServer(world) as server:
        outcome = apply(ws, event("customer.subscription.updated", payload, 1), client_for(server))
        paths = [r.path for r in server.requests]
    assert outcome == REFETCHED
    assert paths == ["/v1/subscriptions/sub_1", "/v1/subscription_items"]
    assert row(ws, DiscountRow, WS, "di_item").coupon_id == "GONE10"
    assert row(ws, CouponRow, WS, "GONE10").percent_off == "10"
    assert row(ws, CouponRow, WS, "SAVE20").percent_off == "20"


# -- dedupe and tenancy -------------------------------------------------------------------------
def test_duplicate_event_is_applied_once(ws: Database) -> None:
    ev = event("customer.updated", customer(name="First"), 5, eid="evt_dup")
    assert apply(ws, ev) == APPLIED
    apply(ws, event("customer.updated", customer(name="Second"), 9))
    assert apply(ws, ev) == DUPLICATE
    assert row(ws, CustomerRow, WS, "cus_1").name == "Second"
    assert [r.id for r in event_rows(ws, WS)].count("evt_dup") == 1


def test_two_sessions_racing_on_the_same_event_apply_it_once(ws: Database) -> None:
    ev = event("invoice.paid", invoice(status="paid"), 5, eid="evt_race")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            with ws.session() as session:
                barrier.wait(timeout=10)
                outcomes.append(apply_event(session, WS, ev, None, NOW))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(outcomes) == [APPLIED, DUPLICATE]
    assert row(ws, InvoiceRow, WS, "in_1").status == "paid"
    assert len(event_rows(ws, WS)) == 1


def test_two_workspaces_never_mix(ws: Database) -> None:
    a = event("customer.updated", customer(name="Acme A"), 5, eid="evt_same")
    b = event("customer.updated", customer(name="Acme B"), 1, eid="evt_same")
    assert apply(ws, a, ws=WS) == APPLIED
    assert apply(ws, b, ws="ws_b") == APPLIED  # same ids, other workspace: not a duplicate
    assert row(ws, CustomerRow, WS, "cus_1").name == "Acme A"
    assert row(ws, CustomerRow, "ws_b", "cus_1").name == "Acme B"
    # ws_b's older marker does not hold back ws_a, nor the reverse.
    assert apply(ws, event("customer.updated", customer(name="B2"), 3), ws="ws_b") == APPLIED
    assert row(ws, CustomerRow, WS, "cus_1").name == "Acme A"
    assert [r.id for r in event_rows(ws, WS)] == ["evt_same"]


def test_credit_note_refetches_its_invoice(ws: Database) -> None:
    apply(ws, event("invoice.paid", invoice(status="paid"), 0))
    credited = invoice(status="paid", post_payment_credit_notes_amount=2000)
    note = {"id": "cn_1", "object": "credit_note", "invoice": "in_1", "amount": 2000}
    with StripeTestServer(StripeWorld(invoices=[credited])) as server:
        assert apply(ws, event("credit_note.created", note, 5), client_for(server)) == REFETCHED
        assert apply(ws, event("credit_note.created", note, 6)) == IGNORED  # no client: nothing
    assert row(ws, InvoiceRow, WS, "in_1").post_payment_credit_notes_amount == 2000
