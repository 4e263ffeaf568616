"""Stored signals (SPEC §7 "Signals"): deduplicated by key, posted to Slack at most once.

A signal is inserted with ``INSERT … ON CONFLICT (workspace_id, dedupe_key)
DO NOTHING``, so deriving the same signal again (a redelivered webhook, two
replicas, a restart) never stores a second row. Posting claims a row first
(``posted_at`` set only where it is still NULL): of two posters racing for the
same signal exactly one wins, and a restart never posts a signal twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from billing.signals import Signal
from storage.compiled import for_session, insert_ignoring
from storage.models import SignalRow

NOT_POSTED = "not_posted"  # key in ``data`` saying why a handled signal was not posted


_INSERTS = insert_ignoring(
    SignalRow.__table__,  # type: ignore[arg-type]
    (
        "workspace_id",
        "dedupe_key",
        "kind",
        "account_id",
        "amount",
        "currency",
        "plan",
        "at",
        "object_id",
        "url",
        "data",
        "posted_at",
    ),
    conflict=("workspace_id", "dedupe_key"),
    returning="id",
)


def signal_values(workspace_id: str, signal: Signal, now: datetime) -> dict[str, Any]:
    """The row for ``signal`` (its JSON, with the customer id, goes into ``data``)."""
    return {
        "workspace_id": workspace_id,
        "dedupe_key": signal.dedupe_key[:200],
        "kind": signal.kind,
        "account_id": signal.account_id,
        "amount": signal.amount.amount if signal.amount is not None else None,
        "currency": signal.amount.currency if signal.amount is not None else None,
        "plan": signal.plan[:200] if signal.plan else None,
        "at": signal.at,
        "object_id": signal.object_id,
        "url": signal.url,
        "data": {**signal.to_json(), "stored_at": now.isoformat()},
        "posted_at": None,
    }


def store_signals(
    session: Session, workspace_id: str, signals: Iterable[Signal], now: datetime
) -> list[int]:
    """Insert new signals; the ids of those that were not stored before (in order)."""
    stmt = for_session(_INSERTS, session)
    new: list[int] = []
    for signal in signals:
        found = session.execute(stmt, signal_values(workspace_id, signal, now)).first()
        if found is not None:
            new.append(int(found[0]))
    return new


def unposted(session: Session, workspace_id: str, limit: int = 50) -> list[SignalRow]:
    """Signals not yet posted (nor skipped), oldest first."""
    query = (
        select(SignalRow)
        .where(SignalRow.workspace_id == workspace_id, SignalRow.posted_at.is_(None))
        .order_by(SignalRow.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def claim(session: Session, signal_id: int, now: datetime) -> bool:
    """Take the right to post a signal; False when another poster already has it."""
    result = session.execute(
        update(SignalRow)
        .where(SignalRow.id == signal_id, SignalRow.posted_at.is_(None))
        .values(posted_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def skip_unposted(
    session: Session, rows: Iterable[SignalRow], now: datetime, reason: str
) -> list[int]:
    """Mark signals handled without a post (``reason`` kept in ``data``); the ids it took.

    One claiming ``UPDATE … RETURNING`` for all of them, then one statement
    for their ``data``: a signal another poster has already claimed is left alone.
    """
    by_id = {row.id: row for row in rows}
    if not by_id:
        return []
    claimed = session.execute(
        update(SignalRow)
        .where(SignalRow.id.in_(sorted(by_id)), SignalRow.posted_at.is_(None))
        .values(posted_at=now)
        .returning(SignalRow.id)
    ).scalars()
    taken = sorted(claimed)
    if taken:
        params = [
            {"b_id": i, "b_data": {**(by_id[i].data or {}), NOT_POSTED: reason}} for i in taken
        ]
        session.connection().execute(_SET_DATA, params)
    return taken


_TABLE: Table = SignalRow.__table__  # type: ignore[assignment]
_SET_DATA = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("b_id"))
    .values(data=bindparam("b_data", type_=_TABLE.c.data.type))
)


def release(session: Session, signal_id: int) -> None:
    """Give a claimed signal back (posting failed for a reason worth retrying)."""
    session.execute(update(SignalRow).where(SignalRow.id == signal_id).values(posted_at=None))


def record_post(
    session: Session,
    signal_id: int,
    *,
    channel: str | None = None,
    ts: str | None = None,
    not_posted: str | None = None,
) -> None:
    """Remember where a signal went (channel and message ts), or why it did not."""
    row = session.get(SignalRow, signal_id)
    if row is None:
        return
    data = dict(row.data or {})
    if channel is not None:
        data["channel"], data["ts"] = channel, ts
    if not_posted is not None:
        data[NOT_POSTED] = not_posted
    row.data = data
