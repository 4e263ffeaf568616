"""A local Slack Web API server for tests: answers the methods revbot calls, records every call.

Runs a stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (random port). Point
``WebClient(base_url=server.api_url)`` at it. ``response_url`` posts and file
uploads go to the same server (``/response/...``, ``/upload/...``), so every
outgoing request of the bot can be asserted on.

Posted messages are kept per channel, as Slack keeps them: ``conversations.history``
returns them newest first, between ``oldest`` and ``latest`` (exclusive unless
``inclusive``), ``limit`` at a time with a cursor, thread replies left out; a
message's ``metadata`` only with ``include_all_metadata``; and only for channels
the bot is a member of (``state.members``; ``conversations.join`` adds one),
else ``not_in_channel``. ``chat.postMessage`` refuses malformed ``metadata``
(``invalid_metadata_format``). A message's ``ts`` is its real posting time.
``state.delays[method]`` holds a method's answer back after the work is done
(a request in flight when its caller dies).
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
    delays: dict[str, float] = field(default_factory=dict)  # method -> seconds before answering
    members: set[str] = field(default_factory=set)  # channels the bot is a member of
    oauth_team: str = "T0000002"
    oauth_token: str = "xoxb-oauth-installed-token-0002"


class SlackServer:
    """Start with ``SlackServer().start()``; stop with ``stop()``."""

    def __init__(self) -> None:
        self.state = SlackState()
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel -> messages, oldest first
        self._last_ts = 0.0
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
            self.messages.clear()
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
        """Now, as Slack writes a ts; strictly increasing so every message has its own."""
        with self._lock:
            self._last_ts = max(time.time(), self._last_ts + 0.000001)
            return f"{self._last_ts:.6f}"

    def history(self, channel: str) -> list[dict[str, Any]]:
        """The channel's messages as stored (oldest first, with metadata)."""
        with self._lock:
            return [dict(m) for m in self.messages.get(channel, [])]

    def keep(self, channel: str, message: dict[str, Any]) -> None:
        with self._lock:
            self.messages.setdefault(channel, []).append(message)

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


def _valid_metadata(value: Any) -> bool:
    """Slack's message metadata: an ``event_type`` string and an ``event_payload`` object."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("event_type"), str)
        and bool(value["event_type"])
        and isinstance(value.get("event_payload"), dict)
    )


def _post_message(server: SlackServer, call: Call) -> dict[str, Any]:
    channel = call.params.get("channel")
    if not channel:
        return {"ok": False, "error": "channel_not_found"}
    metadata = call.params.get("metadata")
    if metadata is not None:
        try:
            metadata = call.json_param("metadata")
        except ValueError:
            return {"ok": False, "error": "invalid_metadata_format"}
        if not _valid_metadata(metadata):
            return {"ok": False, "error": "invalid_metadata_format"}
    ts = server.next_ts()
    message: dict[str, Any] = {
        "type": "message",
        "ts": ts,
        "text": str(call.params.get("text") or ""),
        "user": BOT_USER,
        "bot_id": "BREVBOT01",
        "app_id": "AREVBOT01",
    }
    if call.params.get("thread_ts"):
        message["thread_ts"] = str(call.params["thread_ts"])
    if metadata is not None:
        message["metadata"] = metadata
    server.keep(str(channel), message)
    shown = {k: v for k, v in message.items() if k != "metadata"}
    return {"ok": True, "channel": channel, "ts": ts, "message": shown}


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in {"1", "true"}


def _history(server: SlackServer, call: Call) -> dict[str, Any]:
    """conversations.history as Slack answers it (see the module docstring)."""
    channel = str(call.params.get("channel") or "")
    if not channel:
        return {"ok": False, "error": "channel_not_found"}
    if channel not in server.state.members:
        return {"ok": False, "error": "not_in_channel"}
    try:
        limit = min(int(call.params.get("limit") or 100), 999)
        oldest = float(call.params.get("oldest") or 0)
        latest = float(call.params.get("latest") or time.time() + 1)
        cursor = call.params.get("cursor") or ""
        offset = int(base64.b64decode(cursor).decode().removeprefix("offset:")) if cursor else 0
    except ValueError:
        return {"ok": False, "error": "invalid_arguments"}
    if limit < 1:
        return {"ok": False, "error": "invalid_limit"}
    inclusive = _flag(call.params.get("inclusive"))

    def inside(ts: float) -> bool:
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    kept = [
        m
        for m in reversed(server.history(channel))
        if inside(float(m["ts"])) and (not m.get("thread_ts") or m["thread_ts"] == m["ts"])
    ]
    page = kept[offset : offset + limit]
    if not _flag(call.params.get("include_all_metadata")):
        page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
    more = offset + limit < len(kept)
    following = base64.b64encode(f"offset:{offset + limit}".encode()).decode() if more else ""
    return {
        "ok": True,
        "messages": page,
        "has_more": more,
        "pin_count": 0,
        "response_metadata": {"next_cursor": following},
    }


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


def _join(server: SlackServer, call: Call) -> dict[str, Any]:
    server.state.members.add(str(call.params.get("channel")))
    return _conversation(server, call)


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
    "conversations.join": _join,
    "conversations.history": _history,
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
            # Done, but the answer is still on its way (until the delay passes or is cleared).
            until = time.monotonic() + server.state.delays.get(method, 0.0)
            while time.monotonic() < until and server.state.delays.get(method):
                time.sleep(0.05)
            payload = json.dumps(call.response).encode()
            try:
                self._reply(200, payload, "application/json; charset=utf-8")
            except OSError:
                return  # the caller went away while its request was in flight

        def _reply(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = _serve
        do_GET = _serve

    return Handler
