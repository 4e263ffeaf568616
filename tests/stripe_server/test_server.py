"""The Stripe test server itself: list semantics, params, auth, failures, records."""

from __future__ import annotations

import threading

import requests

from testkit.stripe_server import Failure, StripeTestServer, StripeWorld

AUTH = {"Authorization": "Bearer rk_test_51abcdef1234"}


def _get(server: StripeTestServer, path: str, **params: object) -> requests.Response:
    return requests.get(server.url + path, params=params, headers=AUTH, timeout=10)


def test_lists_page_newest_first_with_cursors(
    stripe_server: StripeTestServer, stripe_world: StripeWorld
) -> None:
    first = _get(stripe_server, "/v1/customers", limit=30).json()
    assert first["object"] == "list" and first["url"] == "/v1/customers" and first["has_more"]
    created = [c["created"] for c in first["data"]]
    assert created == sorted(created, reverse=True) and len(created) == 30
    second = _get(
        stripe_server, "/v1/customers", limit=100, starting_after=first["data"][-1]["id"]
    ).json()
    assert not second["has_more"] and len(second["data"]) == len(stripe_world.customers) - 30
    back = _get(
        stripe_server, "/v1/customers", limit=5, ending_before=second["data"][0]["id"]
    ).json()
    assert [c["id"] for c in back["data"]] == [c["id"] for c in first["data"][-5:]]
    assert back["has_more"]


def test_limit_bounds_and_unknown_params_are_rejected(stripe_server: StripeTestServer) -> None:
    for bad in (0, 101):
        response = _get(stripe_server, "/v1/products", limit=bad)
        assert response.status_code == 400 and response.json()["error"]["param"] == "limit"
    response = _get(stripe_server, "/v1/invoices", include_lines="true")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "type": "invalid_request_error",
        "message": "Received unknown parameter: include_lines",
        "param": "include_lines",
        "code": "parameter_unknown",
        "doc_url": "https://stripe.com/docs/error-codes/parameter-unknown",
    }
    # `status` is declared for invoices but `subscription` is required for items.
    assert _get(stripe_server, "/v1/subscription_items").status_code == 400


def test_filters_status_and_expansion(
    stripe_server: StripeTestServer, stripe_world: StripeWorld
) -> None:
    default = _get(stripe_server, "/v1/subscriptions", limit=100).json()["data"]
    everything = _get(stripe_server, "/v1/subscriptions", limit=100, status="all").json()["data"]
    assert {s["status"] for s in default} == {s["status"] for s in everything} - {"canceled"}
    assert len(everything) == len(stripe_world.subscriptions)
    with_discount = next(s for s in everything if s["discounts"])
    assert all(isinstance(d, str) for d in with_discount["discounts"])
    expanded = _get(
        stripe_server,
        "/v1/subscriptions",
        limit=100,
        status="all",
        **{"expand[]": "data.discounts"},
    ).json()["data"]
    assert any(isinstance(d, dict) for s in expanded for d in s["discounts"])
    plain = _get(stripe_server, "/v1/prices", limit=100).json()["data"]
    tiered = _get(stripe_server, "/v1/prices", limit=100, **{"expand[0]": "data.tiers"}).json()[
        "data"
    ]
    assert not any("tiers" in p for p in plain) and any("tiers" in p for p in tiered)
    start = 1_800_000_000
    recent = _get(stripe_server, "/v1/invoices", limit=100, **{"created[gte]": start}).json()[
        "data"
    ]
    assert recent and all(i["created"] >= start for i in recent)


def test_invoice_lines_truncated_to_ten_and_paged(
    stripe_server: StripeTestServer, stripe_world: StripeWorld
) -> None:
    wide = next(i for i in stripe_world.invoices if "_all_lines" in i)
    invoice = _get(stripe_server, f"/v1/invoices/{wide['id']}").json()
    assert len(invoice["lines"]["data"]) == 10 and invoice["lines"]["has_more"]
    assert "_all_lines" not in invoice
    rest = _get(
        stripe_server,
        invoice["lines"]["url"],
        starting_after=invoice["lines"]["data"][-1]["id"],
        limit=100,
    ).json()
    assert [ln["id"] for ln in rest["data"]] == [ln["id"] for ln in wide["_all_lines"][10:]]


def test_single_objects_and_deleted_customers(stripe_server: StripeTestServer) -> None:
    assert _get(stripe_server, "/v1/customers/cus_nEsYSuhsVe88lo").json() == {
        "id": "cus_nEsYSuhsVe88lo",
        "object": "customer",
        "deleted": True,
    }
    missing = _get(stripe_server, "/v1/customers/cus_nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "resource_missing"
    assert _get(stripe_server, "/v1/account").json()["id"] == "acct_1kPcJZosDYo9PgpE"


def test_non_get_is_refused_and_recorded(stripe_server: StripeTestServer) -> None:
    response = requests.post(
        stripe_server.url + "/v1/customers", headers=AUTH, data={"name": "x"}, timeout=10
    )
    assert response.status_code == 405 and "error" in response.json()
    assert stripe_server.requests[-1].method == "POST"


def test_auth_invalid_and_restricted_keys(stripe_world: StripeWorld) -> None:
    keys = {"rk_test_51limited9876": frozenset({"rak_product_read"})}
    with StripeTestServer(stripe_world, keys=keys) as server:
        bad = requests.get(
            server.url + "/v1/products",
            headers={"Authorization": "Bearer rk_test_nope"},
            timeout=10,
        )
        assert bad.status_code == 401
        headers = {"Authorization": "Bearer rk_test_51limited9876"}
        assert (
            requests.get(server.url + "/v1/products", headers=headers, timeout=10).status_code
            == 200
        )
        denied = requests.get(server.url + "/v1/invoices", headers=headers, timeout=10)
        assert denied.status_code == 403
        message = denied.json()["error"]["message"]
        assert message.startswith("The provided key 'rk_test_") and "9876'" in message
        assert (
            "does not have the required permissions" in message and "'rak_invoice_read'" in message
        )
        assert "51limited" not in message


def test_injected_failures_and_latency(stripe_server: StripeTestServer) -> None:
    stripe_server.inject(Failure(429, count=2, retry_after=3))
    first = _get(stripe_server, "/v1/products")
    assert first.status_code == 429 and first.headers["Retry-After"] == "3"
    assert first.json()["error"]["type"] == "rate_limit_error"
    assert _get(stripe_server, "/v1/products").status_code == 429
    assert _get(stripe_server, "/v1/products").status_code == 200
    stripe_server.inject(Failure(500, count=None, path_prefix="/v1/invoices"))
    assert _get(stripe_server, "/v1/products").status_code == 200
    assert _get(stripe_server, "/v1/invoices").status_code == 500
    assert _get(stripe_server, "/v1/invoices").status_code == 500
    stripe_server.clear_failures()
    stripe_server.set_latency(0.05)
    import time

    started = time.monotonic()
    assert _get(stripe_server, "/v1/invoices").status_code == 200
    assert time.monotonic() - started >= 0.05
    assert [r.status for r in stripe_server.requests] == [429, 429, 200, 200, 500, 500, 200]


def test_failure_after_some_answers_and_held_requests(stripe_server: StripeTestServer) -> None:
    stripe_server.inject(Failure(503, count=1, path_prefix="/v1/invoices", after=2))
    assert [_get(stripe_server, "/v1/invoices").status_code for _ in range(4)] == [
        200,
        200,
        503,
        200,
    ]
    hold = stripe_server.hold("/v1/customers")
    answered: list[int] = []
    waiting = threading.Thread(
        target=lambda: answered.append(_get(stripe_server, "/v1/customers").status_code)
    )
    waiting.start()
    assert hold.reached.wait(5)
    assert _get(stripe_server, "/v1/products").status_code == 200  # others are answered
    assert answered == [] and waiting.is_alive()
    hold.release()
    waiting.join(5)
    assert answered == [200] and hold.held == 1
    assert _get(stripe_server, "/v1/customers").status_code == 200  # released for good
