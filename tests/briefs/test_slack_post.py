"""The scheduled brief reaches Slack: chat.postMessage on the local Slack server, once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.brief_sender import brief_job, slack_finder, start_scheduler
from briefs.scheduled import Due, brief_metadata, claim
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


def test_a_running_clock_and_a_short_check_interval_send_the_brief_when_nine_passes(
    db: Database, slack: SlackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.session() as session:
        ensure_workspace(session, TEAM, as_of()).brief_channel = "C0BRIEF"  # UTC, Monday 09:00
    # Half a second before nine on the brief's Monday, running: the first check (at start)
    # finds nothing due; a later one, REVBOT_BRIEF_CHECK_SECONDS after, sends.
    monkeypatch.setenv("REVBOT_NOW", "2027-02-15T08:59:59.500000Z+running")
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        REVBOT_SLACK_API_URL=slack.api_url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET="test-signing-secret",
        REVBOT_BRIEF_CHECK_SECONDS=0.2,
    )
    scheduler = start_scheduler(settings, db)
    try:
        [posted] = slack.wait_for("chat.postMessage", timeout=20)
    finally:
        scheduler.shutdown(wait=True)
    assert posted.params["channel"] == "C0BRIEF"
    assert len(slack.calls_to("chat.postMessage")) == 1
    with db.session() as session:
        [row] = session.scalars(select(BriefDelivery)).all()
    assert (row.week, row.status) == ("2027-W07", "sent")
    assert row.sent_at >= datetime(2027, 2, 15, 9, tzinfo=UTC)  # sent on the running clock


def test_the_posted_brief_carries_metadata_that_history_returns_only_when_asked(
    db: Database, slack: SlackServer
) -> None:
    with db.session() as session:
        ensure_workspace(session, TEAM, as_of()).brief_channel = "C0BRIEF"
    slack.state.members.add("C0BRIEF")
    now = datetime(2027, 2, 15, 9, 5, tzinfo=UTC)
    [sent] = brief_job(settings_for(slack), db, clock=lambda: now)()
    assert sent.status == "sent"
    [posted] = slack.calls_to("chat.postMessage")
    wanted = {
        "event_type": "revbot_brief",
        "event_payload": {"workspace_id": TEAM, "week": "2027-W07"},
    }
    assert posted.json_param("metadata") == wanted
    client = WebClient(token=TOKEN, base_url=slack.api_url)
    plain = client.conversations_history(channel="C0BRIEF")["messages"]
    assert [m.get("metadata") for m in plain] == [None]
    [full] = client.conversations_history(channel="C0BRIEF", include_all_metadata=True)["messages"]
    assert full["metadata"] == wanted
    with db.session() as session:
        [row] = session.scalars(select(BriefDelivery)).all()
    assert row.message_ts == full["ts"] == posted.response["ts"]


def test_the_finder_pages_the_channel_and_needs_to_be_in_it(slack: SlackServer) -> None:
    finder = slack_finder(settings_for(slack), lambda ws: TOKEN)
    due = Due(TEAM, "C0BRIEF", "2027-W07")
    since = datetime.now(UTC) - timedelta(minutes=1)
    with pytest.raises(SlackApiError, match="not_in_channel"):
        finder(TEAM, "C0BRIEF", brief_metadata(due), since)
    slack.state.members.add("C0BRIEF")
    assert finder(TEAM, "C0BRIEF", brief_metadata(due), since) is None
    client = WebClient(token=TOKEN, base_url=slack.api_url)
    brief = client.chat_postMessage(channel="C0BRIEF", text="brief", metadata=brief_metadata(due))
    for n in range(450):  # chatter after it: the brief is on the third page
        slack.keep("C0BRIEF", {"type": "message", "ts": slack.next_ts(), "text": f"m{n}"})
    assert finder(TEAM, "C0BRIEF", brief_metadata(due), since) == brief["ts"]
    pages = [c for c in slack.calls_to("conversations.history") if c.response.get("ok")]
    assert len(pages) == 4 and pages[-1].params.get("cursor")
    # from after the brief was posted it is not found
    assert finder(TEAM, "C0BRIEF", brief_metadata(due), datetime.now(UTC)) is None
    # another week's brief is not this one
    other = Due(TEAM, "C0BRIEF", "2027-W08")
    assert finder(TEAM, "C0BRIEF", brief_metadata(other), since) is None


def test_malformed_metadata_is_refused_as_slack_does(slack: SlackServer) -> None:
    client = WebClient(token=TOKEN, base_url=slack.api_url)
    for bad in (
        {"event_type": "revbot_brief"},
        {"event_payload": {}},
        {"event_type": "", "event_payload": {}},
    ):
        with pytest.raises(SlackApiError, match="invalid_metadata_format"):
            client.chat_postMessage(channel="C0BRIEF", text="x", metadata=bad)
    assert slack.history("C0BRIEF") == []


def test_a_taken_over_week_already_in_slack_is_recorded_not_reposted(
    db: Database, slack: SlackServer
) -> None:
    with db.session() as session:
        ensure_workspace(session, TEAM, as_of()).brief_channel = "C0BRIEF"
    slack.state.members.add("C0BRIEF")
    now = datetime(2027, 2, 15, 9, 5, tzinfo=UTC)
    due = Due(TEAM, "C0BRIEF", "2027-W07")
    settings = settings_for(slack)
    # a replica claimed 11 minutes ago, posted, and died before recording it
    assert claim(db, due, now, holder="dead", wall=datetime.now(UTC) - timedelta(minutes=11))
    client = WebClient(token=TOKEN, base_url=slack.api_url)
    client.chat_postMessage(channel="C0BRIEF", text="Monday Brief", metadata=brief_metadata(due))
    [found] = brief_job(settings, db, clock=lambda: now)()
    assert found.status == "found_sent"
    assert len(slack.calls_to("chat.postMessage")) == 1
    with db.session() as session:
        [row] = session.scalars(select(BriefDelivery)).all()
    assert row.status == "sent" and row.message_ts == slack.history("C0BRIEF")[0]["ts"]
