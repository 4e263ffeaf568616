"""Reading a view submission: team, user, input values, and the admin re-check."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks.modals import result_modal
from bot.listeners.common import REFUSAL, is_admin, team_of, user_of
from bot.listeners.runtime import Runtime


def value(view: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    """The state entry of one input element (empty when missing)."""
    return dict(((view.get("state") or {}).get("values") or {}).get(block, {}).get(action) or {})


def text_value(view: dict[str, Any], block: str, action: str) -> str:
    return str(value(view, block, action).get("value") or "").strip()


def admin_or_refuse(
    ack: Ack, runtime: Runtime, client: WebClient, body: dict[str, Any], context: Any
) -> tuple[str, str] | None:
    """(team, user) when the submitter is an admin; otherwise acks with a refusal view."""
    team, user = team_of(body, context), user_of(body)
    if is_admin(runtime, client, team, user):
        return team, user
    ack(response_action="update", view=result_modal("Not allowed", REFUSAL))
    return None
