"""A local Slack Web API server for tests: answers the methods revbot calls, records every call.

Runs a stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (random port). Point
``WebClient(base_url=server.api_url)`` at it. ``response_url`` posts and file
uploads go to the same server (``/response/...``, ``/upload/...``), so every
outgoing request of the bot can be asserted on.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

DEFAULT_TEAM = "T0000001"
BOT_USER = "UREVBOT01"


@dataclass
class Call:
    """One recorded request: the API method (or ``response``/``upload``) and its arguments."""

    method: str
    params: dict[str, Any]
    token: str | None
    path: str
    raw: bytes = b""
    response: dict[str, Any] = field(default_factory=dict)

    def json_param(self, name: str) -> Any:
        """A parameter that Slack accepts either as JSON text (form posts) or as JSON."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value


@dataclass
class SlackState:
    """What the fake workspace(s) look like; tests edit it directly."""

    tokens: dict[str, str] = field(default_factory=dict)  # bot token -> team id
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # method -> Slack error code
    oauth_team: str = "T0000002"
    oauth_token: str = "xoxb-oauth-installed-token-0002"


class SlackServer:
    """Start with ``SlackServer().start()``; stop with ``stop()``."""

    def __init__(self) -> None:
        self.state = SlackState()
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    def start(self) -> SlackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
        self.state = SlackState()

    # -- assertions ---------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 10.0,
        count: int = 1,
    ) -> list[Call]:
        """Wait until ``count`` calls to ``method`` match ``predicate``; return them."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls_to(method) if predicate is None or predicate(c)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [c.method for c in self.calls]
                raise AssertionError(
                    f"no {count} call(s) to {method} within {timeout}s; saw {seen}"
                )
            time.sleep(0.02)

    # -- answering ----------------------------------------------------------

    def next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def answer(self, call: Call) -> dict[str, Any]:
        error = self.state.errors.get(call.method)
        if error:
            return {"ok": False, "error": error}
        handler = _METHODS.get(call.method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        return handler(self, call)

    def team_of(self, call: Call) -> str:
        return self.state.tokens.get(call.token or "", DEFAULT_TEAM)


def _auth_test(server: SlackServer, call: Call) -> dict[str, Any]:
    team = server.team_of(call)
    return {
        "ok": True,
        "url": "https://example.slack.com/",
        "team": f"Team {team}",
        "user": "revbot",
        "team_id": team,
        "user_id": BOT_USER,
        "bot_id": "BREVBOT01",
        "is_enterprise_install": False,
    }


def _post_message(server: SlackServer, call: Call) -> dict[str, Any]:
    channel = call.params.get("channel")
    ts = server.next_ts()
    return {"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts, "text": ""}}


def _update(server: SlackServer, call: Call) -> dict[str, Any]:
    return {"ok": True, "channel": call.params.get("channel"), "ts": call.params.get("ts")}


def _ephemeral(server: SlackServer, call: Call) -> dict[str, Any]:
    return {"ok": True, "message_ts": server.next_ts()}


def _view(server: SlackServer, call: Call) -> dict[str, Any]:
    view = call.json_param("view") or {}
    view_id = call.params.get("view_id") or f"V{next(server._ids):08d}"
    return {"ok": True, "view": {**view, "id": view_id, "hash": "h1"}}


def _users_info(server: SlackServer, call: Call) -> dict[str, Any]:
    user_id = str(call.params.get("user"))
    user = server.state.users.get(user_id)
    if user is None:
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "user": {"id": user_id, "team_id": server.team_of(call), **user}}


def _oauth_access(server: SlackServer, call: Call) -> dict[str, Any]:
    team = server.state.oauth_team
    server.state.tokens[server.state.oauth_token] = team
    return {
        "ok": True,
        "app_id": "AREVBOT01",
        "authed_user": {"id": "UINSTALLER"},
        "scope": "commands,chat:write",
        "token_type": "bot",
        "access_token": server.state.oauth_token,
        "bot_user_id": BOT_USER,
        "team": {"id": team, "name": f"Team {team}"},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def _upload_url(server: SlackServer, call: Call) -> dict[str, Any]:
    file_id = f"F{next(server._ids):08d}"
    return {"ok": True, "upload_url": f"{server.base_url}/upload/{file_id}", "file_id": file_id}


def _complete_upload(server: SlackServer, call: Call) -> dict[str, Any]:
    files = call.json_param("files") or []
    return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}


def _conversation(server: SlackServer, call: Call) -> dict[str, Any]:
    channel = str(call.params.get("channel"))
    return {"ok": True, "channel": {"id": channel, "name": channel.lower(), "is_member": True}}


def _team_info(server: SlackServer, call: Call) -> dict[str, Any]:
    team = server.team_of(call)
    return {"ok": True, "team": {"id": team, "name": f"Team {team}"}}


_METHODS: dict[str, Callable[[SlackServer, Call], dict[str, Any]]] = {
    "auth.test": _auth_test,
    "chat.postMessage": _post_message,
    "chat.update": _update,
    "chat.postEphemeral": _ephemeral,
    "views.open": _view,
    "views.update": _view,
    "views.publish": _view,
    "views.push": _view,
    "users.info": _users_info,
    "oauth.v2.access": _oauth_access,
    "files.getUploadURLExternal": _upload_url,
    "files.completeUploadExternal": _complete_upload,
    "conversations.info": _conversation,
    "conversations.join": _conversation,
    "team.info": _team_info,
}


def _parse_params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    params: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
    if "application/json" in content_type and body:
        params.update(json.loads(body))
    elif "application/x-www-form-urlencoded" in content_type and body:
        params.update({k: v[0] for k, v in parse_qs(body.decode()).items()})
    return params


def _token(headers: Any, params: dict[str, Any]) -> str | None:
    auth = headers.get("Authorization") or ""
    if auth.startswith("Bearer "):
        return str(auth.removeprefix("Bearer "))
    if auth.startswith("Basic "):
        return "basic:" + base64.b64decode(auth.removeprefix("Basic ")).decode()
    token = params.get("token")
    return str(token) if token else None


def _handler_for(server: SlackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urlparse(self.path)
            content_type = self.headers.get("Content-Type") or ""
            if url.path.startswith("/upload/"):
                server.record(
                    Call("upload", {"file_id": url.path.rsplit("/", 1)[1]}, None, url.path, body)
                )
                self._reply(200, b"OK - " + str(len(body)).encode(), "text/plain")
                return
            params = _parse_params(content_type, body, url.query)
            if url.path.startswith("/response/"):
                server.record(Call("response", params, None, url.path, body))
                self._reply(200, b"ok", "text/plain")
                return
            method = url.path.removeprefix("/api/")
            call = Call(method, params, _token(self.headers, params), url.path, body)
            call.response = server.answer(call)
            server.record(call)
            payload = json.dumps(call.response).encode()
            self._reply(200, payload, "application/json; charset=utf-8")

        def _reply(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = _serve
        do_GET = _serve

    return Handler
