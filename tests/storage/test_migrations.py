"""Alembic migrations create exactly the schema the models declare, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage.db import Database
from storage.schema import metadata
from storage.slack import slack_metadata


def test_every_model_table_exists(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert set(metadata.tables) <= tables


def test_migrations_match_models(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, [metadata, slack_metadata()])
    assert diff == []


def test_every_table_is_scoped_by_workspace() -> None:
    for table in metadata.sorted_tables:
        if table.name == "workspaces":  # the scope itself
            continue
        assert "workspace_id" in table.columns, table.name
