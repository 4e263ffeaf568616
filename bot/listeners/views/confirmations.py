"""Disconnect and purge confirmations: the typed word must match; admins only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.modals import CONFIRM_ACTION, CONFIRM_BLOCK, DISCONNECT, PURGE, result_modal
from bot.listeners.common import FAILURE, log_failure
from bot.listeners.home import refresh_homes
from bot.listeners.runtime import Runtime, runtime_of
from bot.listeners.views.submission import admin_or_refuse, text_value
from bot.services import ServiceError

DONE = {
    DISCONNECT: (
        "Disconnected",
        "Stripe is disconnected: the key is deleted and syncing "
        "stopped. Synced data is kept, frozen.",
    ),
    PURGE: ("Purged", "This workspace's billing data is deleted."),
}


def _confirm(word: str, action: Callable[[Runtime, str, str], None], callback_id: str) -> Any:
    def on_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any
    ) -> None:
        runtime = runtime_of(context)
        who = admin_or_refuse(ack, runtime, client, body, context)
        if who is None:
            return
        team, user = who
        if text_value(view, CONFIRM_BLOCK, CONFIRM_ACTION).lower() != word:
            ack(response_action="errors", errors={CONFIRM_BLOCK: f"Type {word} to confirm."})
            return
        try:
            action(runtime, team, user)
        except ServiceError as exc:
            ack(response_action="errors", errors={CONFIRM_BLOCK: str(exc)[:150]})
            return
        except Exception as exc:
            log_failure(callback_id, exc)
            ack(response_action="errors", errors={CONFIRM_BLOCK: FAILURE[:150]})
            return
        title, text = DONE[callback_id]
        ack(response_action="update", view=result_modal(title, text))
        refresh_homes(runtime, client, team)

    return on_submit


def register(app: App) -> None:
    app.view(DISCONNECT)(
        _confirm("disconnect", lambda r, t, u: r.services.disconnect(t, u), DISCONNECT)
    )
    app.view(PURGE)(_confirm("purge", lambda r, t, u: r.services.purge(t, u), PURGE))
