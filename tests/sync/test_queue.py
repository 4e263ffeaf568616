"""The durable webhook queue: enqueue dedupes, drain applies in created order, safely."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from storage import event_log
from storage.db import Database
from storage.models import CustomerRow, InvoiceRow, SubscriptionRow
from sync.errors import StripeUnavailable
from sync.queue import drain, enqueue
from tests.sync.event_builders import (
    NOW,
    customer,
    event,
    event_rows,
    invoice,
    make_workspaces,
    row,
    subscription,
)

WS = "ws_a"


@pytest.fixture
def ws(db: Database) -> Database:
    make_workspaces(db, WS, "ws_b")
    return db


def put(db: Database, *events: dict[str, Any], ws: str = WS) -> list[bool]:
    with db.session() as session:
        return [enqueue(session, ws, e, "webhook", NOW) for e in events]


def test_enqueue_records_pending_and_dedupes(ws: Database) -> None:
    ev = event("customer.created", customer(), 0, eid="evt_1")
    assert put(ws, ev, ev) == [True, False]
    rows = event_rows(ws, WS)
    assert [(r.id, r.status, r.source, r.object_id) for r in rows] == [
        ("evt_1", "pending", "webhook", "cus_1")
    ]
    assert row(ws, CustomerRow, WS, "cus_1") is None  # nothing applied before the drain


def test_drain_applies_in_created_order_whatever_the_arrival_order(ws: Database) -> None:
    paid = event("invoice.paid", invoice(status="paid"), 9, eid="evt_c")
    created = event("invoice.created", invoice(status="draft"), 1, eid="evt_a")
    finalized = event("invoice.finalized", invoice(status="open"), 5, eid="evt_b")
    put(ws, paid, created, finalized)
    assert drain(ws, WS, None, NOW, 100) == 3
    assert row(ws, InvoiceRow, WS, "in_1").status == "paid"
    assert {r.id: r.status for r in event_rows(ws, WS)} == {
        "evt_a": "applied",
        "evt_b": "applied",
        "evt_c": "applied",
    }
    assert drain(ws, WS, None, NOW, 100) == 0


def test_drain_respects_the_limit(ws: Database) -> None:
    put(ws, *[event("customer.updated", customer(name=f"n{n}"), n) for n in range(7)])
    assert drain(ws, WS, None, NOW, 5) == 5
    with ws.session() as session:
        assert event_log.pending_count(session, WS) == 2
    assert drain(ws, WS, None, NOW, 5) == 2
    assert row(ws, CustomerRow, WS, "cus_1").name == "n6"


def test_unknown_types_are_ignored_and_bad_events_fail_without_blocking(ws: Database) -> None:
    bad = event(
        "customer.subscription.updated",
        {"id": "sub_bad", "object": "subscription", "items": {"data": [{"id": "si_x"}]}},
        1,
    )
    bad["data"]["object"]["items"]["data"][0]["quantity"] = "not a number"
    put(
        ws,
        event("charge.refunded", {"id": "ch_1", "object": "charge"}, 0, eid="evt_charge"),
        bad,
        event("customer.created", customer(), 2, eid="evt_ok"),
    )
    assert drain(ws, WS, None, NOW, 10) == 3
    statuses = {r.id: (r.status, r.error) for r in event_rows(ws, WS)}
    assert statuses["evt_charge"] == ("ignored", None)
    assert statuses[bad["id"]][0] == "failed" and "Error: " in (statuses[bad["id"]][1] or "")
    assert statuses["evt_ok"] == ("applied", None)
    assert row(ws, SubscriptionRow, WS, "sub_bad") is None  # the failed apply left nothing behind
    assert row(ws, CustomerRow, WS, "cus_1") is not None


class _DownClient:
    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        raise StripeUnavailable("HTTP 503: down", status=503)

    def list_all(
        self, path: str, params: dict[str, Any] | None = None, page_size: int = 100
    ) -> Any:
        raise StripeUnavailable("HTTP 503: down", status=503)


def test_stripe_outage_keeps_events_pending(ws: Database) -> None:
    first = event("customer.subscription.updated", subscription(status="active"), 5, eid="evt_1")
    tie = event("customer.subscription.updated", subscription(status="past_due"), 5, eid="evt_2")
    put(ws, first, tie)
    assert drain(ws, WS, _DownClient(), NOW, 10) == 1  # the tie needs Stripe: stays queued
    statuses = {r.id: (r.status, r.error) for r in event_rows(ws, WS)}
    assert statuses["evt_1"] == ("applied", None)
    assert statuses["evt_2"] == ("pending", "HTTP 503: down")


def test_two_workspaces_drain_apart(ws: Database) -> None:
    put(ws, event("customer.created", customer(name="A"), 0, eid="evt_1"), ws=WS)
    put(ws, event("customer.created", customer(name="B"), 0, eid="evt_1"), ws="ws_b")
    assert drain(ws, WS, None, NOW, 10) == 1
    assert row(ws, CustomerRow, WS, "cus_1").name == "A"
    assert row(ws, CustomerRow, "ws_b", "cus_1") is None
    assert [r.status for r in event_rows(ws, "ws_b")] == ["pending"]


def test_concurrent_drains_apply_each_event_once(ws: Database) -> None:
    events = [
        event("customer.updated", customer(f"cus_{n % 4}", name=f"name {n}"), n) for n in range(60)
    ]
    put(ws, *events)
    counts: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            counts.append(drain(ws, WS, None, NOW, 1000))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and sum(counts) == 60
    assert {r.status for r in event_rows(ws, WS)} == {"applied"}
    for k in range(4):  # never older state on top of newer, whatever the interleaving
        assert row(ws, CustomerRow, WS, f"cus_{k}").name == f"name {56 + k}"
