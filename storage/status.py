"""The connection card (SPEC §9): one workspace's Stripe connection at a glance.

Used by ``revbot status`` and the App Home alike, so both show the same facts.
Only the key's last four characters ever leave storage.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from storage.connections import get_connection
from storage.coupons import UnresolvedCoupon, unresolved_coupons
from storage.leases import is_live
from storage.models import SyncLease

STALE_AFTER = timedelta(hours=24)
RECORD_KINDS = ("products", "prices", "customers", "subscriptions", "invoices")
MATCH_KINDS = ("matched", "unmatched", "ambiguous", "skipped", "deleted")


@dataclass(frozen=True)
class ConnectionCard:
    connected: bool
    status: str  # not_connected | connected | error | disconnected
    mode: str | None = None
    key_last4: str | None = None
    stripe_account_id: str | None = None
    stripe_account_name: str | None = None
    last_sync_at: datetime | None = None
    last_sync_duration_ms: int | None = None
    window_start: datetime | None = None
    records: dict[str, int] = field(default_factory=dict)
    matching: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    error_detail: str | None = None
    sync_running: bool = False
    sync_step: int | None = None
    stale: bool = False
    # Coupons Stripe would not give: the figures leave their discounts out, and say so.
    unresolved_coupons: list[UnresolvedCoupon] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["unresolved_coupons"] = [c.to_json() for c in self.unresolved_coupons]
        for name in ("last_sync_at", "window_start"):
            value = getattr(self, name)
            data[name] = value.isoformat().replace("+00:00", "Z") if value else None
        return data


def connection_card(
    session: Session, workspace_id: str, now: datetime, wall: datetime | None = None
) -> ConnectionCard:
    """The workspace's status card at business time ``now``; whether a sync runs is read
    at the wall-clock instant ``wall`` (``core.clock.wall_now()``; ``now`` when not given)."""
    connection = get_connection(session, workspace_id)
    lease = session.get(SyncLease, workspace_id)
    # A lease expires by the wall clock, not by ``now`` (REVBOT_NOW may freeze that).
    running = is_live(lease, wall or now)
    if connection is None:
        return ConnectionCard(connected=False, status="not_connected", sync_running=running)
    last = connection.last_sync_at
    return ConnectionCard(
        connected=connection.status != "disconnected",
        status=connection.status,
        mode=connection.mode,
        key_last4=connection.key_last4,
        stripe_account_id=connection.stripe_account_id,
        stripe_account_name=connection.stripe_account_name,
        last_sync_at=last,
        last_sync_duration_ms=connection.last_sync_duration_ms,
        window_start=connection.window_start,
        records={k: int((connection.record_counts or {}).get(k, 0)) for k in RECORD_KINDS},
        matching={k: int((connection.match_counts or {}).get(k, 0)) for k in MATCH_KINDS},
        error=connection.error_text,
        error_detail=connection.error_detail,
        sync_running=running,
        sync_step=lease.step if running and lease else None,
        stale=last is None or now - last > STALE_AFTER or connection.error_text is not None,
        unresolved_coupons=unresolved_coupons(session, workspace_id),
    )
