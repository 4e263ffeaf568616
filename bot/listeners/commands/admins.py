"""``/revbot admins [add|remove @user]``: revbot's own admin list (beside Slack admins)."""

from __future__ import annotations

import re

from bot.listeners.commands.request import CommandRequest
from storage.slack import add_admin, listed_admins, remove_admin
from storage.workspaces import audit

USER = re.compile(r"<@(?P<id>[UW][A-Z0-9]+)(?:\|[^>]*)?>")
USAGE = "Usage: `/revbot admins`, `/revbot admins add @user` or `/revbot admins remove @user`."


def needs_admin(request: CommandRequest) -> bool:
    return bool(request.args.strip())


def run(request: CommandRequest) -> None:
    words = request.args.split(None, 1)
    services = request.services
    if not words:
        with services.db.session() as session:
            users = listed_admins(session, request.team)
        listed = ", ".join(f"<@{u}>" for u in users) if users else "nobody yet"
        request.tell(f"revbot admins: Slack workspace admins and owners, plus {listed}.")
        return
    found = USER.search(words[1]) if len(words) > 1 else None
    if words[0].lower() not in ("add", "remove") or found is None:
        request.tell(USAGE)
        return
    user = found.group("id")
    with services.db.session() as session:
        if words[0].lower() == "add":
            changed = add_admin(session, request.team, user, request.user, services.now())
            action, done = "admins.add", f"<@{user}> is now a revbot admin."
        else:
            changed = remove_admin(session, request.team, user)
            action, done = "admins.remove", f"<@{user}> is no longer on revbot's admin list."
        if changed:
            audit(session, request.team, request.user, action, services.now(), {"user": user})
    request.tell(done if changed else f"Nothing to change for <@{user}>.")
