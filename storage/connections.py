"""A workspace's Stripe connection: encrypted key, identity, and the last sync's outcome.

The key is stored only encrypted (``SecretBox``); the last 4 characters are
the only part ever shown. v1 keeps one connection per workspace; the table
already allows several (one per Stripe account) later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import StripeConnection
from storage.secrets import SecretBox

FILE_KEY_KIND = "file"


@dataclass(frozen=True)
class ConnectionIdentity:
    """What validation learnt about a key (no key material)."""

    mode: str  # live | test
    key_kind: str  # restricted | secret
    stripe_account_id: str | None
    stripe_account_name: str | None


def get_connection(session: Session, workspace_id: str) -> StripeConnection | None:
    """The workspace's (first) Stripe connection, or None."""
    return session.execute(
        select(StripeConnection)
        .where(StripeConnection.workspace_id == workspace_id)
        .order_by(StripeConnection.id)
        .limit(1)
    ).scalar_one_or_none()


def save_connection(
    session: Session,
    workspace_id: str,
    api_key: str,
    identity: ConnectionIdentity,
    box: SecretBox,
    now: datetime,
) -> StripeConnection:
    """Store a validated key (replacing the previous one, keeping synced data)."""
    conn = get_connection(session, workspace_id)
    if conn is None:
        conn = StripeConnection(
            workspace_id=workspace_id, connected_at=now, record_counts={}, match_counts={}
        )
        session.add(conn)
    conn.mode = identity.mode
    conn.key_kind = identity.key_kind
    conn.stripe_account_id = identity.stripe_account_id
    conn.stripe_account_name = identity.stripe_account_name
    conn.key_encrypted = box.encrypt(api_key)
    conn.key_last4 = api_key[-4:]
    conn.status = "connected"
    conn.error_text = None
    conn.error_detail = None
    conn.updated_at = now
    session.flush()
    return conn


def ensure_file_connection(session: Session, workspace_id: str, now: datetime) -> StripeConnection:
    """The connection row a file import reports into (created without a key)."""
    conn = get_connection(session, workspace_id)
    if conn is None:
        conn = StripeConnection(
            workspace_id=workspace_id,
            mode="test",
            key_kind=FILE_KEY_KIND,
            status="connected",
            connected_at=now,
            updated_at=now,
            record_counts={},
            match_counts={},
        )
        session.add(conn)
        session.flush()
    return conn


def decrypt_key(conn: StripeConnection, box: SecretBox) -> str | None:
    """The plaintext key (for the client only; never log or display it)."""
    return box.decrypt(conn.key_encrypted) if conn.key_encrypted else None


def key_hint(conn: StripeConnection) -> str:
    """How a key is shown: ``…1234``."""
    return f"…{conn.key_last4}" if conn.key_last4 else "(no key)"


def disconnect(session: Session, workspace_id: str, now: datetime) -> bool:
    """Delete the stored key and stop syncing; synced data stays (frozen)."""
    conn = get_connection(session, workspace_id)
    if conn is None:
        return False
    conn.key_encrypted = None
    conn.webhook_secret_encrypted = None
    conn.status = "disconnected"
    conn.updated_at = now
    return True


def record_sync_result(
    session: Session,
    workspace_id: str,
    *,
    finished_at: datetime,
    duration_ms: int,
    error_text: str | None = None,
    error_detail: str | None = None,
    record_counts: dict[str, Any] | None = None,
    match_counts: dict[str, Any] | None = None,
    window_start: datetime | None = None,
) -> StripeConnection:
    """Record how the last sync went (error text for the card, detail for support).

    Counts and the last-sync time only move on success, so a failed run keeps
    showing the figures of the last good one next to its error.
    """
    conn = get_connection(session, workspace_id) or ensure_file_connection(
        session, workspace_id, finished_at
    )
    conn.updated_at = finished_at
    conn.error_text = error_text
    conn.error_detail = error_detail
    if error_text is not None:
        conn.status = "error"
        return conn
    conn.status = "connected" if conn.status != "disconnected" else conn.status
    conn.last_sync_at = finished_at
    conn.last_sync_duration_ms = duration_ms
    if record_counts is not None:
        conn.record_counts = dict(record_counts)
    if match_counts is not None:
        conn.match_counts = dict(match_counts)
    if window_start is not None:
        conn.window_start = window_start
    return conn


def set_events_cursor(
    session: Session, workspace_id: str, event_id: str | None, at: datetime | None, now: datetime
) -> None:
    """Where the Events catch-up resumes (the newest event seen by the backfill)."""
    conn = get_connection(session, workspace_id) or ensure_file_connection(
        session, workspace_id, now
    )
    conn.events_cursor_id = event_id
    conn.events_cursor_at = at


def synced_workspaces(session: Session) -> list[str]:
    """Workspaces with a stored Stripe key that finished a backfill: the catch-up's round."""
    return list(
        session.scalars(
            select(StripeConnection.workspace_id)
            .where(
                StripeConnection.key_encrypted.is_not(None),
                StripeConnection.last_sync_at.is_not(None),
                StripeConnection.status != "disconnected",
            )
            .order_by(StripeConnection.workspace_id)
        )
    )
