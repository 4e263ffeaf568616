"""Two ``revbot serve`` replicas started at once on an empty database: one migrates, the
other waits for it (an advisory lock on PostgreSQL, a file lock on SQLite), both serve."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from storage.db import alembic_config, make_engine
from tests.bot.slack.serve_process import ServeProcess, http_env
from tests.slack_server import SlackServer

PG_URL = os.environ.get("REVBOT_TEST_DATABASE_URL")
UPGRADED = "database schema upgraded: empty -> "


@pytest.fixture
def empty_postgres_schema() -> Iterator[str]:
    """A URL whose search_path is a new, empty schema."""
    if not PG_URL:
        pytest.skip(
            "REVBOT_TEST_DATABASE_URL is not set: the PostgreSQL replicas run in the "
            "PostgreSQL pass of scripts/test (the SQLite case runs here)"
        )
    schema = "rbrepl_" + uuid.uuid4().hex[:10]
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _two_replicas_start_at_once(slack: SlackServer, tmp_path: Path, url: str) -> str:
    """Launch two replicas together; both must serve; the head revision one migrated to."""
    replicas = [
        # Separate data dirs and working dirs: the replicas share only the database.
        ServeProcess(
            http_env(slack, tmp_path / f"data{n}", REVBOT_DATABASE_URL=url), tmp_path / f"r{n}"
        )
        for n in range(2)
    ]
    try:
        for replica in replicas:
            replica.launch()
        for replica in replicas:
            replica.wait_ready()
    finally:
        for replica in replicas:
            replica.stop()
    logs = [replica.log() for replica in replicas]
    migrated = [log for log in logs if UPGRADED in log]
    assert len(migrated) == 1, f"expected one replica to migrate:\n{logs}"
    assert not any("Traceback" in log for log in logs), logs
    return migrated[0].split(UPGRADED, 1)[1].split()[0]


def _head() -> str:
    heads = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://"))).get_heads()
    assert len(heads) == 1
    return heads[0]


@pytest.mark.database
def test_two_replicas_on_an_empty_postgresql_database(
    slack: SlackServer, tmp_path: Path, empty_postgres_schema: str
) -> None:
    assert _two_replicas_start_at_once(slack, tmp_path, empty_postgres_schema) == _head()
    engine = make_engine(empty_postgres_schema)
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert versions == [_head()]


def test_two_replicas_on_an_empty_sqlite_file(slack: SlackServer, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    url = f"sqlite:///{shared / 'revbot.db'}"
    assert _two_replicas_start_at_once(slack, tmp_path, url) == _head()
