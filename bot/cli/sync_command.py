"""``revbot sync``: backfill from Stripe (or a folder export), or catch up from events."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from bot.cli.context import WorkspaceOption, console, fail, open_database, secret_box, settings
from bot.cli.progress import sync_progress
from core.clock import now
from storage.connections import decrypt_key, get_connection
from storage.db import Database
from storage.leases import SyncAlreadyRunning
from storage.status import MATCH_KINDS, RECORD_KINDS
from sync.backfill import SyncFailed, SyncReport
from sync.catchup import CatchupReport
from sync.client import StripeReadClient
from sync.errors import StripeSyncError
from sync.file_source import ingest_folder
from sync.service import SyncOutcome, sync_workspace


def _since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--since: expected YYYY-MM-DD, got {value!r}")


def print_report(report: SyncReport) -> None:
    records = report.record_counts
    console.print(
        f"synced in {report.duration_ms / 1000:.1f} s: "
        + ", ".join(f"{records.get(k, 0)} {k}" for k in RECORD_KINDS),
        highlight=False,
    )
    matches = report.match_counts
    if matches:
        console.print(
            "customers: " + ", ".join(f"{matches.get(k, 0)} {k}" for k in MATCH_KINDS),
            highlight=False,
        )


def print_catchup(report: CatchupReport) -> None:
    console.print(
        f"caught up: {report.events_seen} events read, {report.changed} applied"
        + (f" (cursor {report.cursor_id})" if report.cursor_id else ""),
        highlight=False,
    )


def sync(
    full: bool = typer.Option(False, "--full", help="Force a full backfill."),
    since: str = typer.Option(None, "--since", help="Backfill window start (YYYY-MM-DD)."),
    from_folder: Path = typer.Option(
        None, "--from-folder", help="Ingest a folder of Stripe-shaped JSON instead of the API."
    ),
    workspace: str = WorkspaceOption,
) -> None:
    """Backfill (first run, --full or --since) or catch up from Stripe events."""
    window = _since(since)
    if from_folder is not None and not from_folder.is_dir():
        fail(f"no such folder: {from_folder}")
    db = open_database()
    current = settings()
    try:
        with sync_progress() as progress:
            if from_folder is not None:
                report = ingest_folder(
                    db, workspace, from_folder, now(), progress, settings=current, since=window
                )
                outcome = SyncOutcome(backfill=report)
            else:
                client = _client(db, workspace)
                outcome = sync_workspace(
                    db,
                    workspace,
                    client,
                    current,
                    now(),
                    full=full,
                    since=window,
                    progress=progress,
                )
    except SyncAlreadyRunning as exc:
        fail(exc.message())
    except SyncFailed as exc:
        fail(exc.report.error_text or str(exc))
    except StripeSyncError as exc:
        fail(exc.user_message)
    if outcome.catchup is not None:
        print_catchup(outcome.catchup)
    if outcome.backfill is not None:
        print_report(outcome.backfill)


def _client(db: Database, workspace: str) -> StripeReadClient:
    """The read-only client for the workspace's stored key."""
    with db.session() as session:
        connection = get_connection(session, workspace)
        key = decrypt_key(connection, secret_box()) if connection is not None else None
    if not key:
        fail("no Stripe key stored: run `revbot connect --key rk_…` first")
    return StripeReadClient.for_key(key, settings())
