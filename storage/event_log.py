"""The ``stripe_events`` table as the dedupe record and the durable webhook queue.

Every Stripe event revbot sees is recorded once per workspace (primary key
``(workspace_id, id)``): an ``INSERT … ON CONFLICT DO NOTHING`` makes a second
delivery a no-op, also when two replicas insert the same event at once.
Pending rows are claimed in ``created`` order with ``FOR UPDATE SKIP LOCKED``
on PostgreSQL; SQLite has a single writer, taken up front.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from storage.compiled import for_session, insert_ignoring
from storage.models import StripeEvent

PENDING = "pending"
APPLIED = "applied"
IGNORED = "ignored"
FAILED = "failed"
ERROR_LIMIT = 2000


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


_EVENT_COLUMNS = (
    "workspace_id",
    "id",
    "type",
    "created",
    "object_id",
    "api_version",
    "payload",
    "source",
    "status",
    "error",
    "received_at",
    "applied_at",
)


_INSERTS = insert_ignoring(
    StripeEvent.__table__,  # type: ignore[arg-type]
    _EVENT_COLUMNS,
    conflict=("workspace_id", "id"),
    returning="id",
)


def record_event(
    session: Session,
    workspace_id: str,
    *,
    event_id: str,
    type_: str,
    created: datetime,
    object_id: str | None,
    api_version: str | None,
    payload: dict[str, Any],
    source: str,
    status: str,
    now: datetime,
) -> bool:
    """Insert the event row; False (and nothing written) when it was already recorded."""
    values = {
        "workspace_id": workspace_id,
        "id": event_id,
        "type": type_[:80],
        "created": created,
        "object_id": object_id,
        "api_version": api_version,
        "payload": payload,
        "source": source,
        "status": status,
        "error": None,
        "received_at": now,
        "applied_at": None,
    }
    stmt = for_session(_INSERTS, session)
    # RETURNING, not rowcount: psycopg may report -1 for an insert it did make.
    return session.execute(stmt, values).first() is not None


def set_status(
    session: Session,
    workspace_id: str,
    event_id: str,
    status: str,
    now: datetime | None,
    error: str | None = None,
) -> None:
    table: Table = StripeEvent.__table__  # type: ignore[assignment]
    session.execute(
        update(table)
        .where(table.c.workspace_id == workspace_id, table.c.id == event_id)
        .values(status=status, applied_at=now, error=error[:ERROR_LIMIT] if error else None)
    )


@dataclass(frozen=True)
class Claimed:
    """A pending event claimed by a drain: its id and payload."""

    id: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What became of a claimed event (``applied_at`` None while it stays pending)."""

    event_id: str
    status: str
    applied_at: datetime | None
    error: str | None = None


def record_outcomes(session: Session, workspace_id: str, outcomes: Iterable[Outcome]) -> None:
    """Write the outcomes of a batch: one statement, executed for all of its rows."""
    params = [
        {
            "b_ws": workspace_id,
            "b_id": o.event_id,
            "b_status": o.status,
            "b_applied_at": o.applied_at,
            "b_error": o.error[:ERROR_LIMIT] if o.error else None,
        }
        for o in outcomes
    ]
    if params:
        session.connection().execute(_SET_OUTCOME, params)


_TABLE: Table = StripeEvent.__table__  # type: ignore[assignment]
_SET_OUTCOME = (
    update(_TABLE)
    .where(_TABLE.c.workspace_id == bindparam("b_ws"), _TABLE.c.id == bindparam("b_id"))
    .values(
        status=bindparam("b_status"),
        applied_at=bindparam("b_applied_at", type_=_TABLE.c.applied_at.type),
        error=bindparam("b_error"),
    )
)


def take_write_lock(session: Session) -> None:
    """SQLite: hold the database's single write lock for the rest of the transaction.

    A write statement (even one touching no row) takes SQLite's RESERVED lock,
    so a check-then-write done afterwards cannot interleave with another
    writer. PostgreSQL uses row and advisory locks instead (no-op here).
    """
    if dialect_of(session) == "sqlite":
        session.execute(text("UPDATE stripe_events SET status = status WHERE 0"))


def lock_objects(session: Session, workspace_id: str, object_ids: Iterable[str | None]) -> None:
    """PostgreSQL: serialise work on the same Stripe objects across replicas.

    Transaction-scoped advisory locks taken in sorted order (so two batches
    never deadlock); re-taking a lock already held is fine. No-op on SQLite,
    where ``take_write_lock`` already serialises writers.
    """
    if dialect_of(session) != "postgresql":
        return
    for object_id in sorted({o for o in object_ids if o}):
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"{workspace_id}:{object_id}"},
        )


def claim_pending(session: Session, workspace_id: str, limit: int) -> list[Claimed]:
    """The oldest pending events, locked for this transaction (skipped by other replicas)."""
    params = {"ws": workspace_id, "limit": limit}
    if dialect_of(session) == "postgresql":
        rows = session.connection().execute(_CLAIM_PG, params)
    else:
        take_write_lock(session)
        rows = session.connection().execute(_CLAIM, params)
    return [Claimed(event_id, payload) for event_id, payload in rows]


_CLAIM = (
    select(StripeEvent.id, StripeEvent.payload)
    .where(StripeEvent.workspace_id == bindparam("ws"), StripeEvent.status == PENDING)
    .order_by(StripeEvent.created, StripeEvent.received_at, StripeEvent.id)
    .limit(bindparam("limit"))
)
_CLAIM_PG = _CLAIM.with_for_update(skip_locked=True)


def pending_count(session: Session, workspace_id: str) -> int:
    stmt = (
        select(func.count())
        .select_from(StripeEvent)
        .where(StripeEvent.workspace_id == workspace_id, StripeEvent.status == PENDING)
    )
    return int(session.execute(stmt).scalar_one())


def object_was_deleted(session: Session, workspace_id: str, type_: str, object_id: str) -> bool:
    """Whether a ``*.deleted`` event of this object was applied (a tombstone)."""
    params = {"ws": workspace_id, "object_id": object_id, "type": type_}
    return session.connection().execute(_TOMBSTONE, params).first() is not None


_TOMBSTONE = (
    select(StripeEvent.id)
    .where(
        StripeEvent.workspace_id == bindparam("ws"),
        StripeEvent.object_id == bindparam("object_id"),
        StripeEvent.type == bindparam("type"),
        StripeEvent.status == APPLIED,
    )
    .limit(1)
)
