"""``app_uninstalled`` and ``tokens_revoked``: the team's tokens are removed."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.listeners.common import log_failure, team_of
from bot.listeners.runtime import runtime_of
from usecases import workspace

log = logging.getLogger(__name__)


def on_tokens_gone(event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
    runtime = runtime_of(context)
    team = team_of(body, context)
    try:
        if runtime.remove_tokens is not None:
            runtime.remove_tokens(team)
        runtime.home_viewers.forget_team(team)
        workspace.slack_tokens_removed(runtime.backend, team, str(event.get("type")))
        log.info("removed Slack tokens of team %s (%s)", team, event.get("type"))
    except Exception as exc:
        log_failure("removing a team's tokens", exc)


def register(app: App) -> None:
    app.event("app_uninstalled")(on_tokens_gone)
    app.event("tokens_revoked")(on_tokens_gone)
