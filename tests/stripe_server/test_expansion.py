"""The test server expands exactly as Stripe does at the pinned API version, field by field.

Every field stripe-python annotates ``ExpandableField[...]`` arrives as an id
unless an ``expand[]`` path names it; includable fields (price tiers) only when
named; a path deeper than 4 levels is refused with Stripe's error. The derived
rules are checked against Stripe's own fixtures (ids everywhere), and the
served sample world is walked object by object.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from testkit.stripe_server import StripeTestServer, StripeWorld
from testkit.stripe_server.expansion import class_of, schema
from tests.support.paths import SHARED

AUTH = {"Authorization": "Bearer rk_test_51abcdef1234"}
FIXTURES = SHARED / "stripe" / "fixtures3.json"

# What revbot reads, named by hand: each must be an id unless expanded (SPEC §5).
HAND_LISTED = {
    "discount": {"customer", "promotion_code", "source.coupon"},
    "subscription": {"customer", "latest_invoice", "discounts[]"},
    "subscription_item": {"discounts[]"},
    "invoice": {"customer", "discounts[]", "parent.subscription_details.subscription"},
    "line_item": {"discounts[]", "pricing.price_details.price", "subscription"},
    "price": {"product"},
    "plan": {"product"},
}


def _get(server: StripeTestServer, path: str, **params: Any) -> requests.Response:
    return requests.get(server.url + path, params=params, headers=AUTH, timeout=10)


def _expandable_paths(type_: str) -> set[str]:
    """Expandable fields of an object type, nested objects followed ("a.b", "list[]")."""
    cls = class_of(type_)
    assert cls is not None, type_
    out: set[str] = set()

    def walk(current: Any, prefix: str, seen: frozenset[Any]) -> None:
        for name, field in schema(current).items():
            path = prefix + name + ("[]" if field.many else "")
            if field.kind == "expandable":
                out.add(path)
            elif field.kind == "object" and field.targets[0] not in seen:
                walk(field.targets[0], path + ".", seen | {current})

    walk(cls, "", frozenset())
    return out


def test_the_derived_rules_include_every_field_revbot_reads() -> None:
    for type_, paths in HAND_LISTED.items():
        assert paths <= _expandable_paths(type_), type_


def _values_at(obj: Any, path: str) -> Iterator[Any]:
    """Every value at a path ("a.b", "list[].c") of a JSON object (absent: nothing)."""
    head, _, rest = path.partition(".")
    many = head.endswith("[]")
    value = obj.get(head.removesuffix("[]")) if isinstance(obj, dict) else None
    values = (value if isinstance(value, list) else []) if many else [value]
    for v in values:
        if not rest:
            yield v
        else:
            yield from _values_at(v, rest)


def _ids_only(obj: Any, type_: str) -> list[str]:
    """Paths where an expandable field of ``obj`` (a ``type_``) holds an object."""
    bad = []
    for path in sorted(_expandable_paths(type_)):
        bad += [path for v in _values_at(obj, path) if isinstance(v, dict)]
    return bad


def test_stripe_fixtures_agree_with_the_derived_rules() -> None:
    """Stripe's own example objects hold ids (or null) at the fields revbot reads, and
    embed what the derivation says is always embedded (an item's price)."""
    resources = json.loads(FIXTURES.read_text())["resources"]
    checked = 0
    for type_, paths in HAND_LISTED.items():
        fixture = resources[type_]
        for path in paths:
            for value in _values_at(fixture, path):
                assert value is None or isinstance(value, str), (type_, path, value)
                checked += 1
    assert checked >= 10
    item = resources["subscription_item"]
    assert "price" not in _expandable_paths("subscription_item")
    assert item["price"]["object"] == "price" and isinstance(item["price"]["product"], str)


ENDPOINTS = {
    "/v1/products": "product",
    "/v1/prices": "price",
    "/v1/coupons": "coupon",
    "/v1/customers": "customer",
    "/v1/subscriptions": "subscription",
    "/v1/invoices": "invoice",
}


@pytest.mark.parametrize("path", sorted(ENDPOINTS))
def test_every_served_object_holds_ids_unless_expanded(
    stripe_server: StripeTestServer, path: str
) -> None:
    params = {"limit": 100, "status": "all"} if path == "/v1/subscriptions" else {"limit": 100}
    body = _get(stripe_server, path, **params).json()
    assert body["data"], path
    type_ = ENDPOINTS[path]
    for obj in body["data"]:
        assert _ids_only(obj, type_) == [], (path, obj["id"])
        for line in (obj.get("lines") or {}).get("data") or ():
            assert _ids_only(line, "line_item") == [], line["id"]
        for item in (obj.get("items") or {}).get("data") or ():
            assert _ids_only(item, "subscription_item") == [], item["id"]
            assert isinstance(item["price"], dict) and isinstance(item["price"]["product"], str)
            assert "tiers" not in item["price"]
        assert "tiers" not in obj


def test_the_sample_world_stores_what_the_server_must_collapse(stripe_world: StripeWorld) -> None:
    """The world keeps discounts and their coupons expanded: collapsing is the server's job."""
    stored = [d for s in stripe_world.subscriptions for d in s["discounts"]]
    assert stored and all(isinstance(d["source"]["coupon"], dict) for d in stored)


def test_discount_paths_expand_level_by_level(stripe_server: StripeTestServer) -> None:
    def subs(*expand: str) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": 100, "status": "all", "expand[]": list(expand)}
        response = _get(stripe_server, "/v1/subscriptions", **params)
        assert response.status_code == 200, response.text
        return list(response.json()["data"])

    def discounts(data: list[dict[str, Any]]) -> list[Any]:
        return [d for s in data for d in s["discounts"]]

    def item_discounts(data: list[dict[str, Any]]) -> list[Any]:
        return [d for s in data for i in s["items"]["data"] for d in i["discounts"]]

    plain = subs()
    assert discounts(plain) and all(isinstance(d, str) for d in discounts(plain))
    assert item_discounts(plain) and all(isinstance(d, str) for d in item_discounts(plain))
    one = subs("data.discounts")
    assert all(isinstance(d["source"]["coupon"], str) for d in discounts(one))
    assert all(isinstance(d["customer"], str) for d in discounts(one))
    assert all(isinstance(d, str) for d in item_discounts(one))
    coupons = subs("data.discounts.source.coupon")  # 4 levels: expands the discount too
    assert all(d["source"]["coupon"]["object"] == "coupon" for d in discounts(coupons))
    items = subs("data.items.data.discounts")
    assert all(isinstance(d["source"]["coupon"], str) for d in item_discounts(items))
    assert all(isinstance(d, str) for d in discounts(items))
    customers = subs("data.customer")
    assert all(s["customer"]["object"] == "customer" for s in customers)
    assert all(isinstance(s["latest_invoice"], str | None) for s in customers)


def test_paths_deeper_than_four_levels_get_stripes_error(stripe_server: StripeTestServer) -> None:
    for path, params in (
        ("/v1/subscriptions", {"expand[]": "data.items.data.discounts.source.coupon"}),
        ("/v1/subscriptions", {"expand[]": "data.items.data.price.product"}),
        ("/v1/invoices", {"expand[]": "data.lines.data.discounts.source.coupon"}),
    ):
        response = _get(stripe_server, path, **params)
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert error["code"] == "property_expansion_max_depth"
        assert error["message"] == (
            "You cannot expand more than 4 levels of a property. Property: " + params["expand[]"]
        )


def test_unknown_or_unexpandable_paths_are_refused(stripe_server: StripeTestServer) -> None:
    for path, expand in (
        ("/v1/subscriptions", "discounts"),  # lists expand under data.
        ("/v1/subscriptions", "data.status"),
        ("/v1/subscriptions", "data.nope"),
        ("/v1/prices", "data.recurring"),
    ):
        response = _get(stripe_server, path, **{"expand[]": expand})
        assert response.status_code == 400, (path, expand)
        assert "cannot be expanded" in response.json()["error"]["message"]


def test_item_and_line_discounts_expand_their_coupons_from_their_own_lists(
    stripe_server: StripeTestServer, stripe_world: StripeWorld
) -> None:
    """6 levels from a subscription list, 4 from the item or line list."""
    sub = next(
        s for s in stripe_world.subscriptions if any(i["discounts"] for i in s["items"]["data"])
    )
    items = _get(
        stripe_server,
        "/v1/subscription_items",
        subscription=sub["id"],
        **{"expand[]": "data.discounts.source.coupon"},
    ).json()["data"]
    coupons = [d["source"]["coupon"] for i in items for d in i["discounts"]]
    assert coupons and all(c["object"] == "coupon" for c in coupons)
    plain = _get(stripe_server, "/v1/subscription_items", subscription=sub["id"]).json()["data"]
    assert all(isinstance(d, str) for i in plain for d in i["discounts"])


def test_invoice_fields_are_ids_unless_expanded(
    stripe_server: StripeTestServer, stripe_world: StripeWorld
) -> None:
    invoice = next(i for i in stripe_world.invoices if i["discounts"] and i.get("parent"))
    plain = _get(stripe_server, f"/v1/invoices/{invoice['id']}").json()
    assert isinstance(plain["customer"], str)
    assert isinstance(plain["parent"]["subscription_details"]["subscription"], str)
    assert all(isinstance(d, str) for d in plain["discounts"])
    assert all(
        isinstance(line["pricing"]["price_details"]["price"], str)
        for line in plain["lines"]["data"]
        if (line.get("pricing") or {}).get("price_details")
    )
    expanded = _get(
        stripe_server,
        f"/v1/invoices/{invoice['id']}",
        **{
            "expand[]": [
                "customer",
                "discounts.source.coupon",
                "parent.subscription_details.subscription",
            ]
        },
    ).json()
    assert expanded["customer"]["object"] == "customer"
    assert all(d["source"]["coupon"]["object"] == "coupon" for d in expanded["discounts"])
    sub = expanded["parent"]["subscription_details"]["subscription"]
    assert sub["object"] == "subscription" and isinstance(sub["customer"], str)
    too_deep = _get(
        stripe_server,
        f"/v1/invoices/{invoice['id']}",
        **{"expand[]": "lines.data.pricing.price_details.price"},
    )
    assert too_deep.status_code == 400
    lines = _get(
        stripe_server,
        f"/v1/invoices/{invoice['id']}/lines",
        **{"expand[]": "data.pricing.price_details.price"},
    ).json()["data"]
    prices = [
        line["pricing"]["price_details"]["price"]
        for line in lines
        if (line.get("pricing") or {}).get("price_details")
    ]
    assert prices and all(p["object"] == "price" and "tiers" not in p for p in prices)


def test_tiers_are_included_only_when_expanded(stripe_server: StripeTestServer) -> None:
    plain = _get(stripe_server, "/v1/prices", limit=100).json()["data"]
    tiered = _get(stripe_server, "/v1/prices", limit=100, **{"expand[]": "data.tiers"}).json()
    assert not any("tiers" in p for p in plain)
    assert any(p.get("tiers") for p in tiered["data"])
    assert all(isinstance(p["product"], str) for p in tiered["data"])
    one = next(p for p in tiered["data"] if p.get("tiers"))
    assert "tiers" not in _get(stripe_server, f"/v1/prices/{one['id']}").json()
    got = _get(stripe_server, f"/v1/prices/{one['id']}", **{"expand[]": "tiers"}).json()
    assert got["tiers"] == one["tiers"]


def test_event_payloads_carry_nothing_expanded(stripe_server: StripeTestServer) -> None:
    events = _get(stripe_server, "/v1/events", limit=100).json()["data"]
    objects = [e["data"]["object"] for e in events]
    subs = [o for o in objects if o.get("object") == "subscription"]
    assert subs and all(isinstance(d, str) for s in subs for d in s.get("discounts") or ())
    for obj in objects:
        type_ = str(obj.get("object"))
        if class_of(type_) is not None and type_ in HAND_LISTED:
            assert _ids_only(obj, type_) == [], obj["id"]
