"""``app_home_opened``: publish the App Home (connection card, figures, next brief)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.listeners.common import log_failure, team_of
from bot.listeners.home import publish_home
from bot.listeners.runtime import runtime_of


def on_home_opened(
    event: dict[str, Any], body: dict[str, Any], client: WebClient, context: Any
) -> None:
    if event.get("tab", "home") != "home":
        return
    try:
        publish_home(runtime_of(context), client, team_of(body, context), str(event["user"]))
    except Exception as exc:
        log_failure("publishing the App Home", exc)


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)
