"""The scheduled brief reaches Slack: chat.postMessage on the local Slack server, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.brief_sender import brief_job, start_scheduler
from core.settings import Settings
from storage.db import Database
from storage.models import BriefDelivery
from storage.workspaces import ensure_workspace
from testkit.ledger_db import store_ledger
from tests.bot.slack.blockkit import all_text, assert_valid_blocks
from tests.slack_server import SlackServer
from tests.support.world import as_of, load_world_ledger

TEAM, OTHER = "T0000001", "T0000002"
TOKEN = "xoxb-0000001-brief-bot-token"
MONDAY_9_NY = datetime(2027, 2, 15, 14, 0, tzinfo=UTC)


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    server = SlackServer().start()
    server.state.tokens[TOKEN] = TEAM
    yield server
    server.stop()


def settings_for(server: SlackServer) -> Settings:
    values = {
        "REVBOT_SLACK_API_URL": server.api_url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": "test-signing-secret",
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_brief_is_posted_to_the_channel_once(db: Database, slack: SlackServer) -> None:
    with db.session() as session:
        store_ledger(session, TEAM, load_world_ledger(), as_of())
        for team in (TEAM, OTHER):  # the other team has no token here: never posted to
            ws = ensure_workspace(session, team, as_of())
            ws.brief_channel, ws.timezone = "C0BRIEF", "America/New_York"
    settings = settings_for(slack)
    outcomes = brief_job(settings, db, clock=lambda: MONDAY_9_NY + timedelta(minutes=2))()
    assert sorted((o.workspace_id, o.status) for o in outcomes) == [
        (TEAM, "sent"),
        (OTHER, "no_token"),
    ]
    [posted] = slack.calls_to("chat.postMessage")
    assert posted.token == TOKEN and posted.params["channel"] == "C0BRIEF"
    blocks = posted.json_param("blocks")
    assert_valid_blocks(blocks)
    text = all_text(blocks)
    assert "Monday Brief — week of Feb 15" in text and "Overdue invoices" in text
    assert "Mosaic Marketing" in posted.params["text"]
    # a second replica / restart later that day posts nothing more
    brief_job(settings, db, clock=lambda: MONDAY_9_NY + timedelta(hours=3))()
    assert len(slack.calls_to("chat.postMessage")) == 1
    with db.session() as session:
        rows = session.scalars(select(BriefDelivery)).all()
        assert [(r.workspace_id, r.week, r.channel) for r in rows] == [
            (TEAM, "2027-W07", "C0BRIEF")
        ]


def test_slack_refusal_is_retried_on_the_next_run(db: Database, slack: SlackServer) -> None:
    with db.session() as session:
        ws = ensure_workspace(session, TEAM, as_of())
        ws.brief_channel = "C0GONE"
    slack.state.errors["chat.postMessage"] = "channel_not_found"
    settings = settings_for(slack)
    now = datetime(2027, 2, 15, 9, 5, tzinfo=UTC)  # UTC workspace, Monday 09:05
    [failed] = brief_job(settings, db, clock=lambda: now)()
    assert failed.status == "failed_retry"
    slack.state.errors.clear()
    [sent] = brief_job(settings, db, clock=lambda: now + timedelta(minutes=1))()
    assert sent.status == "sent"
    ok = [c for c in slack.calls_to("chat.postMessage") if c.response.get("ok")]
    assert len(ok) == 1
    assert "No billing data" in all_text(ok[0].json_param("blocks"))


def test_background_scheduler_sends_a_brief_missed_while_down_at_start(
    db: Database, slack: SlackServer
) -> None:
    with db.session() as session:
        ensure_workspace(session, TEAM, as_of()).brief_channel = "C0BRIEF"
    # the service comes back at 15:00 on the brief's Monday (UTC workspace, 09:00 brief)
    scheduler = start_scheduler(
        settings_for(slack), db, clock=lambda: datetime(2027, 2, 15, 15, tzinfo=UTC)
    )
    try:
        [posted] = slack.wait_for("chat.postMessage", timeout=10)
        assert posted.params["channel"] == "C0BRIEF"
    finally:
        scheduler.shutdown(wait=True)
    assert len(slack.calls_to("chat.postMessage")) == 1
