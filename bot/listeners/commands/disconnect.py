"""``/revbot disconnect``: behind a confirmation modal."""

from __future__ import annotations

from bot.blocks.modals import disconnect_modal
from bot.listeners.commands.request import CommandRequest


def needs_admin(request: CommandRequest) -> bool:
    return True


def run(request: CommandRequest) -> None:
    request.client.views_open(trigger_id=request.trigger_id, view=disconnect_modal())
