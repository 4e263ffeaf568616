"""``/revbot`` and its subcommands: ack first, then route to one small module each.

Admin-only subcommands answer non-admins with a polite ephemeral refusal.
Work after the ack runs in Bolt's listener thread, so the 3-second ack
deadline never depends on Stripe or the database.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.listeners.commands import (
    admins,
    alerts,
    ask,
    brief,
    connect,
    disconnect,
    fx,
    help,
    match,
    purge,
    resync,
    status,
    webhooks,
)
from bot.listeners.commands.request import CommandRequest
from bot.listeners.common import FAILURE, REFUSAL, is_admin, log_failure, team_of
from bot.listeners.runtime import runtime_of
from usecases.errors import UseCaseError

SUBCOMMANDS: dict[str, ModuleType] = {
    "help": help,
    "ask": ask,
    "status": status,
    "connect": connect,
    "resync": resync,
    "webhooks": webhooks,
    "match": match,
    "alerts": alerts,
    "brief": brief,
    "fx": fx,
    "admins": admins,
    "disconnect": disconnect,
    "purge": purge,
}


def split(text: str) -> tuple[str, str]:
    """``"resync full"`` -> ``("resync", "full")``; empty text is ``help``."""
    parts = (text or "").strip().split(None, 1)
    if not parts:
        return "help", ""
    return parts[0].lower(), parts[1].strip() if len(parts) > 1 else ""


def handle_revbot(
    ack: Ack, command: dict[str, Any], client: WebClient, context: Any, respond: Respond
) -> None:
    ack()
    name, args = split(command.get("text", ""))
    runtime = runtime_of(context)
    request = CommandRequest(
        runtime=runtime,
        client=client,
        respond=respond,
        team=team_of(command, context),
        user=str(command.get("user_id", "")),
        channel=str(command.get("channel_id", "")),
        args=args,
        trigger_id=str(command.get("trigger_id", "")),
        body=command,
    )
    module = SUBCOMMANDS.get(name)
    if module is None:
        # Anything else is a question: "/revbot who is overdue?" works like ask.
        module, request.args = ask, (command.get("text") or "").strip()
    try:
        if module.needs_admin(request) and not is_admin(
            runtime, client, request.team, request.user
        ):
            request.tell(REFUSAL)
            return
        module.run(request)
    except UseCaseError as exc:
        request.tell(str(exc))
    except Exception as exc:  # every error path answers the user
        log_failure(f"/revbot {name}", exc)
        request.tell(FAILURE)


def register(app: App) -> None:
    app.command("/revbot")(handle_revbot)
