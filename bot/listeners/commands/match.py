"""``/revbot match``: review unmatched and ambiguous Stripe customers with an account picker."""

from __future__ import annotations

from bot.blocks.match import match_blocks
from bot.listeners.commands.request import CommandRequest
from usecases import accounts


def needs_admin(request: CommandRequest) -> bool:
    return True


def run(request: CommandRequest) -> None:
    rows = accounts.customers_to_review(request.backend, request.team)
    if not rows:
        request.tell("Every Stripe customer is matched to an account. :tada:")
        return
    choices = accounts.account_choices(request.backend, request.team)
    text = f"{len(rows)} Stripe customers need an account."
    request.tell(text, match_blocks(rows, choices))
