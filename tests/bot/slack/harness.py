"""Signed Slack requests into the real Starlette app, as Slack itself sends them.

Each request is signed with ``X-Slack-Signature`` = ``v0=`` HMAC-SHA256 of
``v0:{timestamp}:{body}`` under the signing secret, so Bolt's own request
verification is exercised on every test.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.testclient import TestClient

from tests.slack_server import SlackServer
from tests.slack_server.server import BOT_USER

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def signature(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class SlackHarness:
    client: TestClient
    server: SlackServer
    secret: str = SIGNING_SECRET
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    # -- raw ----------------------------------------------------------------

    def post(self, body: str, content_type: str, *, secret: str | None = None, age: int = 0) -> Any:
        timestamp = str(int(time.time()) - age)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature(secret or self.secret, timestamp, body),
        }
        return self.client.post("/slack/events", content=body.encode(), headers=headers)

    def post_form(self, fields: dict[str, str], **kwargs: Any) -> Any:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded", **kwargs)

    def post_payload(self, payload: dict[str, Any], **kwargs: Any) -> Any:
        return self.post_form({"payload": json.dumps(payload)}, **kwargs)

    # -- what Slack sends ---------------------------------------------------

    def command(
        self, text: str, *, user: str, team: str, channel: str = "C0GENERAL", **kwargs: Any
    ) -> Any:
        n = next(self._ids)
        return self.post_form(
            {
                "token": "legacy-unused",
                "team_id": team,
                "team_domain": "acme",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/revbot",
                "text": text,
                "api_app_id": "AREVBOT01",
                "response_url": f"{self.server.base_url}/response/cmd{n}",
                "trigger_id": f"trigger-{n}",
            },
            **kwargs,
        )

    def event(self, event: dict[str, Any], *, team: str, **kwargs: Any) -> Any:
        n = next(self._ids)
        body = {
            "token": "legacy-unused",
            "team_id": team,
            "api_app_id": "AREVBOT01",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{n:08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": team, "user_id": BOT_USER, "is_bot": True, "enterprise_id": None}
            ],
        }
        return self.post(json.dumps(body), "application/json", **kwargs)

    def dm(self, text: str, *, user: str, team: str, thread_ts: str | None = None) -> str:
        """Send a DM to the bot; returns the message ts."""
        ts = f"1700001000.{next(self._ids):06d}"
        event = {
            "type": "message",
            "channel": f"D{user}",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        response = self.event(event, team=team)
        assert response.status_code == 200, response.text
        return ts

    def block_action(
        self,
        action: dict[str, Any],
        *,
        user: str,
        team: str,
        container: dict[str, Any] | None = None,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
    ) -> Any:
        n = next(self._ids)
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": team, "domain": "acme"},
            "user": {"id": user, "team_id": team},
            "api_app_id": "AREVBOT01",
            "token": "legacy-unused",
            "trigger_id": f"trigger-a{n}",
            "response_url": f"{self.server.base_url}/response/act{n}",
            "container": container or {"type": "view", "view_id": "VHOME"},
            "actions": [{"action_ts": "1700000000.1", **action}],
        }
        if message is not None:
            payload["message"] = message
            payload["channel"] = {"id": (container or {}).get("channel_id")}
        if view is not None:
            payload["view"] = view
        return self.post_payload(payload)

    def submit_view(self, callback_id: str, values: dict[str, Any], *, user: str, team: str) -> Any:
        payload = {
            "type": "view_submission",
            "team": {"id": team, "domain": "acme"},
            "user": {"id": user, "team_id": team},
            "api_app_id": "AREVBOT01",
            "token": "legacy-unused",
            "trigger_id": "trigger-view",
            "view": {
                "id": "VMODAL",
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": "",
                "state": {"values": values},
                "hash": "h1",
            },
        }
        return self.post_payload(payload)


def text_input(block: str, action: str, value: str) -> dict[str, Any]:
    return {block: {action: {"type": "plain_text_input", "value": value}}}
