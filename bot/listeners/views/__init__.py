"""Modal submissions: admin rights are checked again on every one."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.views import brief_settings, confirmations, connect, webhooks


def register(app: App) -> None:
    connect.register(app)
    webhooks.register(app)
    confirmations.register(app)
    brief_settings.register(app)
