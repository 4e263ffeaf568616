"""Fixtures: a local Slack server, settings pointing at it, and the app behind signed requests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from bot.app import build_app
from bot.listeners.runtime import Runtime
from bot.serve import web_app
from core.settings import Settings
from storage.db import Database
from storage.secrets import SecretBox
from tests.bot.slack.harness import SIGNING_SECRET, SlackHarness
from tests.slack_server import SlackServer
from usecases.backend import Backend

NOW = datetime(2027, 2, 15, 12, 0, tzinfo=UTC)
TEAM = "T0000001"
OTHER_TEAM = "T0000002"
BOT_TOKEN = "xoxb-0000001-test-bot-token"
ADMIN, OWNER, MEMBER = "UADMIN01", "UOWNER01", "UMEMBER1"
FERNET_KEY = "dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhIT0="
SLACK_TABLES = ("slack_bots", "slack_installations", "slack_oauth_states")


@pytest.fixture(scope="session")
def slack_server() -> Iterator[SlackServer]:
    server = SlackServer().start()
    yield server
    server.stop()


@pytest.fixture
def slack(slack_server: SlackServer) -> SlackServer:
    """The local Slack, emptied, with one admin, one owner and one member."""
    slack_server.reset()
    slack_server.state.tokens[BOT_TOKEN] = TEAM
    slack_server.state.users.update(
        {
            ADMIN: {"name": "ada", "is_admin": True, "is_owner": False, "tz": "UTC"},
            OWNER: {"name": "olly", "is_admin": False, "is_owner": True, "tz": "UTC"},
            MEMBER: {"name": "mo", "is_admin": False, "is_owner": False, "tz": "UTC"},
        }
    )
    return slack_server


@pytest.fixture
def slack_db(db: Database) -> Database:
    """The test database with slack_sdk's tables emptied too (conftest empties ours)."""
    with db.engine.begin() as conn:
        for table in SLACK_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
    return db


def make_settings(server: SlackServer, **values: Any) -> Settings:
    base: dict[str, Any] = {
        "REVBOT_SLACK_API_URL": server.api_url,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "REVBOT_ENCRYPTION_KEY": FERNET_KEY,
        "REVBOT_STRIPE_API_BASE": "http://127.0.0.1:9",
    }
    base.update(values)
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]


@dataclass
class SlackApp:
    http: SlackHarness
    runtime: Runtime
    server: SlackServer
    db: Database

    @property
    def backend(self) -> Backend:
        return self.runtime.backend


def start_app(server: SlackServer, db: Database, settings: Settings) -> tuple[SlackApp, TestClient]:
    backend = Backend(settings, db, clock=lambda: NOW, secret_box=SecretBox(FERNET_KEY))
    runtime = Runtime(backend=backend)
    bolt = build_app(settings, db, runtime)
    client = TestClient(web_app(bolt, signing_secret=SIGNING_SECRET), base_url="https://testserver")
    return SlackApp(SlackHarness(client, server), runtime, server, db), client


@pytest.fixture
def app(slack: SlackServer, slack_db: Database) -> Iterator[SlackApp]:
    """Single-workspace HTTP mode (bot token + signing secret)."""
    settings = make_settings(slack, SLACK_BOT_TOKEN=BOT_TOKEN)
    harness, client = start_app(slack, slack_db, settings)
    with client:
        yield harness


@pytest.fixture
def stripe_app(slack: SlackServer, slack_db: Database, stripe_server: Any) -> Iterator[SlackApp]:
    """Single-workspace HTTP mode against the local Stripe test server (shared world)."""
    settings = make_settings(
        slack,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        REVBOT_STRIPE_API_BASE=stripe_server.url,
        REVBOT_STRIPE_RATE_LIMIT_TEST=10_000,
        REVBOT_STRIPE_MAX_RETRIES=0,
    )
    harness, client = start_app(slack, slack_db, settings)
    with client:
        yield harness
