"""Bulk writes on the driver itself: upserts compiled once, bound as plain tuples.

The backfill writes hundreds of thousands of rows; SQLAlchemy's generic
per-row bind processing (a type decorator and a string formatter per
datetime, a serializer per JSON value, parameter dicts, statement
compilation) cost more than the database itself. Here each (table, columns,
dialect) upsert is compiled once to driver SQL, and each row becomes a tuple
with only the conversions its column types need, in the form SQLAlchemy
would have bound:

- SQLite: a UTC datetime becomes SQLAlchemy's ``YYYY-MM-DD HH:MM:SS.ffffff``
  text (so comparisons with SQLAlchemy-bound values keep working), JSON
  becomes ``json.dumps`` text; rows go through ``executemany`` (one prepared
  statement reused);
- PostgreSQL (psycopg): aware datetimes pass as they are, JSON is wrapped in
  ``Json``; rows go many per statement (multi-row ``VALUES``) with native
  ``$n`` placeholders, since one round trip per row costs more than the row.

Deletes of child rows by parent bind the ids as one array on PostgreSQL and
are planned per call, so the index on the parent column is used however much
the table grew since a plan was cached. Everything runs on the session's
connection, inside its transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from storage.types import UTCDateTime

Row = dict[str, Any]
Convert = Callable[[Any], Any]
CHUNK = 1000
PG_MAX_PARAMS = 30_000  # PostgreSQL allows 65535 per statement
_PLACEHOLDER = re.compile(r"\$(\d+)")


# -- value conversions (what SQLAlchemy's bind processors would produce) ---------------
def sqlite_datetime(value: datetime | None) -> str | None:
    """``value`` as SQLAlchemy's SQLite DATETIME text, in UTC (see ``UTCDateTime``)."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
    # "YYYY-MM-DD HH:MM:SS.ffffff+00:00" without its offset: one C call.
    return value.isoformat(" ", "microseconds")[:26]


def utc_datetime(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value


def sqlite_json(value: Any) -> str:
    if not value and isinstance(value, list | dict):  # most lists here are empty
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value)


def _pg_json() -> Convert:
    # lazy: psycopg is the optional `postgres` extra; SQLite installs do not have it
    from psycopg.types.json import Json

    return Json  # type: ignore[no-any-return]


def _converter(column: Any, dialect_name: str) -> Convert | None:
    if isinstance(column.type, UTCDateTime):
        return sqlite_datetime if dialect_name == "sqlite" else utc_datetime
    if isinstance(column.type, JSON):
        return sqlite_json if dialect_name == "sqlite" else _pg_json()
    return None


def _default(column: Any) -> Any:
    """The Python-side default SQLAlchemy would insert for a column a row leaves out."""
    default = column.default
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg


# -- upserts ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Prepared:
    """One upsert as driver SQL, and how to turn a row dict into its parameter tuple."""

    sql: str
    columns: tuple[str, ...]  # the column of each positional parameter
    converters: tuple[tuple[int, Convert], ...]
    keys: tuple[int, ...]  # positions of the primary key columns
    multi_values: bool  # PostgreSQL: many rows per statement
    defaults: dict[str, Any] = field(default_factory=dict)  # columns rows leave out

    def params(self, rows: Sequence[Row]) -> list[Sequence[Any]]:
        if self.defaults:
            rows = [{**self.defaults, **row} for row in rows]
        pick = itemgetter(*self.columns)
        if len(self.columns) == 1:
            return [(pick(row),) for row in rows]
        if not self.converters:
            return [pick(row) for row in rows]
        out: list[Sequence[Any]] = []
        for row in rows:
            values = list(pick(row))
            for index, convert in self.converters:
                values[index] = convert(values[index])
            out.append(values)
        return out

    def rows_per_statement(self) -> int:
        return max(1, min(CHUNK, PG_MAX_PARAMS // len(self.columns)))

    def statement_for(self, count: int) -> str:
        """The SQL inserting ``count`` rows at once (multi-row VALUES, ``$n`` numbered)."""
        return _multi_values(self.sql, len(self.columns), count)


@lru_cache(maxsize=64)
def _multi_values(sql: str, width: int, count: int) -> str:
    head, values, rest = sql.partition(" VALUES ")
    group, conflict, tail = rest.partition(" ON CONFLICT")
    if not values or not group.startswith("("):
        raise ValueError(f"unexpected insert SQL: {sql}")
    groups = [_renumber(group, k * width) for k in range(count)]
    return head + values + ", ".join(groups) + conflict + tail


def _renumber(group: str, offset: int) -> str:
    def shift(match: re.Match[str]) -> str:
        return f"${int(match.group(1)) + offset}"

    return _PLACEHOLDER.sub(shift, group)


def unique_by_key(prepared: Prepared, params: list[Sequence[Any]], keep_last: bool) -> list[Any]:
    """One row per primary key, as executemany would leave it (last or first wins).

    A multi-row ``ON CONFLICT DO UPDATE`` refuses to touch a row twice.
    """
    pick = itemgetter(*prepared.keys)
    chosen: dict[Any, Sequence[Any]] = {}
    for values in params:
        key = pick(values)
        if keep_last or key not in chosen:
            chosen[key] = values
    return list(chosen.values())


@lru_cache(maxsize=256)
def prepare_upsert(
    table: Table, dialect_name: str, columns: tuple[str, ...], update_existing: bool
) -> Prepared:
    """``INSERT … ON CONFLICT (primary key) DO UPDATE/NOTHING`` for rows of ``columns``."""
    is_pg = dialect_name == "postgresql"
    dialect = (
        postgresql.psycopg.dialect(paramstyle="numeric_dollar")
        if is_pg
        else sqlite.pysqlite.dialect(paramstyle="qmark")
    )
    insert = (postgresql if is_pg else sqlite).insert(table)
    keys = [c.name for c in table.primary_key.columns]
    updates = [c for c in columns if c not in keys] if update_existing else []
    stmt = (
        insert.on_conflict_do_update(
            index_elements=keys, set_={c: insert.excluded[c] for c in updates}
        )
        if updates
        else insert.on_conflict_do_nothing(index_elements=keys)
    )
    compiled = stmt.compile(dialect=dialect, column_keys=list(columns))
    order = tuple(compiled.positiontup or ())
    if not set(columns) <= set(order) or len(set(order)) != len(order):
        raise ValueError(f"{table.name}: cannot bind {columns} positionally ({order})")
    converters = tuple(
        (index, convert)
        for index, name in enumerate(order)
        if (convert := _converter(table.c[name], dialect_name)) is not None
    )
    defaults = {name: _default(table.c[name]) for name in order if name not in columns}
    return Prepared(
        sql=compiled.string,
        columns=order,
        converters=converters,
        keys=tuple(order.index(k) for k in keys),
        multi_values=is_pg,
        defaults=defaults,
    )


@lru_cache(maxsize=64)
def prepare_insert(table: Table, dialect_name: str, columns: tuple[str, ...]) -> Prepared:
    """A plain ``INSERT`` of rows of ``columns`` (for tables whose key the database assigns)."""
    is_pg = dialect_name == "postgresql"
    dialect = (
        postgresql.psycopg.dialect(paramstyle="numeric_dollar")
        if is_pg
        else sqlite.pysqlite.dialect(paramstyle="qmark")
    )
    compiled = table.insert().compile(dialect=dialect, column_keys=list(columns))
    order = tuple(compiled.positiontup or ())
    if set(order) != set(columns) or len(order) != len(columns):
        raise ValueError(f"{table.name}: cannot bind {columns} positionally ({order})")
    # Without the RETURNING of the generated key PostgreSQL's compiler adds.
    sql = compiled.string.partition(" RETURNING ")[0]
    converters = tuple(
        (index, convert)
        for index, name in enumerate(order)
        if (convert := _converter(table.c[name], dialect_name)) is not None
    )
    return Prepared(sql=sql, columns=order, converters=converters, keys=(), multi_values=is_pg)


def execute_insert(session: Session, table: Table, rows: Sequence[Row]) -> None:
    """Insert ``rows`` (column-name dicts, all with the same keys) into ``table``."""
    if not rows:
        return
    session.flush()
    connection = session.connection()
    prepared = prepare_insert(table, connection.dialect.name, tuple(rows[0]))
    _execute_prepared(connection, prepared, prepared.params(rows))


def _execute_prepared(
    connection: Connection, prepared: Prepared, params: list[Sequence[Any]]
) -> None:
    cursor = _raw_cursor(connection)
    try:
        if not prepared.multi_values:
            for start in range(0, len(params), CHUNK):
                cursor.executemany(prepared.sql, params[start : start + CHUNK])
            return
        size = prepared.rows_per_statement()
        for start in range(0, len(params), size):
            chunk = params[start : start + size]
            flat = [value for values in chunk for value in values]
            cursor.execute(prepared.statement_for(len(chunk)), flat, prepare=False)
    finally:
        cursor.close()


def _raw_cursor(connection: Connection) -> Any:
    driver: Any = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        # lazy: psycopg is the optional `postgres` extra; SQLite installs do not have it
        from psycopg import RawCursor

        return RawCursor(driver)  # native $n placeholders: no client-side query parsing
    return driver.cursor()


def execute_upsert(
    session: Session, table: Table, rows: Sequence[Row], *, update_existing: bool = True
) -> None:
    """Upsert ``rows`` (column-name dicts, all with the same keys) into ``table``."""
    if not rows:
        return
    session.flush()  # as session.execute would: pending ORM changes go first
    connection = session.connection()
    prepared = prepare_upsert(table, connection.dialect.name, tuple(rows[0]), update_existing)
    params = prepared.params(rows)
    if prepared.multi_values:
        params = unique_by_key(prepared, params, keep_last=update_existing)
    _execute_prepared(connection, prepared, params)


# -- child rows by parent ---------------------------------------------------------------
def delete_by_parent(
    session: Session, table: Table, workspace_id: str, column: str, parent_ids: Sequence[str]
) -> None:
    """``DELETE FROM table WHERE workspace_id = ? AND column IN parent_ids``."""
    set_by_parent(session, table, workspace_id, column, parent_ids, None)


def set_by_parent(
    session: Session,
    table: Table,
    workspace_id: str,
    column: str,
    parent_ids: Sequence[str],
    assignment: tuple[str, Any] | None,
) -> None:
    """Delete the rows whose ``column`` is one of ``parent_ids`` (or set one value on them)."""
    if not parent_ids:
        return
    session.flush()
    connection = session.connection()
    name = connection.dialect.identifier_preparer.quote
    target = name(table.name)
    cursor = _raw_cursor(connection)
    try:
        if connection.dialect.name == "postgresql":
            where = f"workspace_id = $1 AND {name(column)} = ANY($2)"
            params: list[Any] = [workspace_id, list(parent_ids)]
            sql = (
                f"DELETE FROM {target} WHERE {where}"
                if assignment is None
                else f"UPDATE {target} SET {name(assignment[0])} = $3 WHERE {where}"
            )
            if assignment is not None:
                params.append(assignment[1])
            cursor.execute(sql, params, prepare=False)  # planned for today's table size
            return
        for start in range(0, len(parent_ids), 500):
            chunk = list(parent_ids[start : start + 500])
            where = f"workspace_id = ? AND {name(column)} IN ({', '.join('?' * len(chunk))})"
            if assignment is None:
                cursor.execute(f"DELETE FROM {target} WHERE {where}", [workspace_id, *chunk])
            else:
                cursor.execute(
                    f"UPDATE {target} SET {name(assignment[0])} = ? WHERE {where}",
                    [assignment[1], workspace_id, *chunk],
                )
    finally:
        cursor.close()
