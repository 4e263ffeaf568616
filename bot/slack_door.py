"""The door of ``POST /slack/events``: size, then signature, then shape — before Bolt parses.

Bolt's Starlette adapter builds a ``BoltRequest`` (which parses the body and
reads ids out of it) before its own signature check runs, so a truncated JSON
body, ``null`` or a form ``payload`` that is not JSON used to raise inside the
adapter: an HTTP 500 and a traceback in the log, for anyone who could reach
the port. Here every request is first held to a size limit (413, read no
further), then its ``X-Slack-Signature`` is checked with slack_sdk's
``SignatureVerifier`` (401), and only a signed body is parsed, by Bolt's own
``BoltRequest``, into a JSON object (400 otherwise). Each refusal is one log
line, never a traceback and never the body.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

# Slack's own payloads are far smaller (a view submission is the largest, tens of kB).
MAX_BODY_BYTES = 1_000_000


@dataclass(frozen=True)
class Refusal:
    """An answer given at the door: HTTP status and a short reason (also logged)."""

    status: int
    reason: str


TOO_LARGE = Refusal(413, "payload too large")


class SlackDoor:
    """Checks one request's signature, then builds Bolt's request from it (or refuses)."""

    def __init__(self, signing_secret: str) -> None:
        self.verifier = SignatureVerifier(signing_secret)

    def admit(
        self, body: bytes, headers: Mapping[str, str], query: Mapping[str, str]
    ) -> BoltRequest | Refusal:
        """The request Bolt dispatches, or why it is refused (401 unsigned, 400 malformed)."""
        try:
            # Not parsing: slack_sdk's verifier needs text, and Slack signs only UTF-8.
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(400, "body is not UTF-8")
        refusal = self._unsigned(text, headers)
        if refusal is not None:
            return refusal
        try:
            # Bolt parses here, by its own rules (JSON, or a form whose ``payload`` is JSON),
            # and reads team, user and channel ids out of the result.
            request = BoltRequest(body=text, query=dict(query), headers=dict(headers))
        except RecursionError:
            return Refusal(400, "body is not a Slack payload (JSON nested too deep)")
        except Exception as exc:  # any failure to read signed input is the sender's: a 400
            return Refusal(400, f"body is not a Slack payload ({type(exc).__name__})")
        if not isinstance(request.body, dict):
            return Refusal(400, "body is not a Slack payload (not a JSON object)")
        return request

    def _unsigned(self, body: str, headers: Mapping[str, str]) -> Refusal | None:
        timestamp = headers.get("x-slack-request-timestamp")
        signature = headers.get("x-slack-signature")
        if not timestamp or not signature:
            return Refusal(401, "no Slack signature")
        if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            return Refusal(401, "Slack request timestamp is not a number")
        if not self.verifier.is_valid(body, timestamp, signature):
            return Refusal(401, "Slack signature invalid or expired")
        return None


def refuse(refusal: Refusal, path: str) -> None:
    """The one log line a refused request leaves (never its body)."""
    log.warning("refused %s: %s %s", path, refusal.status, refusal.reason)
