"""The Events catch-up (SPEC §5 "Staying fresh"): replay ``/v1/events`` after the cursor.

Stripe lists events newest first; ``ending_before=<cursor>`` returns the page
of events just after the cursor, so following each page's newest id walks
forward in time. Every page is applied in ``created`` order in one
transaction together with the cursor move, so a crash never skips an event
and a re-run never applies one twice (each is deduplicated by id). As a
webhook batch does, a page ends by matching the customers it wrote and marking
the accounts it touched (``sync.incremental.settle_batch``), whose figures are
then recomputed in their own short transactions: a catch-up never recomputes
the whole workspace. A cursor older than Stripe's 30-day event retention, or
unknown to Stripe, means events were lost: the caller must run a full backfill
(``needs_backfill``). The workspace's single-sync lease is held throughout, as
for the backfill; the status card shows when the last catch-up finished and
what it applied, apart from the last backfill.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.clock import wall_now
from core.settings import Settings
from storage import event_log
from storage.connections import get_connection, set_events_cursor
from storage.db import Database
from storage.event_log import Claimed
from storage.leases import acquire_lease, heartbeat, release_lease
from storage.workspaces import ensure_workspace
from sync.backfill import Progress
from sync.errors import StripeRequestRejected
from sync.event_fetch import StripeReader
from sync.events import DUPLICATE, IGNORED, SKIPPED_OLDER, ApplyBatch, apply_event, event_target
from sync.incremental import Refresher, settle_batch
from sync.queue import BatchHooks
from sync.readers import read_event, ts

Obj = dict[str, Any]

RETENTION = timedelta(days=30)
PAGE_SIZE = 100
EVENTS_STEP = 1
DEFAULT_LEASE_SECONDS = 900
# Without a cursor (the backfill saw no event at all), replay from a little
# before the last backfill started: clocks differ and dedupe makes overlap free.
BOOTSTRAP_MARGIN = timedelta(minutes=5)


@dataclass
class CatchupReport:
    """What one catch-up did; ``needs_backfill`` tells the caller to run a full backfill."""

    workspace_id: str
    needs_backfill: bool = False
    reason: str | None = None
    pages: int = 0
    events_seen: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    cursor_id: str | None = None
    cursor_at: datetime | None = None
    recomputed: int = 0  # accounts whose figures were recomputed

    @property
    def changed(self) -> int:
        """Events that changed stored state (applied or refetched)."""
        unchanged = {DUPLICATE, IGNORED, SKIPPED_OLDER}
        return sum(n for outcome, n in self.outcomes.items() if outcome not in unchanged)

    def count(self, outcome: str) -> int:
        return self.outcomes.get(outcome, 0)


@dataclass(frozen=True)
class _Start:
    cursor_id: str | None
    cursor_at: datetime | None
    bootstrap_from: datetime | None
    window_start: datetime | None


def run_catchup(
    db: Database,
    workspace_id: str,
    client: StripeReader,
    now: datetime,
    progress: Progress | None = None,
    *,
    settings: Settings | None = None,
    holder: str | None = None,
    hooks: BatchHooks | None = None,
) -> CatchupReport:
    """Apply every event after the workspace's cursor, recomputing the figures of the
    accounts each page touched.

    ``hooks`` (optional) see each page inside its transaction, as a webhook
    drain's hooks see a batch: the scheduled catch-up derives alert signals so.

    Raises ``SyncAlreadyRunning`` when another sync holds the lease, and the
    client's ``StripeSyncError`` when Stripe fails (the cursor then stays at
    the last page fully applied).
    """
    report = CatchupReport(workspace_id)
    start = _read_start(db, workspace_id, now)
    report.cursor_id, report.cursor_at = start.cursor_id, start.cursor_at
    reason = _backfill_reason(start, now)
    if reason is not None:
        report.needs_backfill, report.reason = True, reason
        return report
    ttl = settings.sync_lease_seconds if settings else DEFAULT_LEASE_SECONDS
    # The lease runs on the wall clock; ``now`` (perhaps REVBOT_NOW) dates the events.
    lease = acquire_lease(db, workspace_id, holder or uuid.uuid4().hex, wall_now(), ttl)
    figures = Refresher(db)
    try:
        heartbeat(db, lease, wall_now(), ttl, step=EVENTS_STEP)
        try:
            for page in _pages(client, start):
                _apply_page(db, workspace_id, page, client, now, report, hooks)
                report.recomputed += figures.refresh(workspace_id, now, holding_lease=True)
                heartbeat(db, lease, wall_now(), ttl, step=EVENTS_STEP)
                if progress is not None:
                    progress(EVENTS_STEP, "Events", report.events_seen, None)
        except StripeRequestRejected as exc:
            if report.pages == 0 and start.cursor_id is not None:
                report.needs_backfill = True
                report.reason = f"Stripe no longer has the events cursor ({exc.detail})"
                return report
            raise
        # Marks left by webhooks applied while this catch-up held the lease.
        report.recomputed += figures.refresh(workspace_id, now, holding_lease=True)
        _record_catchup(db, workspace_id, now, report)
    finally:
        release_lease(db, lease)
    return report


def _record_catchup(db: Database, workspace_id: str, now: datetime, report: CatchupReport) -> None:
    """The status card's "last catch-up": when it finished and how many events it applied."""
    with db.session() as session:
        connection = get_connection(session, workspace_id)
        if connection is not None:
            connection.last_catchup_at = now
            connection.last_catchup_events = report.changed


def _read_start(db: Database, workspace_id: str, now: datetime) -> _Start:
    with db.session() as session:
        ensure_workspace(session, workspace_id, now)
        conn = get_connection(session, workspace_id)
        if conn is None:
            return _Start(None, None, None, None)
        bootstrap = None
        if conn.events_cursor_id is None and conn.last_sync_at is not None:
            took = timedelta(milliseconds=conn.last_sync_duration_ms or 0)
            bootstrap = conn.last_sync_at - took - BOOTSTRAP_MARGIN
        return _Start(conn.events_cursor_id, conn.events_cursor_at, bootstrap, conn.window_start)


def _backfill_reason(start: _Start, now: datetime) -> str | None:
    if start.cursor_id is None and start.bootstrap_from is None:
        return "no events cursor: the workspace was never backfilled"
    oldest = now - RETENTION
    if start.cursor_id is not None and (start.cursor_at is None or start.cursor_at < oldest):
        return "the events cursor is older than Stripe's 30-day event retention"
    if (
        start.cursor_id is None
        and start.bootstrap_from is not None
        and start.bootstrap_from < oldest
    ):
        return "the last backfill is older than Stripe's 30-day event retention"
    return None


def _pages(client: StripeReader, start: _Start) -> Iterator[list[Obj]]:
    """Pages of events after the cursor, each oldest first, in time order."""
    if start.cursor_id is None:
        yield from _bootstrap_pages(client, start.bootstrap_from)
        return
    before = start.cursor_id
    while True:
        page = client.get("/v1/events", {"limit": PAGE_SIZE, "ending_before": before})
        data = list(page.get("data") or [])
        if not data:
            return
        yield list(reversed(data))
        if not page.get("has_more"):
            return
        before = data[0]["id"]


def _bootstrap_pages(client: StripeReader, since: datetime | None) -> Iterator[list[Obj]]:
    params: Obj = {"created": {"gte": int(since.timestamp())}} if since else {}
    events = list(client.list_all("/v1/events", params))
    events.reverse()
    for offset in range(0, len(events), PAGE_SIZE):
        yield events[offset : offset + PAGE_SIZE]


def _apply_page(
    db: Database,
    workspace_id: str,
    page: list[Obj],
    client: StripeReader,
    now: datetime,
    report: CatchupReport,
    hooks: BatchHooks | None = None,
) -> None:
    """One page and the cursor move, in one transaction."""
    with db.session() as session:
        event_log.take_write_lock(session)
        targets = (event_target(read_event(e)) for e in page)
        event_log.lock_objects(session, workspace_id, (t[1] for t in targets if t))
        rows = [Claimed(str(e.get("id")), e) for e in page]
        if hooks is not None:
            hooks.before(session, workspace_id, rows)
        batch = ApplyBatch()
        for event in page:
            outcome = apply_event(
                session, workspace_id, event, client, now, source="catchup", batch=batch
            )
            report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
        settle_batch(session, workspace_id, page, now, source="catchup", client=client)
        if hooks is not None:
            hooks.after(session, workspace_id, rows)
        last = page[-1]
        report.cursor_id, report.cursor_at = last["id"], ts(last.get("created"))
        set_events_cursor(session, workspace_id, report.cursor_id, report.cursor_at, now)
    report.pages += 1
    report.events_seen += len(page)
