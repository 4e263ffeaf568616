"""``revbot serve``: the web process (Starlette + uvicorn) and, with an app token, Socket Mode.

HTTP mode serves ``POST /slack/events`` (commands, events, interactivity),
``GET /slack/install`` and ``GET /slack/oauth_redirect`` (OAuth mode) and
``GET /healthz``. Socket Mode keeps ``/healthz`` (and any extra routes, such
as the Stripe webhook receiver) on HTTP and talks to Slack over a websocket.
The database is created or upgraded before anything listens.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import uvicorn
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.app import INSTALL_PATH, REDIRECT_PATH, build_app, mode_of
from bot.brief_sender import start_scheduler
from bot.http_body import read_limited
from bot.slack_door import MAX_BODY_BYTES, TOO_LARGE, Refusal, SlackDoor, refuse
from bot.webhooks import install_webhooks
from core.redaction import install as install_logging
from core.settings import Settings, load_settings
from storage.db import Database

log = logging.getLogger(__name__)


def slack_routes(bolt: App, signing_secret: str) -> list[BaseRoute]:
    """Bolt's Starlette adapter behind :class:`~bot.slack_door.SlackDoor` (size, signature
    and shape checked before Bolt parses), with dispatch off the event loop (it blocks
    until ack)."""
    door = SlackDoor(signing_secret)

    async def events(request: Request) -> Response:
        body = await read_limited(request, MAX_BODY_BYTES)
        admitted = (
            TOO_LARGE if body is None else door.admit(body, request.headers, request.query_params)
        )
        if isinstance(admitted, Refusal):
            refuse(admitted, request.url.path)
            return PlainTextResponse(admitted.reason, status_code=admitted.status)
        return to_starlette_response(await run_in_threadpool(bolt.dispatch, admitted))

    async def install(request: Request) -> Response:
        flow = bolt.oauth_flow
        if flow is None:
            return Response("Not found", status_code=404)
        bolt_request = to_bolt_request(request, await request.body())
        return to_starlette_response(
            await run_in_threadpool(flow.handle_installation, bolt_request)
        )

    async def redirect(request: Request) -> Response:
        flow = bolt.oauth_flow
        if flow is None:
            return Response("Not found", status_code=404)
        bolt_request = to_bolt_request(request, await request.body())
        return to_starlette_response(await run_in_threadpool(flow.handle_callback, bolt_request))

    return [
        Route("/slack/events", events, methods=["POST"]),
        Route(INSTALL_PATH, install, methods=["GET"]),
        Route(REDIRECT_PATH, redirect, methods=["GET"]),
    ]


def web_app(
    bolt: App | None,
    *,
    signing_secret: str | None = None,
    extra_routes: Sequence[BaseRoute] = (),
    http_slack: bool = True,
) -> Starlette:
    """The ASGI app: Slack routes (HTTP mode, which needs ``signing_secret``), ``/healthz``
    and ``extra_routes``."""

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"ok": True})

    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    if bolt is not None and http_slack:
        if not signing_secret:
            raise ValueError("HTTP mode needs the signing secret to verify Slack requests")
        routes += slack_routes(bolt, signing_secret)
    routes += list(extra_routes)
    return Starlette(routes=routes)


def extra_web_routes(settings: Settings, db: Database) -> list[BaseRoute]:
    """Routes other packages serve from the same process: the Stripe webhook receiver
    (``POST /stripe/webhooks/{public_id}``), whose worker starts here and drains
    anything acknowledged before a restart."""
    return install_webhooks(settings, db)


def serve(host: str = "0.0.0.0", port: int = 3000) -> None:
    """Run revbot: migrate, build the Slack app for its mode, then listen until stopped."""
    settings = load_settings()
    install_logging(settings.log_level, settings.log_format)
    mode = mode_of(settings)
    db = Database.connect(settings.resolved_database_url, migrate=True)
    bolt = build_app(settings, db)
    secret = settings.slack_signing_secret
    app = web_app(
        bolt,
        signing_secret=secret.get_secret_value() if secret else None,
        extra_routes=extra_web_routes(settings, db),
        http_slack=mode != "socket",
    )
    if mode == "socket":
        assert settings.slack_app_token is not None
        handler = SocketModeHandler(bolt, settings.slack_app_token.get_secret_value())
        handler.connect()  # non-blocking: the websocket runs on its own threads
        log.info("Socket Mode connected")
    briefs = start_scheduler(settings, db)  # the Monday Brief, every REVBOT_BRIEF_CHECK_SECONDS
    log.info("revbot listening on %s:%s (%s mode)", host, port, mode)
    try:
        uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower())
    finally:
        briefs.shutdown(wait=False)
