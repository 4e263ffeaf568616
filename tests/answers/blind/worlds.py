"""The worlds blind question sets are asked about, synced the way a user syncs them.

A world is named in ``tests/data/blind/sets.json``: ``sample`` (the shared sample
world) or ``demo:<as-of ISO instant>:<seed>`` (the bundled demo world generated as
of that instant), optionally followed by ``~<map>``: that world with its clients
renamed (rename.py). Each is loaded through the real path — client list import, then
the file-source backfill — into a workspace of its own.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from core.settings import Settings
from demo import write_world
from storage.db import Database
from sync.accounts import import_accounts
from sync.accounts_csv import load_accounts_csv
from sync.file_source import ingest_folder
from tests.answers.blind.rename import rename_csv, rename_folder, rename_pairs
from tests.support.paths import STRIPE_WORLD, WORLD
from tests.support.world import as_of as sample_as_of


def world_now(name: str) -> datetime:
    """The instant questions about world ``name`` are asked at."""
    name = name.partition("~")[0]
    if name == "sample":
        return sample_as_of()
    kind, _, rest = name.partition(":")
    if kind != "demo":
        raise ValueError(f"unknown world {name!r}")
    instant, _, _seed = rest.rpartition(":")
    return datetime.fromisoformat(instant)


def _ingest(database: Database, workspace_id: str, folder: Path, csv: Path, now: datetime) -> None:
    settings = Settings()
    parsed = load_accounts_csv(csv)
    with database.session() as session:
        import_accounts(
            session,
            workspace_id,
            parsed.rows,
            now=now,
            metadata_key=settings.match_metadata_key,
        )
    ingest_folder(database, workspace_id, folder, now, settings=settings)


def load_world(database: Database, workspace_id: str, name: str) -> datetime:
    """Sync world ``name`` into ``workspace_id``; return the instant to ask at."""
    now = world_now(name)
    base, _, renamed = name.partition("~")
    with tempfile.TemporaryDirectory(prefix="revbot-blind-") as tmp:
        folder, csv = STRIPE_WORLD, WORLD / "accounts.csv"
        if base != "sample":
            folder = Path(tmp) / "base"
            write_world(folder, now, int(base.rpartition(":")[2]))
            csv = folder / "accounts.csv"
        if renamed:
            pairs = rename_pairs(renamed)
            target = Path(tmp) / "renamed"
            rename_folder(folder, target, pairs)
            rename_csv(csv, target / "accounts.csv", pairs)
            folder, csv = target, target / "accounts.csv"
        _ingest(database, workspace_id, folder, csv, now)
    return now
