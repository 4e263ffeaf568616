"""``message.im``: a DM to the bot is a question, answered in its thread (follow-ups too)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.listeners.answering import answer_in_thread
from bot.listeners.common import team_of
from bot.listeners.runtime import runtime_of

# Edits, deletions, joins and bot posts are not questions.
IGNORED_SUBTYPES = frozenset(
    {"message_changed", "message_deleted", "bot_message", "channel_join", "thread_broadcast"}
)


def is_question(event: dict[str, Any]) -> bool:
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") not in IGNORED_SUBTYPES
        and not event.get("bot_id")
        and bool(str(event.get("text", "")).strip())
    )


def on_message(
    event: dict[str, Any], body: dict[str, Any], client: WebClient, context: Any
) -> None:
    if not is_question(event):
        return
    channel = str(event["channel"])
    thread = str(event.get("thread_ts") or event["ts"])
    answer_in_thread(
        runtime_of(context), client, team_of(body, context), channel, thread, str(event["text"])
    )


def register(app: App) -> None:
    app.event("message")(on_message)
