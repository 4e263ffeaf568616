"""Questions by DM, @mention and /revbot ask, answered in threads (shared world, local Stripe)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from storage.leases import acquire_lease, heartbeat
from storage.workspaces import ensure_workspace
from tests.bot.slack.blockkit import all_text, assert_valid_blocks
from tests.bot.slack.conftest import MEMBER, NOW, TEAM, SlackApp
from tests.bot.slack.world import public_question, sync_world
from tests.slack_server.server import Call
from usecases import asking


@pytest.fixture
def world_app(stripe_app: SlackApp, stripe_server: Any) -> SlackApp:
    sync_world(stripe_app.db, TEAM, stripe_server)
    return stripe_app


def _answer_in(app: SlackApp, thread: str, count: int = 1) -> list[Call]:
    return app.server.wait_for(
        "chat.postMessage", lambda c: c.params.get("thread_ts") == thread, count=count
    )


def test_dm_overdue_accounts_then_a_follow_up_in_the_thread(world_app: SlackApp) -> None:
    ts = world_app.http.dm("which accounts are overdue?", user=MEMBER, team=TEAM)
    [reply] = _answer_in(world_app, ts)
    assert reply.params["channel"] == f"D{MEMBER}"
    blocks = reply.json_param("blocks")
    assert_valid_blocks(blocks)
    shown = all_text(blocks)
    expected = public_question("p-od1")["expect"]["accounts"]
    for name in expected:
        assert name in shown, name
    assert reply.params["text"]  # plain-text fallback
    query = world_app.backend.threads.get(TEAM, f"D{MEMBER}", ts)
    assert query is not None and query.intent.value == "overdue_accounts"

    # A follow-up in the thread reuses the question, with the new period.
    world_app.http.dm("what about last month?", user=MEMBER, team=TEAM, thread_ts=ts)
    replies = _answer_in(world_app, ts, count=2)
    assert_valid_blocks(replies[1].json_param("blocks"))
    query = world_app.backend.threads.get(TEAM, f"D{MEMBER}", ts)
    assert query.intent.value == "overdue_accounts"
    assert query.period is not None
    assert (query.period.start, query.period.end) == (date(2027, 1, 1), date(2027, 1, 31))

    # The same words outside the thread start afresh: no previous question there.
    other = world_app.http.dm("what about last month?", user=MEMBER, team=TEAM)
    _answer_in(world_app, other)
    assert world_app.backend.threads.get(TEAM, f"D{MEMBER}", other).intent.value != (
        "overdue_accounts"
    )


def test_mention_and_slash_ask_are_answered_in_threads(world_app: SlackApp) -> None:
    event = {
        "type": "app_mention",
        "user": MEMBER,
        "text": "<@UREVBOT01> what's Sterling's MRR?",
        "ts": "1700002000.000100",
        "channel": "C0GENERAL",
        "event_ts": "1700002000.000100",
    }
    world_app.http.event(event, team=TEAM)
    [reply] = _answer_in(world_app, "1700002000.000100")
    assert reply.params["channel"] == "C0GENERAL"
    assert "Sterling Wealth" in all_text(reply.json_param("blocks"))

    # /revbot ask: the question is posted in the channel, the answer in its thread.
    world_app.http.command("ask which accounts are overdue?", user=MEMBER, team=TEAM)
    [question] = world_app.server.wait_for(
        "chat.postMessage", lambda c: "asked:" in c.params.get("text", "")
    )
    assert question.params["channel"] == "C0GENERAL"
    thread = question.response["ts"]
    [answer] = _answer_in(world_app, thread)
    assert "Everbright Solar" in all_text(answer.json_param("blocks"))


def test_ambiguous_account_offers_choices_and_a_click_answers(world_app: SlackApp) -> None:
    ts = world_app.http.dm("Blue's MRR", user=MEMBER, team=TEAM)
    [reply] = _answer_in(world_app, ts)
    blocks = reply.json_param("blocks")
    assert_valid_blocks(blocks)
    buttons = [
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("did_you_mean")
    ]
    labels = {b["text"]["text"] for b in buttons}
    assert labels == {"Blue Harbor Capital", "Blue Harbor Foods"}
    chosen = next(b for b in buttons if b["text"]["text"] == "Blue Harbor Foods")
    world_app.http.block_action(
        {
            "type": "button",
            "action_id": chosen["action_id"],
            "value": chosen["value"],
            "block_id": "did_you_mean",
        },
        user=MEMBER,
        team=TEAM,
        container={"type": "message", "channel_id": f"D{MEMBER}", "message_ts": "x"},
        message={"ts": "1700000000.000009", "thread_ts": ts, "text": reply.params["text"]},
    )
    replies = _answer_in(world_app, ts, count=2)
    assert "Blue Harbor Foods" in all_text(replies[1].json_param("blocks"))
    query = world_app.backend.threads.get(TEAM, f"D{MEMBER}", ts)
    assert query.account is not None and query.account.name == "Blue Harbor Foods"


def test_trend_answer_uploads_a_png_chart_or_sends_a_sparkline(world_app: SlackApp) -> None:
    ts = world_app.http.dm("MRR trend over the last 12 months", user=MEMBER, team=TEAM)
    [done] = world_app.server.wait_for("files.completeUploadExternal")
    assert done.params["channel_id"] == f"D{MEMBER}"
    assert done.params["thread_ts"] == ts
    [upload] = world_app.server.calls_to("upload")
    assert upload.raw.startswith(b"\x89PNG")
    [url_call] = world_app.server.calls_to("files.getUploadURLExternal")
    assert int(url_call.params["length"]) == len(upload.raw)

    # Where uploads are not allowed, a text sparkline goes to the thread instead.
    world_app.server.state.errors["files.getUploadURLExternal"] = "not_allowed_token_type"
    ts = world_app.http.dm("MRR trend over the last 12 months", user=MEMBER, team=TEAM)
    replies = _answer_in(world_app, ts, count=2)
    spark = replies[1].params["text"]
    assert any(bar in spark for bar in "▁▂▃▄▅▆▇█")
    assert "→" in spark


def test_questions_without_data_get_a_clear_message(stripe_app: SlackApp) -> None:
    ts = stripe_app.http.dm("which accounts are overdue?", user=MEMBER, team=TEAM)
    [reply] = _answer_in(stripe_app, ts)
    assert "No billing data is synced yet" in reply.params["text"]


def test_a_question_during_the_first_sync_is_told_it_is_running(stripe_app: SlackApp) -> None:
    """Nothing is synced yet, but a sync is at step 3: that, not "connect Stripe", is the news."""
    with stripe_app.db.session() as session:
        ensure_workspace(session, TEAM, NOW)
    lease = acquire_lease(stripe_app.db, TEAM, "worker", NOW - timedelta(minutes=4), 900)
    heartbeat(stripe_app.db, lease, NOW - timedelta(minutes=1), 900, step=3)
    ts = stripe_app.http.dm("which accounts are overdue?", user=MEMBER, team=TEAM)
    [reply] = _answer_in(stripe_app, ts)
    text = reply.params["text"]
    assert "first sync is still running (step 3 of 6, started 11:56)" in text, text
    assert "No billing data" not in text and "/revbot connect" not in text


def test_bot_messages_and_edits_are_not_questions(stripe_app: SlackApp) -> None:
    for extra in ({"subtype": "message_changed"}, {"bot_id": "B1"}):
        event = {
            "type": "message",
            "channel": "DX",
            "channel_type": "im",
            "user": MEMBER,
            "text": "hello",
            "ts": "1700003000.000001",
            **extra,
        }
        assert stripe_app.http.event(event, team=TEAM).status_code == 200
    import time

    time.sleep(0.3)
    assert stripe_app.server.calls_to("chat.postMessage") == []


def test_a_follow_up_after_a_no_data_answer_carries_the_question_over(
    stripe_app: SlackApp, stripe_server: Any
) -> None:
    ts = stripe_app.http.dm("failed payments this month", user=MEMBER, team=TEAM)
    [reply] = _answer_in(stripe_app, ts)
    assert "No billing data is synced yet" in reply.params["text"]
    stored = stripe_app.backend.threads.get(TEAM, f"D{MEMBER}", ts)
    assert stored is not None and stored.intent.value == "failed_payments"

    # Once data arrives, "and last month?" continues the question asked before it.
    sync_world(stripe_app.db, TEAM, stripe_server)
    stripe_app.http.dm("and last month?", user=MEMBER, team=TEAM, thread_ts=ts)
    replies = _answer_in(stripe_app, ts, count=2)
    query = stripe_app.backend.threads.get(TEAM, f"D{MEMBER}", ts)
    assert query.intent.value == "failed_payments"
    assert (query.period.start, query.period.end) == (date(2027, 1, 1), date(2027, 1, 31))
    direct = asking.ask(stripe_app.backend, TEAM, "failed payments last month", NOW)
    assert replies[1].params["text"] == direct.text
    assert_valid_blocks(replies[1].json_param("blocks"))
