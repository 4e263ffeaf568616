"""The Events catch-up on a timer (SPEC §5 "Staying fresh": every 15 minutes, configurable).

Each round walks the workspaces with a stored key and a finished backfill and
runs :func:`sync.service.sync_workspace` for each: a catch-up from
``/v1/events`` (or the full backfill when the cursor is older than Stripe's
30-day retention). Each page's state change is compared before and after by
:class:`sync.webhook_signals.SignalHooks`, so a payment failure whose webhook
was missed still becomes an alert; ``after_workspace`` gets the ids of the new
signals (the app posts them). A workspace whose sync is running is skipped
until the next round; one workspace's failure never stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

from core.jobs import start_interval_job
from core.settings import Settings
from storage.connections import synced_workspaces
from storage.db import Database
from storage.leases import SyncAlreadyRunning
from sync.service import sync_workspace
from sync.webhook_signals import SignalHooks
from sync.webhook_worker import ReadClientFor

log = logging.getLogger(__name__)

JOB_ID = "events-catch-up"
AfterWorkspace = Callable[[str, list[int]], None]


def catch_up_all(
    db: Database,
    settings: Settings,
    client_for: ReadClientFor,
    clock: Callable[[], datetime],
    after_workspace: AfterWorkspace | None = None,
) -> dict[str, str]:
    """One round over every synced workspace: what ran for each (catchup, backfill, busy, …)."""
    with db.session() as session:
        workspaces = synced_workspaces(session)
    return {w: _catch_up(db, settings, client_for, clock, w, after_workspace) for w in workspaces}


def _catch_up(
    db: Database,
    settings: Settings,
    client_for: ReadClientFor,
    clock: Callable[[], datetime],
    workspace_id: str,
    after_workspace: AfterWorkspace | None,
) -> str:
    hooks = SignalHooks(now=clock())
    try:
        client = client_for(workspace_id)
        if client is None:
            return "no_key"
        outcome = sync_workspace(db, workspace_id, client, settings, hooks.now, hooks=hooks)
    except SyncAlreadyRunning:
        return "busy"
    except Exception:
        log.exception("scheduled catch-up failed for %s; next round retries", workspace_id)
        return "failed"
    if hooks.new_signal_ids and after_workspace is not None:
        after_workspace(workspace_id, hooks.new_signal_ids)
    return outcome.kind


def start_catchup_scheduler(
    db: Database,
    settings: Settings,
    client_for: ReadClientFor,
    clock: Callable[[], datetime],
    after_workspace: AfterWorkspace | None = None,
) -> BackgroundScheduler:
    """Run :func:`catch_up_all` every ``REVBOT_EVENTS_INTERVAL_MINUTES`` in the background."""

    return start_interval_job(
        lambda: catch_up_all(db, settings, client_for, clock, after_workspace),
        JOB_ID,
        settings.events_interval_minutes * 60,
        "events catch-up round",
    )
