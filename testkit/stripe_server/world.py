"""The objects a test Stripe account holds, and how they look on the wire.

A world is one JSON array per resource, newest first, in the layout of the
shared sample world (``account.json``, ``products.json``, ``prices.json``,
``coupons.json``, ``customers.json``, ``customers_deleted.json``,
``subscriptions.json``, ``invoices.json``, ``events.json``, ``discounts.json``).
Objects are stored as the world files hold them (tiers, subscription discounts
and their coupons expanded; invoices name discounts by id, ``discounts.json``
holds them all, expired ones included; extra invoice lines in ``_all_lines``)
and rendered exactly as Stripe sends them at the pinned API version (see
``testkit.stripe_server.expansion``): every expandable field an id unless an
``expand[]`` path names it, includable fields (price tiers) only when named,
embedded lists truncated, event payloads with nothing expanded. A coupon that
only discounts embed (none in ``coupons.json``) is one deleted in Stripe: it no
longer lists, but its discounts still expand to it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stripe._stripe_object import StripeObject

from testkit.stripe_server.expansion import Rendering, class_of, collapse, object_name

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


def wire_subscription(sub: Obj) -> Obj:
    """The stored subscription with its items as Stripe embeds them (the first 20)."""
    out = {k: v for k, v in sub.items() if not k.startswith("_")}
    items = subscription_items_of(sub)
    shown = items[:EMBEDDED_SUBSCRIPTION_ITEMS]
    out["items"] = {
        "object": "list",
        "data": shown,
        "has_more": len(items) > len(shown),
        "total_count": len(items),
        "url": f"/v1/subscription_items?subscription={sub['id']}",
    }
    return out


def wire_invoice(invoice: Obj) -> Obj:
    """The stored invoice with its lines as Stripe embeds them (the first 10)."""
    out = {k: v for k, v in invoice.items() if not k.startswith("_")}
    lines = invoice_lines_of(invoice)
    shown = lines[:EMBEDDED_INVOICE_LINES]
    out["lines"] = {
        "object": "list",
        "data": shown,
        "has_more": len(lines) > len(shown),
        "total_count": len(lines),
        "url": f"/v1/invoices/{invoice['id']}/lines",
    }
    return out


def wire_event(event: Obj) -> Obj:
    """An event as Stripe lists it: its object as a webhook carries it, nothing expanded
    (``discounts`` as ids, no price tiers), embedded lists cut as everywhere."""
    data = event.get("data")
    inner = data.get("object") if isinstance(data, dict) else None
    if not isinstance(inner, dict) or not isinstance(data, dict):
        return event
    shaped = WIRE_SHAPES.get(str(inner.get("object")), _plain)(inner)
    return {**event, "data": {**data, "object": collapse(shaped)}}


def _plain(obj: Obj) -> Obj:
    return {k: v for k, v in obj.items() if not k.startswith("_")}


# Stripe object type -> the stored object with its embedded lists cut as Stripe cuts them.
WIRE_SHAPES = {"subscription": wire_subscription, "invoice": wire_invoice, "event": wire_event}


class ObjectIndex:
    """Every object of a world by id, for ``expand[]`` of an id the world stores.

    Coupons include those only embedded in discounts: a coupon deleted in Stripe is no
    longer listed, yet a discount still made from it expands to it.
    """

    def __init__(self, world: StripeWorld) -> None:
        self.by_type: dict[str, dict[str, Obj]] = defaultdict(dict)
        for name in ("products", "prices", "customers", "subscriptions", "invoices"):
            for obj in getattr(world, name):
                self._add(obj)
        for obj in world.customers_deleted:
            self.by_type["customer"].setdefault(obj["id"], obj)
        for discount in self._discounts(world):
            self.by_type["discount"].setdefault(discount["id"], discount)
            coupon = discount_coupon(discount)
            if isinstance(coupon, dict):
                self.by_type["coupon"].setdefault(coupon["id"], coupon)
        for coupon in world.coupons:
            self.by_type["coupon"][coupon["id"]] = coupon

    def _add(self, obj: Obj) -> None:
        self.by_type[str(obj.get("object"))][obj["id"]] = obj

    @staticmethod
    def _discounts(world: StripeWorld) -> list[Obj]:
        found = [d for d in world.discounts if isinstance(d, dict)]
        for sub in world.subscriptions:
            found += [d for d in sub.get("discounts") or () if isinstance(d, dict)]
            for item in subscription_items_of(sub):
                found += [d for d in item.get("discounts") or () if isinstance(d, dict)]
        return found

    def find(self, targets: tuple[type[StripeObject], ...], object_id: str) -> Obj | None:
        for cls in targets:
            kind = object_name(cls) or ""
            found = self.by_type.get("price" if kind == "plan" else kind, {}).get(object_id)
            if found is not None:
                return WIRE_SHAPES.get(kind, _plain)(found)
        return None


def discount_coupon(discount: Obj) -> Any:
    """A discount's coupon (id or object), current (``source.coupon``) or pre-2025 shape."""
    source = discount.get("source")
    if isinstance(source, dict) and source.get("coupon") is not None:
        return source["coupon"]
    return discount.get("coupon")


# Endpoint kind -> the Stripe object type its objects are.
OBJECT_TYPES = {
    "products": "product",
    "prices": "price",
    "coupons": "coupon",
    "customers": "customer",
    "subscriptions": "subscription",
    "invoices": "invoice",
    "events": "event",
    "invoice_lines": "line_item",
    "subscription_items": "subscription_item",
}


def render(kind: str, obj: Obj, wanted: frozenset[str], prefix: str, index: ObjectIndex) -> Obj:
    """An object of endpoint ``kind`` as the API returns it: embedded lists cut, every
    expandable field an id unless ``wanted`` (the expanded paths) names it, includable
    fields only when named; ``prefix`` is ``data.`` inside lists."""
    type_ = OBJECT_TYPES[kind]
    shaped = WIRE_SHAPES.get(type_, _plain)(obj)
    cls = class_of(type_)
    if cls is None or type_ == "event":
        return shaped
    return Rendering(wanted, index.find).render(shaped, cls, prefix)
