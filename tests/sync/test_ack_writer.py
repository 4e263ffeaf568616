"""Group-committed acknowledgements and time-bounded drain batches."""

from __future__ import annotations

from concurrent.futures import Future

import pytest

from storage import event_log
from storage.db import Database
from storage.models import CustomerRow, SubscriptionRow
from sync.ack_writer import AckWriter
from sync.queue import drain, drain_batch, enqueue
from sync.webhook_receiver import Verified
from sync.write_gate import WriteGate
from tests.sync.event_builders import NOW, customer, event, event_rows, make_workspaces, row

WS = "ws_a"


@pytest.fixture
def ws(db: Database) -> Database:
    make_workspaces(db, WS, "ws_b")
    return db


def verified(ev: dict[str, object], workspace: str = WS) -> Verified:
    return Verified("pub", workspace, ev, clears_signature_error=False)


def test_waiting_deliveries_are_committed_together_and_duplicates_stay_duplicates(
    ws: Database,
) -> None:
    gate = WriteGate()
    writer = AckWriter(ws, gate)
    first = event("customer.created", customer(name="A"), 0, eid="evt_1")
    other = event("customer.created", customer("cus_2", name="B"), 1, eid="evt_2")
    with gate.batch():  # a drain batch holds the lock: deliveries pile up meanwhile
        futures = [writer.submit(verified(e), NOW) for e in (first, other, first)]
        assert not any(f.done() for f in futures)  # nothing answered before its commit
    assert [f.result(timeout=10) for f in futures] == [True, True, False]
    assert [(r.id, r.status) for r in event_rows(ws, WS)] == [
        ("evt_1", "pending"),
        ("evt_2", "pending"),
    ]
    writer.stop()


def test_a_delivery_that_cannot_be_written_fails_alone(ws: Database) -> None:
    gate = WriteGate()
    writer = AckWriter(ws, gate)
    good = event("customer.created", customer(), 0, eid="evt_ok")
    orphan = event("customer.created", customer(), 0, eid="evt_orphan")
    with gate.batch():  # both land in one group
        futures: list[Future[bool]] = [
            writer.submit(verified(good), NOW),
            writer.submit(verified(orphan, workspace="ws_missing"), NOW),  # no such workspace
        ]
    assert futures[0].result(timeout=10) is True
    with pytest.raises(Exception):  # noqa: B017 - the driver's integrity error, whatever its class
        futures[1].result(timeout=10)
    assert [r.id for r in event_rows(ws, WS)] == ["evt_ok"]
    writer.stop()


def test_a_batch_over_its_time_budget_leaves_the_rest_pending(ws: Database) -> None:
    with ws.session() as session:
        for n in range(5):
            enqueue(
                session, WS, event("customer.updated", customer(name=f"n{n}"), n), "webhook", NOW
            )
    handled, more = drain_batch(ws, WS, None, NOW, 5, budget=0.0)
    assert (handled, more) == (1, True)  # stopped after the first event, the rest still queued
    with ws.session() as session:
        assert event_log.pending_count(session, WS) == 4
    assert row(ws, CustomerRow, WS, "cus_1").name == "n0"
    assert drain(ws, WS, None, NOW, 100) == 4
    assert row(ws, CustomerRow, WS, "cus_1").name == "n4"
    assert {r.status for r in event_rows(ws, WS)} == {"applied"}


def test_one_failing_event_does_not_undo_the_rest_of_its_batch(ws: Database) -> None:
    bad = event(
        "customer.subscription.updated",
        {"id": "sub_bad", "object": "subscription", "items": {"data": [{"id": "si_x"}]}},
        1,
        eid="evt_bad",
    )
    bad["data"]["object"]["items"]["data"][0]["quantity"] = "not a number"
    with ws.session() as session:
        for ev in (
            event("customer.created", customer(name="before"), 0, eid="evt_a"),
            bad,
            event("customer.updated", customer(name="after"), 2, eid="evt_c"),
        ):
            enqueue(session, WS, ev, "webhook", NOW)
    assert drain_batch(ws, WS, None, NOW, 10) == (3, False)
    statuses = {r.id: r.status for r in event_rows(ws, WS)}
    assert statuses == {"evt_a": "applied", "evt_bad": "failed", "evt_c": "applied"}
    assert row(ws, CustomerRow, WS, "cus_1").name == "after"
    assert row(ws, SubscriptionRow, WS, "sub_bad") is None
