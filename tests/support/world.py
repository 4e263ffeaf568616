"""Load the shared sample world (tests/data/shared/questions/world) into a Ledger.

The world goes the way a user's data goes: served by the Stripe test server
(which answers as Stripe does: ids unless expanded), backfilled through the API
into a database (once per test process), and read back as a ``Ledger``. A
reader that depends on an object Stripe does not expand fails every test built
on it. The account mapping comes from truth.json's ``matching`` section so
billing tests do not depend on the matcher; matcher tests compare against it
instead.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from billing.ledger import Ledger
from billing.models import Account
from core.settings import Settings
from storage.db import Database
from storage.ledger_reads import load_ledger
from sync.backfill import run_backfill
from testkit.stripe_server import StripeTestServer, StripeWorld
from tests.stripe_server.helpers import make_client
from tests.support.paths import STRIPE_WORLD, WORLD

WORKSPACE = "sample_world"


def account_id_for(name: str) -> str:
    """A stable test id for an account name ("Café Lumière" -> "acct-cafe-lumiere")."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("é", "e").replace("è", "e"))
    return "acct-" + slug.strip("-")


def load_json(name: str) -> Any:
    return json.loads((WORLD / "stripe" / name).read_text())


def truth() -> dict[str, Any]:
    return json.loads((WORLD / "truth.json").read_text())


def as_of() -> datetime:
    meta = json.loads((WORLD / "world.json").read_text())
    return datetime.fromisoformat(meta["as_of_time"].replace("Z", "+00:00")).astimezone(UTC)


def window_start() -> datetime:
    meta = json.loads((WORLD / "world.json").read_text())
    return datetime.fromisoformat(meta["window_start"].replace("Z", "+00:00"))


@cache
def synced_world_database() -> str:
    """A SQLite database holding the sample world backfilled through the API (strict
    test server), made once per test process; its URL."""
    folder = Path(tempfile.mkdtemp(prefix="revbot_sample_world_"))
    url = f"sqlite:///{folder / 'world.db'}"
    db = Database.connect(url, migrate=True)
    try:
        with StripeTestServer(StripeWorld.from_folder(STRIPE_WORLD)) as server:
            run_backfill(db, WORKSPACE, make_client(server), Settings(), as_of())
    finally:
        db.engine.dispose()
    return url


def load_world_ledger() -> Ledger:
    """The sample world as a sync through the API stores it, accounts as truth.json maps them."""
    facts = truth()
    accounts: dict[str, Account] = {}
    for name, data in facts["accounts"].items():
        acc = data["account"]
        accounts[account_id_for(name)] = Account(
            id=account_id_for(name),
            name=name,
            domain=acc.get("domain"),
            external_id=acc.get("external_id"),
        )
    customer_accounts = {
        customer_id: account_id_for(outcome["account"])
        for customer_id, outcome in facts["matching"].items()
        if outcome.get("outcome") == "matched" and outcome.get("account")
    }
    db = Database.connect(synced_world_database())
    try:
        with db.session() as session:
            return load_ledger(
                session,
                WORKSPACE,
                window_start(),
                accounts=accounts,
                customer_accounts=customer_accounts,
            )
    finally:
        db.engine.dispose()
