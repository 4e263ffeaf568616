"""``/revbot webhooks`` shows the real endpoint; a backfill moves per-object freshness markers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.blocks.modals import webhooks_modal
from core.settings import Settings
from storage.base import Base
from storage.db import Database
from storage.freshness import mark_backfilled
from storage.models import CustomerRow, InvoiceRow, StripeConnection, SubscriptionRow
from storage.workspaces import ensure_workspace
from sync.backfill import run_backfill
from testkit.stripe_server import StripeTestServer
from tests.stripe_server.helpers import make_client, settings
from tests.sync.event_builders import customer, event, invoice
from usecases.backend import Backend
from usecases.connection import PLACEHOLDER_HOST, endpoint_url, webhook_setup

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)


def test_endpoint_url_uses_the_public_url(db: Database, tmp_path: Path) -> None:
    configured = Settings(REVBOT_PUBLIC_URL="https://revbot.example.com/", REVBOT_DATA_DIR=tmp_path)
    setup = webhook_setup(Backend(configured, db, clock=lambda: NOW), "T1")
    with db.session() as session:
        public_id = ensure_workspace(session, "T1", NOW).public_id
    assert setup.url == f"https://revbot.example.com/stripe/webhooks/{public_id}"
    assert not setup.placeholder
    text = str(webhooks_modal(setup)["blocks"])
    assert setup.url in text and "REVBOT_PUBLIC_URL" not in text
    for event_type in ("customer.*", "customer.subscription.*", "invoice.*", "product.*"):
        assert f"`{event_type}`" in text
    unset = Backend(Settings(REVBOT_DATA_DIR=tmp_path), db, clock=lambda: NOW)
    placeholder = webhook_setup(unset, "T1")
    assert placeholder.url.startswith(PLACEHOLDER_HOST) and placeholder.placeholder
    assert "REVBOT_PUBLIC_URL" in str(webhooks_modal(placeholder)["blocks"])
    assert endpoint_url("revbot.example.com", "/x") == "https://revbot.example.com/x"


def _markers(db: Database, model: type[Base]) -> dict[str, datetime | None]:
    with db.session() as session:
        rows = session.execute(select(model.id, model.source_updated_at))  # type: ignore[attr-defined]
        return {id_: at for id_, at in rows}


def test_mark_backfilled_moves_old_markers_forward_only_within_the_window(db: Database) -> None:
    from sync.events import apply_event

    start = datetime(2026, 2, 1, tzinfo=UTC)
    with db.session() as session:
        ensure_workspace(session, "ws", NOW)
        apply_event(session, "ws", event("customer.created", customer(), 0), None, NOW)
        apply_event(session, "ws", event("invoice.created", invoice(status="draft"), 0), None, NOW)
        newer = event("customer.updated", customer("cus_2", name="Later"), 10**7)
        apply_event(session, "ws", newer, None, NOW)
        old = invoice("in_old", status="paid", created=int(start.timestamp()) - 86400)
        apply_event(session, "ws", event("invoice.paid", old, 0), None, NOW)
    backfill_read_at = datetime.fromtimestamp(1_800_000_000 + 1000, tz=UTC)
    with db.session() as session:
        mark_backfilled(session, "ws", backfill_read_at, start)
    customers = _markers(db, CustomerRow)
    assert customers["cus_1"] == backfill_read_at
    assert customers["cus_2"] > backfill_read_at  # never moved backwards
    invoices = _markers(db, InvoiceRow)
    assert invoices["in_1"] == backfill_read_at
    assert invoices["in_old"] < backfill_read_at  # outside the window: not re-read, untouched


def test_backfill_sets_markers_to_its_events_cursor(
    db: Database, stripe_server: StripeTestServer
) -> None:
    report = run_backfill(db, "local", make_client(stripe_server), settings(), NOW)
    assert report.status == "succeeded" and report.events_cursor
    with db.session() as session:
        cursor_at = session.execute(
            select(StripeConnection.events_cursor_at).where(
                StripeConnection.workspace_id == "local"
            )
        ).scalar_one()
    assert cursor_at is not None
    customers = _markers(db, CustomerRow)
    assert customers and set(customers.values()) == {cursor_at}
    subscriptions = _markers(db, SubscriptionRow)
    assert subscriptions and set(subscriptions.values()) == {cursor_at}
    # A late event older than the backfill no longer overwrites what it read.
    from sync.events import SKIPPED_OLDER, apply_event

    cid = next(iter(customers))
    late = event("customer.updated", customer(cid, name="Stale"), 0)
    late["created"] = int((cursor_at - timedelta(seconds=5)).timestamp())
    with db.session() as session:
        assert apply_event(session, "local", late, None, NOW) == SKIPPED_OLDER
