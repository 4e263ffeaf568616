"""Purging a workspace's billing data (admins only, behind a confirmation).

Settings and records *about* the workspace stay: the workspace row, its
admins, the audit log, FX rates, brief deliveries, the connection row (its
counts and cursor are reset) and any running lease.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import StripeConnection
from storage.schema import metadata

PURGE_KEEPS = frozenset(
    {
        "workspaces",
        "audit_log",
        "workspace_admins",
        "stripe_connections",
        "fx_rates",
        "brief_deliveries",
        "sync_leases",
    }
)


def purge_billing_data(session: Session, workspace_id: str) -> None:
    """Delete every synced and derived row of ``workspace_id``; keep its settings."""
    for table in reversed(metadata.sorted_tables):
        if table.name in PURGE_KEEPS or "workspace_id" not in table.c:
            continue
        session.execute(delete(table).where(table.c.workspace_id == workspace_id))
    query = select(StripeConnection).where(StripeConnection.workspace_id == workspace_id)
    for connection in session.scalars(query):
        connection.record_counts, connection.match_counts = {}, {}
        connection.last_sync_at = connection.window_start = None
        connection.events_cursor_id = connection.events_cursor_at = None
