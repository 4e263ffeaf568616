"""The Stripe webhook endpoint, ``POST /stripe/webhooks/{workspace_public_id}`` (SPEC §5, §12).

The route reads at most 1 MiB (413 beyond), then verifies the delivery
(``sync.webhook_receiver.verify``): 404 for an unknown workspace, 400 for a
bad signature (recorded on the status card) or a body that is not an event.
A verified event goes to the :class:`~sync.ack_writer.AckWriter`, which
commits waiting deliveries together; the answer is 200 once the event is
durably queued (duplicates too).
It then wakes the :class:`~sync.webhook_worker.WebhookWorker`, which applies
the event, derives signals and posts alerts (:mod:`bot.alerts`) in the
background. ``install_webhooks`` builds all of it for ``revbot serve``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.alerts import AlertPoster
from bot.http_body import read_limited
from bot.slack_tokens import token_resolver
from core.clock import now as clock_now
from core.settings import Settings
from storage.db import Database
from storage.secrets import SecretBox, load_or_create_key_file
from sync.ack_writer import AckWriter
from sync.scheduled import start_catchup_scheduler
from sync.webhook_receiver import (
    MAX_BODY_BYTES,
    EndpointCache,
    Receipt,
    Verified,
    accepted,
    parse_event,
    signature_problem,
    verify,
)
from sync.webhook_worker import POLL_SECONDS, WebhookWorker, client_resolver
from sync.write_gate import WriteGate
from usecases.connection import WEBHOOK_PATH

log = logging.getLogger(__name__)


def secret_box(settings: Settings) -> SecretBox:
    key = settings.encryption_key
    return SecretBox(key.get_secret_value() if key else load_or_create_key_file(settings.data_dir))


@dataclass
class WebhookService:
    """What the route needs: database, secrets, clock, and the worker to wake."""

    db: Database
    box: SecretBox
    clock: Callable[[], datetime]
    worker: WebhookWorker | None = None
    # Posts a workspace's pending alerts (set by ``build_service``).
    post_alerts: Callable[[str], None] | None = None
    endpoints: EndpointCache = field(default_factory=EndpointCache)
    acks: AckWriter = field(init=False)

    def __post_init__(self) -> None:
        gate = self.worker.gate if self.worker is not None else None
        self.acks = AckWriter(self.db, gate or WriteGate(enabled=False))


def webhook_routes(service: WebhookService) -> list[BaseRoute]:
    async def stripe_webhook(request: Request) -> Response:
        body = await read_limited(request, MAX_BODY_BYTES)
        if body is None:
            log.warning("Stripe webhook refused (413 payload too large)")
            return JSONResponse({"ok": False, "message": "payload too large"}, status_code=413)
        receipt = await _acknowledge(
            service,
            str(request.path_params["workspace_public_id"]),
            body,
            request.headers.get("stripe-signature"),
        )
        if receipt.status >= 400:  # one line, never the body: anyone can knock on this door
            log.warning(
                "Stripe webhook refused (%s %s, workspace %s)",
                receipt.status,
                receipt.message,
                receipt.workspace_id or "unknown",
            )
        if receipt.queued and receipt.workspace_id and service.worker is not None:
            service.worker.notify(receipt.workspace_id)
        return JSONResponse(receipt.body(), status_code=receipt.status)

    return [Route(WEBHOOK_PATH, stripe_webhook, methods=["POST"])]


async def _acknowledge(
    service: WebhookService, public_id: str, body: bytes, signature: str | None
) -> Receipt:
    """Verify, then queue through the group-committing writer; the receipt to answer with.

    With the endpoint cached, verifying (an HMAC and a JSON parse) is quick and
    runs on the event loop; a lookup or a bad signature (database work) goes to
    the thread pool. The 200 waits for the commit that holds the event.
    """
    now = service.clock()
    checked: Receipt | Verified | None = _verify_cached(service, public_id, body, signature)
    if checked is None:  # not cached, or refused: the full path, off the event loop
        checked = await run_in_threadpool(
            verify,
            service.db,
            service.box,
            public_id,
            body,
            signature,
            now,
            cache=service.endpoints,
        )
    if isinstance(checked, Receipt):
        return checked
    queued = await asyncio.wrap_future(service.acks.submit(checked, now))
    return accepted(checked, queued, service.endpoints)


def _verify_cached(
    service: WebhookService, public_id: str, body: bytes, signature: str | None
) -> Verified | None:
    """The verified event when its endpoint is cached and all is well; else None."""
    fresh, endpoint = service.endpoints.peek(public_id)
    if not fresh or endpoint is None or endpoint.secret is None:
        return None
    if signature_problem(body, signature, endpoint.secret) is not None:
        return None
    event = parse_event(body)
    if event is None:
        return None
    return Verified(public_id, endpoint.workspace_id, event, endpoint.signature_error_shown)


def build_service(
    settings: Settings,
    db: Database,
    *,
    clock: Callable[[], datetime] = clock_now,
    box: SecretBox | None = None,
    start_worker: bool = True,
    poll_seconds: float | None = None,
) -> WebhookService:
    """The service with its worker (started unless told otherwise: it drains at start-up)."""
    box = box or secret_box(settings)
    poster = AlertPoster(db, settings.slack_api_url, token_resolver(settings, db), clock)
    worker = WebhookWorker(
        db,
        clock,
        client_resolver(db, settings, box),
        after_drain=lambda ws, _new: _post_alerts(poster, ws),
        poll_seconds=POLL_SECONDS if poll_seconds is None else poll_seconds,
    )
    poster.gate = worker.gate  # alert bookkeeping writes queue behind acknowledgements too
    service = WebhookService(
        db=db, box=box, clock=clock, worker=worker, post_alerts=partial(_post_alerts, poster)
    )
    if start_worker:
        worker.start()
    return service


def _post_alerts(poster: AlertPoster, workspace_id: str) -> None:
    for _ in range(20):  # more than a page may wait; bounded in case Slack keeps failing
        if poster.post_pending(workspace_id) == 0:
            return


def install_webhooks(settings: Settings, db: Database) -> list[BaseRoute]:
    """Routes for ``bot.serve.extra_web_routes``; starts the background worker and the
    events catch-up timer (whose new signals are posted as alerts too)."""
    service = build_service(settings, db)
    start_catchup_scheduler(
        db,
        settings,
        client_resolver(db, settings, service.box),
        clock_now,
        after_workspace=lambda ws, _new: service.post_alerts(ws) if service.post_alerts else None,
    )
    log.info("Stripe webhooks at %s", WEBHOOK_PATH)
    return webhook_routes(service)
