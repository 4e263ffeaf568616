"""The objects a test Stripe account holds, and how they look on the wire.

A world is one JSON array per resource, newest first, in the layout of the
shared sample world (``account.json``, ``products.json``, ``prices.json``,
``coupons.json``, ``customers.json``, ``customers_deleted.json``,
``subscriptions.json``, ``invoices.json``, ``events.json``, ``discounts.json``).
Objects are stored as the world files hold them (tiers, subscription discounts
expanded; invoices name discounts by id, ``discounts.json`` holds them all,
expired ones included; extra invoice lines in ``_all_lines``) and rendered as
Stripe would send them: includable or expandable fields only when asked for
(invoice and line discounts expanded from ``discounts.json``), embedded lists
truncated.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Obj = dict[str, Any]

RESOURCES = (
    "products",
    "prices",
    "coupons",
    "customers",
    "customers_deleted",
    "subscriptions",
    "invoices",
    "events",
    "discounts",
)
EMBEDDED_INVOICE_LINES = 10
EMBEDDED_SUBSCRIPTION_ITEMS = 20


@dataclass
class StripeWorld:
    """Every object of one Stripe account, by resource, newest first."""

    account: Obj = field(default_factory=lambda: {"id": "acct_test", "object": "account"})
    products: list[Obj] = field(default_factory=list)
    prices: list[Obj] = field(default_factory=list)
    coupons: list[Obj] = field(default_factory=list)
    customers: list[Obj] = field(default_factory=list)
    customers_deleted: list[Obj] = field(default_factory=list)
    subscriptions: list[Obj] = field(default_factory=list)
    invoices: list[Obj] = field(default_factory=list)
    events: list[Obj] = field(default_factory=list)
    discounts: list[Obj] = field(default_factory=list)

    @classmethod
    def from_folder(cls, folder: Path) -> StripeWorld:
        world = cls()
        account = folder / "account.json"
        if account.exists():
            world.account = json.loads(account.read_text())
        for name in RESOURCES:
            path = folder / f"{name}.json"
            if path.exists():
                setattr(world, name, json.loads(path.read_text()))
        return world

    def to_folder(self, folder: Path) -> None:
        """Write the world in the same layout (for the file source)."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "account.json").write_text(json.dumps(self.account))
        for name in RESOURCES:
            (folder / f"{name}.json").write_text(json.dumps(getattr(self, name)))

    def discount_index(self) -> dict[str, Obj]:
        """Every discount object by id (what ``expand[]=…discounts`` renders)."""
        return {d["id"]: d for d in self.discounts if isinstance(d, dict) and "id" in d}

    def resource(self, name: str) -> list[Obj]:
        return list(getattr(self, name))

    def find(self, name: str, object_id: str) -> Obj | None:
        for obj in getattr(self, name):
            if obj.get("id") == object_id:
                return obj
        return None


def subscription_items_of(sub: Obj) -> list[Obj]:
    """All items of a subscription (the world keeps extras in ``_all_items``)."""
    if "_all_items" in sub:
        return list(sub["_all_items"])
    items = sub.get("items") or {}
    return list(items.get("data") or [])


def invoice_lines_of(invoice: Obj) -> list[Obj]:
    """All lines of an invoice (the world keeps them in ``_all_lines`` when > 10)."""
    if "_all_lines" in invoice:
        return list(invoice["_all_lines"])
    lines = invoice.get("lines") or {}
    return list(lines.get("data") or [])


def _discount_ids(values: Any) -> list[Any]:
    return [v.get("id") if isinstance(v, dict) else v for v in values or []]


def render_price(price: Obj, expand: set[str], prefix: str) -> Obj:
    out = {k: v for k, v in price.items() if not k.startswith("_")}
    if f"{prefix}tiers" not in expand:
        out.pop("tiers", None)
    return out


def render_item(item: Obj, expand: set[str], prefix: str) -> Obj:
    out = copy.deepcopy({k: v for k, v in item.items() if not k.startswith("_")})
    if "discounts" in out and f"{prefix}discounts" not in expand:
        out["discounts"] = _discount_ids(out["discounts"])
    # Stripe never embeds price tiers in an item (4-level expansion limit).
    if isinstance(out.get("price"), dict):
        out["price"].pop("tiers", None)
    return out


def render_subscription(sub: Obj, expand: set[str], prefix: str) -> Obj:
    out = {k: v for k, v in sub.items() if not k.startswith("_")}
    if "discounts" in out and f"{prefix}discounts" not in expand:
        out["discounts"] = _discount_ids(out["discounts"])
    legacy = out.get("discount")
    if isinstance(legacy, dict):
        out["discount"] = legacy  # pre-2025 single discount was always embedded
    items = subscription_items_of(sub)
    shown = items[:EMBEDDED_SUBSCRIPTION_ITEMS]
    out["items"] = {
        "object": "list",
        "data": [render_item(i, expand, f"{prefix}items.data.") for i in shown],
        "has_more": len(items) > len(shown),
        "total_count": len(items),
        "url": f"/v1/subscription_items?subscription={sub['id']}",
    }
    return out


def _expanded_discounts(values: Any, known: dict[str, Obj]) -> list[Any]:
    """Discount ids replaced by their objects (an unknown id stays an id)."""
    out: list[Any] = []
    for value in values or []:
        found = known.get(value) if isinstance(value, str) else None
        out.append(copy.deepcopy(found) if found is not None else value)
    return out


def render_line(line: Obj, expand: set[str], prefix: str, known: dict[str, Obj]) -> Obj:
    out = {k: v for k, v in line.items() if not k.startswith("_")}
    if "discounts" in out:
        if f"{prefix}discounts" in expand:
            out["discounts"] = _expanded_discounts(out["discounts"], known)
        else:
            out["discounts"] = _discount_ids(out["discounts"])
    return out


def render_invoice(
    invoice: Obj, expand: set[str], prefix: str, known: dict[str, Obj] | None = None
) -> Obj:
    known = known or {}
    out = {k: v for k, v in invoice.items() if not k.startswith("_")}
    lines = invoice_lines_of(invoice)
    shown = lines[:EMBEDDED_INVOICE_LINES]
    out["lines"] = {
        "object": "list",
        "data": [render_line(ln, expand, f"{prefix}lines.data.", known) for ln in shown],
        "has_more": len(lines) > len(shown),
        "total_count": len(lines),
        "url": f"/v1/invoices/{invoice['id']}/lines",
    }
    if "discounts" in out:
        if f"{prefix}discounts" in expand:
            out["discounts"] = _expanded_discounts(out["discounts"], known)
        else:
            out["discounts"] = _discount_ids(out["discounts"])
    return out


def render(
    kind: str, obj: Obj, expand: set[str], prefix: str, known: dict[str, Obj] | None = None
) -> Obj:
    """An object as the API returns it; ``prefix`` is ``data.`` inside lists; ``known``
    holds the discount objects invoice discounts expand to."""
    if kind == "prices":
        return render_price(obj, expand, prefix)
    if kind == "subscriptions":
        return render_subscription(obj, expand, prefix)
    if kind == "invoices":
        return render_invoice(obj, expand, prefix, known)
    if kind == "invoice_lines":
        return render_line(obj, expand, prefix, known or {})
    if kind == "subscription_items":
        return render_item(obj, expand, prefix)
    return {k: v for k, v in obj.items() if not k.startswith("_")}
