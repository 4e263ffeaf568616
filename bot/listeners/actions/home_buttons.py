"""App Home buttons (admins): Connect, Re-sync, Configure webhooks, Disconnect."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.modals import connect_modal, disconnect_modal, webhooks_modal
from bot.listeners.common import FAILURE, REFUSAL, is_admin, log_failure, team_of, user_of
from bot.listeners.resync_flow import run_resync
from bot.listeners.runtime import Runtime, runtime_of
from usecases import connection, overview
from usecases.errors import UseCaseError


def _tell_dm(client: WebClient, user: str):  # type: ignore[no-untyped-def]
    def tell(text: str) -> None:
        client.chat_postMessage(channel=user, text=text)

    return tell


def _open(runtime: Runtime, client: WebClient, team: str, action: str, trigger: str) -> None:
    if action == "home_connect":
        last4 = overview.card(runtime.backend, team).key_last4
        client.views_open(trigger_id=trigger, view=connect_modal(last4))
    elif action == "home_webhooks":
        view = webhooks_modal(connection.webhook_setup(runtime.backend, team))
        client.views_open(trigger_id=trigger, view=view)
    elif action == "home_disconnect":
        client.views_open(trigger_id=trigger, view=disconnect_modal())


def on_home_button(ack: Ack, body: dict[str, Any], client: WebClient, context: Any) -> None:
    ack()
    runtime = runtime_of(context)
    team, user = team_of(body, context), user_of(body)
    action = str(body["actions"][0]["action_id"])
    tell = _tell_dm(client, user)
    try:
        if not is_admin(runtime, client, team, user):
            tell(REFUSAL)
            return
        if action == "home_resync":
            run_resync(runtime, client, team, user, user, full=False, tell=tell)
        else:
            _open(runtime, client, team, action, str(body.get("trigger_id", "")))
    except UseCaseError as exc:
        tell(str(exc))
    except Exception as exc:
        log_failure(f"home button {action}", exc)
        tell(FAILURE)


def register(app: App) -> None:
    for action in ("home_connect", "home_resync", "home_webhooks", "home_disconnect"):
        app.action(action)(on_home_button)
