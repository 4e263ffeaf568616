"""A resync with its progress message updated in place (chat.update) through six steps."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.progress import (
    STEPS,
    failed_blocks,
    finished_blocks,
    progress_blocks,
    progress_text,
)
from bot.listeners.common import FAILURE, log_failure, sentence
from bot.listeners.home import refresh_homes
from bot.listeners.runtime import Runtime
from bot.wording import counts_text
from usecases import syncing
from usecases.errors import NotConnected, SyncBusy, SyncError, UseCaseError

log = logging.getLogger(__name__)

# Within a step, update the message at most this often (Slack rate-limits chat.update).
UPDATE_EVERY_SECONDS = 1.5


NOT_CONNECTED = "Stripe is not connected — an admin can run `/revbot connect` first."
SEE_STATUS = "`/revbot status` shows the details."


def _started_label(runtime: Runtime, team: str, at: datetime) -> str:
    return f"{at.astimezone(runtime.backend.timezone(team)):%H:%M}"


def run_resync(
    runtime: Runtime,
    client: WebClient,
    team: str,
    user: str,
    channel: str,
    *,
    full: bool,
    tell: Callable[[str], None],
) -> None:
    backend = runtime.backend
    try:
        syncing.check_ready(backend, team)
    except NotConnected:
        tell(NOT_CONNECTED)
        return
    except SyncBusy as exc:
        tell(sentence(exc))
        return
    started = _started_label(runtime, team, backend.now())
    posted = _post_progress(client, channel, user, started)
    if posted is None:
        tell("I couldn't post the progress message here; the sync continues.")
    state = {"step": 0, "at": 0.0}

    def progress(step: int, name: str, done: int, total: int | None) -> None:
        if posted is None:
            return
        moment = time.monotonic()
        if step == state["step"] and moment - state["at"] < UPDATE_EVERY_SECONDS:
            return
        state["step"], state["at"] = step, moment
        _update(
            client,
            posted,
            progress_text(step, name, done, total),
            progress_blocks(step, name, done, total, started),
        )

    try:
        outcome = syncing.sync(backend, team, user, full=full, progress=progress)
    except UseCaseError as exc:
        text = _failure_text(exc)
        _finish(client, posted, text, failed_blocks(text, int(state["step"]) or 1), tell)
        return
    except Exception as exc:
        log_failure("resync", exc)
        _finish(client, posted, FAILURE, failed_blocks(FAILURE, int(state["step"]) or 1), tell)
        return
    summary = syncing.summary(backend, team, outcome)
    counts = counts_text(summary.records) or "done"
    _finish(client, posted, f"Sync complete: {counts}", finished_blocks(counts, started), None)
    refresh_homes(runtime, client, team)


def _failure_text(error: UseCaseError) -> str:
    if isinstance(error, NotConnected):
        return NOT_CONNECTED
    if isinstance(error, SyncError):
        return f"{sentence(error)} {SEE_STATUS}"
    return sentence(error)


Posted = tuple[str, str]


def _post_progress(client: WebClient, channel: str, user: str, started: str) -> Posted | None:
    """Post the progress message in ``channel``, or in the user's DM when that fails."""
    first = progress_blocks(1, STEPS[0], 0, 0, started)
    for target in (channel, user):
        if not target:
            continue
        try:
            response = client.chat_postMessage(
                channel=target, text=progress_text(1, STEPS[0], 0, 0), blocks=first
            )
            return str(response["channel"]), str(response["ts"])
        except SlackApiError as exc:
            log.info("progress message not posted in %s: %s", target, exc.response.get("error"))
    return None


def _update(client: WebClient, posted: Posted, text: str, blocks: list[dict[str, object]]) -> None:
    try:
        client.chat_update(channel=posted[0], ts=posted[1], text=text, blocks=blocks)
    except SlackApiError as exc:
        log.warning("chat.update failed: %s", exc.response.get("error"))


def _finish(
    client: WebClient,
    posted: Posted | None,
    text: str,
    blocks: list[dict[str, object]],
    tell: Callable[[str], None] | None,
) -> None:
    if posted is not None:
        _update(client, posted, text, blocks)
    elif tell is not None:
        tell(text)
