"""Block actions: App Home buttons, the match picker, "did you mean" choices."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.actions import choices, home_buttons, match_pick


def register(app: App) -> None:
    home_buttons.register(app)
    match_pick.register(app)
    choices.register(app)
