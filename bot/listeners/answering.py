"""Answering a question in a Slack thread: Block Kit + fallback text, follow-ups, charts.

The use case keeps each thread's previous query in the database (team +
channel + thread ts), so a follow-up reuses its intent and entities on any
replica. Ambiguous accounts get "did you
mean" buttons; trends get a PNG chart (or a sparkline when uploads fail).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from answers import Answer
from bot.blocks.common import actions, button, clip, limit_blocks, section
from bot.charts import TREND_INTENTS, sparkline, trend_chart, trend_series
from bot.listeners.common import FAILURE, log_failure, sentence
from bot.listeners.runtime import Runtime
from usecases import asking
from usecases.errors import FirstSyncRunning, NoData, UseCaseError

log = logging.getLogger(__name__)

MAX_QUESTION = 2000
MAX_FALLBACK = 3900
CHOICE_ACTION = "did_you_mean"
NO_DATA = (
    "No billing data is synced yet — an admin can connect Stripe with `/revbot connect`, "
    "then run `/revbot resync`."
)
MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s,:]*")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_question(text: str) -> str:
    """Drop a leading bot mention and control characters; bound the length."""
    return CONTROL.sub(" ", MENTION.sub("", text or "")).strip()[:MAX_QUESTION]


def choice_blocks(answer: Answer) -> list[dict[str, Any]]:
    """ "Did you mean" buttons for an ambiguous account (one per candidate, max 5)."""
    query = answer.query
    candidates = list(getattr(query, "account_candidates", ()) or ())
    if getattr(query, "account", None) is not None or len(candidates) < 2:
        return []
    if any(_has_action(block, CHOICE_ACTION) for block in answer.blocks):
        return []  # the answer layer already offers them
    names = ", ".join(c.name for c in candidates[:5])
    buttons = [
        button(c.name, f"{CHOICE_ACTION}_{i}", json.dumps({"name": c.name, "id": c.id}))
        for i, c in enumerate(candidates[:5])
    ]
    return [section(f"Did you mean one of: {names}?"), actions(*buttons, block_id="did_you_mean")]


def _has_action(block: dict[str, Any], prefix: str) -> bool:
    return any(
        str(e.get("action_id", "")).startswith(prefix) for e in block.get("elements", []) or []
    )


def answer_in_thread(
    runtime: Runtime,
    client: WebClient,
    team: str,
    channel: str,
    thread_ts: str,
    question: str,
) -> Answer | None:
    """Answer ``question`` in the thread ``thread_ts`` of ``channel``; never raises."""
    text = clean_question(question)
    backend = runtime.backend
    try:
        answer = asking.ask(backend, team, text, backend.now(), thread=(channel, thread_ts))
    except FirstSyncRunning as exc:
        _post(client, channel, thread_ts, sentence(exc), None)
        return None
    except NoData:
        _post(client, channel, thread_ts, NO_DATA, None)
        return None
    except UseCaseError as exc:
        _post(client, channel, thread_ts, str(exc), None)
        return None
    except Exception as exc:
        log_failure("answering a question", exc)
        _post(client, channel, thread_ts, FAILURE, None)
        return None
    blocks = limit_blocks([*answer.blocks, *choice_blocks(answer)])
    _post(client, channel, thread_ts, clip(answer.text, MAX_FALLBACK), blocks)
    if answer.intent in TREND_INTENTS:
        _chart(client, channel, thread_ts, answer)
    return answer


def _post(
    client: WebClient,
    channel: str,
    thread_ts: str,
    text: str,
    blocks: list[dict[str, Any]] | None,
) -> None:
    try:
        if blocks:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text, blocks=blocks)
        else:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)
    except SlackApiError as exc:
        log.warning("chat.postMessage failed: %s", exc.response.get("error"))


def _chart(client: WebClient, channel: str, thread_ts: str, answer: Answer) -> None:
    chart = trend_chart(answer.result)
    if chart is None:
        return
    try:
        client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            content=chart.png,
            filename=chart.filename,
            title=chart.title,
        )
    except SlackApiError as exc:
        log.info("chart upload not allowed (%s); sending a sparkline", exc.response.get("error"))
        series = trend_series(answer.result)
        lines = [f"{currency}: {sparkline(points)}" for currency, points in sorted(series.items())]
        _post(client, channel, thread_ts, "\n".join(lines), None)
