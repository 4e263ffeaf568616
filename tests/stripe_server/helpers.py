"""Helpers shared by the backfill tests and the bench: clients, minimum pages, table dumps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.settings import Settings
from storage.db import Database
from storage.schema import metadata
from sync.client import StripeReadClient
from testkit.stripe_server.server import StripeTestServer

TEST_KEY = "rk_test_51TestKey0000000000001234"
# Tables whose rows record a run (times, ids), not the synced state.
RUN_TABLES = {"sync_runs", "sync_leases", "stripe_connections", "workspaces", "audit_log"}


def make_client(
    server: StripeTestServer, key: str = TEST_KEY, **overrides: Any
) -> StripeReadClient:
    options: dict[str, Any] = {"api_base": server.url, "rate_limit": None, "sleep": lambda _s: None}
    options.update(overrides)
    return StripeReadClient(key, **options)


def settings(**values: Any) -> Settings:
    return Settings(**values)


def dump_tables(db: Database, workspace_id: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every synced row (sorted), for comparing database states."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.session() as session:
        for table in metadata.sorted_tables:
            if table.name in RUN_TABLES:
                continue
            # Surrogate integer ids differ between runs by construction; compare the rest.
            surrogate = {c.name for c in table.primary_key.columns if c.autoincrement is True}
            columns = [c for c in table.c if c.name not in surrogate]
            stmt = select(*columns)
            if workspace_id is not None and "workspace_id" in table.c:
                stmt = stmt.where(table.c.workspace_id == workspace_id)
            rows = [tuple(repr(v) for v in row) for row in session.execute(stmt)]
            out[table.name] = sorted(rows)
    return out
