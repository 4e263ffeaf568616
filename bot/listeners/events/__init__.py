"""Event listeners (Bolt acks events before running them)."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.events import home_opened, mention, messages, uninstall


def register(app: App) -> None:
    home_opened.register(app)
    mention.register(app)
    messages.register(app)
    uninstall.register(app)
