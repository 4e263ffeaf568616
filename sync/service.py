"""One entry point for "sync this workspace now", shared by the CLI and Slack.

The first sync, ``full`` and ``since`` run the six-step backfill; afterwards an
events catch-up is enough, unless the cursor is too old (Stripe keeps events
for 30 days), in which case the backfill runs after all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.settings import Settings
from storage.connections import get_connection
from storage.db import Database
from sync.backfill import Progress, SyncReport, run_backfill
from sync.catchup import CatchupReport, run_catchup
from sync.client import StripeReadClient
from sync.queue import BatchHooks


@dataclass(frozen=True)
class SyncOutcome:
    """What ran: a backfill (``backfill``) or a catch-up (``catchup``)."""

    backfill: SyncReport | None = None
    catchup: CatchupReport | None = None
    backfill_reason: str | None = None

    @property
    def kind(self) -> str:
        return "backfill" if self.backfill is not None else "catchup"


def first_sync_pending(db: Database, workspace_id: str) -> bool:
    with db.session() as session:
        connection = get_connection(session, workspace_id)
        return connection is None or connection.last_sync_at is None


def sync_workspace(
    db: Database,
    workspace_id: str,
    client: StripeReadClient,
    settings: Settings,
    now: datetime,
    *,
    full: bool = False,
    since: date | None = None,
    progress: Progress | None = None,
    hooks: BatchHooks | None = None,
) -> SyncOutcome:
    """Catch up from events when possible, else backfill.

    Raises what the backfill and catch-up raise (``SyncAlreadyRunning``,
    ``SyncFailed``, ``StripeSyncError``). ``hooks`` see each catch-up page
    (``sync.catchup.run_catchup``).
    """
    reason = "first sync" if first_sync_pending(db, workspace_id) else None
    if full:
        reason = "full backfill requested"
    elif since is not None:
        reason = f"backfill since {since.isoformat()}"
    if reason is None:
        caught_up = run_catchup(
            db, workspace_id, client, now, progress, settings=settings, hooks=hooks
        )
        if not caught_up.needs_backfill:
            return SyncOutcome(catchup=caught_up)
        reason = caught_up.reason or "events cursor too old"
    report = run_backfill(db, workspace_id, client, settings, now, since, progress)
    return SyncOutcome(backfill=report, backfill_reason=reason)
