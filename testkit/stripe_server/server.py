"""The HTTP side of the Stripe test server: routing, auth, params, failures, records.

Runs a stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (random port). Only GET is
served; any other method gets 405 with Stripe's error JSON and is recorded, so
tests can prove the client never sends one.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from testkit.stripe_server.expansion import (
    ExpandError,
    check_expand,
    class_of,
    prefixes,
    warm_rules,
)
from testkit.stripe_server.listing import Lister, ListError
from testkit.stripe_server.params import declared_params, required_params
from testkit.stripe_server.world import OBJECT_TYPES, ObjectIndex, StripeWorld, render

# Endpoint kind -> the restricted-key permission Stripe asks for.
PERMISSIONS = {
    "account": "rak_account_read",
    "products": "rak_product_read",
    "prices": "rak_price_read",
    "coupons": "rak_coupon_read",
    "customers": "rak_customer_read",
    "subscriptions": "rak_subscription_read",
    "invoices": "rak_invoice_read",
    "events": "rak_event_read",
}
ALL_PERMISSIONS = frozenset(PERMISSIONS.values())
_LIST_KINDS = {
    "products",
    "prices",
    "coupons",
    "customers",
    "subscriptions",
    "invoices",
    "events",
}
_SINGLE_KINDS = {
    "products": "product",
    "prices": "price",
    "coupons": "coupon",
    "customers": "customer",
    "subscriptions": "subscription",
    "invoices": "invoice",
}
_PAGED_CHILDREN = {"invoice_lines", "subscription_items"}
_RESOURCE_OF = {
    "invoice_lines": "invoices",
    "subscription_items": "subscriptions",
    **{single: plural for plural, single in _SINGLE_KINDS.items()},
}


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    params: dict[str, Any]
    query: tuple[tuple[str, str], ...]
    stripe_version: str | None
    status: int


@dataclass
class Failure:
    """An injected failure for the next ``count`` matching requests (None: forever),
    once ``after`` matching requests have been answered normally.

    ``status`` 0 drops the connection without answering (a network error).
    """

    status: int
    count: int | None = 1
    path_prefix: str = "/"
    retry_after: float | None = None
    should_retry: bool | None = None
    message: str = "An unknown error occurred"
    after: int = 0


class Hold:
    """Matching requests wait (unanswered) until ``release`` — a Stripe that stalls —
    once ``after`` of them have been answered.

    ``reached`` is set once a request is being held; ``held`` counts them.
    """

    def __init__(self, path_prefix: str, timeout: float, after: int = 0) -> None:
        self.path_prefix = path_prefix
        self.timeout = timeout
        self.after = after
        self.reached = threading.Event()
        self.released = threading.Event()
        self.held = 0

    def wait(self) -> None:
        self.held += 1
        self.reached.set()
        self.released.wait(self.timeout)

    def release(self) -> None:
        self.released.set()


def mask_key(key: str) -> str:
    return key[:8] + "*" * max(0, len(key) - 12) + key[-4:]


def parse_params(query: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding: ``a[b]=1`` -> {"a": {"b": "1"}}, ``x[]``/``x[0]`` -> lists."""
    out: dict[str, Any] = {}
    for raw_key, value in query:
        if "[" not in raw_key:
            out[raw_key] = value
            continue
        name, rest = raw_key.split("[", 1)
        sub = rest.rstrip("]")
        if sub == "" or sub.isdigit():
            existing = out.setdefault(name, [])
            if not isinstance(existing, list):
                raise ListError(f"Invalid array: {name}", name)
            existing.append(value)
        else:
            existing = out.setdefault(name, {})
            if not isinstance(existing, dict):
                raise ListError(f"Invalid hash: {name}", name)
            existing[sub] = value
    return out


@dataclass
class _State:
    keys: dict[str, frozenset[str]] | None = None  # None: any sk_/rk_ key, all permissions
    failures: list[Failure] = field(default_factory=list)
    latency: float = 0.0
    requests: list[RecordedRequest] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)


class StripeTestServer:
    """A Stripe-compatible read API over a ``StripeWorld``; use as a context manager."""

    def __init__(self, world: StripeWorld, *, keys: dict[str, frozenset[str]] | None = None):
        self.world = world
        self.lister = Lister(world)
        self._index: ObjectIndex | None = None
        self.state = _State(keys=keys)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> StripeTestServer:
        # Derive the expansion rules now (a second of imports and annotation walking the
        # first time): a request must never pay for it, the way Stripe's never does.
        warm_rules(OBJECT_TYPES.values())
        handler = _make_handler(self)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> StripeTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- configuration -------------------------------------------------------------
    def set_keys(self, keys: dict[str, frozenset[str]] | None) -> None:
        with self._lock:
            self.state.keys = keys

    def set_latency(self, seconds: float) -> None:
        self.state.latency = seconds

    def inject(self, failure: Failure) -> None:
        with self._lock:
            self.state.failures.append(failure)

    def clear_failures(self) -> None:
        with self._lock:
            self.state.failures.clear()

    def hold(self, path_prefix: str, *, after: int = 0, timeout: float = 30.0) -> Hold:
        """Stall requests under ``path_prefix``, after the first ``after``, until the
        returned hold is released (or ``timeout`` seconds pass: a failing test never hangs)."""
        hold = Hold(path_prefix, timeout, after)
        with self._lock:
            self.state.holds.append(hold)
        return hold

    def _hold_for(self, path: str) -> Hold | None:
        with self._lock:
            for hold in self.state.holds:
                if path.startswith(hold.path_prefix) and not hold.released.is_set():
                    return hold
        return None

    def set_world(self, world: StripeWorld) -> None:
        self.world = world
        self.lister = Lister(world)
        self._index = None

    @property
    def index(self) -> ObjectIndex:
        """The world's objects by id (built on first use, again after ``set_world``)."""
        with self._lock:
            if self._index is None:
                self._index = ObjectIndex(self.world)
            return self._index

    # -- records ---------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self.state.requests)

    def reset_requests(self) -> None:
        with self._lock:
            self.state.requests.clear()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.state.requests.append(request)

    def _take_failure(self, path: str) -> Failure | None:
        with self._lock:
            for failure in self.state.failures:
                if path.startswith(failure.path_prefix):
                    if failure.after > 0:
                        failure.after -= 1
                        return None
                    if failure.count is not None:
                        failure.count -= 1
                        if failure.count <= 0:
                            self.state.failures.remove(failure)
                    return failure
        return None

    # -- answering -------------------------------------------------------------------
    def answer(self, method: str, raw_path: str, auth: str | None) -> tuple[int, dict[str, Any]]:
        """Status and JSON body for one request (auth, params, routing)."""
        split = urlsplit(raw_path)
        path = split.path
        query = parse_qsl(split.query, keep_blank_values=True)
        if method != "GET":
            return 405, _error(
                "invalid_request_error",
                f"Unrecognized request URL ({method}: {path}). This test server is read-only.",
            )
        kind, object_id, extra = _route(path)
        if kind is None:
            return 404, _error(
                "invalid_request_error", f"Unrecognized request URL (GET: {path}).", None
            )
        denied = self._check_auth(auth, kind)
        if denied is not None:
            return denied
        try:
            params = parse_params(query)
            self._check_params(kind, params)
            return 200, self._dispatch(kind, object_id, extra, params)
        except ListError as exc:
            status = 404 if exc.code == "resource_missing" and exc.param == "id" else 400
            return status, _error("invalid_request_error", str(exc), exc.param, exc.code)
        except ExpandError as exc:
            return 400, _error("invalid_request_error", str(exc), None, exc.code, doc=False)

    def _check_auth(self, auth: str | None, kind: str) -> tuple[int, dict[str, Any]] | None:
        if not auth or not auth.startswith("Bearer "):
            return 401, _error(
                "invalid_request_error",
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth.",
            )
        key = auth.removeprefix("Bearer ").strip()
        keys = self.state.keys
        if keys is None:
            if not key.startswith(("sk_", "rk_")):
                return 401, _error(
                    "invalid_request_error", f"Invalid API Key provided: {mask_key(key)}"
                )
            return None
        if key not in keys:
            return 401, _error(
                "invalid_request_error", f"Invalid API Key provided: {mask_key(key)}"
            )
        permission = PERMISSIONS[_RESOURCE_OF.get(kind, kind)]
        if permission not in keys[key]:
            return 403, _error(
                "invalid_request_error",
                f"The provided key '{mask_key(key)}' does not have the required permissions for "
                f"this endpoint on account '{self.world.account.get('id')}'. Having the "
                f"'{permission}' permission would allow this request to continue.",
            )
        return None

    def _check_params(self, kind: str, params: dict[str, Any]) -> None:
        allowed = declared_params(kind)
        for name in params:
            if name not in allowed:
                raise ListError(f"Received unknown parameter: {name}", name, "parameter_unknown")
        for name in required_params(kind):
            if name not in params:
                raise ListError(f"Missing required param: {name}.", name, "parameter_missing")
        expand = params.get("expand", [])
        if not isinstance(expand, list):
            raise ListError("Invalid array", "expand")
        type_ = OBJECT_TYPES.get(kind) or OBJECT_TYPES.get(_RESOURCE_OF.get(kind, ""), "")
        cls = class_of(type_) if type_ else None
        if cls is not None:
            check_expand(cls, expand, is_list=kind in _LIST_KINDS or kind in _PAGED_CHILDREN)

    def _dispatch(
        self, kind: str, object_id: str | None, extra: str | None, params: dict[str, Any]
    ) -> dict[str, Any]:
        wanted = prefixes(params.get("expand", []))
        world, index = self.world, self.index
        if kind == "account":
            return dict(world.account)
        if kind in _LIST_KINDS:
            objs, has_more = self.lister.page(kind, params)
            rendered = [render(kind, o, wanted, "data.", index) for o in objs]
            return _list_body(f"/v1/{kind}", rendered, has_more)
        if kind == "invoice_lines":
            invoice = self._get("invoices", "invoice", object_id)
            objs, has_more = self.lister.page(kind, params, parent=invoice)
            rendered = [render(kind, o, wanted, "data.", index) for o in objs]
            return _list_body(f"/v1/invoices/{object_id}/lines", rendered, has_more)
        if kind == "subscription_items":
            sub = self._get("subscriptions", "subscription", params["subscription"], "subscription")
            objs, has_more = self.lister.page(kind, params, parent=sub)
            rendered = [render(kind, o, wanted, "data.", index) for o in objs]
            return _list_body("/v1/subscription_items", rendered, has_more)
        plural = _RESOURCE_OF[kind]
        if plural == "customers" and object_id is not None:
            deleted = world.find("customers_deleted", object_id)
            if deleted is not None:
                return dict(deleted)
        return render(plural, self._get(plural, kind, object_id), wanted, "", index)

    def _get(
        self, plural: str, single: str, object_id: str | None, param: str = "id"
    ) -> dict[str, Any]:
        obj = self.world.find(plural, object_id or "")
        if obj is None:
            raise ListError(f"No such {single}: '{object_id}'", param, "resource_missing")
        return obj


def _route(path: str) -> tuple[str | None, str | None, str | None]:
    parts = [p for p in path.split("/") if p]
    if len(parts) < 2 or parts[0] != "v1":
        return None, None, None
    rest = parts[1:]
    if rest == ["account"]:
        return "account", None, None
    if rest == ["subscription_items"]:
        return "subscription_items", None, None
    if len(rest) == 1 and rest[0] in _LIST_KINDS:
        return rest[0], None, None
    if len(rest) == 2 and rest[0] in _SINGLE_KINDS:
        return _SINGLE_KINDS[rest[0]], rest[1], None
    if len(rest) == 3 and rest[0] == "invoices" and rest[2] == "lines":
        return "invoice_lines", rest[1], "lines"
    return None, None, None


def _list_body(url: str, data: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def _error(
    type_: str,
    message: str,
    param: str | None = None,
    code: str | None = None,
    *,
    doc: bool = True,
) -> dict[str, Any]:
    error: dict[str, Any] = {"type": type_, "message": message}
    if param:
        error["param"] = param
    if code:
        error["code"] = code
        if doc:
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
    return {"error": error}


def _make_handler(server: StripeTestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            if server.state.latency:
                time.sleep(server.state.latency)
            split = urlsplit(self.path)
            hold = server._hold_for(split.path)
            if hold is not None:
                with server._lock:
                    passes = hold.after > 0
                    if passes:
                        hold.after -= 1
                if not passes:
                    hold.wait()
            query = tuple(parse_qsl(split.query, keep_blank_values=True))
            try:
                params = parse_params(list(query))
            except ListError:
                params = {}
            failure = server._take_failure(split.path)
            version = self.headers.get("Stripe-Version")
            if failure is not None:
                server._record(
                    RecordedRequest(
                        self.command, split.path, params, query, version, failure.status
                    )
                )
                self._fail(failure)
                return
            status, body = server.answer(self.command, self.path, self.headers.get("Authorization"))
            server._record(
                RecordedRequest(self.command, split.path, params, query, version, status)
            )
            self._send(status, body)

        def _fail(self, failure: Failure) -> None:
            if failure.status == 0:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            headers: dict[str, str] = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            if failure.should_retry is not None:
                headers["Stripe-Should-Retry"] = "true" if failure.should_retry else "false"
            type_ = "rate_limit_error" if failure.status == 429 else "api_error"
            code = "rate_limit" if failure.status == 429 else None
            self._send(failure.status, _error(type_, failure.message, None, code), headers)

        def _send(
            self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_test_{time.monotonic_ns()}")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if status == 405:
                self.send_header("Allow", "GET")
            self.end_headers()
            self.wfile.write(data)

        do_GET = _handle
        do_POST = _handle
        do_DELETE = _handle
        do_PUT = _handle
        do_PATCH = _handle

    return Handler


@contextmanager
def serving(world: StripeWorld, **kwargs: Any) -> Iterator[StripeTestServer]:
    with StripeTestServer(world, **kwargs) as server:
        yield server
