"""Publishing the App Home for one user, and refreshing it for everyone after a sync."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.home import home_view
from bot.listeners.common import is_admin
from bot.listeners.runtime import Runtime
from usecases import briefing, overview
from usecases.overview import Headlines

log = logging.getLogger(__name__)


def build_home(runtime: Runtime, team: str, admin: bool) -> dict[str, object]:
    backend = runtime.backend
    now = backend.now()
    card = overview.card(backend, team)
    headline: Headlines | None = None
    try:
        headline = overview.headlines(backend, team, now)
    except Exception as exc:  # the card must show even when figures cannot be read
        log.error("headline figures unavailable: %s: %s", type(exc).__name__, exc)
    next_brief = briefing.next_brief(backend, team)
    return home_view(card, headline, next_brief, backend.timezone(team), now, admin=admin)


def publish_home(runtime: Runtime, client: WebClient, team: str, user: str) -> None:
    runtime.home_viewers.add(team, user)
    view = build_home(runtime, team, is_admin(runtime, client, team, user))
    client.views_publish(user_id=user, view=view)


def refresh_homes(runtime: Runtime, client: WebClient, team: str) -> None:
    """Re-publish the Home of every user of ``team`` who has opened it."""
    for user in runtime.home_viewers.of(team):
        try:
            publish_home(runtime, client, team, user)
        except SlackApiError as exc:
            log.warning("views.publish failed: %s", exc.response.get("error"))
