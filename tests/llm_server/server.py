"""A local OpenAI-compatible ``/v1/chat/completions`` server: scripted replies, every request
recorded.

As strict as the hosted API where revbot could get it wrong: the bearer key must
match (401 otherwise, with the key partly echoed as OpenAI does), the body must be
JSON with only known parameters, the model must exist, the messages must be
role/content pairs, and a ``json_schema`` response format must be named and — when
strict — closed (every object ``additionalProperties: false`` with every property
required), else 400. Each request then takes the next :class:`Scripted` reply: an
assistant message, a raw body, an HTTP error, a refusal, or any of them after a
delay. With no reply scripted the server answers 500 (a test expecting no call sees
it in ``requests``).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PATH = "/v1/chat/completions"
_PARAMETERS = frozenset(
    {
        "model",
        "messages",
        "response_format",
        "temperature",
        "top_p",
        "max_tokens",
        "max_completion_tokens",
        "seed",
        "stop",
        "n",
        "user",
    }
)
_ROLES = frozenset({"system", "developer", "user", "assistant"})
_SCHEMA_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclass
class Scripted:
    """One reply: ``content`` as the assistant message (or ``refusal``), else ``body`` as
    the raw response body; ``status`` its HTTP status; sent after ``delay`` seconds."""

    content: str | None = None
    status: int = 200
    body: bytes | None = None
    refusal: str | None = None
    delay: float = 0.0

    @classmethod
    def json(cls, data: Any, **kwargs: Any) -> Scripted:
        return cls(content=json.dumps(data), **kwargs)


@dataclass
class Recorded:
    """One request as received: path, headers, raw body and (when JSON) the parsed body."""

    path: str
    headers: dict[str, str]
    raw: bytes
    body: Any = None
    status: int = 0

    def user_message(self) -> Any:
        """The user message's content, parsed as JSON."""
        [user] = [m for m in self.body["messages"] if m["role"] == "user"]
        return json.loads(user["content"])

    def system_message(self) -> str:
        [system] = [m for m in self.body["messages"] if m["role"] == "system"]
        return str(system["content"])


@dataclass
class LLMServer:
    """Start with ``LLMServer(key, model).start()`` (or ``with``); stop with ``stop()``."""

    api_key: str
    model: str = "test-model"
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """What ``REVBOT_LLM_BASE_URL`` is set to (as for ``https://api.openai.com/v1``)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> LLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases delayed replies
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(self, *replies: Scripted) -> None:
        """Queue replies, one per coming request."""
        with self._lock:
            self._script.extend(replies)

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self.requests.clear()

    @property
    def pending(self) -> int:
        """Scripted replies not yet taken."""
        with self._lock:
            return len(self._script)

    # -- answering ----------------------------------------------------------

    def handle(self, recorded: Recorded) -> tuple[int, bytes]:
        with self._lock:
            self.requests.append(recorded)
        problem = self._check(recorded)
        if problem is not None:
            return problem
        with self._lock:
            reply = self._script.popleft() if self._script else None
        if reply is None:
            return _error(500, "no scripted reply", "server_error")
        if reply.delay:
            self._stopping.wait(reply.delay)
        if reply.body is not None or reply.status != 200:
            return reply.status, reply.body or _error(reply.status, "scripted", "api_error")[1]
        return 200, self._completion(reply)

    def _check(self, recorded: Recorded) -> tuple[int, bytes] | None:
        if recorded.path != PATH:
            return _error(404, f"Invalid URL (POST {recorded.path})", "invalid_request_error")
        auth = recorded.headers.get("authorization", "")
        if auth != f"Bearer {self.api_key}":
            given = auth.removeprefix("Bearer ")
            masked = f"{given[:3]}***{given[-4:]}" if len(given) > 8 else "***"
            return _error(401, f"Incorrect API key provided: {masked}.", "invalid_api_key")
        body = recorded.body
        if not isinstance(body, dict):
            return _error(400, "We could not parse the JSON body of your request.", "invalid_json")
        unknown = set(body) - _PARAMETERS
        if unknown:
            return _error(400, f"Unrecognized request argument supplied: {sorted(unknown)[0]}")
        if body.get("model") != self.model:
            return _error(404, f"The model `{body.get('model')}` does not exist", "model_not_found")
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return _error(400, "'messages' must be a non-empty array")
        for message in messages:
            if (
                not isinstance(message, dict)
                or set(message) != {"role", "content"}
                or message["role"] not in _ROLES
                or not isinstance(message["content"], str)
            ):
                return _error(400, "Invalid message in 'messages'")
        return _check_format(body.get("response_format"))

    def _completion(self, reply: Scripted) -> bytes:
        message = {"role": "assistant", "content": reply.content, "refusal": reply.refusal}
        if reply.refusal is not None:
            message["content"] = None
        return json.dumps(
            {
                "id": f"chatcmpl-test{next(self._ids)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.model,
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        ).encode()


def _check_format(response_format: Any) -> tuple[int, bytes] | None:
    if response_format is None:
        return None
    if not isinstance(response_format, dict) or response_format.get("type") not in (
        "text",
        "json_object",
        "json_schema",
    ):
        return _error(400, "Invalid 'response_format'")
    if response_format["type"] != "json_schema":
        return None
    spec = response_format.get("json_schema")
    if not isinstance(spec, dict) or not _SCHEMA_NAME.match(str(spec.get("name", ""))):
        return _error(400, "Invalid 'response_format.json_schema.name'")
    schema = spec.get("schema")
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return _error(400, "Invalid schema for response_format: the root must be an object")
    if spec.get("strict") and (problem := _not_strict(schema)) is not None:
        return _error(400, f"Invalid schema for response_format '{spec['name']}': {problem}")
    return None


def _not_strict(node: Any) -> str | None:
    """Why ``node`` is not a strict-mode schema (OpenAI's rules), or None."""
    if isinstance(node, list):
        return next((p for item in node if (p := _not_strict(item)) is not None), None)
    if not isinstance(node, dict):
        return None
    if "default" in node:
        return "'default' is not permitted"
    if "properties" in node:
        if node.get("additionalProperties") is not False:
            return "'additionalProperties' is required to be supplied and to be false"
        if sorted(node.get("required", [])) != sorted(node["properties"]):
            return "'required' is required to be supplied and to include every property"
    children = [v for k, v in node.items() if k != "properties"]
    children.extend(node.get("properties", {}).values())
    return _not_strict(children)


def _error(status: int, message: str, code: str = "invalid_request_error") -> tuple[int, bytes]:
    payload = {"error": {"message": message, "type": code, "param": None, "code": code}}
    return status, json.dumps(payload).encode()


def _handler_for(server: LLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            headers = {k.lower(): v for k, v in self.headers.items()}
            recorded = Recorded(self.path, headers, raw, body)
            status, payload = server.handle(recorded)
            recorded.status = status
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def do_GET(self) -> None:
            status, payload = _error(404, f"Invalid URL (GET {self.path})")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler
