"""The Stripe webhook endpoint, ``POST /stripe/webhooks/{workspace_public_id}`` (SPEC §5, §12).

The route reads at most 1 MiB (413 beyond), then hands the bytes to
``sync.webhook_receiver.receive`` off the event loop: 404 for an unknown
workspace, 400 for a bad signature (recorded on the status card) or a body
that is not an event, 200 once the event is durably queued (duplicates too).
It then wakes the :class:`~sync.webhook_worker.WebhookWorker`, which applies
the event, derives signals and posts alerts (:mod:`bot.alerts`) in the
background. ``install_webhooks`` builds all of it for ``revbot serve``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.alerts import AlertPoster, token_resolver
from core.clock import now as clock_now
from core.settings import Settings
from storage.db import Database
from storage.secrets import SecretBox, load_or_create_key_file
from sync.webhook_receiver import MAX_BODY_BYTES, EndpointCache, receive
from sync.webhook_worker import POLL_SECONDS, WebhookWorker, client_resolver

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/stripe/webhooks/{workspace_public_id}"
# What to select in Stripe's "Add endpoint" screen (shown by ``/revbot webhooks``).
EVENT_TYPES = (
    "customer.*",
    "customer.subscription.*",
    "invoice.*",
    "product.*",
    "price.*",
)


PLACEHOLDER_HOST = "https://YOUR-REVBOT-HOST"


def endpoint_url(public_url: str | None, path: str) -> str:
    """``REVBOT_PUBLIC_URL`` + ``path`` (a placeholder host when the setting is unset)."""
    base = (public_url or "").strip().rstrip("/") or PLACEHOLDER_HOST
    if not base.startswith(("http://", "https://")):
        base = "https://" + base
    return base + path


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
    endpoints: EndpointCache = field(default_factory=EndpointCache)


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it exceeds ``limit`` bytes (never buffered whole)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def webhook_routes(service: WebhookService) -> list[BaseRoute]:
    async def stripe_webhook(request: Request) -> Response:
        body = await _read_limited(request, MAX_BODY_BYTES)
        if body is None:
            return JSONResponse({"ok": False, "message": "payload too large"}, status_code=413)
        receipt = await run_in_threadpool(
            receive,
            service.db,
            service.box,
            str(request.path_params["workspace_public_id"]),
            body,
            request.headers.get("stripe-signature"),
            service.clock(),
            cache=service.endpoints,
            gate=service.worker.gate if service.worker is not None else None,
        )
        if receipt.queued and receipt.workspace_id and service.worker is not None:
            service.worker.notify(receipt.workspace_id)
        return JSONResponse(receipt.body(), status_code=receipt.status)

    return [Route(WEBHOOK_PATH, stripe_webhook, methods=["POST"])]


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
    from bot.app import api_url

    box = box or secret_box(settings)
    poster = AlertPoster(db, api_url(settings), token_resolver(settings, db), clock)
    worker = WebhookWorker(
        db,
        clock,
        client_resolver(db, settings, box),
        after_drain=lambda ws, _new: _post_alerts(poster, ws),
        poll_seconds=POLL_SECONDS if poll_seconds is None else poll_seconds,
    )
    poster.gate = worker.gate  # alert bookkeeping writes queue behind acknowledgements too
    service = WebhookService(db=db, box=box, clock=clock, worker=worker)
    if start_worker:
        worker.start()
    return service


def _post_alerts(poster: AlertPoster, workspace_id: str) -> None:
    for _ in range(20):  # more than a page may wait; bounded in case Slack keeps failing
        if poster.post_pending(workspace_id) == 0:
            return


def install_webhooks(settings: Settings, db: Database) -> list[BaseRoute]:
    """Routes for ``bot.serve.extra_web_routes``; starts the background worker."""
    service = build_service(settings, db)
    log.info("Stripe webhooks at %s", WEBHOOK_PATH)
    return webhook_routes(service)
