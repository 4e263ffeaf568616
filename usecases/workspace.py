"""Workspace settings from Slack: the alerts channel, revbot's admin list, uninstalling; and
which workspace a front end shows when its own holds nothing yet (the demo)."""

from __future__ import annotations

from answers import has_data
from storage.accounts import has_imported_accounts
from storage.connections import get_connection
from storage.slack import add_admin, is_listed_admin, listed_admins, remove_admin
from storage.workspaces import ensure_workspace
from usecases.audit import record
from usecases.backend import Backend

# Where `revbot demo` loads the bundled demo account unless told otherwise.
DEMO_WORKSPACE = "demo"


def demo_in_place_of(backend: Backend, workspace_id: str) -> str | None:
    """The demo workspace, when ``workspace_id`` holds nothing of its own (no Stripe key, no
    client list, nothing synced) and the demo is loaded; otherwise None.

    A newcomer runs ``revbot demo`` and then the README's examples, which name no workspace:
    they should see the demo's figures rather than "nothing synced" until they connect their
    own Stripe account.
    """
    if workspace_id == DEMO_WORKSPACE:
        return None
    with backend.db.session() as session:
        if (
            get_connection(session, workspace_id) is not None
            or has_imported_accounts(session, workspace_id)
            or has_data(session, workspace_id)
        ):
            return None
        return DEMO_WORKSPACE if has_data(session, DEMO_WORKSPACE) else None


def set_alerts_channel(backend: Backend, workspace_id: str, channel_id: str, actor: str) -> None:
    """Post payment alerts in ``channel_id`` from now on."""
    now = backend.now()
    with backend.db.session() as session:
        ensure_workspace(session, workspace_id, now).alerts_channel = channel_id
        record(session, workspace_id, actor, "alerts.channel", now, {"channel": channel_id})


def admins(backend: Backend, workspace_id: str) -> list[str]:
    """User ids on revbot's own admin list (beside Slack's admins and owners), oldest first."""
    with backend.db.session() as session:
        return listed_admins(session, workspace_id)


def is_listed(backend: Backend, workspace_id: str, user_id: str) -> bool:
    with backend.db.session() as session:
        return is_listed_admin(session, workspace_id, user_id)


def add_to_admins(backend: Backend, workspace_id: str, user_id: str, actor: str) -> bool:
    """Put ``user_id`` on the admin list; False (and no record) when already there."""
    now = backend.now()
    with backend.db.session() as session:
        changed = add_admin(session, workspace_id, user_id, actor, now)
        if changed:
            record(session, workspace_id, actor, "admins.add", now, {"user": user_id})
    return changed


def remove_from_admins(backend: Backend, workspace_id: str, user_id: str, actor: str) -> bool:
    """Take ``user_id`` off the admin list; False (and no record) when not on it."""
    now = backend.now()
    with backend.db.session() as session:
        changed = remove_admin(session, workspace_id, user_id)
        if changed:
            record(session, workspace_id, actor, "admins.remove", now, {"user": user_id})
    return changed


def slack_tokens_removed(backend: Backend, workspace_id: str, event_type: str) -> None:
    """Slack uninstalled the app or revoked its tokens (``event_type``): forget the team's
    thread contexts and record it."""
    backend.threads.forget_team(workspace_id)
    with backend.db.session() as session:
        record(session, workspace_id, "slack", f"slack.{event_type}", backend.now())
