"""Leases expire by the wall clock even when ``REVBOT_NOW`` fixes the business date (issue 13
item 4): a crashed sync's lease runs out in real time, and a live one is not taken over
because the business clock says it is later than its expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import clock
from core.clock import wall_now
from storage.db import Database
from storage.leases import SyncAlreadyRunning, acquire_lease, current_lease, release_lease
from storage.status import connection_card
from storage.workspaces import ensure_workspace
from sync.backfill import run_backfill
from testkit.stripe_server import StripeTestServer
from tests.stripe_server.helpers import make_client, settings

PAST = "2024-03-01T12:00:00Z"  # long before the wall clock: frozen in the past
FAR_FUTURE = "2031-06-01T00:00:00Z"


def _workspace(db: Database) -> None:
    with db.session() as session:
        ensure_workspace(session, "local", datetime(2024, 1, 1, tzinfo=UTC))


def test_a_crashed_sync_lease_expires_in_real_time_with_the_clock_frozen(
    db: Database, stripe_server: StripeTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVBOT_NOW", PAST)
    _workspace(db)
    # A sync started 20 real minutes ago with a 15-minute lease, then died.
    acquire_lease(db, "local", "crashed", wall_now() - timedelta(minutes=20), 900)
    with db.session() as session:
        assert connection_card(session, "local", clock.now(), wall_now()).sync_running is False
    report = run_backfill(db, "local", make_client(stripe_server), settings(), clock.now())
    assert report.status == "succeeded"
    assert current_lease(db, "local") is None


def test_a_live_lease_is_not_expired_by_a_business_date_in_the_future(
    db: Database, stripe_server: StripeTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVBOT_NOW", FAR_FUTURE)
    _workspace(db)
    running = acquire_lease(db, "local", "running", wall_now(), 900)
    with db.session() as session:
        assert connection_card(session, "local", clock.now(), wall_now()).sync_running is True
    with pytest.raises(SyncAlreadyRunning):
        run_backfill(db, "local", make_client(stripe_server), settings(), clock.now())
    assert stripe_server.requests == []  # refused before Stripe was asked anything
    release_lease(db, running)


def test_a_sync_under_a_frozen_clock_holds_its_lease_in_real_time(
    db: Database, stripe_server: StripeTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVBOT_NOW", FAR_FUTURE)
    _workspace(db)
    seen: list[datetime] = []

    def progress(step: int, name: str, done: int, total: int | None) -> None:
        lease = current_lease(db, "local")
        if lease is not None and not seen:
            seen.append(lease.expires_at.astimezone(UTC))

    before = wall_now()
    run_backfill(
        db, "local", make_client(stripe_server), settings(), clock.now(), progress=progress
    )
    [expires] = seen
    ttl = timedelta(seconds=settings().sync_lease_seconds)
    assert before + ttl <= expires <= wall_now() + ttl  # wall time plus the term, not 2031
