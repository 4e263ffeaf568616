"""Receiving one Stripe webhook delivery (SPEC §5 "Staying fresh", §12): verify, then enqueue.

``receive`` is the whole decision, independent of the web framework:

- the workspace is found by its public id (unknown: 404);
- ``Stripe-Signature`` is checked with stripe-python's ``WebhookSignature``
  against the workspace's decrypted signing secret, 300 s tolerance; a bad,
  missing or expired signature is a 400 and "Webhook signature invalid" is put
  on the connection's status card (cleared by the next valid delivery);
- the body must be a JSON Stripe event (else 400);
- the event is recorded as pending in one short transaction
  (``sync.queue.enqueue``: deduplicated by event id, safe under concurrent
  delivery); a duplicate is acknowledged too, so Stripe stops retrying.

``receive`` is ``verify`` (no write unless the signature is bad) then
``record`` in its own transaction; the web route runs the two apart, so
``record`` can share a transaction with other deliveries
(:mod:`sync.ack_writer`). Applying happens later, from the durable queue
(:mod:`sync.webhook_worker`).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import stripe
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.connections import get_connection
from storage.db import Database
from storage.models import StripeConnection, Workspace
from storage.secrets import SecretBox
from sync.queue import enqueue
from sync.write_gate import WriteGate

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # Stripe events are far smaller; refuse anything bigger
TOLERANCE_SECONDS = 300
SIGNATURE_INVALID = "Webhook signature invalid"
REWRITE_AFTER = timedelta(minutes=1)
_NO_GATE = WriteGate(enabled=False)


@dataclass(frozen=True)
class Receipt:
    """The answer to one delivery: HTTP status, a short message, and what was recorded."""

    status: int
    message: str
    workspace_id: str | None = None
    event_id: str | None = None
    queued: bool = False  # True when this delivery added a pending event

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.status < 300, "message": self.message}
        if self.event_id:
            out["event"] = self.event_id
        return out


@dataclass(frozen=True)
class _Endpoint:
    workspace_id: str
    secret: str | None
    signature_error_shown: bool


class EndpointCache:
    """Endpoints (workspace id, decrypted secret) for a few seconds, saving a read per delivery.

    A rotated secret or a new error on the card is seen within ``ttl`` seconds;
    a rejected delivery forgets its endpoint at once.
    """

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[float, _Endpoint | None]] = {}
        self._lock = threading.Lock()

    def get(self, db: Database, box: SecretBox, public_id: str) -> _Endpoint | None:
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(public_id)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        endpoint = _endpoint(db, box, public_id)
        with self._lock:
            if len(self._entries) > 10_000:  # unknown ids must not grow it without bound
                self._entries.clear()
            self._entries[public_id] = (now, endpoint)
        return endpoint

    def peek(self, public_id: str) -> tuple[bool, _Endpoint | None]:
        """(True, endpoint) when a fresh entry is held, without touching the database."""
        with self._lock:
            hit = self._entries.get(public_id)
        if hit is not None and time.monotonic() - hit[0] < self.ttl:
            return True, hit[1]
        return False, None

    def forget(self, public_id: str) -> None:
        with self._lock:
            self._entries.pop(public_id, None)


@dataclass(frozen=True)
class Verified:
    """A delivery whose signature and shape passed: what the queue insert needs."""

    public_id: str
    workspace_id: str
    event: dict[str, Any]
    clears_signature_error: bool  # the status card shows "Webhook signature invalid"


def receive(
    db: Database,
    box: SecretBox,
    public_id: str,
    body: bytes,
    signature: str | None,
    now: datetime,
    *,
    tolerance: int = TOLERANCE_SECONDS,
    cache: EndpointCache | None = None,
    gate: WriteGate | None = None,
) -> Receipt:
    """Verify and enqueue one delivery; never raises for bad input."""
    checked = verify(db, box, public_id, body, signature, now, tolerance=tolerance, cache=cache)
    if isinstance(checked, Receipt):
        return checked
    with (gate or _NO_GATE).ack(), db.session() as session:
        queued = record(session, checked, now)
    return accepted(checked, queued, cache)


def verify(
    db: Database,
    box: SecretBox,
    public_id: str,
    body: bytes,
    signature: str | None,
    now: datetime,
    *,
    tolerance: int = TOLERANCE_SECONDS,
    cache: EndpointCache | None = None,
    endpoint: _Endpoint | None = None,
) -> Receipt | Verified:
    """Everything before the queue insert: the refusal, or the verified event.

    ``endpoint`` skips the lookup when the caller already has it (a cache hit).
    Writes only on a bad signature (the status card).
    """
    if len(body) > MAX_BODY_BYTES:
        return Receipt(413, "payload too large")
    if endpoint is None:
        endpoint = cache.get(db, box, public_id) if cache else _endpoint(db, box, public_id)
    if endpoint is None:
        return Receipt(404, "unknown webhook endpoint")
    ws = endpoint.workspace_id
    if endpoint.secret is None:
        return Receipt(400, "no webhook signing secret is configured", ws)
    problem = signature_problem(body, signature, endpoint.secret, tolerance)
    if problem is not None:
        record_signature_failure(db, ws, problem, now)
        if cache is not None:
            cache.forget(public_id)  # the next valid delivery sees the error and clears it
        return Receipt(400, SIGNATURE_INVALID, ws)
    event = parse_event(body)
    if event is None:
        return Receipt(400, "body is not a Stripe event", ws)
    return Verified(public_id, ws, event, endpoint.signature_error_shown)


def record(session: Session, verified: Verified, now: datetime) -> bool:
    """Insert the verified event as pending (in the caller's transaction); False: a duplicate."""
    queued = enqueue(session, verified.workspace_id, verified.event, "webhook", now)
    if verified.clears_signature_error:
        _clear_signature_error(session, verified.workspace_id)
    return queued


def accepted(verified: Verified, queued: bool, cache: EndpointCache | None = None) -> Receipt:
    """The 200 for a delivery recorded (committed) in the queue."""
    if verified.clears_signature_error and cache is not None:
        cache.forget(verified.public_id)
    message = "queued" if queued else "duplicate"
    return Receipt(200, message, verified.workspace_id, str(verified.event["id"]), queued)


def signature_problem(
    body: bytes, header: str | None, secret: str, tolerance: int = TOLERANCE_SECONDS
) -> str | None:
    """Why ``header`` does not sign ``body`` with ``secret`` (None when it does)."""
    if not header:
        return "no Stripe-Signature header"
    try:
        payload = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    try:
        stripe.WebhookSignature.verify_header(payload, header, secret, tolerance)
    except stripe.SignatureVerificationError as exc:
        return str(exc.user_message or exc)
    return None


def parse_event(body: bytes) -> dict[str, Any] | None:
    """The event as a dict, or None when the body is not a Stripe event."""
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting: RecursionError
        return None
    if not isinstance(event, dict):
        return None
    if not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        return None
    if not isinstance(event.get("created"), int) or not isinstance(event.get("data"), dict):
        return None
    return event


def record_signature_failure(db: Database, workspace_id: str, reason: str, now: datetime) -> None:
    """Show "Webhook signature invalid" on the status card (written once, not per request)."""
    detail = f"{reason} (last rejected delivery at {now:%Y-%m-%d %H:%M:%S} UTC)"
    with db.session() as session:
        connection = get_connection(session, workspace_id)
        if connection is None or connection.error_text not in (None, SIGNATURE_INVALID):
            return  # a sync error already on the card stays the one shown
        recent = connection.updated_at is not None and now - connection.updated_at < REWRITE_AFTER
        if connection.error_text == SIGNATURE_INVALID and recent:
            return  # a flood of bad deliveries must not become a flood of writes
        connection.error_text = SIGNATURE_INVALID
        connection.error_detail = detail[:2000]
        connection.updated_at = now


def _clear_signature_error(session: Any, workspace_id: str) -> None:
    session.execute(
        update(StripeConnection)
        .where(
            StripeConnection.workspace_id == workspace_id,
            StripeConnection.error_text == SIGNATURE_INVALID,
        )
        .values(error_text=None, error_detail=None)
    )


def _endpoint(db: Database, box: SecretBox, public_id: str) -> _Endpoint | None:
    if not public_id or len(public_id) > 64:
        return None
    with db.session() as session:
        workspace_id = session.scalar(select(Workspace.id).where(Workspace.public_id == public_id))
        if workspace_id is None:
            return None
        connection = get_connection(session, workspace_id)
        if connection is None or connection.webhook_secret_encrypted is None:
            return _Endpoint(workspace_id, None, False)
        token = connection.webhook_secret_encrypted
        shown = connection.error_text == SIGNATURE_INVALID
    try:
        secret = box.decrypt(token)
    except Exception:  # encrypted with a key this process no longer has
        log.error("webhook signing secret of a workspace cannot be decrypted")
        secret = None
    return _Endpoint(workspace_id, secret, shown)
