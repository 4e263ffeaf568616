"""Hostile bodies at ``POST /slack/events`` (issue 13 item 2): refused at the door, never a 500.

Every request goes through the real Starlette app and Bolt; "signed" ones carry
a real ``X-Slack-Signature`` under the app's signing secret, so what is tested
is the body's shape after the signature passed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from bot.slack_door import MAX_BODY_BYTES
from tests.bot.slack.conftest import MEMBER, TEAM, SlackApp
from tests.bot.slack.harness import signature

DEEP = "[" * 100_000 + "]" * 100_000
MALFORMED_JSON = {
    "truncated": '{"type": "event_callback", "event": {"type": "app_mention"',
    "null": "null",
    "a list": "[1, 2, 3]",
    "a string": '"hello"',
    "deeply nested": DEEP,
    "nested object": '{"event":' * 50_000 + "1" + "}" * 50_000,
}
MALFORMED_FORMS = {
    "payload not JSON": urlencode({"payload": "{not json"}),
    "payload null": urlencode({"payload": "null"}),
    "payload deeply nested": urlencode({"payload": DEEP}),
    "payload a number": urlencode({"payload": "42"}),
}


def _one_line_each(caplog: pytest.LogCaptureFixture, requests: int) -> None:
    """Each refused request left exactly one log line, none with a traceback."""
    refused = [r for r in caplog.records if "refused /slack/events" in r.getMessage()]
    assert len(refused) == requests
    assert all(r.exc_info is None and r.levelno == logging.WARNING for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("name", sorted(MALFORMED_JSON))
def test_signed_malformed_json_is_400(
    app: SlackApp, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    with caplog.at_level(logging.WARNING):
        response = app.http.post(MALFORMED_JSON[name], "application/json")
    assert response.status_code == 400, response.text
    assert "Slack payload" in response.text
    _one_line_each(caplog, 1)


@pytest.mark.parametrize("name", sorted(MALFORMED_FORMS))
def test_signed_form_with_bad_payload_is_400(
    app: SlackApp, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    with caplog.at_level(logging.WARNING):
        response = app.http.post(MALFORMED_FORMS[name], "application/x-www-form-urlencoded")
    assert response.status_code == 400, response.text
    _one_line_each(caplog, 1)


@pytest.mark.parametrize("body", [*MALFORMED_JSON.values(), *MALFORMED_FORMS.values()])
def test_unsigned_malformed_bodies_are_401_before_parsing(
    app: SlackApp, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    with caplog.at_level(logging.WARNING):
        unsigned = app.http.client.post("/slack/events", content=body.encode())
        badly_signed = app.http.post(body, "application/json", secret="not-the-secret")
    assert (unsigned.status_code, badly_signed.status_code) == (401, 401)
    _one_line_each(caplog, 2)


@pytest.mark.parametrize("timestamp", ["abc", "1e9", "-5", "17²0", " 1700000000", "9" * 40])
def test_a_timestamp_that_is_not_a_number_is_401(app: SlackApp, timestamp: str) -> None:
    body = json.dumps({"type": "event_callback"})
    headers: dict[str, str | bytes] = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp.encode("latin-1"),  # as the wire carries it
        "X-Slack-Signature": signature(app.http.secret, timestamp, body),
    }
    response = app.http.client.post("/slack/events", content=body.encode(), headers=headers)
    assert response.status_code == 401


def test_signed_body_that_is_not_utf8_is_400(app: SlackApp) -> None:
    raw = b'{"type": "\xff\xfe"}'
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + raw
    import hashlib
    import hmac

    sig = "v0=" + hmac.new(app.http.secret.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": sig,
    }
    response = app.http.client.post("/slack/events", content=raw, headers=headers)
    assert response.status_code == 400


def test_oversized_body_is_413_by_its_declared_length(
    app: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    big = json.dumps({"type": "event_callback", "pad": "x" * MAX_BODY_BYTES})
    with caplog.at_level(logging.WARNING):
        response = app.http.post(big, "application/json")
    assert response.status_code == 413
    _one_line_each(caplog, 1)


def test_oversized_chunked_body_is_413_without_reading_it_all(app: SlackApp) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(50):  # 50 × 64 KiB = 3.2 MB, sent without a Content-Length
            yield b"x" * 65_536

    response = app.http.client.post(
        "/slack/events",
        content=chunks(),
        headers={"Content-Type": "application/json", "X-Slack-Request-Timestamp": "1"},
    )
    assert response.status_code == 413
    assert "content-length" not in {k.lower() for k in response.request.headers}


def test_a_well_formed_request_still_passes_the_door(app: SlackApp) -> None:
    assert app.http.command("help", user=MEMBER, team=TEAM).status_code == 200
    [reply] = app.server.wait_for("response")
    assert reply.params["response_type"] == "ephemeral"


def test_url_verification_still_answers_the_challenge(app: SlackApp) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"})
    response = app.http.post(body, "application/json")
    assert response.status_code == 200
    assert "c-123" in response.text
