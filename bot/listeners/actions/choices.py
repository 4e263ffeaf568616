""" "Did you mean" buttons: answer again in the thread with the chosen account."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.answering import CHOICE_ACTION, answer_in_thread
from bot.listeners.common import team_of
from bot.listeners.runtime import runtime_of


def on_choice(ack: Ack, body: dict[str, Any], client: WebClient, context: Any) -> None:
    ack()
    action = body["actions"][0]
    try:
        name = str(json.loads(action.get("value") or "{}").get("name") or "")
    except ValueError:
        return
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id"))
    thread = str(message.get("thread_ts") or container.get("thread_ts") or message.get("ts"))
    if not name or not channel or not thread:
        return
    # A follow-up in the same thread: the stored query keeps the intent, the name fixes the account.
    answer_in_thread(
        runtime_of(context), client, team_of(body, context), channel, thread, f"what about {name}?"
    )


def register(app: App) -> None:
    app.action(re.compile(f"^{CHOICE_ACTION}_\\d+$"))(on_choice)
