"""The webhook route: signatures, limits, tenancy, dedupe and the durable queue."""

from __future__ import annotations

import json
import threading
import time

from sqlalchemy import select
from starlette.testclient import TestClient

from storage.db import Database
from storage.models import CustomerRow, StripeEvent
from storage.status import connection_card
from sync.webhook_receiver import MAX_BODY_BYTES, SIGNATURE_INVALID
from tests.bot.webhooks.conftest import NOW, SECRET_A, SECRET_B, TEAM_A, TEAM_B, Hooks
from tests.sync.event_builders import customer, event


def events_of(db: Database, team: str) -> list[StripeEvent]:
    with db.session() as session:
        query = select(StripeEvent).where(StripeEvent.workspace_id == team)
        return list(session.scalars(query.order_by(StripeEvent.id)))


def card_error(db: Database, team: str) -> tuple[str | None, str | None]:
    with db.session() as session:
        card = connection_card(session, team, NOW)
    return card.error, card.error_detail


def customer_name(db: Database, team: str, cid: str = "cus_1") -> str | None:
    with db.session() as session:
        row = session.get(CustomerRow, (team, cid))
        return row.name if row else None


def test_valid_event_is_acknowledged_then_applied_by_the_running_worker(hooks: Hooks) -> None:
    worker = hooks.service.worker
    assert worker is not None
    worker.start()
    try:
        response = hooks.deliver(event("customer.updated", customer(name="Acme Renamed"), 10))
        assert response.status_code == 200
        assert response.json()["message"] == "queued"
        deadline = time.monotonic() + 10
        while customer_name(hooks.db, TEAM_A) != "Acme Renamed":
            assert time.monotonic() < deadline, "the worker did not apply the event"
            time.sleep(0.02)
    finally:
        worker.stop()
    [row] = [r for r in events_of(hooks.db, TEAM_A) if r.source == "webhook"]
    assert row.status == "applied"


def test_bad_signature_is_rejected_and_shown_on_the_status_card(hooks: Hooks) -> None:
    ev = event("customer.updated", customer(name="Evil"), 10)
    response = hooks.deliver(ev, secret="whsec_not_the_right_one")
    assert response.status_code == 400
    assert card_error(hooks.db, TEAM_A)[0] == SIGNATURE_INVALID
    assert not [r for r in events_of(hooks.db, TEAM_A) if r.source == "webhook"]
    # A correctly signed delivery afterwards clears the error.
    assert hooks.deliver(ev).status_code == 200
    assert card_error(hooks.db, TEAM_A) == (None, None)


def test_missing_signature_and_tampered_body_are_rejected(hooks: Hooks) -> None:
    body = json.dumps(event("customer.updated", customer(name="X"), 10)).encode()
    url = hooks.url(hooks.public_a)
    assert hooks.client.post(url, content=body).status_code == 400
    from tests.bot.webhooks.conftest import sign

    header = sign(body, SECRET_A)
    tampered = body.replace(b'"X"', b'"Y"')
    response = hooks.client.post(url, content=tampered, headers={"Stripe-Signature": header})
    assert response.status_code == 400
    assert card_error(hooks.db, TEAM_A)[0] == SIGNATURE_INVALID
    assert customer_name(hooks.db, TEAM_A) == "Acme"


def test_expired_timestamp_is_rejected(hooks: Hooks) -> None:
    ev = event("customer.updated", customer(name="Late"), 10)
    assert hooks.deliver(ev, at=int(time.time()) - 301).status_code == 400
    assert hooks.deliver(ev, at=int(time.time()) - 200).status_code == 200


def test_oversized_body_is_refused_before_anything_else(hooks: Hooks) -> None:
    ev = event("customer.updated", customer(name="Big", description="x" * MAX_BODY_BYTES), 10)
    response = hooks.deliver(ev)
    assert response.status_code == 413
    assert not [r for r in events_of(hooks.db, TEAM_A) if r.source == "webhook"]
    assert card_error(hooks.db, TEAM_A)[0] is None  # not a signature problem


def test_unknown_workspace_is_404(hooks: Hooks) -> None:
    response = hooks.deliver(event("customer.updated", customer(), 10), public_id="nope")
    assert response.status_code == 404


def test_signed_garbage_is_a_400_and_queues_nothing(hooks: Hooks) -> None:
    for body in (b"{not json", b"[1, 2]", json.dumps({"id": "evt_1"}).encode()):
        assert hooks.deliver(body).status_code == 400
    assert not [r for r in events_of(hooks.db, TEAM_A) if r.source == "webhook"]
    assert card_error(hooks.db, TEAM_A)[0] is None


def test_duplicate_delivery_is_acknowledged_and_applied_once(hooks: Hooks) -> None:
    ev = event("customer.updated", customer(name="Once"), 10, eid="evt_dup")
    first, second = hooks.deliver(ev), hooks.deliver(ev)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["message"], second.json()["message"]) == ("queued", "duplicate")
    assert hooks.drain() == 1
    assert hooks.deliver(ev).json()["message"] == "duplicate"
    assert hooks.drain() == 0
    [row] = [r for r in events_of(hooks.db, TEAM_A) if r.id == "evt_dup"]
    assert row.status == "applied" and customer_name(hooks.db, TEAM_A) == "Once"


def test_concurrent_deliveries_of_one_event_store_one_row(hooks: Hooks) -> None:
    ev = event("customer.updated", customer(name="Raced"), 10, eid="evt_race")
    start = threading.Barrier(8)
    codes: list[int] = []

    def deliver() -> None:
        with TestClient(hooks.app) as client:
            start.wait()
            codes.append(hooks.deliver(ev, client=client).status_code)

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [200] * 8
    assert [r.id for r in events_of(hooks.db, TEAM_A) if r.source == "webhook"] == ["evt_race"]
    assert hooks.drain() == 1


def test_an_acknowledged_event_is_applied_by_the_next_process(hooks: Hooks) -> None:
    # This "process" acknowledges, then dies before its worker ever runs.
    ev = event("customer.updated", customer(name="Survivor"), 10, eid="evt_survive")
    assert hooks.deliver(ev).status_code == 200
    assert customer_name(hooks.db, TEAM_A) == "Acme"
    [row] = [r for r in events_of(hooks.db, TEAM_A) if r.id == "evt_survive"]
    assert row.status == "pending"
    # A new process starts: its worker drains at start-up, with no new delivery.
    service = hooks.new_process(start_worker=True)
    try:
        deadline = time.monotonic() + 10
        while customer_name(hooks.db, TEAM_A) != "Survivor":
            assert time.monotonic() < deadline, "the start-up drain did not apply the event"
            time.sleep(0.02)
    finally:
        assert service.worker is not None
        service.worker.stop()


def test_workspaces_are_isolated(hooks: Hooks) -> None:
    ev = event("customer.created", customer(name="Only A"), 10, eid="evt_shared")
    # Signed with A's secret but sent to B's endpoint: refused, recorded on B's card only.
    assert hooks.deliver(ev, public_id=hooks.public_b, secret=SECRET_A).status_code == 400
    assert card_error(hooks.db, TEAM_B)[0] == SIGNATURE_INVALID
    assert card_error(hooks.db, TEAM_A)[0] is None
    assert not events_of(hooks.db, TEAM_B)
    # The same event id correctly signed for each workspace lands in each, apart.
    assert hooks.deliver(ev).status_code == 200
    other = event("customer.created", customer(name="Only B"), 10, eid="evt_shared")
    assert hooks.deliver(other, public_id=hooks.public_b, secret=SECRET_B).status_code == 200
    assert hooks.drain() == 2
    assert customer_name(hooks.db, TEAM_B) == "Only B"
    assert customer_name(hooks.db, TEAM_A) == "Only A"


def test_unknown_event_types_are_recorded_and_ignored(hooks: Hooks) -> None:
    ev = event("charge.refunded", {"id": "ch_1", "object": "charge"}, 10, eid="evt_charge")
    assert hooks.deliver(ev).status_code == 200
    hooks.drain()
    [row] = [r for r in events_of(hooks.db, TEAM_A) if r.id == "evt_charge"]
    assert row.status == "ignored"
