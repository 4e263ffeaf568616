"""The Bolt app factory: one function for Socket Mode, single-team HTTP and OAuth HTTP.

- Socket Mode (``SLACK_APP_TOKEN`` + ``SLACK_BOT_TOKEN``): one workspace.
- HTTP with ``SLACK_BOT_TOKEN`` + ``SLACK_SIGNING_SECRET``: one workspace.
  In both single-workspace modes a request naming another team is refused
  before any listener runs (:mod:`bot.single_team`).
- HTTP with ``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET`` + ``SLACK_SIGNING_SECRET``:
  OAuth install for many workspaces, tokens in slack_sdk's SQLAlchemy stores on
  the project's database (tables from migration 0002).

Every Web API call goes to ``REVBOT_SLACK_API_URL``: the app's WebClient (and
so every per-request client, ``auth.test`` at start and ``oauth.v2.access``)
uses it as ``base_url``.
"""

from __future__ import annotations

import logging
from typing import Literal

from slack_bolt import App
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

from bot.listeners import register_all
from bot.listeners.runtime import Runtime
from bot.single_team import OnlyTeam, token_team
from core.settings import Settings, SettingsError
from storage.db import Database
from storage.slack import installation_store, oauth_state_store, remove_team_tokens
from usecases.backend import Backend

log = logging.getLogger(__name__)

Mode = Literal["socket", "http", "oauth"]

# The bot scopes the OAuth install asks for and manifest.yml lists (bot/manifest.py builds
# it from this). Exactly what the code uses: tests/bot/slack/test_manifest.py derives the
# Web API methods called, events subscribed and features from the code and fails on a
# missing scope as well as on an unused one.
BOT_SCOPES = (
    "app_mentions:read",  # the app_mention event
    "channels:history",  # conversations.history: is a taken-over week's brief already posted?
    "chat:write",  # chat.postMessage, chat.update
    "chat:write.public",  # alerts and briefs go to admin-chosen channels the bot never joined
    "commands",  # the /revbot slash command
    "files:write",  # files_upload_v2: trend charts
    "groups:history",  # the same, when the brief channel is private
    "im:history",  # the message.im event (DMs to the bot)
    "users:read",  # users.info: is the user a workspace admin or owner?
)
INSTALL_PATH = "/slack/install"
NO_SLACK_APP = (
    "no Slack app configured: set SLACK_APP_TOKEN and SLACK_BOT_TOKEN for Socket Mode "
    "(one workspace), or SLACK_SIGNING_SECRET with SLACK_BOT_TOKEN for HTTP mode (one "
    "workspace) or with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for HTTP mode with OAuth "
    '(many workspaces); see the README, "Create the Slack app"'
)
REDIRECT_PATH = "/slack/oauth_redirect"


def mode_of(settings: Settings) -> Mode:
    """Which mode the settings ask for; fails naming the missing variable."""
    if settings.slack_app_token is not None:
        if settings.slack_bot_token is None:
            raise SettingsError("SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN (Socket Mode)")
        return "socket"
    if settings.slack_signing_secret is None:
        if settings.slack_bot_token is None and not settings.slack_client_id:
            raise SettingsError(NO_SLACK_APP)
        raise SettingsError("SLACK_SIGNING_SECRET: required in HTTP mode (no SLACK_APP_TOKEN)")
    if settings.slack_client_id and settings.slack_client_secret is not None:
        return "oauth"
    if settings.slack_bot_token is not None:
        return "http"
    raise SettingsError(
        "SLACK_BOT_TOKEN: required in HTTP mode, unless SLACK_CLIENT_ID and "
        "SLACK_CLIENT_SECRET are set for OAuth installs"
    )


def build_runtime(settings: Settings, db: Database) -> Runtime:
    return Runtime(backend=Backend(settings, db))


def build_app(settings: Settings, db: Database, runtime: Runtime | None = None) -> App:
    """A Bolt App for the mode the settings select, with every listener registered."""
    runtime = runtime or build_runtime(settings, db)
    mode = mode_of(settings)
    base_url = settings.slack_api_url
    app = (
        _oauth_app(settings, db, runtime, base_url)
        if mode == "oauth"
        else _token_app(settings, mode, base_url)
    )
    register_all(app, runtime)
    log.info("Slack app ready (%s mode, Web API %s)", mode, base_url)
    return app


def _token_app(settings: Settings, mode: Mode, base_url: str) -> App:
    assert settings.slack_bot_token is not None
    token = settings.slack_bot_token.get_secret_value()
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    # Bolt takes the token from this client, so every call goes to base_url. auth.test
    # runs here at start (the token's team); Bolt's own is then left to its first request.
    client = WebClient(token=token, base_url=base_url)
    team = token_team(client)
    return App(
        client=client,
        signing_secret=secret,
        request_verification_enabled=mode != "socket",
        token_verification_enabled=False,
        before_authorize=OnlyTeam(team),
        name="revbot",
    )


def _oauth_app(settings: Settings, db: Database, runtime: Runtime, base_url: str) -> App:
    assert (
        settings.slack_client_id and settings.slack_client_secret and settings.slack_signing_secret
    )
    store = installation_store(db.engine, settings.slack_client_id)
    runtime.remove_tokens = lambda team: remove_team_tokens(store, team)
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        installation_store=store,
        state_store=oauth_state_store(db.engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
    )
    # The OAuth flow's oauth.v2.access and every authorize auth.test use this client.
    return App(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        oauth_settings=oauth,
        client=WebClient(base_url=base_url),
        name="revbot",
    )
