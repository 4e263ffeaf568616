"""``/revbot webhooks``: the endpoint URL to give Stripe, and its signing secret."""

from __future__ import annotations

from bot.blocks.modals import webhooks_modal
from bot.listeners.commands.request import CommandRequest
from bot.webhooks import EVENT_TYPES, PLACEHOLDER_HOST


def needs_admin(request: CommandRequest) -> bool:
    return True


def run(request: CommandRequest) -> None:
    url = request.services.webhook_url(request.team)
    view = webhooks_modal(url, EVENT_TYPES, url.startswith(PLACEHOLDER_HOST))
    request.client.views_open(trigger_id=request.trigger_id, view=view)
