"""Connecting Stripe through the modal and resyncing with a progress message (local Stripe)."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.blocks.modals import CONNECT, KEY_ACTION, KEY_BLOCK
from bot.listeners.views import connect as connect_view
from core.clock import wall_now
from storage.connections import decrypt_key, get_connection
from storage.leases import acquire_lease
from storage.models import AuditEntry
from testkit.stripe_server.server import ALL_PERMISSIONS
from tests.bot.slack.blockkit import all_text, assert_valid_blocks, assert_valid_view
from tests.bot.slack.conftest import ADMIN, MEMBER, TEAM, SlackApp
from tests.bot.slack.harness import text_input

KEY = "rk_test_51SlackConnectTestKey0000abcd"


def _connect(app: SlackApp, key: str = KEY, user: str = ADMIN):
    return app.http.submit_view(
        CONNECT, text_input(KEY_BLOCK, KEY_ACTION, key), user=user, team=TEAM
    )


def _everything_sent(app: SlackApp) -> str:
    return "\n".join(
        c.raw.decode(errors="replace") + json.dumps(c.params) for c in app.server.calls
    )


def test_connect_opens_the_modal_for_admins(stripe_app: SlackApp) -> None:
    response = stripe_app.http.command("connect", user=ADMIN, team=TEAM)
    assert response.status_code == 200
    [call] = stripe_app.server.wait_for("views.open")
    assert call.params["trigger_id"].startswith("trigger-")
    view = call.json_param("view")
    assert view["callback_id"] == CONNECT
    assert view.get("private_metadata", "") == ""
    assert_valid_view(view)


def test_connect_refuses_members(stripe_app: SlackApp) -> None:
    stripe_app.http.command("connect", user=MEMBER, team=TEAM)
    [reply] = stripe_app.server.wait_for("response")
    assert "only Slack workspace admins" in reply.params["text"]
    assert stripe_app.server.calls_to("views.open") == []


def test_submitting_a_valid_key_validates_and_stores_it(
    stripe_app: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = _connect(stripe_app)
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "update"
    assert_valid_view(body["view"])
    shown = all_text(body["view"]["blocks"])
    assert "…abcd" in shown and "test mode" in shown
    assert KEY not in response.text
    with stripe_app.db.session() as session:
        connection = get_connection(session, TEAM)
        assert connection is not None and connection.key_last4 == "abcd"
        assert connection.key_encrypted and KEY.encode() not in connection.key_encrypted
        assert decrypt_key(connection, stripe_app.backend.box()) == KEY
        audit = session.scalars(select(AuditEntry).where(AuditEntry.workspace_id == TEAM)).all()
    assert [a.action for a in audit] == ["stripe.connect"]
    assert audit[0].actor == ADMIN and KEY not in json.dumps(audit[0].detail)
    assert audit[0].detail == {"key_last4": "abcd", "mode": "test", "key_kind": "restricted"}
    assert KEY not in _everything_sent(stripe_app)
    assert KEY not in caplog.text


def test_a_key_with_a_bad_prefix_is_refused_inline(stripe_app: SlackApp) -> None:
    body = _connect(stripe_app, "pk_test_123456789").json()
    assert body["response_action"] == "errors"
    assert "rk_live_" in body["errors"][KEY_BLOCK]
    with stripe_app.db.session() as session:
        assert get_connection(session, TEAM) is None


@pytest.mark.parametrize(
    ("key", "named"),
    [
        (KEY[:20] + "\n" + KEY[20:], "line break at position 21"),
        (KEY[:20] + "é" + KEY[20:], "non-ASCII character at position 21"),
        (KEY[:20] + " " + KEY[20:], "space at position 21"),
        (KEY[:20] + "-" + KEY[20:], "not a letter or digit at position 21"),
        ("rk_test_abc", "too short"),
        ("whsec_" + KEY[8:], "webhook signing secret"),
    ],
)
def test_a_malformed_key_is_refused_inline_before_stripe_is_asked(
    stripe_app: SlackApp, stripe_server: Any, key: str, named: str
) -> None:
    asked = len(stripe_server.requests)
    body = _connect(stripe_app, key).json()
    assert body["response_action"] == "errors"
    assert named in body["errors"][KEY_BLOCK]
    assert key not in json.dumps(body)
    assert len(stripe_server.requests) == asked
    with stripe_app.db.session() as session:
        assert get_connection(session, TEAM) is None


def test_an_invalid_key_gets_the_stripe_message_inline(
    stripe_app: SlackApp, stripe_server: object
) -> None:
    stripe_server.set_keys({"rk_test_the_only_good_key_0000": ALL_PERMISSIONS})  # type: ignore[attr-defined]
    body = _connect(stripe_app).json()
    assert body == {"response_action": "errors", "errors": {KEY_BLOCK: "Invalid Stripe API key"}}
    with stripe_app.db.session() as session:
        assert get_connection(session, TEAM) is None


def test_a_missing_permission_is_named(stripe_app: SlackApp, stripe_server: object) -> None:
    stripe_server.set_keys({KEY: ALL_PERMISSIONS - {"rak_invoice_read"}})  # type: ignore[attr-defined]
    body = _connect(stripe_app).json()
    assert body["response_action"] == "errors"
    assert "Missing permission: Invoices" in body["errors"][KEY_BLOCK]


def test_members_cannot_submit_the_modal(stripe_app: SlackApp) -> None:
    body = _connect(stripe_app, user=MEMBER).json()
    assert body["response_action"] == "update"
    assert "only Slack workspace admins" in all_text(body["view"]["blocks"])
    with stripe_app.db.session() as session:
        assert get_connection(session, TEAM) is None


def test_resync_walks_the_six_steps_in_one_message(stripe_app: SlackApp) -> None:
    assert _connect(stripe_app).json()["response_action"] == "update"
    stripe_app.http.command("resync", user=ADMIN, team=TEAM, channel="C0BILLING")
    [posted] = stripe_app.server.wait_for("chat.postMessage")
    assert posted.params["channel"] == "C0BILLING"
    assert "step 1 of 6" in posted.params["text"]
    finished = stripe_app.server.wait_for(
        "chat.update", lambda c: c.params["text"].startswith("Sync complete"), timeout=60
    )
    updates = stripe_app.server.calls_to("chat.update")
    assert {u.params["ts"] for u in updates} == {posted.params.get("ts") or updates[0].params["ts"]}
    steps_seen = [
        n for n in range(1, 7) if any(f"step {n} of 6" in u.params["text"] for u in updates)
    ]
    assert steps_seen == [1, 2, 3, 4, 5, 6]
    for update in updates:
        assert_valid_blocks(update.json_param("blocks"))
    final = finished[0].params["text"]
    assert "customers" in final and "invoices" in final
    # Counts in words that agree with their number (the shared world has one deleted customer).
    assert re.search(r"(?<![\d,])1 deleted customer(?!s)", final), final
    assert "_" not in final, final
    with stripe_app.db.session() as session:
        connection = get_connection(session, TEAM)
        assert connection is not None and connection.last_sync_at is not None
        assert connection.record_counts["customers"] > 0


def test_resync_while_a_sync_runs_says_so(stripe_app: SlackApp) -> None:
    assert _connect(stripe_app).json()["response_action"] == "update"
    started = wall_now() - timedelta(minutes=5)  # leases run on the wall clock, not NOW
    acquire_lease(stripe_app.db, TEAM, "other-worker", started, 900)
    stripe_app.http.command("resync", user=ADMIN, team=TEAM)
    replies = stripe_app.server.wait_for(
        "response", lambda c: "already running" in c.params.get("text", "")
    )
    assert f"(step 1 of 6, started {started:%H:%M})" in replies[0].params["text"]
    assert stripe_app.server.calls_to("chat.postMessage") == []


def test_resync_needs_a_connection(stripe_app: SlackApp) -> None:
    stripe_app.http.command("resync", user=ADMIN, team=TEAM)
    stripe_app.server.wait_for("response", lambda c: "not connected" in c.params.get("text", ""))


def test_resync_refuses_members(stripe_app: SlackApp) -> None:
    stripe_app.http.command("resync", user=MEMBER, team=TEAM)
    stripe_app.server.wait_for(
        "response", lambda c: "only Slack workspace admins" in c.params["text"]
    )
    assert stripe_app.server.calls_to("chat.postMessage") == []


def test_app_home_is_refreshed_after_a_sync(stripe_app: SlackApp) -> None:
    assert _connect(stripe_app).json()["response_action"] == "update"
    stripe_app.http.event(
        {"type": "app_home_opened", "user": ADMIN, "tab": "home", "event_ts": "1.1"}, team=TEAM
    )
    [before] = stripe_app.server.wait_for("views.publish")
    assert "Last sync*\nnever" in all_text(before.json_param("view")["blocks"])
    stripe_app.http.command("resync", user=ADMIN, team=TEAM)
    stripe_app.server.wait_for(
        "chat.update", lambda c: c.params["text"].startswith("Sync complete"), timeout=60
    )
    published = stripe_app.server.wait_for("views.publish", count=2)
    after = all_text(published[-1].json_param("view")["blocks"])
    assert "Last sync*\nnever" not in after
    assert "customers" in after and "…abcd" in after
    assert_valid_view(published[-1].json_param("view"))


def test_a_slow_stripe_gets_an_ack_at_once_and_the_outcome_later(
    stripe_app: SlackApp, stripe_server: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connect_view, "ACK_BUDGET_SECONDS", 0.05)
    stripe_server.set_latency(0.1)  # type: ignore[attr-defined]
    body = _connect(stripe_app).json()
    assert body["response_action"] == "update"
    assert "Checking the key with Stripe" in all_text(body["view"]["blocks"])
    [update] = stripe_app.server.wait_for("views.update")
    assert update.params["view_id"] == "VMODAL"
    view = update.json_param("view")
    assert_valid_view(view)
    assert "…abcd" in all_text(view["blocks"])
    with stripe_app.db.session() as session:
        connection = get_connection(session, TEAM)
        assert connection is not None and connection.key_last4 == "abcd"


def test_a_slow_invalid_key_is_reported_in_the_updated_window(
    stripe_app: SlackApp, stripe_server: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connect_view, "ACK_BUDGET_SECONDS", 0.05)
    stripe_server.set_latency(0.1)  # type: ignore[attr-defined]
    stripe_server.set_keys({"rk_test_the_only_good_key_0000": ALL_PERMISSIONS})  # type: ignore[attr-defined]
    assert _connect(stripe_app).json()["response_action"] == "update"
    [update] = stripe_app.server.wait_for("views.update")
    shown = all_text(update.json_param("view")["blocks"])
    assert "Invalid Stripe API key" in shown and "/revbot connect" in shown
    with stripe_app.db.session() as session:
        assert get_connection(session, TEAM) is None
