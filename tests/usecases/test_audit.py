"""Admin actions taken from the CLI leave the same audit records as from Slack.

Both front ends call the same use case, which records the action in the same
transaction; the CLI's actor is ``cli``, Slack's the user id (tests/bot/slack).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.settings import get_settings
from storage.db import Database
from storage.models import AuditEntry
from testkit.stripe_server.server import StripeTestServer
from tests.bot.cli.helpers import run_cli

KEY = "rk_test_51CliConnectAuditKey000000wxyz"
JANE = "cus_8GVa7w8Q7VgpT1"  # a customer of the sample world (on a personal domain)


def _entries(db: Database) -> list[tuple[str, str, dict[str, object]]]:
    with db.session() as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.workspace_id == "local").order_by(AuditEntry.id)
        ).all()
        return [(row.actor, row.action, dict(row.detail)) for row in rows]


@pytest.fixture
def cli_stripe(
    revbot_env: Path, stripe_server: StripeTestServer, monkeypatch: pytest.MonkeyPatch
) -> StripeTestServer:
    monkeypatch.setenv("REVBOT_STRIPE_API_BASE", stripe_server.url)
    monkeypatch.setenv("REVBOT_STRIPE_MAX_RETRIES", "0")
    get_settings.cache_clear()
    return stripe_server


def test_cli_connect_records_the_mode_and_key_type(
    cli_stripe: StripeTestServer, db: Database
) -> None:
    result = run_cli("connect", "--key", KEY)
    assert result.exit_code == 0, result.stderr
    assert _entries(db) == [
        ("cli", "stripe.connect", {"key_last4": "wxyz", "mode": "test", "key_kind": "restricted"})
    ]


def test_cli_sync_fx_and_matching_are_recorded(
    cli_stripe: StripeTestServer, db: Database, tmp_path: Path
) -> None:
    assert run_cli("connect", "--key", KEY).exit_code == 0
    assert run_cli("sync").exit_code == 0
    assert run_cli("fx", "set", "EUR", "1.08", "--date", "2027-01-01").exit_code == 0
    clients = tmp_path / "clients.csv"
    clients.write_text("name,domain\nAcme,acme.example\n", encoding="utf-8")
    assert run_cli("accounts", "import", str(clients)).exit_code == 0
    assert run_cli("accounts", "match", JANE, "acme.example").exit_code == 0
    assert run_cli("accounts", "match", JANE, "--clear").exit_code == 0
    actions = [(actor, action) for actor, action, _ in _entries(db)]
    assert actions == [
        ("cli", "stripe.connect"),
        ("cli", "stripe.resync"),
        ("cli", "fx.set"),
        ("cli", "accounts.import"),
        ("cli", "match.set"),
        ("cli", "match.clear"),
    ]


def test_a_refused_key_records_nothing(cli_stripe: StripeTestServer, db: Database) -> None:
    result = run_cli("connect", "--key", "rk_test_")
    assert result.exit_code != 0
    assert _entries(db) == []
