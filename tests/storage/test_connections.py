"""Stripe connections: encrypted key, last4 only, sync results."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.connections import (
    ConnectionIdentity,
    decrypt_key,
    disconnect,
    get_connection,
    key_hint,
    record_sync_result,
    save_connection,
)
from storage.db import Database
from storage.models import StripeConnection
from storage.secrets import SecretBox
from storage.workspaces import ensure_workspace

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
KEY = "rk_test_51VerySecretKeyMaterial9876"
BOX = SecretBox("dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhIT0=")


def test_key_is_encrypted_and_only_last4_shown(db: Database) -> None:
    identity = ConnectionIdentity("test", "restricted", "acct_1", "Brightwave")
    with db.session() as session:
        ensure_workspace(session, "T1", NOW)
        save_connection(session, "T1", KEY, identity, BOX, NOW)
    with db.session() as session:
        conn = get_connection(session, "T1")
        assert conn is not None
        assert KEY.encode() not in (conn.key_encrypted or b"")
        assert decrypt_key(conn, BOX) == KEY
        assert key_hint(conn) == "…9876"
        # Rotating replaces the key and keeps one connection.
        save_connection(session, "T1", "rk_test_other0000", identity, BOX, NOW)
    with db.session() as session:
        rows = session.execute(select(StripeConnection)).scalars().all()
        assert len(rows) == 1 and decrypt_key(rows[0], BOX) == "rk_test_other0000"
        assert disconnect(session, "T1", NOW)
    with db.session() as session:
        conn = get_connection(session, "T1")
        assert conn is not None and conn.key_encrypted is None and conn.status == "disconnected"


def test_sync_results_keep_last_good_figures_on_error(db: Database) -> None:
    identity = ConnectionIdentity("live", "restricted", "acct_1", None)
    with db.session() as session:
        ensure_workspace(session, "T1", NOW)
        save_connection(session, "T1", KEY, identity, BOX, NOW)
        record_sync_result(
            session,
            "T1",
            finished_at=NOW,
            duration_ms=1200,
            record_counts={"invoices": 5},
            match_counts={"matched": 3},
        )
        record_sync_result(
            session,
            "T1",
            finished_at=NOW,
            duration_ms=10,
            error_text="Missing permission: invoices (read)",
            error_detail="HTTP 403: … 'rak_invoice_read' …",
        )
    with db.session() as session:
        conn = get_connection(session, "T1")
        assert conn is not None
        assert conn.status == "error" and conn.error_text == "Missing permission: invoices (read)"
        assert "rak_invoice_read" in (conn.error_detail or "")
        assert conn.record_counts == {"invoices": 5} and conn.match_counts == {"matched": 3}
        assert conn.last_sync_duration_ms == 1200
