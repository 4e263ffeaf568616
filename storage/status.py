"""The connection card (SPEC §9): one workspace's Stripe connection at a glance.

Used by ``revbot status`` and the App Home alike, so both show the same facts.
Only the key's last four characters ever leave storage.

Staying fresh moves the card (issue 10): ``records`` are counted as stored now
(webhooks and catch-ups add customers and invoices), ``last_sync_at`` is the
latest of the last full backfill and the last events catch-up (which
``last_sync_kind`` names), and the backfill's own time, duration and counts,
the last catch-up (when, how many events changed something) and the last event
applied by a webhook or a catch-up are shown apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from storage.connections import get_connection
from storage.coupons import UnresolvedCoupon, unresolved_coupons
from storage.leases import is_live
from storage.ledger_reads import record_counts
from storage.models import SyncLease

STALE_AFTER = timedelta(hours=24)
RECORD_KINDS = ("products", "prices", "customers", "subscriptions", "invoices")
MATCH_KINDS = ("matched", "unmatched", "ambiguous", "skipped", "deleted")
INSTANTS = ("last_sync_at", "last_backfill_at", "last_catchup_at", "window_start")


@dataclass(frozen=True)
class ConnectionCard:
    connected: bool
    status: str  # not_connected | connected | error | disconnected
    mode: str | None = None
    key_last4: str | None = None
    stripe_account_id: str | None = None
    stripe_account_name: str | None = None
    last_sync_at: datetime | None = None  # the latest backfill or catch-up
    last_sync_kind: str | None = None  # backfill | catchup
    last_sync_duration_ms: int | None = None  # the last backfill's
    last_backfill_at: datetime | None = None
    last_catchup_at: datetime | None = None
    last_catchup_events: int | None = None
    last_event_at: datetime | None = None
    last_event_id: str | None = None
    last_event_type: str | None = None
    last_event_source: str | None = None  # webhook | catchup
    window_start: datetime | None = None
    records: dict[str, int] = field(default_factory=dict)  # stored now
    backfill_records: dict[str, int] = field(default_factory=dict)  # the last backfill's
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
        for name in INSTANTS:
            data[name] = _iso(getattr(self, name))
        event = {
            "at": _iso(self.last_event_at),
            "id": self.last_event_id,
            "type": self.last_event_type,
            "source": self.last_event_source,
        }
        for name in ("last_event_at", "last_event_id", "last_event_type", "last_event_source"):
            del data[name]
        data["last_event"] = event if self.last_event_at else None
        return data


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _latest(*instants: datetime | None) -> datetime | None:
    known = [i for i in instants if i is not None]
    return max(known) if known else None


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
    backfill, catchup = connection.last_sync_at, connection.last_catchup_at
    last = _latest(backfill, catchup)
    kind = None if last is None else ("catchup" if catchup == last else "backfill")
    fresh = _latest(last, connection.last_event_at)
    stored = record_counts(session, workspace_id) if last is not None else {}
    return ConnectionCard(
        connected=connection.status != "disconnected",
        status=connection.status,
        mode=connection.mode,
        key_last4=connection.key_last4,
        stripe_account_id=connection.stripe_account_id,
        stripe_account_name=connection.stripe_account_name,
        last_sync_at=last,
        last_sync_kind=kind,
        last_sync_duration_ms=connection.last_sync_duration_ms,
        last_backfill_at=backfill,
        last_catchup_at=catchup,
        last_catchup_events=connection.last_catchup_events,
        last_event_at=connection.last_event_at,
        last_event_id=connection.last_event_id,
        last_event_type=connection.last_event_type,
        last_event_source=connection.last_event_source,
        window_start=connection.window_start,
        records={k: int(stored.get(k, 0)) for k in RECORD_KINDS},
        backfill_records={k: int((connection.record_counts or {}).get(k, 0)) for k in RECORD_KINDS},
        matching={k: int((connection.match_counts or {}).get(k, 0)) for k in MATCH_KINDS},
        error=connection.error_text,
        error_detail=connection.error_detail,
        sync_running=running,
        sync_step=lease.step if running and lease else None,
        stale=fresh is None or now - fresh > STALE_AFTER or connection.error_text is not None,
        unresolved_coupons=unresolved_coupons(session, workspace_id),
    )
