"""The read-only Stripe client: GET requests only, rate-limited, retried, counted.

Built on stripe-python's ``StripeClient.raw_request`` so authentication,
headers and the pinned API version come from the official library, while the
responses stay plain parsed JSON (stripe-python's typed objects cost about 5x
more to build, SPEC §5). stripe-python's own retries are turned off: ours
handle 429/409/5xx/network errors with exponential backoff and jitter, honour
``Retry-After`` and ``Stripe-Should-Retry``. There is deliberately no method
that sends anything but GET.
"""

from __future__ import annotations

import contextlib
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import stripe

from sync.errors import (
    InvalidApiKey,
    MissingPermission,
    StripeRequestRejected,
    StripeSyncError,
    StripeUnavailable,
    network_cause,
)

# The API version every request pins (the shape sync.readers expects first;
# older shapes are still read tolerantly).
STRIPE_API_VERSION = "2026-10-28.endive"
PAGE_SIZE = 100
RETRYABLE_STATUSES = frozenset({409, 429})

Json = dict[str, Any]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class RetryNotice:
    """A request about to be retried: which retry, of how many, after how long, and why
    ("connection refused", "HTTP 503", …), for a front end that shows progress."""

    retry: int
    retries: int
    delay: float
    reason: str


class RateLimiter:
    """Spaces requests at most ``rate`` per second across threads (None: unlimited)."""

    def __init__(
        self,
        rate: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


def resource_of(path: str) -> str:
    """The resource a path reads, as a user knows it ("invoices", "account", …)."""
    parts = [p for p in path.split("/") if p and p != "v1"]
    if not parts:
        return "account"
    if parts[0] == "subscription_items":
        return "subscriptions"
    return parts[0]


_PERMISSION = re.compile(r"'(rak_[a-z0-9_]+)'")


class StripeReadClient:
    """GET-only access to the Stripe API (or a Stripe-compatible server)."""

    def __init__(
        self,
        api_key: str,
        *,
        api_base: str = "https://api.stripe.com",
        rate_limit: float | None = 25.0,
        max_retries: int = 5,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        sleep: Sleep = time.sleep,
        jitter: Callable[[], float] = random.random,
        timeout: float = 60.0,
        on_retry: Callable[[RetryNotice], None] | None = None,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self._stripe = stripe.StripeClient(
            api_key,
            stripe_version=STRIPE_API_VERSION,
            base_addresses={"api": api_base.rstrip("/")},
            max_network_retries=0,
            http_client=stripe.RequestsClient(timeout=timeout),
        )
        self.limiter = RateLimiter(rate_limit, sleep=sleep)
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep
        self._jitter = jitter
        self._on_retry = on_retry
        self._key = api_key
        self._count_lock = threading.Lock()
        self.request_count = 0
        self.retry_count = 0

    @classmethod
    def for_key(cls, api_key: str, settings: Any, **overrides: Any) -> StripeReadClient:
        """A client for ``api_key`` with the rate limit of its mode (live/test)."""
        live = "_live_" in api_key
        rate = settings.stripe_rate_limit_live if live else settings.stripe_rate_limit_test
        options: dict[str, Any] = {
            "api_base": settings.stripe_api_base,
            "rate_limit": rate,
            "max_retries": settings.stripe_max_retries,
        }
        options.update(overrides)
        return cls(api_key, **options)

    # -- reads -----------------------------------------------------------------------
    def get(self, path: str, params: Json | None = None) -> Json:
        """One GET, retried on transient failures; the parsed JSON body."""
        attempt = 0
        while True:
            self.limiter.acquire()
            with self._count_lock:
                self.request_count += 1
            try:
                response = self._stripe.raw_request("get", path, **(params or {}))
                return dict(response.data)
            except stripe.StripeError as exc:
                detail = self._redact(_detail(exc))
                error = self._translate(exc, path, detail)
                if error is not None:
                    raise error from None
                unreachable = (
                    network_cause(detail) if isinstance(exc, stripe.APIConnectionError) else None
                )
                if attempt >= self.max_retries:
                    raise StripeUnavailable(
                        detail, status=exc.http_status, unreachable=unreachable
                    ) from None
                delay = self._delay(attempt, exc)
                if self._on_retry is not None:
                    reason = unreachable or f"HTTP {exc.http_status}"
                    self._on_retry(RetryNotice(attempt + 1, self.max_retries, delay, reason))
                self._sleep(delay)
                attempt += 1
                with self._count_lock:
                    self.retry_count += 1

    def list_pages(
        self, path: str, params: Json | None = None, page_size: int = PAGE_SIZE
    ) -> Iterator[list[Json]]:
        """Every page of a list, newest first, paging with ``starting_after``."""
        base = dict(params or {})
        base["limit"] = page_size
        while True:
            page = self.get(path, base)
            data = list(page.get("data") or [])
            yield data
            if not page.get("has_more") or not data:
                return
            base = {**base, "starting_after": data[-1]["id"]}

    def list_all(
        self, path: str, params: Json | None = None, page_size: int = PAGE_SIZE
    ) -> Iterator[Json]:
        """Every object of a list (see ``list_pages``)."""
        for page in self.list_pages(path, params, page_size):
            yield from page

    # -- failures --------------------------------------------------------------------
    def _redact(self, text: str) -> str:
        return text.replace(self._key, mask_key(self._key)) if self._key else text

    def _translate(self, exc: stripe.StripeError, path: str, detail: str) -> StripeSyncError | None:
        """The error to raise now, or None when the request should be retried."""
        status = exc.http_status
        should_retry = _header(exc, "Stripe-Should-Retry")
        if isinstance(exc, stripe.AuthenticationError) or status == 401:
            return InvalidApiKey(detail, status=401)
        if isinstance(exc, stripe.PermissionError) or status == 403:
            found = _PERMISSION.search(str(exc.user_message or ""))
            return MissingPermission(
                detail, resource=resource_of(path), permission=found.group(1) if found else None
            )
        if should_retry == "false":
            return StripeUnavailable(detail, status=status)
        retryable = (
            should_retry == "true"
            or isinstance(exc, stripe.APIConnectionError)
            or status in RETRYABLE_STATUSES
            or (status is not None and status >= 500)
        )
        if retryable:
            return None
        return StripeRequestRejected(detail, status=status)

    def _delay(self, attempt: int, exc: stripe.StripeError) -> float:
        backoff = min(self.backoff_cap, self.backoff_base * (2**attempt))
        delay = backoff * (0.5 + self._jitter() / 2)
        retry_after = _header(exc, "Retry-After")
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = max(delay, min(float(retry_after), self.backoff_cap * 4))
        return delay


def mask_key(key: str) -> str:
    """``rk_test_…1234``: the only form a key is ever shown in."""
    prefix = key[: key.find("_", 3) + 1] if key.count("_") >= 2 else ""
    return f"{prefix}…{key[-4:]}"


def _header(exc: stripe.StripeError, name: str) -> str | None:
    headers = exc.headers or {}
    for key, value in headers.items():
        if key.lower() == name.lower():
            return str(value)
    return None


def _detail(exc: stripe.StripeError) -> str:
    """The exact error text for support (Stripe masks keys in its messages)."""
    status = exc.http_status
    message = exc.user_message or str(exc) or exc.__class__.__name__
    prefix = f"HTTP {status}: " if status else ""
    return f"{prefix}{message}"
