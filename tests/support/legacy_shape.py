"""Convert a world folder of current-shape Stripe JSON into the pre-2025 API shape.

Webhook payloads and older integrations send the shapes Stripe used before the
2025 "basil" versions (e.g. ``2024-06-20``); revbot must read both (SPEC §5).
This rewrites every object of a world folder the way such an API version shows it:

- invoice: ``subscription`` (id) and ``subscription_details`` instead of
  ``parent.subscription_details``; ``tax`` / ``total_tax_amounts`` instead of
  ``total_taxes``; ``paid``; no ``parent``.
- invoice line: ``type`` (``subscription`` | ``invoiceitem``), ``subscription``,
  ``subscription_item``, ``invoice_item``, ``proration``, ``proration_details``,
  ``price`` (the full price object) and ``plan`` (its plan view, recurring prices
  only), ``unit_amount_excluding_tax`` instead of ``parent.*_details`` and
  ``pricing.price_details``.
- subscription: ``current_period_start``/``current_period_end`` on the
  subscription (dropped from its items); ``discount`` (the single subscription
  discount) alongside ``discounts``; ``plan``/``quantity`` for one-item ones.
- discount: ``coupon`` instead of ``source.coupon``.

Events are rewritten the same way (their ``data.object``), with the old
``api_version``. Products, prices, coupons and customers look the same.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

Obj = dict[str, Any]

LEGACY_API_VERSION = "2024-06-20"
_PLAN_FIELDS = (
    "id",
    "active",
    "billing_scheme",
    "created",
    "currency",
    "livemode",
    "metadata",
    "nickname",
    "product",
    "tiers_mode",
)


def _id(value: Any) -> Any:
    return value.get("id") if isinstance(value, dict) else value


def public_price(price: Obj) -> Obj:
    """A price as embedded in another object: no includable ``tiers``, no private keys."""
    return {k: v for k, v in price.items() if not k.startswith("_") and k != "tiers"}


def plan_of(price: Obj) -> Obj | None:
    """The legacy ``plan`` view of a recurring price (None for one-time prices)."""
    recurring = price.get("recurring")
    if not isinstance(recurring, dict):
        return None
    plan: Obj = {"object": "plan", **{k: price.get(k) for k in _PLAN_FIELDS}}
    plan["amount"] = price.get("unit_amount")
    plan["amount_decimal"] = price.get("unit_amount_decimal")
    plan["interval"] = recurring.get("interval")
    plan["interval_count"] = recurring.get("interval_count")
    plan["usage_type"] = recurring.get("usage_type")
    plan["meter"] = recurring.get("meter")
    plan["trial_period_days"] = recurring.get("trial_period_days")
    plan["transform_usage"] = price.get("transform_quantity")
    return plan


def legacy_discount(discount: Any) -> Any:
    """``source.coupon`` -> ``coupon`` (ids, i.e. unexpanded discounts, stay as they are)."""
    if not isinstance(discount, dict):
        return discount
    out = {k: v for k, v in discount.items() if k not in ("source", "customer_account")}
    source = discount.get("source") or {}
    out["coupon"] = discount.get("coupon") or (
        source.get("coupon") if isinstance(source, dict) else None
    )
    return out


def _item_periods(items: list[Obj], sub_id: str) -> tuple[Any, Any]:
    periods = {(i.get("current_period_start"), i.get("current_period_end")) for i in items}
    if len(periods) > 1:
        raise ValueError(f"{sub_id}: items with different periods have no pre-2025 shape")
    return periods.pop() if periods else (None, None)


def legacy_item(item: Obj) -> Obj:
    out = {k: v for k, v in item.items() if k not in ("current_period_start", "current_period_end")}
    out["discounts"] = [legacy_discount(d) for d in item.get("discounts") or []]
    return out


def legacy_subscription(sub: Obj) -> Obj:
    out = {k: v for k, v in sub.items() if k not in ("items", "_all_items")}
    embedded = sub.get("items") or {}
    all_items = list(sub.get("_all_items") or embedded.get("data") or [])
    start, end = _item_periods(all_items, sub["id"])
    out["current_period_start"] = start
    out["current_period_end"] = end
    out["items"] = {**embedded, "data": [legacy_item(i) for i in embedded.get("data") or []]}
    if "_all_items" in sub:
        out["_all_items"] = [legacy_item(i) for i in sub["_all_items"]]
    discounts = [legacy_discount(d) for d in sub.get("discounts") or []]
    out["discounts"] = discounts
    own = [d for d in discounts if isinstance(d, dict) and not d.get("subscription_item")]
    out["discount"] = own[0] if own else None
    if len(all_items) == 1:
        out["plan"] = all_items[0].get("plan")
        out["quantity"] = all_items[0].get("quantity")
    else:
        out["plan"], out["quantity"] = None, None
    return out


def legacy_line(line: Obj, prices: dict[str, Obj]) -> Obj:
    """One invoice line in the pre-2025 shape (price and plan embedded)."""
    out = {
        k: v
        for k, v in line.items()
        if k not in ("parent", "pricing", "taxes", "pretax_credit_amounts", "subtotal")
    }
    parent = line.get("parent") or {}
    sub_details = parent.get("subscription_item_details")
    item_details = parent.get("invoice_item_details")
    details = sub_details or item_details or {}
    out["type"] = "subscription" if sub_details else "invoiceitem"
    out["subscription"] = _id(details.get("subscription")) or _id(line.get("subscription"))
    out["subscription_item"] = _id((sub_details or {}).get("subscription_item"))
    out["invoice_item"] = _id((item_details or {}).get("invoice_item"))
    out["proration"] = bool(details.get("proration"))
    out["proration_details"] = details.get("proration_details") or {"credited_items": None}
    pricing = line.get("pricing") or {}
    price_id = _id((pricing.get("price_details") or {}).get("price"))
    price = prices.get(price_id) if price_id else None
    if price_id and price is None:
        raise ValueError(f"{line['id']}: price {price_id} is not in prices.json")
    out["price"] = public_price(price) if price else None
    out["plan"] = plan_of(price) if price else None
    out["unit_amount_excluding_tax"] = pricing.get("unit_amount_decimal")
    out["amount_excluding_tax"] = line.get("amount")
    out["tax_amounts"] = [
        {"amount": t.get("amount"), "inclusive": t.get("tax_behavior") == "inclusive"}
        for t in line.get("taxes") or []
    ]
    out["tax_rates"] = []
    return out


def legacy_invoice(invoice: Obj, prices: dict[str, Obj]) -> Obj:
    drop = ("parent", "lines", "_all_lines", "total_taxes", "total_pretax_credit_amounts")
    out = {k: v for k, v in invoice.items() if k not in drop}
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") or {}
    out["subscription"] = _id(details.get("subscription"))
    out["subscription_details"] = {"metadata": details.get("metadata") or {}} if details else None
    taxes = invoice.get("total_taxes") or []
    out["tax"] = sum(int(t.get("amount") or 0) for t in taxes) if taxes else None
    out["total_tax_amounts"] = [{"amount": t.get("amount")} for t in taxes]
    out["paid"] = invoice.get("status") == "paid"
    out["discount"] = None
    embedded = invoice.get("lines") or {}
    out["lines"] = {
        **embedded,
        "data": [legacy_line(line, prices) for line in embedded.get("data") or []],
    }
    if "_all_lines" in invoice:
        out["_all_lines"] = [legacy_line(line, prices) for line in invoice["_all_lines"]]
    return out


def legacy_object(obj: Obj, prices: dict[str, Obj]) -> Obj:
    """Any world object in the pre-2025 shape (unchanged when its shape did not change)."""
    kind = obj.get("object")
    if kind == "subscription":
        return legacy_subscription(obj)
    if kind == "invoice":
        return legacy_invoice(obj, prices)
    if kind == "discount":
        return legacy_discount(obj)
    return copy.deepcopy(obj)


def legacy_event(event: Obj, prices: dict[str, Obj]) -> Obj:
    out = copy.deepcopy(event)
    out["api_version"] = LEGACY_API_VERSION
    data = out.get("data") or {}
    if isinstance(data.get("object"), dict):
        data["object"] = legacy_object(data["object"], prices)
    return out


def convert_world(source: Path, target: Path) -> Path:
    """Write ``source``'s world folder into ``target`` in the pre-2025 shape; returns target."""
    target.mkdir(parents=True, exist_ok=True)
    prices = {p["id"]: p for p in _load(source / "prices.json")}
    for path in sorted(source.glob("*.json")):
        data = _load(path)
        if path.name == "events.json":
            converted: Any = [legacy_event(e, prices) for e in data]
        elif isinstance(data, list):
            converted = [legacy_object(o, prices) for o in data]
        else:
            converted = data
        (target / path.name).write_text(json.dumps(converted))
    return target


def _load(path: Path) -> Any:
    return json.loads(path.read_text())
