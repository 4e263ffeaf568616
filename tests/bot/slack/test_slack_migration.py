"""Migration 0002 creates exactly slack_sdk's OAuth tables, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.db import Database
from storage.schema import metadata
from storage.slack import slack_metadata


def test_slack_tables_match_slack_sdk(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, [metadata, slack_metadata()])  # type: ignore[arg-type]
    assert diff == []
