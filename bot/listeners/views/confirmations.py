"""Disconnect and purge confirmations: the typed word must match; admins only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.modals import CONFIRM_ACTION, CONFIRM_BLOCK, DISCONNECT, PURGE, result_modal
from bot.listeners.home import refresh_homes
from bot.listeners.runtime import Runtime
from bot.listeners.views.submission import (
    InlineErrors,
    ViewListener,
    admin_submission,
    reject,
    text_value,
)
from usecases import connection

DONE = {
    DISCONNECT: (
        "Disconnected",
        "Stripe is disconnected: the key is deleted and syncing "
        "stopped. Synced data is kept, frozen.",
    ),
    PURGE: ("Purged", "This workspace's billing data is deleted."),
}


def _confirm(
    word: str, action: Callable[[Runtime, str, str], None], callback_id: str
) -> ViewListener:
    @admin_submission
    def on_submit(
        ack: Ack, runtime: Runtime, team: str, user: str, view: dict[str, Any], client: WebClient
    ) -> None:
        if text_value(view, CONFIRM_BLOCK, CONFIRM_ACTION).lower() != word:
            reject(ack, CONFIRM_BLOCK, f"Type {word} to confirm.")
            return
        with InlineErrors(ack, CONFIRM_BLOCK, callback_id) as outcome:
            action(runtime, team, user)
        if outcome.failed:
            return
        title, text = DONE[callback_id]
        ack(response_action="update", view=result_modal(title, text))
        refresh_homes(runtime, client, team)

    return on_submit


def register(app: App) -> None:
    app.view(DISCONNECT)(
        _confirm("disconnect", lambda r, t, u: connection.disconnect(r.backend, t, u), DISCONNECT)
    )
    app.view(PURGE)(_confirm("purge", lambda r, t, u: connection.purge(r.backend, t, u), PURGE))
