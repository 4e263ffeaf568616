"""The pre-2025 conversion of the shared world (``tests/support/legacy_shape.py``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sync.readers import read_subscription
from tests.acceptance.expected import all_items, all_lines, world
from tests.support.legacy_shape import convert_world
from tests.support.world import WORLD


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = convert_world(WORLD / "stripe", tmp_path_factory.mktemp("legacy"))
    return {p.stem: json.loads(p.read_text()) for p in Path(folder).glob("*.json")}


def test_invoices_and_lines_have_only_the_old_fields(legacy: dict[str, Any]) -> None:
    prices = {p["id"]: p for p in world("prices")}
    for old, new in zip(legacy["invoices"], world("invoices"), strict=True):
        assert "parent" not in old and "total_taxes" not in old
        details = (new.get("parent") or {}).get("subscription_details") or {}
        assert old["subscription"] == details.get("subscription")
        for line, current in zip(all_lines(old), all_lines(new), strict=True):
            assert "parent" not in line and "pricing" not in line
            price_id = current["pricing"]["price_details"]["price"]
            assert line["price"]["id"] == price_id and "tiers" not in line["price"]
            recurring = prices[price_id].get("recurring")
            assert (line["plan"] is None) == (recurring is None)
            if recurring:
                assert line["plan"]["interval"] == recurring["interval"]
            sub_details = current["parent"]["subscription_item_details"]
            assert line["type"] == ("subscription" if sub_details else "invoiceitem")
            if sub_details:
                assert line["subscription_item"] == sub_details["subscription_item"]
                assert line["proration"] == sub_details["proration"]


def test_subscriptions_carry_their_periods_and_single_discount(legacy: dict[str, Any]) -> None:
    for old, new in zip(legacy["subscriptions"], world("subscriptions"), strict=True):
        items = all_items(new)
        assert old["current_period_end"] == items[0]["current_period_end"]
        assert all("current_period_end" not in i for i in all_items(old))
        own = [d for d in new["discounts"] if not d.get("subscription_item")]
        assert (old["discount"] or {}).get("id") == (own[0]["id"] if own else None)
        if old["discount"]:
            assert old["discount"]["coupon"]["id"] == own[0]["source"]["coupon"]["id"]
        # The tolerant reader makes the same subscription of both shapes.
        assert read_subscription(old) == read_subscription(new)


def test_events_are_rewritten_in_the_old_version(legacy: dict[str, Any]) -> None:
    events = legacy["events"]
    assert events and {e["api_version"] for e in events} == {"2024-06-20"}
    invoices = [e["data"]["object"] for e in events if e["data"]["object"]["object"] == "invoice"]
    assert invoices and all("parent" not in i and "subscription" in i for i in invoices)
