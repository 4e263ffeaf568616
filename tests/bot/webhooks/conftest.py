"""Fixtures: two workspaces with webhook secrets, a local Slack, and the webhook app.

Stripe signs ``f"{t}.{body}"`` with HMAC-SHA256 under the endpoint's secret
and sends ``Stripe-Signature: t=<t>,v1=<hex>``; ``sign`` does exactly that.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.serve import web_app
from bot.webhooks import WebhookService, build_service, webhook_routes
from core.settings import Settings
from storage.db import Database
from storage.models import AccountRow, CustomerMatch, StripeConnection, Workspace
from storage.secrets import SecretBox
from storage.workspaces import ensure_workspace
from sync.events import apply_event
from tests.slack_server import SlackServer
from tests.sync.event_builders import customer, event, price, product, subscription

NOW = datetime(2027, 2, 1, tzinfo=UTC)
TEAM_A, TEAM_B = "T0000001", "T0000009"
SECRET_A = "whsec_test_secret_for_workspace_a_0001"
SECRET_B = "whsec_test_secret_for_workspace_b_0002"
BOT_TOKEN = "xoxb-0000001-webhook-tests"
ALERTS = "C0ALERTS1"
FERNET_KEY = "dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMhIT0="


def sign(body: bytes, secret: str, at: int | None = None) -> str:
    """A ``Stripe-Signature`` header value, computed as Stripe does."""
    t = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


@pytest.fixture(scope="session")
def slack_server() -> Iterator[SlackServer]:
    server = SlackServer().start()
    yield server
    server.stop()


@pytest.fixture
def slack(slack_server: SlackServer) -> SlackServer:
    slack_server.reset()
    slack_server.state.tokens[BOT_TOKEN] = TEAM_A
    return slack_server


def webhook_settings(slack: SlackServer, tmp_path: Path) -> Settings:
    return Settings(
        REVBOT_SLACK_API_URL=slack.api_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        REVBOT_ENCRYPTION_KEY=FERNET_KEY,
        REVBOT_DATA_DIR=tmp_path / "data",
        REVBOT_PUBLIC_URL="https://revbot.example.com",
    )


def seed_workspace(
    db: Database, box: SecretBox, team: str, secret: str, channel: str | None
) -> str:
    """A connected workspace (no Stripe key: the worker applies without refetching)."""
    with db.session() as session:
        workspace = ensure_workspace(session, team, NOW)
        workspace.alerts_channel = channel
        session.add(
            StripeConnection(
                workspace_id=team,
                mode="test",
                key_kind="restricted",
                key_encrypted=None,
                key_last4="4242",
                webhook_secret_encrypted=box.encrypt(secret),
                status="connected",
                last_sync_at=NOW - timedelta(hours=1),
                window_start=NOW - timedelta(days=365),
                record_counts={},
                match_counts={},
                connected_at=NOW - timedelta(days=3),
                updated_at=NOW - timedelta(hours=1),
            )
        )
        return workspace.public_id


def seed_billing(db: Database, team: str) -> None:
    """Acme Corp (account) with customer cus_1 on the "Pro" plan at $50.00 a month."""
    with db.session() as session:
        for ev in (
            event("product.created", product(), -100),
            event("price.created", price(lookup_key=None, nickname=None), -100),
            event("customer.created", customer(), -100),
            event("customer.subscription.created", subscription(), -100),
        ):
            apply_event(session, team, ev, None, NOW, source="catchup")
        session.add(
            AccountRow(
                workspace_id=team,
                id="acc_acme",
                name="Acme Corp",
                domain="acme.io",
                aliases=[],
                source="import",
                created_at=NOW,
            )
        )
        session.add(
            CustomerMatch(
                workspace_id=team,
                customer_id="cus_1",
                account_id="acc_acme",
                outcome="matched",
                via="domain",
                reason="email domain acme.io",
                candidates=[],
            )
        )


@dataclass
class Hooks:
    """The webhook app of one "process" plus what tests need around it."""

    db: Database
    settings: Settings
    box: SecretBox
    slack: SlackServer
    service: WebhookService
    app: Starlette
    client: TestClient
    public_a: str
    public_b: str

    def url(self, public_id: str) -> str:
        return f"/stripe/webhooks/{public_id}"

    def deliver(
        self,
        ev: dict[str, Any] | bytes,
        *,
        public_id: str | None = None,
        secret: str = SECRET_A,
        at: int | None = None,
        client: TestClient | None = None,
    ) -> Any:
        import json

        body = ev if isinstance(ev, bytes) else json.dumps(ev).encode()
        headers = {"Stripe-Signature": sign(body, secret, at), "Content-Type": "application/json"}
        return (client or self.client).post(
            self.url(public_id or self.public_a), content=body, headers=headers
        )

    def drain(self) -> int:
        assert self.service.worker is not None
        return self.service.worker.run_round()

    def new_process(self, *, start_worker: bool) -> WebhookService:
        return build_service(
            self.settings,
            self.db,
            clock=lambda: NOW,
            box=self.box,
            start_worker=start_worker,
            poll_seconds=0.2,
        )


@pytest.fixture
def hooks(db: Database, slack: SlackServer, tmp_path: Path) -> Iterator[Hooks]:
    settings = webhook_settings(slack, tmp_path)
    box = SecretBox(FERNET_KEY)
    public_a = seed_workspace(db, box, TEAM_A, SECRET_A, ALERTS)
    public_b = seed_workspace(db, box, TEAM_B, SECRET_B, None)
    seed_billing(db, TEAM_A)
    service = build_service(settings, db, clock=lambda: NOW, box=box, start_worker=False)
    app = web_app(None, extra_routes=webhook_routes(service))
    with TestClient(app) as client:
        yield Hooks(db, settings, box, slack, service, app, client, public_a, public_b)


def public_id_of(db: Database, team: str) -> str:
    with db.session() as session:
        workspace = session.get(Workspace, team)
        assert workspace is not None
        return workspace.public_id
