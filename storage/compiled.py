"""``INSERT … ON CONFLICT DO NOTHING RETURNING`` statements compiled once per dialect.

SQLAlchemy (2.0) never caches a dialect ``INSERT … ON CONFLICT``: built with
``sqlite.insert(...)`` it is compiled again on every execution, which costs
more than the insert itself on the webhook paths (one per acknowledgement,
one per stored signal). The SQL text is fixed, so it is compiled here once
into a typed ``text()`` statement; the bind types keep JSON and UTC datetime
conversion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, TextualSelect, bindparam, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignoring(
    table: Table, columns: Sequence[str], conflict: Sequence[str], returning: str
) -> dict[str, TextualSelect]:
    """The statement by dialect name (``sqlite``, ``postgresql``); binds named as columns."""
    return {
        module.dialect.name: _compile(module, table, columns, conflict, returning)
        for module in (sqlite, postgresql)
    }


def for_session(statements: dict[str, TextualSelect], session: Session) -> TextualSelect:
    return statements[session.get_bind().dialect.name]


def _compile(
    module: Any, table: Table, columns: Sequence[str], conflict: Sequence[str], returning: str
) -> TextualSelect:
    stmt = (
        module.insert(table)
        .on_conflict_do_nothing(index_elements=list(conflict))
        .returning(table.c[returning])
    )
    sql = str(stmt.compile(dialect=module.dialect(paramstyle="named"), column_keys=list(columns)))
    # PostgreSQL renders typed binds as ":payload::JSON" (SQLAlchemy 2.1: every bind, e.g.
    # ":created::TIMESTAMP WITH TIME ZONE"), which text() cannot read.
    sql = re.sub(r":(\w+)::(\w[\w ]*?)(?=[,)])", r"CAST(:\1 AS \2)", sql)
    binds = [bindparam(name, type_=table.c[name].type) for name in columns]
    return text(sql).bindparams(*binds).columns(table.c[returning])
