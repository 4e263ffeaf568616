"""The shared sample world synced into a test workspace (accounts imported, backfill run)."""

from __future__ import annotations

import json
from typing import Any

from storage.db import Database
from sync.accounts import import_accounts
from sync.accounts_csv import load_accounts_csv
from sync.backfill import run_backfill
from tests.bot.slack.conftest import NOW
from tests.stripe_server.helpers import make_client, settings
from tests.support.paths import WORLD


def import_world_accounts(db: Database, team: str) -> None:
    parsed = load_accounts_csv(WORLD / "accounts.csv")
    assert parsed.ok, parsed.errors
    with db.session() as session:
        from storage.workspaces import ensure_workspace

        ensure_workspace(session, team, NOW)
        import_accounts(session, team, parsed.rows, now=NOW)


def sync_world(db: Database, team: str, stripe_server: Any) -> None:
    """Import the client list, then backfill the world from the local Stripe server."""
    import_world_accounts(db, team)
    report = run_backfill(db, team, make_client(stripe_server), settings(), NOW)
    assert report.status == "succeeded"


def public_question(question_id: str) -> dict[str, Any]:
    """One question of the shared set, with the facts a right answer holds."""
    for line in (WORLD.parent / "questions.jsonl").read_text().splitlines():
        item = json.loads(line)
        if item["id"] == question_id:
            return item
    raise KeyError(question_id)
