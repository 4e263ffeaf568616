"""The connect modal's submission: validate the key with Stripe, then store it.

Errors come back inline (``response_action=errors``). The key lives only in
this function's locals: never in private_metadata, logs or messages.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.modals import CONNECT, KEY_ACTION, KEY_BLOCK, result_modal
from bot.listeners.home import refresh_homes
from bot.listeners.runtime import Runtime
from bot.listeners.views.submission import InlineErrors, admin_submission, reject, text_value

PREFIXES = ("rk_live_", "rk_test_", "sk_live_", "sk_test_")
BAD_PREFIX = (
    "That doesn't look like a Stripe API key: expected a restricted key "
    "(rk_live_… or rk_test_…) or a secret key (sk_live_… or sk_test_…)."
)


@admin_submission
def on_connect(
    ack: Ack, runtime: Runtime, team: str, user: str, view: dict[str, Any], client: WebClient
) -> None:
    key = text_value(view, KEY_BLOCK, KEY_ACTION)
    if not key.startswith(PREFIXES):
        reject(ack, KEY_BLOCK, BAD_PREFIX)
        return
    with InlineErrors(ack, KEY_BLOCK, "connecting Stripe") as outcome:
        checked = runtime.services.connect(team, key, user)
    if outcome.failed:
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
