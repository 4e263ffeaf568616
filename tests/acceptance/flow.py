"""The acceptance flow: the ``revbot`` CLI against the Stripe test server, run once.

``run_flow`` serves the shared world (current or pre-2025 shape) on 127.0.0.1,
gives the CLI its own database (a SQLite file, or a fresh PostgreSQL schema
when ``REVBOT_TEST_DATABASE_URL`` is set) and environment, and runs what a new
user runs: ``db upgrade``, ``accounts import``, two refused ``connect`` attempts
(a bad key, a key without invoice read access), ``connect`` with a good key and
``sync``. Everything the tests assert on is recorded in a ``Flow``; tests may
run more commands while the flow's environment is active.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import create_engine, func, select, text

from core.settings import get_settings
from storage.db import Database
from storage.models import StripeConnection
from testkit.stripe_server import RecordedRequest, StripeTestServer, StripeWorld
from testkit.stripe_server.server import ALL_PERMISSIONS
from tests.bot.cli.helpers import run_cli
from tests.support.legacy_shape import convert_world
from tests.support.world import WORLD

SHAPES = ("current", "legacy")
NOW = "2027-02-15T12:00:00Z"
GOOD_KEY = "rk_test_51AcceptanceGoodKey0000000000AbCd"
BAD_KEY = "rk_test_51AcceptanceUnknownKey000000000Bad1"
NO_INVOICES_KEY = "rk_test_51AcceptanceNoInvoiceKey0000000NoIn"
FERNET_KEY = "dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhIT0="  # tests only
PG_URL = os.environ.get("REVBOT_TEST_DATABASE_URL")


@dataclass
class Flow:
    """What one run of the flow produced (see the module docstring)."""

    shape: str
    world_folder: Path
    server: StripeTestServer
    database_url: str
    db: Database
    results: dict[str, Result] = field(default_factory=dict)
    connections_after_refusals: int = -1
    connect_requests: list[RecordedRequest] = field(default_factory=list)
    sync_requests: list[RecordedRequest] = field(default_factory=list)

    def cli(self, *args: str) -> Result:
        return run_cli(*args)

    def json(self, *args: str) -> Any:
        result = run_cli(*args)
        assert result.exit_code == 0, result.stdout + result.stderr
        return json.loads(result.stdout)


def connection_count(db: Database) -> int:
    with db.session() as session:
        return int(session.execute(select(func.count()).select_from(StripeConnection)).scalar_one())


@contextmanager
def _database(tmp: Path) -> Iterator[str]:
    """A database URL of its own: a SQLite file, or a fresh PostgreSQL schema."""
    if not PG_URL:
        yield f"sqlite:///{tmp / 'revbot.db'}"
        return
    schema = "rbacc_" + uuid.uuid4().hex[:10]
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


def world_folder(shape: str, tmp: Path) -> Path:
    """The shared world's Stripe files in ``shape`` (converted once into ``tmp``)."""
    source = WORLD / "stripe"
    return source if shape == "current" else convert_world(source, tmp / "legacy_world")


@contextmanager
def cli_environment(database_url: str, api_base: str, tmp: Path) -> Iterator[None]:
    """Only our REVBOT_* variables (others could change the run), cwd in ``tmp``."""
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("REVBOT_") and name != "REVBOT_TEST_DATABASE_URL":
                mp.delenv(name)
        mp.setenv("REVBOT_DATABASE_URL", database_url)
        mp.setenv("REVBOT_DATA_DIR", str(tmp / "data"))
        mp.setenv("REVBOT_ENCRYPTION_KEY", FERNET_KEY)
        mp.setenv("REVBOT_NOW", NOW)
        mp.setenv("REVBOT_STRIPE_API_BASE", api_base)
        # The client-side limit is configurable; the local server needs no pacing.
        mp.setenv("REVBOT_STRIPE_RATE_LIMIT_TEST", "1000")
        mp.chdir(tmp)
        get_settings.cache_clear()
        try:
            yield
        finally:
            get_settings.cache_clear()


def _key_permissions() -> dict[str, frozenset[str]]:
    return {
        GOOD_KEY: ALL_PERMISSIONS,
        NO_INVOICES_KEY: ALL_PERMISSIONS - {"rak_invoice_read"},
    }


@contextmanager
def run_flow(shape: str, tmp: Path) -> Iterator[Flow]:
    """Run the onboarding flow once for ``shape``; the environment stays active inside."""
    folder = world_folder(shape, tmp)
    with (
        StripeTestServer(StripeWorld.from_folder(folder), keys=_key_permissions()) as server,
        _database(tmp) as url,
        cli_environment(url, server.url, tmp),
    ):
        db = Database.connect(url)
        flow = Flow(shape, folder, server, url, db)
        try:
            _onboard(flow)
            yield flow
        finally:
            db.engine.dispose()


def _onboard(flow: Flow) -> None:
    steps: list[tuple[str, tuple[str, ...]]] = [
        ("db upgrade", ("db", "upgrade")),
        ("import", ("accounts", "import", str(WORLD / "accounts.csv"))),
        ("connect bad key", ("connect", "--key", BAD_KEY)),
        ("connect no invoices", ("connect", "--key", NO_INVOICES_KEY)),
    ]
    for name, args in steps:
        flow.results[name] = run_cli(*args)
    flow.connections_after_refusals = connection_count(flow.db)
    flow.results["connect"] = run_cli("connect", "--key", GOOD_KEY)
    flow.connect_requests = flow.server.requests
    flow.server.reset_requests()
    flow.results["sync"] = run_cli("sync")
    flow.sync_requests = flow.server.requests
