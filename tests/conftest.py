"""Shared fixtures: a migrated database on SQLite (default) or PostgreSQL.

When ``REVBOT_TEST_DATABASE_URL`` is set, every pytest worker gets its own
PostgreSQL schema (via ``search_path`` in the URL), migrated once; otherwise a
SQLite file in a temporary folder. Each test starts with empty tables.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.db import Database
from storage.schema import metadata

pytest_plugins = ["tests.stripe_server.fixtures"]

PG_URL = os.environ.get("REVBOT_TEST_DATABASE_URL")


def _pg_schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not PG_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'revbot.db'}"
        return
    schema = "rbtest_" + uuid.uuid4().hex[:10]
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(PG_URL, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> Iterator[Database]:
    database = Database.connect(database_url, migrate=True)
    yield database
    database.engine.dispose()


def _empty_all_tables(database: Database) -> None:
    with database.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def db(migrated_database: Database) -> Iterator[Database]:
    """A migrated database whose tables are empty at the start of the test."""
    _empty_all_tables(migrated_database)
    yield migrated_database


@pytest.fixture
def revbot_env(
    db: Database, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Environment for running the CLI in-process against the test database."""
    monkeypatch.setenv("REVBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("REVBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REVBOT_ENCRYPTION_KEY", _TEST_FERNET_KEY)
    monkeypatch.chdir(tmp_path)
    from core.settings import get_settings

    get_settings.cache_clear()
    return tmp_path


# A fixed Fernet key for tests only (32 url-safe base64 bytes); never used outside tests.
_TEST_FERNET_KEY = "dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhIT0="


def _uses_database(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    if "database_url" in fixtures or item.get_closest_marker("database") is not None:
        return True
    # The acceptance flows open their own database (a fresh schema per flow).
    return "acceptance" in item.path.parts


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "database: the test reaches the database without the `db` fixtures"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL run, keep only tests that touch a database.

    Pure tests (billing rules, question parsing, ...) never see an engine, and
    they already ran on the SQLite run; running them twice proves nothing.
    """
    if not PG_URL:
        return
    keep = [item for item in items if _uses_database(item)]
    dropped = [item for item in items if not _uses_database(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """Undo ``core.redaction.install`` (run by CLI commands under test) after each test.

    It replaces the root handlers with one bound to the stderr of that moment,
    which under pytest is a capture file closed when the test ends.
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
