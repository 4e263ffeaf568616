"""The Events catch-up: walks /v1/events after the cursor, in order, idempotently."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from storage.connections import get_connection, set_events_cursor
from storage.db import Database
from storage.leases import SyncAlreadyRunning, acquire_lease, release_lease
from storage.models import CustomerRow, InvoiceRow, SubscriptionItemRow, SubscriptionRow
from sync.catchup import run_catchup
from sync.events import APPLIED, DUPLICATE, REFETCHED, SKIPPED_OLDER
from sync.queue import drain, enqueue
from sync.readers import ts
from testkit.stripe_server import StripeTestServer, StripeWorld
from tests.sync.event_builders import (
    NOW,
    at,
    client_for,
    customer,
    event,
    event_rows,
    invoice,
    make_workspaces,
    row,
    subscription,
)

WS = "ws_a"


def set_cursor(db: Database, ev: dict[str, Any] | None, ws: str = WS) -> None:
    with db.session() as session:
        set_events_cursor(
            session, ws, ev["id"] if ev else None, ts(ev["created"]) if ev else None, NOW
        )


def newest_first(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(events, key=lambda e: -e["created"])


def renames(count: int) -> list[dict[str, Any]]:
    """``count`` customer.updated events, one second apart, over five customers."""
    return [
        event("customer.updated", customer(f"cus_{n % 5}", name=f"name {n}"), n, eid=f"evt_{n:04d}")
        for n in range(count)
    ]


@pytest.fixture
def ws(db: Database) -> Database:
    make_workspaces(db, WS, "ws_b")
    return db


def test_walks_every_page_after_the_cursor_in_order(ws: Database) -> None:
    events = renames(251)
    set_cursor(ws, events[0])
    with StripeTestServer(StripeWorld(events=newest_first(events))) as server:
        report = run_catchup(ws, WS, client_for(server), NOW)
        pages = [r for r in server.requests if r.path == "/v1/events"]
    assert not report.needs_backfill
    assert (report.pages, report.events_seen, report.outcomes) == (3, 250, {APPLIED: 250})
    assert [p.params["ending_before"] for p in pages] == ["evt_0000", "evt_0100", "evt_0200"]
    assert all(p.params["limit"] == "100" for p in pages)
    for k in range(5):  # the last rename of each customer wins: applied oldest first
        last = max(n for n in range(251) if n % 5 == k)
        assert row(ws, CustomerRow, WS, f"cus_{k}").name == f"name {last}"
    with ws.session() as session:
        conn = get_connection(session, WS)
        assert conn is not None
        assert (conn.events_cursor_id, conn.events_cursor_at) == ("evt_0250", at(250))
    assert {r.source for r in event_rows(ws, WS)} == {"catchup"}


def test_rerun_is_idempotent(ws: Database) -> None:
    events = renames(30)
    set_cursor(ws, events[0])
    with StripeTestServer(StripeWorld(events=newest_first(events))) as server:
        client = client_for(server)
        first = run_catchup(ws, WS, client, NOW)
        again = run_catchup(ws, WS, client, NOW)
        assert (again.events_seen, again.cursor_id) == (0, first.cursor_id)
        # Even replaying from the old cursor changes nothing: every event is a duplicate.
        set_cursor(ws, events[0])
        replay = run_catchup(ws, WS, client, NOW)
    assert replay.outcomes == {DUPLICATE: 29} and replay.cursor_id == "evt_0029"
    assert len(event_rows(ws, WS)) == 29
    assert row(ws, CustomerRow, WS, "cus_3").name == "name 28"


def test_cursor_older_than_retention_needs_backfill(ws: Database) -> None:
    old = event("customer.updated", customer(), 0, eid="evt_old")
    set_cursor(ws, old)
    with StripeTestServer(StripeWorld(events=[old])) as server:
        report = run_catchup(ws, WS, client_for(server), at(0) + timedelta(days=31))
        assert server.requests == []
    assert report.needs_backfill and "30-day" in (report.reason or "")


def test_missing_cursor_needs_backfill(ws: Database) -> None:
    with StripeTestServer(StripeWorld()) as server:
        report = run_catchup(ws, WS, client_for(server), NOW)
    assert report.needs_backfill and report.pages == 0


def test_cursor_unknown_to_stripe_needs_backfill(ws: Database) -> None:
    set_cursor(ws, event("customer.updated", customer(), 0, eid="evt_gone"))
    later = event("customer.updated", customer(name="Later"), 5)
    with StripeTestServer(StripeWorld(events=[later])) as server:
        report = run_catchup(ws, WS, client_for(server), NOW)
    assert report.needs_backfill and "cursor" in (report.reason or "")
    assert row(ws, CustomerRow, WS, "cus_1") is None


def test_missed_webhook_is_recovered(ws: Database) -> None:
    created = event("invoice.created", invoice(status="draft"), 0, eid="evt_1")
    finalized = event("invoice.finalized", invoice(status="open"), 5, eid="evt_2")
    renamed = event("customer.updated", customer(name="Renamed"), 7, eid="evt_3")
    paid = event("invoice.paid", invoice(status="paid"), 9, eid="evt_4")
    cursor = event("customer.created", customer(name="Original"), -10, eid="evt_0")
    set_cursor(ws, cursor)
    with ws.session() as session:  # the webhooks for evt_2 and evt_3 never arrived
        assert enqueue(session, WS, created, "webhook", NOW)
        assert enqueue(session, WS, paid, "webhook", NOW)
        assert not enqueue(session, WS, paid, "webhook", NOW)  # a redelivery
    world = StripeWorld(events=newest_first([cursor, created, finalized, renamed, paid]))
    with StripeTestServer(world) as server:
        client = client_for(server)
        assert drain(ws, WS, client, NOW, 10) == 2
        assert row(ws, CustomerRow, WS, "cus_1") is None
        report = run_catchup(ws, WS, client, NOW)
    assert report.outcomes == {DUPLICATE: 2, SKIPPED_OLDER: 1, APPLIED: 1}
    assert row(ws, CustomerRow, WS, "cus_1").name == "Renamed"  # recovered
    assert row(ws, InvoiceRow, WS, "in_1").status == "paid"  # the late evt_2 did not regress it
    statuses = {r.id: (r.source, r.status) for r in event_rows(ws, WS)}
    assert statuses["evt_3"] == ("catchup", "applied")
    assert statuses["evt_4"] == ("webhook", "applied")
    assert report.cursor_id == "evt_4"


def test_two_workspaces_never_mix(ws: Database) -> None:
    a_events = [
        event("customer.updated", customer(name=f"A{n}"), n, eid=f"evt_a{n}") for n in range(3)
    ]
    b_events = [
        event("customer.updated", customer(name=f"B{n}"), n, eid=f"evt_b{n}") for n in range(3)
    ]
    set_cursor(ws, a_events[0], WS)
    set_cursor(ws, b_events[0], "ws_b")
    with StripeTestServer(StripeWorld(events=newest_first(a_events))) as server:
        run_catchup(ws, WS, client_for(server), NOW)
    assert row(ws, CustomerRow, WS, "cus_1").name == "A2"
    assert row(ws, CustomerRow, "ws_b", "cus_1") is None and event_rows(ws, "ws_b") == []
    with ws.session() as session:
        conn_b = get_connection(session, "ws_b")
        assert conn_b is not None and conn_b.events_cursor_id == "evt_b0"
    with StripeTestServer(StripeWorld(events=newest_first(b_events))) as server:
        run_catchup(ws, "ws_b", client_for(server), NOW)
    assert row(ws, CustomerRow, "ws_b", "cus_1").name == "B2"
    assert row(ws, CustomerRow, WS, "cus_1").name == "A2"


def test_holds_the_single_sync_lease(ws: Database) -> None:
    first = event("customer.updated", customer(), 0)
    set_cursor(ws, first)
    lease = acquire_lease(ws, WS, "backfill", NOW, 600)
    try:
        with (
            StripeTestServer(StripeWorld(events=[first])) as server,
            pytest.raises(SyncAlreadyRunning),
        ):
            run_catchup(ws, WS, client_for(server), NOW)
    finally:
        release_lease(ws, lease)
    with StripeTestServer(StripeWorld(events=[first])) as server:
        assert not run_catchup(ws, WS, client_for(server), NOW).needs_backfill


def test_same_second_events_refetch_once_per_page(ws: Database) -> None:
    cursor = event("customer.created", customer(), -1, eid="evt_0")
    burst = [
        event("customer.subscription.updated", subscription(status=s), 7, eid=f"evt_{n}")
        for n, s in enumerate(["incomplete", "active", "past_due"], start=1)
    ]
    final = subscription(status="past_due", quantity=3)
    set_cursor(ws, cursor)
    world = StripeWorld(events=[*reversed(burst), cursor], subscriptions=[final])
    with StripeTestServer(world) as server:
        report = run_catchup(ws, WS, client_for(server), NOW)
        fetches = [r for r in server.requests if r.path == "/v1/subscriptions/sub_1"]
    assert report.count(APPLIED) == 1 and report.count(REFETCHED) == 1
    assert len(fetches) == 1
    assert row(ws, SubscriptionRow, WS, "sub_1").status == "past_due"
    assert row(ws, SubscriptionItemRow, WS, "si_sub_1").quantity == 3


def test_shared_world_events_end_in_the_world_state(
    ws: Database, stripe_world: StripeWorld
) -> None:
    """Replaying the sample world's 30 days of events leaves each object as Stripe has it."""
    events = list(reversed(newest_first(stripe_world.events)))  # Stripe's order, oldest first
    set_cursor(ws, events[0])
    with StripeTestServer(stripe_world) as server:
        report = run_catchup(ws, WS, client_for(server), ts(events[-1]["created"]) or NOW)
    assert report.events_seen == len(events) - 1 and not report.needs_backfill
    touched = {
        e["data"]["object"]["id"] for e in events[1:] if e["data"]["object"]["object"] == "invoice"
    }
    current = {inv["id"]: inv for inv in stripe_world.invoices}
    for invoice_id in touched & set(current):
        stored = row(ws, InvoiceRow, WS, invoice_id)
        assert stored is not None, invoice_id
        truth = current[invoice_id]
        assert (stored.status, stored.amount_paid, stored.amount_remaining) == (
            truth["status"],
            truth["amount_paid"],
            truth["amount_remaining"],
        ), invoice_id
    subs = {
        e["data"]["object"]["id"]
        for e in events[1:]
        if e["data"]["object"]["object"] == "subscription"
    }
    for sub in stripe_world.subscriptions:
        if sub["id"] in subs:
            assert row(ws, SubscriptionRow, WS, sub["id"]).status == sub["status"], sub["id"]
