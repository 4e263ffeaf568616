"""The read-only client: retries, backoff, Retry-After, rate limit, request count."""

from __future__ import annotations

import pytest

from sync.client import STRIPE_API_VERSION, RateLimiter, RetryNotice, StripeReadClient
from sync.errors import (
    InvalidApiKey,
    MissingPermission,
    StripeRequestRejected,
    StripeUnavailable,
    network_cause,
)
from testkit.stripe_server import Failure, StripeTestServer
from tests.stripe_server.helpers import make_client


def test_429_with_retry_after_is_retried_after_that_delay(stripe_server: StripeTestServer) -> None:
    sleeps: list[float] = []
    client = make_client(stripe_server, sleep=sleeps.append, jitter=lambda: 0.0, backoff_base=0.1)
    stripe_server.inject(Failure(429, count=2, retry_after=2))
    assert client.get("/v1/account")["id"] == "acct_1kPcJZosDYo9PgpE"
    assert sleeps == [2.0, 2.0]
    assert client.request_count == 3 and client.retry_count == 2


def test_500_then_success_backs_off_exponentially(stripe_server: StripeTestServer) -> None:
    sleeps: list[float] = []
    client = make_client(stripe_server, sleep=sleeps.append, jitter=lambda: 1.0, backoff_base=0.5)
    stripe_server.inject(Failure(500, count=3))
    assert len(list(client.list_all("/v1/products"))) == 19
    assert sleeps == [0.5, 1.0, 2.0]
    assert [r.status for r in stripe_server.requests] == [500, 500, 500, 200]


def test_network_errors_and_409_are_retried(stripe_server: StripeTestServer) -> None:
    client = make_client(stripe_server)
    stripe_server.inject(Failure(0, count=1))
    stripe_server.inject(Failure(409, count=1))
    assert client.get("/v1/account")["object"] == "account"
    assert client.request_count == 3


def test_retries_exhausted_and_should_retry_false(stripe_server: StripeTestServer) -> None:
    client = make_client(stripe_server, max_retries=2)
    stripe_server.inject(Failure(503, count=None))
    with pytest.raises(StripeUnavailable) as exc:
        client.get("/v1/products")
    assert exc.value.user_message == "Stripe unavailable — will retry"
    assert client.request_count == 3
    stripe_server.clear_failures()
    stripe_server.inject(Failure(500, count=1, should_retry=False))
    with pytest.raises(StripeUnavailable):
        client.get("/v1/products")
    assert client.request_count == 4


def test_client_errors_are_not_retried(stripe_server: StripeTestServer) -> None:
    client = make_client(stripe_server)
    with pytest.raises(StripeRequestRejected):
        client.get("/v1/customers/cus_missing")
    assert client.request_count == 1


def test_auth_errors_never_show_the_key(stripe_world) -> None:  # type: ignore[no-untyped-def]
    key = "rk_test_51SecretMaterial0000abcd"
    keys = {key: frozenset({"rak_product_read"})}
    with StripeTestServer(stripe_world, keys=keys) as server:
        with pytest.raises(InvalidApiKey) as invalid:
            make_client(server, key="rk_test_51Other0000000zzzz").get("/v1/products")
        assert "51Other" not in invalid.value.detail
        with pytest.raises(MissingPermission) as denied:
            make_client(server, key=key).get("/v1/invoices", {"limit": 1})
    assert denied.value.permission == "rak_invoice_read" and denied.value.resource == "invoices"
    assert denied.value.user_message.startswith("Missing permission: Invoices (read)")
    assert "SecretMaterial" not in denied.value.detail


def test_pinned_version_and_get_only_surface(stripe_server: StripeTestServer) -> None:
    client = make_client(stripe_server)
    client.get("/v1/account")
    assert stripe_server.requests[-1].stripe_version == STRIPE_API_VERSION
    public = {n for n in dir(StripeReadClient) if not n.startswith("_")}
    assert public == {"get", "list_pages", "list_all", "for_key"}


def test_rate_limiter_spaces_requests() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 6))
        clock[0] += seconds

    limiter = RateLimiter(25, clock=lambda: clock[0], sleep=sleep)
    for _ in range(5):
        limiter.acquire()
    assert slept == [0.04, 0.04, 0.04, 0.04]
    unlimited = RateLimiter(None, clock=lambda: 0.0, sleep=sleep)
    unlimited.acquire()
    assert len(slept) == 4


def test_rate_limit_from_key_mode() -> None:
    from core.settings import Settings

    settings = Settings(REVBOT_STRIPE_RATE_LIMIT_TEST=25, REVBOT_STRIPE_RATE_LIMIT_LIVE=90)
    assert StripeReadClient.for_key("rk_test_x", settings).limiter.interval == pytest.approx(1 / 25)
    assert StripeReadClient.for_key("rk_live_x", settings).limiter.interval == pytest.approx(1 / 90)


def test_installed_stripe_python_defaults_to_the_pinned_api_version() -> None:
    # The pin in pyproject.toml must take the stripe-python major whose own default API
    # version is the one every request sends; otherwise its typed params and fixtures
    # (which the Stripe test server reads) describe another API version.
    import stripe

    assert stripe.api_version == STRIPE_API_VERSION


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again on exit: nothing listens there


def test_an_unreachable_stripe_names_the_cause_and_reports_each_retry() -> None:
    notices: list[RetryNotice] = []
    sleeps: list[float] = []
    client = StripeReadClient(
        "rk_test_unreachable0001",
        api_base=f"http://127.0.0.1:{_closed_port()}/",
        max_retries=2,
        rate_limit=None,
        sleep=sleeps.append,
        jitter=lambda: 1.0,
        backoff_base=0.5,
        on_retry=notices.append,
    )
    with pytest.raises(StripeUnavailable) as raised:
        client.get("/v1/account")
    assert raised.value.unreachable == "connection refused"
    assert "rk_test_unreachable0001" not in raised.value.detail
    assert client.api_base.startswith("http://127.0.0.1:") and not client.api_base.endswith("/")
    assert notices == [
        RetryNotice(1, 2, 0.5, "connection refused"),
        RetryNotice(2, 2, 1.0, "connection refused"),
    ]
    assert sleeps == [0.5, 1.0]


def test_an_http_failure_is_not_called_unreachable(stripe_server: StripeTestServer) -> None:
    notices: list[RetryNotice] = []
    client = make_client(stripe_server, max_retries=1, on_retry=notices.append)
    stripe_server.inject(Failure(503, count=2))
    with pytest.raises(StripeUnavailable) as raised:
        client.get("/v1/account")
    assert raised.value.unreachable is None and raised.value.status == 503
    assert [n.reason for n in notices] == ["HTTP 503"]


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("[Errno 111] Connection refused", "connection refused"),
        ("NameResolutionError(... [Errno -2] Name or service not known)", "DNS lookup failed"),
        ("[Errno -3] Temporary failure in name resolution", "DNS lookup failed"),
        ("ConnectTimeoutError(... 'Connection to api.stripe.com timed out')", "timed out"),
        ("ReadTimeout: HTTPSConnectionPool(...)", "timed out"),
        ("SSLError(SSLCertVerificationError('certificate verify failed'))", "TLS handshake failed"),
        ("ConnectionResetError(104, 'Connection reset by peer')", "connection reset"),
        ("something else entirely", "network error"),
    ],
)
def test_network_causes_in_words(text: str, cause: str) -> None:
    assert network_cause(text) == cause
