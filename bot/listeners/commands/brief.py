"""``/revbot brief [preview|settings]``: the Monday Brief's preview and schedule."""

from __future__ import annotations

from bot.blocks.format import short_time
from bot.blocks.modals import brief_settings_modal
from bot.listeners.commands.request import CommandRequest
from storage.workspaces import ensure_workspace


def needs_admin(request: CommandRequest) -> bool:
    return request.args.strip().lower().startswith("settings")


def run(request: CommandRequest) -> None:
    what = request.args.strip().lower()
    services = request.services
    if what == "preview":
        text, blocks = services.brief_preview(request.team)
        request.tell(text, blocks)
        return
    if what.startswith("settings"):
        with services.db.session() as session:
            workspace = ensure_workspace(session, request.team, services.now())
            channel, day, at, zone = (
                workspace.brief_channel,
                workspace.brief_weekday,
                workspace.brief_time,
                workspace.timezone,
            )
        request.client.views_open(
            trigger_id=request.trigger_id, view=brief_settings_modal(channel, day, at, zone)
        )
        return
    if what:
        request.tell("Usage: `/revbot brief`, `/revbot brief preview` or `/revbot brief settings`.")
        return
    upcoming = services.next_brief_at(request.team)
    if upcoming is None:
        request.tell("No brief channel is set yet — an admin can run `/revbot brief settings`.")
        return
    when = short_time(upcoming, services.timezone(request.team), services.now())
    request.tell(f"The next Monday Brief goes out {when}. `/revbot brief preview` shows it now.")
