"""``/revbot brief [preview|settings]``: the Monday Brief's preview and schedule."""

from __future__ import annotations

from bot.blocks.format import short_time
from bot.blocks.modals import brief_settings_modal
from bot.listeners.commands.request import CommandRequest
from briefs.render import render
from usecases import briefing


def needs_admin(request: CommandRequest) -> bool:
    return request.args.strip().lower().startswith("settings")


def run(request: CommandRequest) -> None:
    what = request.args.strip().lower()
    backend = request.backend
    if what == "preview":
        rendered = render(briefing.preview(backend, request.team))
        request.tell(rendered.text, rendered.blocks)
        return
    if what.startswith("settings"):
        current = briefing.settings(backend, request.team)
        view = brief_settings_modal(current.channel, current.weekday, current.at, current.timezone)
        request.client.views_open(trigger_id=request.trigger_id, view=view)
        return
    if what:
        request.tell("Usage: `/revbot brief`, `/revbot brief preview` or `/revbot brief settings`.")
        return
    upcoming = briefing.next_brief(backend, request.team)
    if upcoming is None:
        request.tell("No brief channel is set yet — an admin can run `/revbot brief settings`.")
        return
    when = short_time(upcoming, backend.timezone(request.team), backend.now())
    request.tell(f"The next Monday Brief goes out {when}. `/revbot brief preview` shows it now.")
