"""Alembic environment: runs migrations on the connection (or engine) storage.db hands in.

storage.db.upgrade passes a connection already inside the transaction that holds the
migration lock; an engine or URL alone gets a transaction of its own.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from storage.schema import metadata
from storage.slack import slack_metadata

config = context.config
# slack_sdk's OAuth tables live in their own MetaData; compare against both.
target_metadata = [metadata, slack_metadata()]


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no engine or sqlalchemy.url for migrations")
        engine = create_engine(url)
    with engine.begin() as connection:
        run_on(connection)


run_migrations()
