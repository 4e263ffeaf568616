"""``/revbot status``: the connection card, to the asker only."""

from __future__ import annotations

from bot.blocks.status import card_blocks, card_state
from bot.listeners.commands.request import CommandRequest
from bot.listeners.common import is_admin
from usecases import overview


def needs_admin(request: CommandRequest) -> bool:
    return False


def run(request: CommandRequest) -> None:
    backend = request.backend
    card = overview.card(backend, request.team)
    admin = is_admin(request.runtime, request.client, request.team, request.user)
    blocks = card_blocks(card, backend.timezone(request.team), backend.now(), admin=admin)
    last4 = f", key …{card.key_last4}" if card.key_last4 else ""
    text = f"Stripe connection: {card_state(card)}{last4}"
    request.tell(text, blocks)
