"""The webhooks modal's submission: store the endpoint's signing secret (encrypted)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.modals import SECRET_ACTION, SECRET_BLOCK, WEBHOOKS, result_modal
from bot.listeners.runtime import Runtime
from bot.listeners.views.submission import InlineErrors, admin_submission, reject, text_value
from usecases import connection
from usecases.audit import last4
from usecases.errors import NotConnected, UseCaseError

CONNECT_FIRST = "Connect Stripe first (`/revbot connect`), then set up webhooks."


@admin_submission
def on_webhooks(
    ack: Ack, runtime: Runtime, team: str, user: str, view: dict[str, Any], client: WebClient
) -> None:
    secret = text_value(view, SECRET_BLOCK, SECRET_ACTION)
    if not secret.startswith("whsec_"):
        reject(ack, SECRET_BLOCK, "Expected the endpoint's signing secret (whsec_…).")
        return
    with InlineErrors(ack, SECRET_BLOCK, "saving the webhook secret") as outcome:
        try:
            connection.set_webhook_secret(runtime.backend, team, secret, user)
        except NotConnected:
            raise UseCaseError(CONNECT_FIRST) from None
    if outcome.failed:
        return
    text = f":white_check_mark: Webhook signing secret …{last4(secret)} saved."
    ack(response_action="update", view=result_modal("Webhooks", text))


def register(app: App) -> None:
    app.view(WEBHOOKS)(on_webhooks)
