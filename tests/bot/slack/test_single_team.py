"""Single-workspace mode answers its own team only (issue 13 item 5).

The bot token belongs to ``TEAM`` (the local Slack server's ``auth.test`` says
so). Signed requests naming ``OTHER_TEAM`` — whose workspace holds data in the
same database — are refused before any listener runs: 403, one log line, no
Web API call, nothing of the other workspace's data posted anywhere.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
from slack_bolt.request import BoltRequest

from bot.app import build_app
from storage.db import Database
from tests.bot.slack.conftest import (
    ADMIN,
    BOT_TOKEN,
    MEMBER,
    NOW,
    OTHER_TEAM,
    TEAM,
    SlackApp,
    make_settings,
)
from tests.bot.slack.harness import text_input
from tests.bot.slack.seed import seed_connection, seed_figures
from tests.slack_server import SlackServer

SECRET_NAME = "Zephyr Other Co"


@pytest.fixture
def two_teams(app: SlackApp) -> SlackApp:
    for team, name in ((TEAM, "Acme Own"), (OTHER_TEAM, SECRET_NAME)):
        seed_connection(app.db, team, NOW, name=name)
        seed_figures(app.db, team, NOW, [{"id": "acc_1", "name": name, "mrr": "900.00"}])
    return app


def _requests_from(app: SlackApp, team: str) -> dict[str, Any]:
    http = app.http
    return {
        "command": http.command("ask what is Zephyr's MRR?", user=ADMIN, team=team),
        "status": http.command("status", user=ADMIN, team=team),
        "dm": http.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": f"D{MEMBER}",
                "user": MEMBER,
                "text": "who is overdue?",
                "ts": "1700003000.000100",
                "event_ts": "1700003000.000100",
            },
            team=team,
        ),
        "mention": http.event(
            {
                "type": "app_mention",
                "user": MEMBER,
                "text": "<@UREVBOT01> MRR?",
                "ts": "1700003000.000200",
                "channel": "C0GENERAL",
                "event_ts": "1700003000.000200",
            },
            team=team,
        ),
        "home": http.event(
            {"type": "app_home_opened", "user": MEMBER, "tab": "home", "event_ts": "1.2"},
            team=team,
        ),
        "uninstalled": http.event({"type": "app_uninstalled", "event_ts": "1.3"}, team=team),
        "action": http.block_action(
            {"action_id": "home_resync", "type": "button", "value": "x"}, user=ADMIN, team=team
        ),
        "view": http.submit_view(
            "connect_modal",
            text_input("key", "key", "rk_test_" + "a" * 30),
            user=ADMIN,
            team=team,
        ),
    }


def test_requests_naming_another_team_are_refused_before_any_listener(
    two_teams: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    before = len(two_teams.server.calls)
    with caplog.at_level(logging.WARNING):
        responses = _requests_from(two_teams, OTHER_TEAM)
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 403)
    refused = [r for r in caplog.records if "this revbot serves team" in r.getMessage()]
    assert len(refused) == len(responses)
    assert all(OTHER_TEAM in r.getMessage() and r.exc_info is None for r in refused)

    # The workspace's own requests are answered (so the listeners were there to run) ...
    ts = two_teams.http.dm("what is the MRR of Acme Own?", user=MEMBER, team=TEAM)
    two_teams.server.wait_for("chat.postMessage", lambda c: c.params.get("thread_ts") == ts)
    time.sleep(0.3)  # anything the refused requests had started would have called out by now
    # ... and nothing after the refusals served the other team or showed its data.
    later = two_teams.server.calls[before:]
    # (Bolt's own auth.test runs once, lazily, at the first authorized request.)
    answering = {"users.info", "auth.test"}
    assert [c for c in later if c.params.get("thread_ts") != ts and c.method not in answering] == []
    assert SECRET_NAME not in json.dumps([c.params for c in later])


def test_a_team_named_only_inside_the_payload_counts_too(
    two_teams: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    body = {
        "type": "block_actions",
        "user": {"id": ADMIN, "team_id": OTHER_TEAM},
        "api_app_id": "AREVBOT01",
        "trigger_id": "t-1",
        "container": {"type": "view", "view_id": "VHOME"},
        "actions": [{"action_id": "home_resync", "type": "button", "action_ts": "1.1"}],
    }
    with caplog.at_level(logging.WARNING):
        response = two_teams.http.post_payload(body)
    assert response.status_code == 403


def test_the_own_team_is_still_served(two_teams: SlackApp) -> None:
    response = two_teams.http.command("status", user=ADMIN, team=TEAM)
    assert response.status_code == 200
    [reply] = two_teams.server.wait_for("response")
    assert "Acme Own" in json.dumps(reply.params)


def test_socket_mode_refuses_another_team_too(
    slack: SlackServer, slack_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(slack, SLACK_APP_TOKEN="xapp-1-A-1-abc", SLACK_BOT_TOKEN=BOT_TOKEN)
    bolt = build_app(settings, slack_db)
    body = {
        "team_id": OTHER_TEAM,
        "api_app_id": "AREVBOT01",
        "type": "event_callback",
        "event_id": "Ev1",
        "event_time": 1,
        "event": {"type": "app_home_opened", "user": MEMBER, "tab": "home", "event_ts": "1.2"},
        "authorizations": [{"team_id": OTHER_TEAM, "user_id": "UREVBOT01", "is_bot": True}],
    }
    with caplog.at_level(logging.WARNING):
        response = bolt.dispatch(BoltRequest(body=json.dumps(body), mode="socket_mode"))
    assert response.status == 403
    assert [r for r in caplog.records if "this revbot serves team T0000001" in r.getMessage()]
    time.sleep(0.3)
    assert slack.calls_to("views.publish") == []


def test_start_fails_naming_the_token_when_auth_test_fails(
    slack: SlackServer, slack_db: Database
) -> None:
    slack.state.errors["auth.test"] = "invalid_auth"
    settings = make_settings(slack, SLACK_BOT_TOKEN=BOT_TOKEN)
    with pytest.raises(Exception, match=r"SLACK_BOT_TOKEN.*invalid_auth"):
        build_app(settings, slack_db)
