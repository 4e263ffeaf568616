"""Load the shared sample world (tests/data/shared/questions/world) into a Ledger.

The account mapping comes from truth.json's ``matching`` section so billing
tests do not depend on the matcher; matcher tests compare against it instead.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from billing.ledger import Ledger
from billing.models import Account
from sync.readers import (
    read_customer,
    read_discount,
    read_invoice,
    read_price,
    read_product,
    read_subscription,
)
from tests.support.paths import WORLD


def account_id_for(name: str) -> str:
    """A stable test id for an account name ("Café Lumière" -> "acct-cafe-lumiere")."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("é", "e").replace("è", "e"))
    return "acct-" + slug.strip("-")


def load_json(name: str) -> Any:
    return json.loads((WORLD / "stripe" / name).read_text())


def truth() -> dict[str, Any]:
    return json.loads((WORLD / "truth.json").read_text())


def as_of() -> datetime:
    meta = json.loads((WORLD / "world.json").read_text())
    return datetime.fromisoformat(meta["as_of_time"].replace("Z", "+00:00")).astimezone(UTC)


def load_world_ledger() -> Ledger:
    meta = json.loads((WORLD / "world.json").read_text())
    facts = truth()
    window_start = datetime.fromisoformat(meta["window_start"].replace("Z", "+00:00"))
    ledger = Ledger(window_start=window_start)
    for name, data in facts["accounts"].items():
        acc = data["account"]
        ledger.accounts[account_id_for(name)] = Account(
            id=account_id_for(name),
            name=name,
            domain=acc.get("domain"),
            external_id=acc.get("external_id"),
        )
    for customer_id, outcome in facts["matching"].items():
        if outcome.get("outcome") == "matched" and outcome.get("account"):
            ledger.customer_accounts[customer_id] = account_id_for(outcome["account"])
    for obj in load_json("products.json"):
        ledger.products[obj["id"]] = read_product(obj)
    for obj in load_json("prices.json"):
        ledger.prices[obj["id"]] = read_price(obj)
    for obj in load_json("customers.json"):
        ledger.customers[obj["id"]] = read_customer(obj)
    for obj in load_json("customers_deleted.json"):
        ledger.customers[obj["id"]] = read_customer(obj)
    for obj in load_json("discounts.json"):
        discount = read_discount(obj)
        if discount:
            ledger.discounts[discount.id] = discount
    for obj in load_json("subscriptions.json"):
        ledger.subscriptions[obj["id"]] = read_subscription(obj)
    for obj in load_json("invoices.json"):
        ledger.invoices[obj["id"]] = read_invoice(obj, obj.get("_all_lines"))
    ledger.resolve_item_prices()
    return ledger
