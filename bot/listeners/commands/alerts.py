"""``/revbot alerts #channel``: where payment alerts are posted."""

from __future__ import annotations

import re

from bot.listeners.commands.request import CommandRequest
from usecases import workspace

# With should_escape, Slack sends "#general" as "<#C0123|general>".
CHANNEL = re.compile(r"<#(?P<id>[CG][A-Z0-9]+)(?:\|[^>]*)?>")


def needs_admin(request: CommandRequest) -> bool:
    return True


def run(request: CommandRequest) -> None:
    found = CHANNEL.search(request.args)
    if found is None:
        request.tell("Usage: `/revbot alerts #channel` — pick the channel with `#`.")
        return
    channel = found.group("id")
    workspace.set_alerts_channel(request.backend, request.team, channel, request.user)
    request.tell(
        f"Payment alerts will be posted in <#{channel}>. "
        "If it is a private channel, invite me there with `/invite @revbot`."
    )
