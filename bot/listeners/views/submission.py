"""Reading a view submission: team, user, input values, the admin re-check and inline errors."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks.modals import result_modal
from bot.listeners.common import FAILURE, REFUSAL, is_admin, log_failure, team_of, user_of
from bot.listeners.runtime import Runtime, runtime_of
from usecases.errors import UseCaseError

# Slack shows at most this many characters of an inline input error.
ERROR_CHARS = 150

AdminHandler = Callable[[Ack, Runtime, str, str, dict[str, Any], WebClient], None]
ViewListener = Callable[[Ack, dict[str, Any], dict[str, Any], WebClient, Any], None]


def value(view: dict[str, Any], block: str, action: str) -> dict[str, Any]:
    """The state entry of one input element (empty when missing)."""
    return dict(((view.get("state") or {}).get("values") or {}).get(block, {}).get(action) or {})


def text_value(view: dict[str, Any], block: str, action: str) -> str:
    return str(value(view, block, action).get("value") or "").strip()


def admin_or_refuse(
    ack: Ack, runtime: Runtime, client: WebClient, body: dict[str, Any], context: Any
) -> tuple[str, str] | None:
    """(team, user) when the submitter is an admin; otherwise acks with a refusal view."""
    team, user = team_of(body, context), user_of(body)
    if is_admin(runtime, client, team, user):
        return team, user
    ack(response_action="update", view=result_modal("Not allowed", REFUSAL))
    return None


def admin_submission(handler: AdminHandler) -> ViewListener:
    """A view listener that re-checks admin rights (SPEC §9) before ``handler`` runs.

    ``handler`` gets ``(ack, runtime, team, user, view, client)``; a non-admin
    gets the refusal view and ``handler`` never runs.
    """

    def on_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any
    ) -> None:
        runtime = runtime_of(context)
        who = admin_or_refuse(ack, runtime, client, body, context)
        if who is not None:
            handler(ack, runtime, who[0], who[1], view, client)

    return on_submit


def reject(ack: Ack, block: str, message: str) -> None:
    """Ack the submission with ``message`` shown under the input ``block``."""
    ack(response_action="errors", errors={block: message[:ERROR_CHARS]})


class InlineErrors:
    """Turns a failure inside ``with`` into an inline error under ``block``; see ``failed``.

    A ``UseCaseError`` is shown as it is (it is written for users); anything
    else is logged and shown as the generic failure text.
    """

    def __init__(self, ack: Ack, block: str, doing: str) -> None:
        self.ack, self.block, self.doing = ack, block, doing
        self.failed = False

    def __enter__(self) -> InlineErrors:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> bool:
        if isinstance(exc, UseCaseError):
            message = str(exc)
        elif isinstance(exc, Exception):
            log_failure(self.doing, exc)
            message = FAILURE
        else:
            return False
        reject(self.ack, self.block, message)
        self.failed = True
        return True
