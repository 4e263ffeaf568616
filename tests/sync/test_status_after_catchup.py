"""The status card moves after a catch-up and after webhooks (issue 10): records and the time
of the last catch-up and of the last applied event, apart from the last full backfill."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

from bot.blocks.status import card_blocks
from storage.db import Database
from storage.status import connection_card
from sync.backfill import run_backfill
from sync.catchup import run_catchup
from sync.queue import drain, enqueue
from testkit.stripe_server import StripeTestServer, StripeWorld
from tests.bot.cli.helpers import run_cli, run_json
from tests.stripe_server.helpers import make_client, settings
from tests.sync.event_builders import (
    NOW,
    customer,
    event,
    invoice,
    make_workspaces,
    price,
    product,
    subscription,
)

WS = "local"
LATER = NOW + timedelta(hours=2)
LATEST = NOW + timedelta(hours=3)


def _world() -> StripeWorld:
    return StripeWorld(
        products=[product()],
        prices=[price()],
        customers=[customer()],
        subscriptions=[subscription()],
        events=[event("customer.updated", customer(), -10, eid="evt_base")],
    )


def test_the_card_shows_the_catch_up_and_the_last_event_apart_from_the_backfill(
    db: Database, revbot_env: Path
) -> None:
    make_workspaces(db, WS)
    world = _world()
    with StripeTestServer(world) as server:
        client = make_client(server)
        report = run_backfill(db, WS, client, settings(), NOW)
        assert report.status == "succeeded"
        with db.session() as session:
            backfilled = connection_card(session, WS, NOW)
        assert backfilled.records["customers"] == 1 and backfilled.records["invoices"] == 0
        finished = backfilled.last_backfill_at  # when the backfill finished
        assert finished is not None and NOW <= finished < LATER
        assert (backfilled.last_sync_at, backfilled.last_sync_kind) == (finished, "backfill")
        assert backfilled.last_catchup_at is None and backfilled.last_event_at is None

    # Stripe moves on: a new customer and an invoice, caught up from /v1/events.
    world.events[:0] = [
        event("invoice.paid", invoice("in_7", status="paid"), 30, eid="evt_paid"),
        event("customer.created", customer("cus_7", "Initech", "a@initech.com"), 20),
    ]
    with StripeTestServer(world) as server:
        caught = run_catchup(db, WS, make_client(server), LATER)
    assert caught.changed == 2
    with db.session() as session:
        card = connection_card(session, WS, LATER)
    assert card.records["customers"] == 2 and card.records["invoices"] == 1
    assert card.backfill_records["customers"] == 1 and card.backfill_records["invoices"] == 0
    assert (card.last_backfill_at, card.last_sync_at, card.last_sync_kind) == (
        finished,
        LATER,
        "catchup",
    )
    assert (card.last_catchup_at, card.last_catchup_events) == (LATER, 2)
    assert (card.last_event_at, card.last_event_id, card.last_event_type) == (
        LATER,
        "evt_paid",
        "invoice.paid",
    )
    assert card.last_event_source == "catchup" and not card.stale

    # A webhook applied later moves the last event, not the catch-up.
    with db.session() as session:
        enqueue(
            session,
            WS,
            event("customer.updated", customer(name="Acme 2"), 40, eid="evt_w"),
            "webhook",
            LATEST,
        )
    drain(db, WS, None, LATEST)
    shown = run_json("status", "--json")
    assert shown["records"]["customers"] == 2 and shown["backfill_records"]["customers"] == 1
    assert shown["last_backfill_at"] == finished.isoformat().replace("+00:00", "Z")
    assert shown["last_sync_at"] == "2027-02-01T02:00:00Z"
    assert shown["last_sync_kind"] == "catchup"
    assert (shown["last_catchup_at"], shown["last_catchup_events"]) == ("2027-02-01T02:00:00Z", 2)
    assert shown["last_event"] == {
        "at": "2027-02-01T03:00:00Z",
        "id": "evt_w",
        "type": "customer.updated",
        "source": "webhook",
    }
    text = run_cli("status").stdout
    assert "Last sync:       2027-02-01 02:00 UTC (events catch-up, 2 events applied)" in text
    assert "Last backfill:   2027-02-01 00:00 UTC (took " in text
    assert "Last event:      2027-02-01 03:00 UTC customer.updated (webhook)" in text
    assert "Records synced:  1 product · 1 price · 2 customers · 1 subscription · 1 invoice" in text
    with db.session() as session:
        card = connection_card(session, WS, LATEST)
    shown_blocks = str(card_blocks(card, UTC, LATEST, admin=False))
    assert "events catch-up, 2 events applied" in shown_blocks
    assert "Last backfill" in shown_blocks and "`customer.updated` (webhook)" in shown_blocks
    assert "2 customers" in shown_blocks
    assert "  at backfill:   1 product · 1 price · 1 customer · 1 subscription · 0 invoices" in text
    assert "_at the last backfill:_ 1 product · 1 price · 1 customer" in shown_blocks
