"""The webhooks modal's submission: store the endpoint's signing secret (encrypted)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.modals import SECRET_ACTION, SECRET_BLOCK, WEBHOOKS, result_modal
from bot.listeners.common import FAILURE, log_failure
from bot.listeners.runtime import runtime_of
from bot.listeners.views.submission import admin_or_refuse, text_value
from bot.services import ServiceError, last4


def on_webhooks(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any
) -> None:
    runtime = runtime_of(context)
    who = admin_or_refuse(ack, runtime, client, body, context)
    if who is None:
        return
    team, user = who
    secret = text_value(view, SECRET_BLOCK, SECRET_ACTION)
    if not secret.startswith("whsec_"):
        ack(
            response_action="errors",
            errors={SECRET_BLOCK: "Expected the endpoint's signing secret (whsec_…)."},
        )
        return
    try:
        runtime.services.set_webhook_secret(team, secret, user)
    except ServiceError as exc:
        ack(response_action="errors", errors={SECRET_BLOCK: str(exc)[:150]})
        return
    except Exception as exc:
        log_failure("saving the webhook secret", exc)
        ack(response_action="errors", errors={SECRET_BLOCK: FAILURE[:150]})
        return
    text = f":white_check_mark: Webhook signing secret …{last4(secret)} saved."
    ack(response_action="update", view=result_modal("Webhooks", text))


def register(app: App) -> None:
    app.view(WEBHOOKS)(on_webhooks)
