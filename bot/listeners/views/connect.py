"""The connect modal's submission: validate the key with Stripe, then store it.

Errors come back inline (``response_action=errors``) when Stripe answers
within :data:`ACK_BUDGET_SECONDS`; Slack drops a submission not acked within
3 s, so a slower Stripe gets a "checking…" view at once and the outcome
replaces it (``views.update``) when validation ends. The key lives only in
this function's locals: never in private_metadata, logs or messages.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.modals import CONNECT, KEY_ACTION, KEY_BLOCK, result_modal
from bot.listeners.common import FAILURE, log_failure
from bot.listeners.home import refresh_homes
from bot.listeners.runtime import Runtime
from bot.listeners.views.submission import InlineErrors, admin_submission, reject, text_value
from usecases import connection
from usecases.connection import KeyCheck
from usecases.errors import UseCaseError

# Leaves a second of Slack's 3 s for the database write and the HTTP round trip.
ACK_BUDGET_SECONDS = 2.0


@admin_submission
def on_connect(
    ack: Ack, runtime: Runtime, team: str, user: str, view: dict[str, Any], client: WebClient
) -> None:
    key = text_value(view, KEY_BLOCK, KEY_ACTION)
    problem = connection.key_problem(key)
    if problem is not None:  # refused inline, before any request to Stripe
        reject(ack, KEY_BLOCK, problem)
        return
    pending = _in_background(partial(connection.connect, runtime.backend, team, key, user))
    finished, _ = wait([pending], timeout=ACK_BUDGET_SECONDS)
    if not finished:
        ack(response_action="update", view=result_modal("Connecting Stripe", CHECKING))
        pending.add_done_callback(lambda done: _finish_late(runtime, client, team, view, done))
        return
    with InlineErrors(ack, KEY_BLOCK, "connecting Stripe") as outcome:
        checked = pending.result()
    if outcome.failed:
        return
    ack(response_action="update", view=result_modal("Stripe connected", connected_text(checked)))
    refresh_homes(runtime, client, team)


CHECKING = ":hourglass_flowing_sand: Checking the key with Stripe… this window updates when done."


def connected_text(checked: KeyCheck) -> str:
    account = f" to *{checked.account_name}*" if checked.account_name else ""
    lines = [f":white_check_mark: Connected{account} ({checked.mode} mode, key …{checked.last4})."]
    if checked.warnings:
        lines.append(f":warning: {' '.join(checked.warnings)}")
    lines.append("Run `/revbot resync` to load your billing data.")
    return "\n".join(lines)


def _in_background(work: Callable[[], KeyCheck]) -> Future[KeyCheck]:
    """Run ``work`` on a thread of its own (the executor is let go; the thread finishes)."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="revbot-connect")
    try:
        return executor.submit(work)
    finally:
        executor.shutdown(wait=False)


def _finish_late(
    runtime: Runtime, client: WebClient, team: str, view: dict[str, Any], done: Future[KeyCheck]
) -> None:
    """Replace the "checking…" view with the outcome of a validation that outlived the ack."""
    try:
        title, text = "Stripe connected", connected_text(done.result())
    except UseCaseError as exc:
        title, text = "Stripe not connected", f":x: {exc}\nRun `/revbot connect` to try again."
    except Exception as exc:
        log_failure("connecting Stripe", exc)
        title, text = "Stripe not connected", FAILURE
    try:
        client.views_update(view_id=view["id"], view=result_modal(title, text))
    except Exception as exc:  # the user may have closed the window
        log_failure("updating the connect window", exc)
    refresh_homes(runtime, client, team)


def register(app: App) -> None:
    app.view(CONNECT)(on_connect)
