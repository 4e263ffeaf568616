"""Slack thread context: the last understood question of each thread, shared by all replicas.

A follow-up in a thread ("what about Globex?") reuses the previous question's
typed query. Keeping it here rather than in process memory lets a follow-up be
answered after a restart, or by another ``revbot serve`` replica on the same
database (SPEC §12). Rows are scoped by workspace and keyed by channel + thread
ts; the query is stored as the JSON its owner (``questions.codec``) produced,
so this module never needs to know its shape.

Bounded: a context expires ``ttl`` after its last question (expired rows are
never read, and each write deletes its workspace's expired rows), and a
workspace keeps at most ``MAX_THREADS_PER_WORKSPACE`` of them, newest first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Index, String, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import Base, ws_column
from storage.workspaces import ensure_workspace

MAX_THREADS_PER_WORKSPACE = 10_000


class ThreadContext(Base):
    """One thread's previous question (its typed query as JSON) and when it expires."""

    __tablename__ = "thread_contexts"
    __table_args__ = (Index("ix_thread_contexts_recent", "workspace_id", "updated_at"),)
    workspace_id: Mapped[str] = ws_column()
    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    thread_ts: Mapped[str] = mapped_column(String(32), primary_key=True)
    query: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]
    expires_at: Mapped[datetime]


def load_thread_query(
    session: Session, workspace_id: str, channel: str, thread_ts: str, now: datetime
) -> dict[str, Any] | None:
    """The stored query of a thread, or None when there is none or it has expired."""
    row = session.get(ThreadContext, (workspace_id, channel, thread_ts))
    if row is None or row.expires_at <= now:
        return None
    return dict(row.query)


def save_thread_query(
    session: Session,
    workspace_id: str,
    channel: str,
    thread_ts: str,
    query: dict[str, Any],
    now: datetime,
    ttl: timedelta,
) -> None:
    """Insert or replace a thread's query (last writer wins), then trim the workspace's rows."""
    ensure_workspace(session, workspace_id, now)
    table = ThreadContext.__table__
    dialect = session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    values = {"query": query, "updated_at": now, "expires_at": now + ttl}
    session.execute(
        insert.values(
            workspace_id=workspace_id, channel=channel, thread_ts=thread_ts, **values
        ).on_conflict_do_update(
            index_elements=["workspace_id", "channel", "thread_ts"], set_=values
        )
    )
    _trim(session, workspace_id, now)


def forget_threads(session: Session, workspace_id: str) -> None:
    """Delete every thread context of a workspace (the app was uninstalled)."""
    session.execute(delete(ThreadContext).where(ThreadContext.workspace_id == workspace_id))


def _trim(session: Session, workspace_id: str, now: datetime) -> None:
    mine = ThreadContext.workspace_id == workspace_id
    session.execute(delete(ThreadContext).where(mine, ThreadContext.expires_at <= now))
    oldest_kept = session.scalar(
        select(ThreadContext.updated_at)
        .where(mine)
        .order_by(ThreadContext.updated_at.desc())
        .offset(MAX_THREADS_PER_WORKSPACE - 1)
        .limit(1)
    )
    if oldest_kept is not None:
        session.execute(delete(ThreadContext).where(mine, ThreadContext.updated_at < oldest_kept))
