"""``/revbot purge``: behind a confirmation modal (admins only)."""

from __future__ import annotations

from bot.blocks.modals import purge_modal
from bot.listeners.commands.request import CommandRequest


def needs_admin(request: CommandRequest) -> bool:
    return True


def run(request: CommandRequest) -> None:
    request.client.views_open(trigger_id=request.trigger_id, view=purge_modal())
