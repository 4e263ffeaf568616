"""The app behind Bolt's real request path: health, signatures, help, status, App Home."""

from __future__ import annotations

import time

from tests.bot.slack.blockkit import all_text, assert_valid_blocks, assert_valid_view
from tests.bot.slack.conftest import ADMIN, BOT_TOKEN, MEMBER, NOW, OWNER, TEAM, SlackApp
from tests.bot.slack.seed import seed_connection, seed_figures


def test_healthz(app: SlackApp) -> None:
    response = app.http.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_auth_test_at_start_goes_to_the_configured_api(app: SlackApp) -> None:
    calls = app.server.calls_to("auth.test")
    assert calls and calls[0].token == BOT_TOKEN


def test_bad_signature_gets_401(app: SlackApp) -> None:
    response = app.http.command("help", user=MEMBER, team=TEAM, secret="wrong-secret")
    assert response.status_code == 401
    time.sleep(0.2)
    assert app.server.calls_to("response") == []


def test_stale_timestamp_gets_401(app: SlackApp) -> None:
    response = app.http.command("help", user=MEMBER, team=TEAM, age=60 * 10)
    assert response.status_code == 401


def test_help_acks_then_answers_ephemerally(app: SlackApp) -> None:
    started = time.monotonic()
    response = app.http.command("help", user=MEMBER, team=TEAM)
    assert response.status_code == 200
    assert time.monotonic() - started < 3
    [reply] = app.server.wait_for("response")
    assert reply.params["response_type"] == "ephemeral"
    blocks = reply.json_param("blocks")
    assert_valid_blocks(blocks)
    text = all_text(blocks)
    for sub in ("ask", "status", "connect", "resync", "match", "alerts", "purge"):
        assert f"/revbot {sub}" in text


def test_empty_command_is_help(app: SlackApp) -> None:
    app.http.command("", user=MEMBER, team=TEAM)
    [reply] = app.server.wait_for("response")
    assert "/revbot connect" in all_text(reply.json_param("blocks"))


def test_status_not_connected(app: SlackApp) -> None:
    app.http.command("status", user=MEMBER, team=TEAM)
    [reply] = app.server.wait_for("response")
    assert "not connected" in reply.params["text"].lower()
    assert_valid_blocks(reply.json_param("blocks"))


def test_status_shows_the_card_with_last4_only(app: SlackApp) -> None:
    seed_connection(app.db, TEAM, NOW, last4="9XyZ")
    app.http.command("status", user=MEMBER, team=TEAM)
    [reply] = app.server.wait_for("response")
    blocks = reply.json_param("blocks")
    assert_valid_blocks(blocks)
    text = all_text(blocks)
    assert "…9XyZ" in text
    assert "12 customers" in text and "40 invoices" in text
    assert "1 ambiguous" in text
    # members get no admin buttons
    assert not any(b["type"] == "actions" for b in blocks)


def _open_home(app: SlackApp, user: str) -> dict:
    app.http.event(
        {
            "type": "app_home_opened",
            "user": user,
            "tab": "home",
            "channel": "D1",
            "event_ts": "1700000000.1",
        },
        team=TEAM,
    )
    [call] = app.server.wait_for("views.publish", lambda c: c.params["user_id"] == user)
    return call.json_param("view")


def test_app_home_connection_card_and_headline(app: SlackApp) -> None:
    seed_connection(app.db, TEAM, NOW, last4="7777")
    seed_figures(
        app.db,
        TEAM,
        NOW,
        [
            {"id": "acc_1", "name": "Acme", "mrr": "1000.00", "overdue": "250.00"},
            {"id": "acc_2", "name": "Globex", "mrr": "400.00"},
        ],
    )
    view = _open_home(app, ADMIN)
    assert view["type"] == "home"
    assert_valid_view(view)
    text = all_text(view["blocks"])
    assert "…7777" in text and "test" in text
    assert "$1,400.00" in text  # MRR
    assert "$16,800.00" in text  # ARR
    assert "$250.00" in text  # overdue
    assert "Acme Billing" in text
    action_ids = {
        e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
    }
    assert action_ids == {"home_resync", "home_webhooks", "home_disconnect"}


def test_app_home_member_sees_no_admin_buttons(app: SlackApp) -> None:
    seed_connection(app.db, TEAM, NOW)
    view = _open_home(app, MEMBER)
    assert_valid_view(view)
    assert not any(b["type"] == "actions" for b in view["blocks"])


def test_owner_counts_as_admin(app: SlackApp) -> None:
    seed_connection(app.db, TEAM, NOW)
    view = _open_home(app, OWNER)
    assert any(b["type"] == "actions" for b in view["blocks"])


def test_app_home_shows_error_state(app: SlackApp) -> None:
    seed_connection(app.db, TEAM, NOW, error="Invalid Stripe API key")
    view = _open_home(app, MEMBER)
    assert "Invalid Stripe API key" in all_text(view["blocks"])
