"""``/revbot webhooks``: the endpoint URL to give Stripe, and its signing secret."""

from __future__ import annotations

from bot.blocks.modals import webhooks_modal
from bot.listeners.commands.request import CommandRequest
from usecases import connection


def needs_admin(request: CommandRequest) -> bool:
    return True


def run(request: CommandRequest) -> None:
    view = webhooks_modal(connection.webhook_setup(request.backend, request.team))
    request.client.views_open(trigger_id=request.trigger_id, view=view)
