"""The connect modal's submission: validate the key with Stripe, then store it.

Errors come back inline (``response_action=errors``). The key lives only in
this function's locals: never in private_metadata, logs or messages.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.modals import CONNECT, KEY_ACTION, KEY_BLOCK, result_modal
from bot.listeners.common import FAILURE, log_failure
from bot.listeners.home import refresh_homes
from bot.listeners.runtime import runtime_of
from bot.listeners.views.submission import admin_or_refuse, text_value
from bot.services import ServiceError

PREFIXES = ("rk_live_", "rk_test_", "sk_live_", "sk_test_")
BAD_PREFIX = (
    "That doesn't look like a Stripe API key: expected a restricted key "
    "(rk_live_… or rk_test_…) or a secret key (sk_live_… or sk_test_…)."
)


def on_connect(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any
) -> None:
    runtime = runtime_of(context)
    who = admin_or_refuse(ack, runtime, client, body, context)
    if who is None:
        return
    team, user = who
    key = text_value(view, KEY_BLOCK, KEY_ACTION)
    if not key.startswith(PREFIXES):
        ack(response_action="errors", errors={KEY_BLOCK: BAD_PREFIX})
        return
    try:
        checked = runtime.services.connect(team, key, user)
    except ServiceError as exc:
        ack(response_action="errors", errors={KEY_BLOCK: str(exc)[:150]})
        return
    except Exception as exc:
        log_failure("connecting Stripe", exc)
        ack(response_action="errors", errors={KEY_BLOCK: FAILURE[:150]})
        return
    del key  # nothing below needs the key itself
    account = f" to *{checked.account_name}*" if checked.account_name else ""
    lines = [f":white_check_mark: Connected{account} ({checked.mode} mode, key …{checked.last4})."]
    if checked.warning:
        lines.append(f":warning: {checked.warning}")
    lines.append("Run `/revbot resync` to load your billing data.")
    ack(response_action="update", view=result_modal("Stripe connected", "\n".join(lines)))
    refresh_homes(runtime, client, team)


def register(app: App) -> None:
    app.view(CONNECT)(on_connect)
