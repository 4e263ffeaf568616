"""``/revbot connect``: opens the key modal (the key is never typed in a channel)."""

from __future__ import annotations

from bot.blocks.modals import connect_modal
from bot.listeners.commands.request import CommandRequest
from usecases import overview


def needs_admin(request: CommandRequest) -> bool:
    return True


def run(request: CommandRequest) -> None:
    card = overview.card(request.backend, request.team)
    request.client.views_open(trigger_id=request.trigger_id, view=connect_modal(card.key_last4))
