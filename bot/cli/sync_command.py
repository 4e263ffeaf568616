"""``revbot sync``: backfill from Stripe (or a folder export), or catch up from events."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from answers.format import plural
from bot.cli.context import OwnWorkspaceOption, console, fail, open_backend
from bot.cli.progress import sync_progress
from bot.wording import counts_text
from storage.status import MATCH_KINDS, RECORD_KINDS
from sync.backfill import SyncReport
from sync.catchup import CatchupReport
from usecases import syncing
from usecases.audit import CLI_ACTOR
from usecases.errors import NotConnected, UseCaseError


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
        f"synced in {report.duration_ms / 1000:.1f} s: " + counts_text(records, RECORD_KINDS),
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
        f"caught up: {plural(report.events_seen, 'event')} read, {report.changed} applied"
        + (f" (cursor {report.cursor_id})" if report.cursor_id else ""),
        highlight=False,
    )


def sync(
    full: bool = typer.Option(False, "--full", help="Force a full backfill."),
    since: str = typer.Option(None, "--since", metavar="YYYY-MM-DD", help="Backfill window start."),
    from_folder: Path = typer.Option(
        None,
        "--from-folder",
        metavar="FOLDER",
        help="Ingest a folder of Stripe-shaped JSON instead of the API.",
    ),
    workspace: str = OwnWorkspaceOption,
) -> None:
    """Backfill (first run, --full or --since) or catch up from Stripe events."""
    window = _since(since)
    if from_folder is not None and not from_folder.is_dir():
        fail(f"no such folder: {from_folder}")
    backend = open_backend(secrets=from_folder is None)
    try:
        with sync_progress() as progress:
            if from_folder is not None:
                outcome = syncing.sync_folder(
                    backend, workspace, from_folder, since=window, progress=progress
                )
            else:
                outcome = syncing.sync(
                    backend, workspace, CLI_ACTOR, full=full, since=window, progress=progress
                )
    except NotConnected:
        fail("no Stripe key stored: run `revbot connect --key rk_…` first")
    except UseCaseError as exc:
        fail(str(exc))
    if outcome.catchup is not None:
        print_catchup(outcome.catchup)
    if outcome.backfill is not None:
        print_report(outcome.backfill)
