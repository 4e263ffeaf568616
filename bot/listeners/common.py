"""Helpers shared by listeners: who is asking, in which team, and may they administer."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.listeners.runtime import Runtime
from bot.single_team import request_team
from usecases import workspace

log = logging.getLogger(__name__)

REFUSAL = (
    "Sorry — only Slack workspace admins and owners, or people on revbot's admin list, "
    "can do that. Ask an admin to run it, or to add you with `/revbot admins add @you`."
)
FAILURE = "Sorry, something went wrong on my side. The details are in revbot's log."


def sentence(error: Exception) -> str:
    """A use case's error as a Slack sentence (capitalised, with a full stop)."""
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def team_of(body: dict[str, Any], context: Any) -> str:
    """The Slack team (revbot workspace) of a request."""
    team = request_team(body, context)
    if not team:
        raise ValueError("request without a team id")
    return team


def user_of(body: dict[str, Any]) -> str:
    user = body.get("user_id") or body.get("user")
    if isinstance(user, dict):
        user = user.get("id")
    return str(user or "")


def is_admin(runtime: Runtime, client: WebClient, team: str, user: str) -> bool:
    """Slack admin/owner (users.info), or on the workspace's own admin list."""
    if not user:
        return False
    if workspace.is_listed(runtime.backend, team, user):
        return True
    try:
        info = client.users_info(user=user)
    except SlackApiError as exc:
        log.warning("users.info failed for an admin check: %s", exc.response.get("error"))
        return False
    profile = info.get("user") or {}
    return bool(profile.get("is_admin") or profile.get("is_owner"))


def log_failure(what: str, exc: BaseException) -> None:
    """Log an unexpected failure (the logging filter redacts any secret in it)."""
    log.error("%s failed: %s: %s", what, type(exc).__name__, exc, exc_info=exc)
