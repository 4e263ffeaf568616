"""One schema migration at a time, whichever replica starts first.

PostgreSQL: a transaction-scoped advisory lock, keyed on the schema, taken in the very
transaction that runs the migrations (PostgreSQL's DDL is transactional). A replica that
starts second waits for it, then finds the schema current and changes nothing. The wait is
bounded (``lock_timeout``) so a replica stuck mid-migration cannot hang the others forever.

SQLite: an exclusive ``flock`` on a file beside the database for the length of the
migration (SQLite's own locks do not cover Alembic's several statements); an in-memory
database belongs to one process and needs none.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)

NAMESPACE = "revbot:migrations:"
LOCK_TIMEOUT_SECONDS = 300


def lock_key(schema: str) -> int:
    """The advisory lock id (a signed 64-bit int) of ``schema``'s migrations."""
    digest = hashlib.sha256((NAMESPACE + schema).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def migration_lock(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction, held by this process alone among migrators."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            _advisory_lock(connection)
            yield connection
        return
    with _file_lock(engine.url.database), engine.begin() as connection:
        yield connection


def _advisory_lock(connection: Connection) -> None:
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    key = lock_key(str(schema))
    if connection.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}).scalar_one():
        return
    log.info("another process is migrating the database; waiting for it to finish")
    connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'"))
    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


@contextmanager
def _file_lock(database: str | None) -> Iterator[None]:
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        yield
        return
    path = Path(database).with_name(Path(database).name + ".migrate.lock")
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another process is migrating the database; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
