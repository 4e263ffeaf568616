"""The ``/revbot match`` account picker: map one customer, admins only."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks.match import BLOCK_PREFIX, MATCH_ACTION, mapped_blocks
from bot.listeners.common import FAILURE, REFUSAL, is_admin, log_failure, team_of, user_of
from bot.listeners.runtime import runtime_of
from usecases import accounts
from usecases.errors import UseCaseError

ACCOUNT_GONE = "That account no longer exists — run `/revbot match` again."


def on_pick(
    ack: Ack, body: dict[str, Any], client: WebClient, context: Any, respond: Respond
) -> None:
    ack()
    runtime = runtime_of(context)
    team, user = team_of(body, context), user_of(body)
    action = body["actions"][0]
    customer = str(action.get("block_id", "")).removeprefix(BLOCK_PREFIX)
    account = str((action.get("selected_option") or {}).get("value", ""))
    try:
        if not is_admin(runtime, client, team, user):
            respond(text=REFUSAL, response_type="ephemeral", replace_original=False)
            return
        try:
            mapped = accounts.map_customer(runtime.backend, team, customer, account, user)
        except accounts.UnknownAccount:
            raise UseCaseError(ACCOUNT_GONE) from None
        except accounts.MappingRefused as exc:
            raise UseCaseError(f"Can't map that customer: {exc}") from None
        name = mapped.account.name if mapped.account else account
        respond(
            text=f"{customer} now belongs to {name}.",
            blocks=mapped_blocks(customer, name),
            response_type="ephemeral",
            replace_original=False,
        )
    except UseCaseError as exc:
        respond(text=str(exc), response_type="ephemeral", replace_original=False)
    except Exception as exc:
        log_failure("mapping a customer", exc)
        respond(text=FAILURE, response_type="ephemeral", replace_original=False)


def register(app: App) -> None:
    app.action(MATCH_ACTION)(on_pick)
