"""One sync at a time per workspace: a lease row with an expiry, in the database.

Acquiring is atomic on SQLite and PostgreSQL alike: an ``INSERT … ON CONFLICT
DO NOTHING`` takes a free workspace, and a conditional ``UPDATE … WHERE
expires_at < now`` takes over a lease whose holder crashed. Whoever loses
gets ``SyncAlreadyRunning`` with the step and start time of the running sync.
Each call runs in its own short transaction so other workers see it at once.

Every instant here is wall-clock time (callers pass ``core.clock.wall_now()``),
never the business "now" that ``REVBOT_NOW`` may freeze: a lease measures time
passing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import SyncLease

TOTAL_STEPS = 6


class SyncAlreadyRunning(RuntimeError):
    """Another sync holds the workspace's lease."""

    def __init__(self, step: int, started_at: datetime, total_steps: int = TOTAL_STEPS) -> None:
        self.step = step
        self.started_at = started_at
        self.total_steps = total_steps
        super().__init__(self.message())

    def message(self, tz_name: str = "UTC") -> str:
        """ "a sync is already running (step N of 6, started HH:MM)" in ``tz_name``."""
        local = self.started_at.astimezone(ZoneInfo(tz_name))
        step = max(self.step, 1)
        return (
            f"a sync is already running (step {step} of {self.total_steps}, started {local:%H:%M})"
        )


class LeaseLost(RuntimeError):
    """Our lease expired and another worker took it over; stop writing."""


@dataclass(frozen=True)
class Lease:
    workspace_id: str
    holder: str
    started_at: datetime
    expires_at: datetime


def _insert(session: Session):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(SyncLease)


def acquire_lease(
    db: Database, workspace_id: str, holder: str, now: datetime, ttl_seconds: int
) -> Lease:
    """Take the workspace's sync lease or raise ``SyncAlreadyRunning``."""
    expires = now + timedelta(seconds=ttl_seconds)
    values = {
        "workspace_id": workspace_id,
        "holder": holder,
        "step": 0,
        "started_at": now,
        "expires_at": expires,
    }
    with db.session() as session:
        inserted = session.execute(
            _insert(session)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["workspace_id"])
            .returning(SyncLease.workspace_id)
        ).first()
        if inserted is not None:
            return Lease(workspace_id, holder, now, expires)
    with db.session() as session:
        taken = session.execute(
            update(SyncLease)
            .where(SyncLease.workspace_id == workspace_id, SyncLease.expires_at < now)
            .values(holder=holder, step=0, run_id=None, started_at=now, expires_at=expires)
            .returning(SyncLease.workspace_id)
        ).first()
        if taken is not None:
            return Lease(workspace_id, holder, now, expires)
        current = session.execute(
            select(SyncLease).where(SyncLease.workspace_id == workspace_id)
        ).scalar_one_or_none()
    if current is None:  # released between our two statements: try again
        return acquire_lease(db, workspace_id, holder, now, ttl_seconds)
    raise SyncAlreadyRunning(current.step, current.started_at)


def heartbeat(
    db: Database,
    lease: Lease,
    now: datetime,
    ttl_seconds: int,
    *,
    step: int | None = None,
    run_id: int | None = None,
) -> None:
    """Extend the lease (and record the current step); ``LeaseLost`` if it was taken."""
    values: dict[str, object] = {"expires_at": now + timedelta(seconds=ttl_seconds)}
    if step is not None:
        values["step"] = step
    if run_id is not None:
        values["run_id"] = run_id
    with db.session() as session:
        result = session.execute(
            update(SyncLease)
            .where(SyncLease.workspace_id == lease.workspace_id, SyncLease.holder == lease.holder)
            .values(**values)
            .returning(SyncLease.workspace_id)
        ).first()
        if result is None:
            raise LeaseLost(f"sync lease of workspace {lease.workspace_id} was taken over")


def release_lease(db: Database, lease: Lease) -> None:
    """Give the lease up (only ours: a taken-over lease is left to its new holder)."""
    with db.session() as session:
        session.execute(
            delete(SyncLease).where(
                SyncLease.workspace_id == lease.workspace_id, SyncLease.holder == lease.holder
            )
        )


def current_lease(db: Database, workspace_id: str) -> SyncLease | None:
    with db.session() as session:
        return session.get(SyncLease, workspace_id)


def is_live(lease: SyncLease | None, wall: datetime) -> bool:
    """True while ``lease`` is held at the wall-clock instant ``wall``."""
    return lease is not None and lease.expires_at > wall


def sync_running(session: Session, workspace_id: str, wall: datetime) -> bool:
    """Whether a sync holds the workspace's lease at ``wall`` (in the caller's session)."""
    return is_live(session.get(SyncLease, workspace_id), wall)
