"""The Monday Brief's way into Slack: the poster and the background job of ``revbot serve``.

:mod:`briefs.scheduled` decides which briefs are due and delivers each exactly
once through a ``Poster``; this module supplies the Slack one (``chat.postMessage``
through ``REVBOT_SLACK_API_URL`` with the workspace's bot token) and runs it every
minute.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack_tokens import TokenFor, token_resolver
from briefs.scheduled import CHECK_SECONDS, JOB_ID, Outcome, Poster, send_due_briefs
from core.clock import now as clock_now
from core.clock import wall_now
from core.jobs import start_interval_job
from core.settings import Settings
from storage.db import Database


def slack_poster(settings: Settings, token_for: TokenFor) -> Poster:
    """chat.postMessage through ``REVBOT_SLACK_API_URL`` with the workspace's bot token."""

    def post(workspace_id: str, channel: str, text: str, blocks: list[dict[str, Any]]) -> None:
        token = token_for(workspace_id)
        if not token:
            raise SlackApiError("no bot token", {"ok": False, "error": "no_token"})
        client = WebClient(token=token, base_url=settings.slack_api_url)
        client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False)

    return post


def run_once(
    settings: Settings, db: Database, clock: Callable[[], datetime] = clock_now
) -> list[Outcome]:
    """One scheduler tick against Slack (what the background job runs)."""
    tokens = token_resolver(settings, db)
    return send_due_briefs(db, clock(), slack_poster(settings, tokens), tokens, wall=wall_now)


def start_scheduler(
    settings: Settings,
    db: Database,
    *,
    clock: Callable[[], datetime] = clock_now,
    every_seconds: int = CHECK_SECONDS,
) -> BackgroundScheduler:
    """Start the background job (first run immediately: catches up a brief missed while down)."""
    tokens = token_resolver(settings, db)
    poster = slack_poster(settings, tokens)
    return start_interval_job(
        lambda: send_due_briefs(db, clock(), poster, tokens, wall=wall_now),
        JOB_ID,
        every_seconds,
        "Monday Brief run",
    )
