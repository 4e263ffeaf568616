"""Alembic environment: runs migrations on the engine handed in by storage.db."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from storage.schema import metadata
from storage.slack import slack_metadata

config = context.config
# slack_sdk's OAuth tables live in their own MetaData; compare against both.
target_metadata = [metadata, slack_metadata()]


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no engine or sqlalchemy.url for migrations")
        engine = create_engine(url)
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


run_migrations()
