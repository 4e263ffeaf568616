"""The single-sync lease: atomic acquire, refusal message, expiry takeover, heartbeat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.db import Database
from storage.leases import (
    LeaseLost,
    SyncAlreadyRunning,
    acquire_lease,
    current_lease,
    heartbeat,
    release_lease,
)
from storage.workspaces import ensure_workspace

NOW = datetime(2027, 2, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def ws(db: Database) -> str:
    with db.session() as session:
        ensure_workspace(session, "T1", NOW)
    return "T1"


def test_second_acquire_is_refused_with_step_and_start(db: Database, ws: str) -> None:
    lease = acquire_lease(db, ws, "a", NOW, 900)
    heartbeat(db, lease, NOW + timedelta(minutes=1), 900, step=3)
    with pytest.raises(SyncAlreadyRunning) as refused:
        acquire_lease(db, ws, "b", NOW + timedelta(minutes=2), 900)
    assert str(refused.value) == "a sync is already running (step 3 of 6, started 09:30)"
    assert refused.value.message("Europe/Paris").endswith("started 10:30)")
    release_lease(db, lease)
    assert current_lease(db, ws) is None
    acquire_lease(db, ws, "b", NOW + timedelta(minutes=3), 900)


def test_expired_lease_is_taken_over_and_old_holder_loses_it(db: Database, ws: str) -> None:
    old = acquire_lease(db, ws, "crashed", NOW, 60)
    new = acquire_lease(db, ws, "fresh", NOW + timedelta(seconds=61), 60)
    assert current_lease(db, ws).holder == "fresh"  # type: ignore[union-attr]
    with pytest.raises(LeaseLost):
        heartbeat(db, old, NOW + timedelta(seconds=62), 60)
    release_lease(db, old)  # not ours any more: leaves the new holder's lease alone
    assert current_lease(db, ws).holder == "fresh"  # type: ignore[union-attr]
    release_lease(db, new)


def test_leases_are_per_workspace(db: Database, ws: str) -> None:
    with db.session() as session:
        ensure_workspace(session, "T2", NOW)
    acquire_lease(db, ws, "a", NOW, 900)
    acquire_lease(db, "T2", "b", NOW, 900)
