"""Slack-side storage: the workspace admin list and the OAuth installation stores.

The installation and state stores are slack_sdk's own SQLAlchemy stores on the
project's engine; their tables are created by the ``0002`` migration, never by
``create_tables()``. Uninstalling or revoking tokens removes a team's rows.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, delete, select
from sqlalchemy.orm import Session

from storage.models import WorkspaceAdmin
from storage.workspaces import ensure_workspace

OAUTH_STATE_SECONDS = 600


def listed_admins(session: Session, workspace_id: str) -> list[str]:
    """User ids on the workspace's own admin list, oldest first."""
    query = (
        select(WorkspaceAdmin.user_id)
        .where(WorkspaceAdmin.workspace_id == workspace_id)
        .order_by(WorkspaceAdmin.added_at, WorkspaceAdmin.user_id)
    )
    return list(session.scalars(query))


def is_listed_admin(session: Session, workspace_id: str, user_id: str) -> bool:
    return session.get(WorkspaceAdmin, (workspace_id, user_id)) is not None


def add_admin(
    session: Session, workspace_id: str, user_id: str, added_by: str, now: datetime
) -> bool:
    """Put ``user_id`` on the admin list; False when already there."""
    ensure_workspace(session, workspace_id, now)
    if is_listed_admin(session, workspace_id, user_id):
        return False
    session.add(
        WorkspaceAdmin(workspace_id=workspace_id, user_id=user_id, added_by=added_by, added_at=now)
    )
    return True


def remove_admin(session: Session, workspace_id: str, user_id: str) -> bool:
    """Take ``user_id`` off the admin list; False when not on it."""
    result = session.execute(
        delete(WorkspaceAdmin).where(
            WorkspaceAdmin.workspace_id == workspace_id, WorkspaceAdmin.user_id == user_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


def installation_store(engine: Engine, client_id: str) -> SQLAlchemyInstallationStore:
    """slack_sdk's installation store on our engine (tables from migration 0002)."""
    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine)


def oauth_state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=engine)


def remove_team_tokens(store: SQLAlchemyInstallationStore, team_id: str) -> None:
    """Delete every installation and bot token of ``team_id`` (uninstall/revoke).

    One transaction for both tables: slack_sdk's ``delete_all`` uses two, so a
    reader could see the bot token gone while the installation remained.
    """
    with store.engine.begin() as conn:
        conn.execute(store.bots.delete().where(store.bots.c.team_id == team_id))
        conn.execute(store.installations.delete().where(store.installations.c.team_id == team_id))


def bot_token_for(store: SQLAlchemyInstallationStore, team_id: str) -> str | None:
    """The team's current bot token, for work outside a Slack request (alerts, briefs)."""
    bot = store.find_bot(enterprise_id=None, team_id=team_id)
    return bot.bot_token if bot else None


def slack_metadata() -> MetaData:
    """slack_sdk's OAuth tables as one MetaData (for schema comparisons and autogenerate).

    Alembic's env and the migrations test compare against ``[storage.schema.metadata,
    slack_metadata()]`` so these tables are neither dropped nor reported.
    """
    metadata = MetaData()
    SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")
    SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    return metadata
