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
from bot.listeners.common import FAILURE, log_failure
from bot.listeners.home import refresh_homes
from bot.listeners.runtime import Runtime
from bot.services import ServiceError, SyncBusy
from storage.models import SyncLease
from storage.status import connection_card

log = logging.getLogger(__name__)

# Within a step, update the message at most this often (Slack rate-limits chat.update).
UPDATE_EVERY_SECONDS = 1.5


def busy_message(runtime: Runtime, team: str) -> str | None:
    """ "a sync is already running (step N of 6, started HH:MM)" when a lease is live."""
    services = runtime.services
    now = services.now()
    with services.db.session() as session:
        lease = session.get(SyncLease, team)
        if lease is None or lease.expires_at <= now:
            return None
        step, started = lease.step or 1, lease.started_at
    local = started.astimezone(services.timezone(team))
    return f"A sync is already running (step {step} of {len(STEPS)}, started {local:%H:%M})."


def _started_label(runtime: Runtime, team: str, at: datetime) -> str:
    return f"{at.astimezone(runtime.services.timezone(team)):%H:%M}"


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
    services = runtime.services
    with services.db.session() as session:
        card = connection_card(session, team, services.now())
    if card.status in ("not_connected", "disconnected"):
        tell("Stripe is not connected — an admin can run `/revbot connect` first.")
        return
    busy = busy_message(runtime, team)
    if busy:
        tell(busy)
        return
    started = _started_label(runtime, team, services.now())
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
        summary = services.resync(team, full=full, actor=user, progress=progress)
    except SyncBusy as exc:
        _finish(client, posted, str(exc), failed_blocks(str(exc), int(state["step"]) or 1), tell)
        return
    except ServiceError as exc:
        _finish(client, posted, str(exc), failed_blocks(str(exc), int(state["step"]) or 1), tell)
        return
    except Exception as exc:
        log_failure("resync", exc)
        _finish(client, posted, FAILURE, failed_blocks(FAILURE, int(state["step"]) or 1), tell)
        return
    counts = ", ".join(f"{v:,} {k}" for k, v in summary.records.items()) or "done"
    _finish(client, posted, f"Sync complete: {counts}", finished_blocks(counts, started), None)
    refresh_homes(runtime, client, team)


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
