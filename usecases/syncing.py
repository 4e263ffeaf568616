"""Sync a workspace now (SPEC §5): backfill, events catch-up, or a folder export.

The first sync, ``full`` and ``since`` run the six-step backfill; afterwards an
events catch-up is enough (``sync.service.sync_workspace`` decides). One sync at
a time per workspace: a second gets :class:`~usecases.errors.SyncBusy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.clock import wall_now
from storage.connections import decrypt_key, get_connection
from storage.leases import SyncAlreadyRunning, current_lease, is_live
from storage.status import connection_card
from sync.backfill import STEP_NAMES, Progress, SyncFailed
from sync.client import StripeReadClient
from sync.errors import StripeSyncError
from sync.file_source import ingest_folder
from sync.service import SyncOutcome, sync_workspace
from usecases.audit import record
from usecases.backend import Backend
from usecases.errors import NotConnected, SyncBusy, SyncError


@dataclass(frozen=True)
class SyncSummary:
    """Rows stored and customers matched after a sync (a catch-up reports the stored totals)."""

    records: dict[str, int] = field(default_factory=dict)
    matching: dict[str, int] = field(default_factory=dict)
    duration_ms: int | None = None


def running(backend: Backend, workspace_id: str) -> SyncBusy | None:
    """The running sync (as the error a second one would get), or None."""
    lease = current_lease(backend.db, workspace_id)
    if not is_live(lease, wall_now()):  # REVBOT_NOW must not keep a dead lease alive
        return None
    assert lease is not None
    zone = backend.timezone(workspace_id)
    return SyncBusy(lease.step or 1, len(STEP_NAMES), lease.started_at, zone)


def check_ready(backend: Backend, workspace_id: str) -> None:
    """Raise ``NotConnected`` or ``SyncBusy`` when a sync could not start now."""
    with backend.db.session() as session:
        card = connection_card(session, workspace_id, backend.now(), wall_now())
    if card.status in ("not_connected", "disconnected"):
        raise NotConnected()
    busy = running(backend, workspace_id)
    if busy is not None:
        raise busy


def sync(
    backend: Backend,
    workspace_id: str,
    actor: str,
    *,
    full: bool = False,
    since: date | None = None,
    progress: Progress | None = None,
) -> SyncOutcome:
    """Backfill or catch up from Stripe with the stored key; ``progress`` sees each step."""
    with backend.db.session() as session:
        connection = get_connection(session, workspace_id)
        key = decrypt_key(connection, backend.box()) if connection is not None else None
    if not key:
        raise NotConnected()
    detail: dict[str, object] = {"full": full}
    if since is not None:
        detail["since"] = since.isoformat()
    with backend.db.session() as session:
        record(session, workspace_id, actor, "stripe.resync", backend.now(), detail)
    client = StripeReadClient.for_key(key, backend.settings)
    del key
    try:
        return sync_workspace(
            backend.db,
            workspace_id,
            client,
            backend.settings,
            backend.now(),
            full=full,
            since=since,
            progress=progress,
        )
    except (SyncAlreadyRunning, SyncFailed, StripeSyncError) as exc:
        raise _failure(backend, workspace_id, exc) from None


def sync_folder(
    backend: Backend,
    workspace_id: str,
    folder: Path,
    *,
    since: date | None = None,
    progress: Progress | None = None,
) -> SyncOutcome:
    """The same six backfill steps from a folder of Stripe-shaped JSON (exports, the demo)."""
    try:
        report = ingest_folder(
            backend.db,
            workspace_id,
            folder,
            backend.now(),
            progress,
            settings=backend.settings,
            since=since,
        )
    except (SyncAlreadyRunning, SyncFailed, StripeSyncError) as exc:
        raise _failure(backend, workspace_id, exc) from None
    return SyncOutcome(backfill=report)


def summary(backend: Backend, workspace_id: str, outcome: SyncOutcome) -> SyncSummary:
    """Counts after a sync; a catch-up reports the stored totals."""
    if outcome.backfill is not None:
        report = outcome.backfill
        return SyncSummary(
            records=dict(report.record_counts),
            matching=dict(report.match_counts),
            duration_ms=report.duration_ms,
        )
    with backend.db.session() as session:
        card = connection_card(session, workspace_id, backend.now(), wall_now())
    return SyncSummary(records=dict(card.records), matching=dict(card.matching))


def _failure(
    backend: Backend, workspace_id: str, exc: SyncAlreadyRunning | SyncFailed | StripeSyncError
) -> SyncBusy | SyncError:
    """The use-case error a sync failure stands for (the status card holds the details)."""
    if isinstance(exc, SyncAlreadyRunning):
        zone = backend.timezone(workspace_id)
        return SyncBusy(max(exc.step, 1), exc.total_steps, exc.started_at, zone)
    if isinstance(exc, SyncFailed):
        return SyncError(exc.report.error_text or str(exc) or "Sync failed")
    return SyncError(str(exc.user_message))
