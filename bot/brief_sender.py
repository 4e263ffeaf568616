"""The Monday Brief's way into Slack: the poster, the lookup, and the background job.

:mod:`briefs.scheduled` decides which briefs are due and delivers each exactly
once; this module supplies its Slack side through ``REVBOT_SLACK_API_URL`` with
the workspace's bot token — ``chat.postMessage`` with the brief's message
metadata, and ``conversations.history`` (with metadata) to look for a brief an
abandoned claim may have posted — and runs it every
``REVBOT_BRIEF_CHECK_SECONDS`` (a minute by default).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack_tokens import TokenFor, token_resolver
from briefs.scheduled import (
    JOB_ID,
    Finder,
    Outcome,
    Poster,
    is_brief_message,
    send_due_briefs,
)
from core.clock import now as clock_now
from core.jobs import start_interval_job
from core.settings import Settings
from storage.db import Database

HISTORY_PAGE = 200  # Slack recommends at most 200 messages a page
HISTORY_PAGES = 10  # a busier channel than this since the claim: cannot tell, so unknown


class BriefLookupError(RuntimeError):
    """The channel could not be searched to the end."""


def _client(settings: Settings, token_for: TokenFor, workspace_id: str) -> WebClient:
    token = token_for(workspace_id)
    if not token:
        raise SlackApiError("no bot token", {"ok": False, "error": "no_token"})
    return WebClient(token=token, base_url=settings.slack_api_url)


def slack_poster(settings: Settings, token_for: TokenFor) -> Poster:
    """chat.postMessage with the brief's metadata; returns the message's ts."""

    def post(
        workspace_id: str,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        metadata: dict[str, Any],
    ) -> str | None:
        client = _client(settings, token_for, workspace_id)
        answer = client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False, metadata=metadata
        )
        ts = answer.get("ts")
        return str(ts) if ts else None

    return post


def slack_finder(settings: Settings, token_for: TokenFor) -> Finder:
    """conversations.history (with metadata) from ``since``: the ts of the message that
    carries ``metadata``, None when it is not there; raises when Slack cannot be asked."""

    def find(
        workspace_id: str, channel: str, metadata: dict[str, Any], since: datetime
    ) -> str | None:
        client = _client(settings, token_for, workspace_id)
        cursor: str | None = None
        oldest = f"{since.timestamp():.6f}"
        for _ in range(HISTORY_PAGES):
            page = client.conversations_history(
                channel=channel,
                oldest=oldest,
                limit=HISTORY_PAGE,
                include_all_metadata=True,
                cursor=cursor,
            )
            for message in page.get("messages") or []:
                if isinstance(message, dict) and is_brief_message(message, metadata):
                    return str(message.get("ts"))
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not page.get("has_more") or not cursor:
                return None
        raise BriefLookupError(f"more than {HISTORY_PAGES * HISTORY_PAGE} messages to search")

    return find


def brief_job(
    settings: Settings, db: Database, clock: Callable[[], datetime] = clock_now
) -> Callable[[], list[Outcome]]:
    """The background job: each call is one scheduler tick against Slack."""
    tokens = token_resolver(settings, db)
    poster, finder = slack_poster(settings, tokens), slack_finder(settings, tokens)
    ttl = timedelta(seconds=settings.brief_claim_seconds)
    return lambda: send_due_briefs(db, clock(), poster, tokens, finder=finder, ttl=ttl)


def start_scheduler(
    settings: Settings,
    db: Database,
    *,
    clock: Callable[[], datetime] = clock_now,
    every_seconds: float | None = None,
) -> BackgroundScheduler:
    """Start the background job (first run immediately: catches up a brief missed while down),
    then every ``every_seconds`` (default ``REVBOT_BRIEF_CHECK_SECONDS``, a minute)."""
    return start_interval_job(
        brief_job(settings, db, clock),
        JOB_ID,
        every_seconds if every_seconds is not None else settings.brief_check_seconds,
        "Monday Brief run",
    )
