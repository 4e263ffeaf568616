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


def brief_job(
    settings: Settings, db: Database, clock: Callable[[], datetime] = clock_now
) -> Callable[[], list[Outcome]]:
    """The background job: each call is one scheduler tick against Slack."""
    tokens = token_resolver(settings, db)
    poster = slack_poster(settings, tokens)
    # Claims age by the real clock even when REVBOT_NOW fixes which week is due.
    return lambda: send_due_briefs(db, clock(), poster, tokens, wall=wall_now)


def start_scheduler(
    settings: Settings,
    db: Database,
    *,
    clock: Callable[[], datetime] = clock_now,
    every_seconds: int = CHECK_SECONDS,
) -> BackgroundScheduler:
    """Start the background job (first run immediately: catches up a brief missed while down)."""
    return start_interval_job(
        brief_job(settings, db, clock),
        JOB_ID,
        every_seconds,
        "Monday Brief run",
    )
