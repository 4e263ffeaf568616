"""Which bot token posts into a workspace: alerts and Monday Briefs ask here.

With OAuth installs (``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET``) it is the team's
installation's token. In single-team mode it is ``SLACK_BOT_TOKEN``, but only for
that token's own team (asked once with ``auth.test``), so a message meant for
another workspace id (the CLI's ``local``, an old team) is never posted with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient

from core.settings import Settings
from storage.db import Database
from storage.slack import bot_token_for, installation_store

log = logging.getLogger(__name__)

TokenFor = Callable[[str], "str | None"]


def token_resolver(settings: Settings, db: Database) -> TokenFor:
    """A workspace's bot token: the OAuth installation's, or the single-team token for its team."""
    if settings.slack_client_id and settings.slack_client_secret is not None:
        store = installation_store(db.engine, settings.slack_client_id)
        return lambda team: bot_token_for(store, team)
    if settings.slack_bot_token is None:
        return lambda team: None
    token = settings.slack_bot_token.get_secret_value()
    teams: list[str] = []

    def single(team: str) -> str | None:
        if not teams:  # the token's own team, asked once (never post to another workspace)
            try:
                found = WebClient(token=token, base_url=settings.slack_api_url).auth_test()
                teams.append(str(found.get("team_id") or ""))
            except Exception:
                log.warning("auth.test failed; posting waits for the next run")
                return None
        return token if team == teams[0] else None

    return single
