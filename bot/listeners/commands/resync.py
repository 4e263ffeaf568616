"""``/revbot resync [full]``: a sync with a progress message walking the six steps."""

from __future__ import annotations

from bot.listeners.commands.request import CommandRequest
from bot.listeners.resync_flow import run_resync


def needs_admin(request: CommandRequest) -> bool:
    return True


def run(request: CommandRequest) -> None:
    full = request.args.strip().lower() == "full"
    if request.args.strip() and not full:
        request.tell("Usage: `/revbot resync` or `/revbot resync full`.")
        return
    request.tell("Starting a full sync…" if full else "Starting a sync…")
    run_resync(
        request.runtime,
        request.client,
        request.team,
        request.user,
        request.channel,
        full=full,
        tell=request.tell,
    )
