"""``/revbot admins [add|remove @user]``: revbot's own admin list (beside Slack admins)."""

from __future__ import annotations

import re

from bot.listeners.commands.request import CommandRequest
from usecases import workspace

USER = re.compile(r"<@(?P<id>[UW][A-Z0-9]+)(?:\|[^>]*)?>")
USAGE = "Usage: `/revbot admins`, `/revbot admins add @user` or `/revbot admins remove @user`."


def needs_admin(request: CommandRequest) -> bool:
    return bool(request.args.strip())


def run(request: CommandRequest) -> None:
    words = request.args.split(None, 1)
    if not words:
        users = workspace.admins(request.backend, request.team)
        listed = ", ".join(f"<@{u}>" for u in users) if users else "nobody yet"
        request.tell(f"revbot admins: Slack workspace admins and owners, plus {listed}.")
        return
    found = USER.search(words[1]) if len(words) > 1 else None
    if words[0].lower() not in ("add", "remove") or found is None:
        request.tell(USAGE)
        return
    user = found.group("id")
    if words[0].lower() == "add":
        changed = workspace.add_to_admins(request.backend, request.team, user, request.user)
        done = f"<@{user}> is now a revbot admin."
    else:
        changed = workspace.remove_from_admins(request.backend, request.team, user, request.user)
        done = f"<@{user}> is no longer on revbot's admin list."
    request.tell(done if changed else f"Nothing to change for <@{user}>.")
