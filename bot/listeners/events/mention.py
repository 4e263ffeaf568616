"""``app_mention``: a question in a channel, answered in the message's thread."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.help import help_text
from bot.listeners.answering import answer_in_thread, clean_question
from bot.listeners.common import team_of
from bot.listeners.runtime import runtime_of


def on_mention(
    event: dict[str, Any], body: dict[str, Any], client: WebClient, context: Any
) -> None:
    channel = str(event["channel"])
    thread = str(event.get("thread_ts") or event["ts"])
    question = clean_question(str(event.get("text", "")))
    if not question:
        client.chat_postMessage(channel=channel, thread_ts=thread, text=help_text())
        return
    answer_in_thread(runtime_of(context), client, team_of(body, context), channel, thread, question)


def register(app: App) -> None:
    app.event("app_mention")(on_mention)
