"""Builders of Stripe JSON objects at API 2026-10-28 (the sample world's shapes).

Every builder returns a plain dict with the same keys, in the same order, as
the Stripe API returns; values that the demo never uses are Stripe's defaults
(null, empty lists, ``"unspecified"`` …).
"""

from __future__ import annotations

from typing import Any

from demo.catalog import CouponDef, PriceDef, ProductDef

Obj = dict[str, Any]

API_VERSION = "2026-10-28.endive"
_NULL_ADDRESS_KEYS = ("city", "country", "line1", "line2", "postal_code", "state")


def address(country: str) -> Obj:
    return {key: (country if key == "country" else None) for key in _NULL_ADDRESS_KEYS}


def account_obj(account_id: str, name: str, domain: str, created: int) -> Obj:
    email = f"finance@{domain}"
    return {
        "id": account_id,
        "object": "account",
        "business_profile": {
            "annual_revenue": None,
            "estimated_worker_count": None,
            "mcc": "7311",
            "name": name,
            "product_description": "Marketing and web retainers for growing companies",
            "support_address": None,
            "support_email": email,
            "support_phone": None,
            "support_url": None,
            "url": f"https://{domain}",
        },
        "business_type": "company",
        "capabilities": {"card_payments": "active", "transfers": "active"},
        "charges_enabled": True,
        "controller": {"type": "account"},
        "country": "US",
        "created": created,
        "default_currency": "usd",
        "details_submitted": True,
        "email": email,
        "metadata": {},
        "payouts_enabled": True,
        "settings": {"dashboard": {"display_name": name, "timezone": "Etc/UTC"}},
        "type": "standard",
    }


def product_obj(product_id: str, spec: ProductDef, created: int, default_price: str | None) -> Obj:
    return {
        "id": product_id,
        "object": "product",
        "active": True,
        "created": created,
        "default_price": default_price,
        "description": spec.description,
        "images": [],
        "livemode": False,
        "marketing_features": [],
        "metadata": {},
        "name": spec.name,
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "type": "service",
        "unit_label": spec.unit_label,
        "updated": created,
        "url": None,
    }


def _recurring(spec: PriceDef) -> Obj:
    return {
        "interval": spec.interval,
        "interval_count": spec.interval_count,
        "meter": None,
        "trial_period_days": None,
        "usage_type": "licensed",
    }


def price_obj(
    price_id: str, spec: PriceDef, product_id: str, created: int, *, with_tiers: bool
) -> Obj:
    """A price; ``with_tiers`` adds ``tiers`` (listed with expand[]=data.tiers)."""
    unit = spec.unit_amount
    obj: Obj = {
        "id": price_id,
        "object": "price",
        "active": True,
        "billing_scheme": "tiered" if spec.tiered else "per_unit",
        "created": created,
        "currency": spec.currency,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": spec.lookup_key,
        "metadata": {},
        "nickname": spec.nickname,
        "product": product_id,
        "recurring": _recurring(spec),
        "tax_behavior": "unspecified",
        "tiers_mode": spec.tiers_mode,
        "transform_quantity": None,
        "type": "recurring",
        "unit_amount": unit,
        "unit_amount_decimal": None if unit is None else str(unit),
    }
    if with_tiers and spec.tiered:
        obj["tiers"] = [
            {
                "flat_amount": tier.flat_amount,
                "flat_amount_decimal": None if tier.flat_amount is None else str(tier.flat_amount),
                "unit_amount": tier.unit_amount,
                "unit_amount_decimal": str(tier.unit_amount),
                "up_to": tier.up_to,
            }
            for tier in spec.tiers
        ]
    return obj


def plan_obj(price: Obj) -> Obj:
    """The legacy ``plan`` view of a recurring price, still embedded in items."""
    recurring = price["recurring"]
    return {
        "id": price["id"],
        "object": "plan",
        "active": price["active"],
        "amount": price["unit_amount"],
        "amount_decimal": price["unit_amount_decimal"],
        "billing_scheme": price["billing_scheme"],
        "created": price["created"],
        "currency": price["currency"],
        "interval": recurring["interval"],
        "interval_count": recurring["interval_count"],
        "livemode": False,
        "metadata": {},
        "meter": None,
        "nickname": price["nickname"],
        "product": price["product"],
        "tiers_mode": price["tiers_mode"],
        "transform_usage": None,
        "trial_period_days": None,
        "usage_type": recurring["usage_type"],
    }


def coupon_obj(spec: CouponDef, created: int, times_redeemed: int) -> Obj:
    percent = spec.percent_off
    return {
        "id": spec.id,
        "object": "coupon",
        "amount_off": spec.amount_off,
        "created": created,
        "currency": spec.currency,
        "duration": spec.duration,
        "duration_in_months": spec.duration_in_months,
        "livemode": False,
        "max_redemptions": None,
        "metadata": {},
        "name": spec.name,
        "percent_off": int(percent) if percent is not None and percent == int(percent) else percent,
        "redeem_by": None,
        "times_redeemed": times_redeemed,
        "valid": True,
    }


def discount_obj(
    discount_id: str,
    coupon: Obj,
    customer_id: str,
    subscription_id: str,
    start: int,
    end: int | None,
) -> Obj:
    return {
        "id": discount_id,
        "object": "discount",
        "checkout_session": None,
        "customer": customer_id,
        "end": end,
        "invoice": None,
        "invoice_item": None,
        "promotion_code": None,
        "start": start,
        "subscription": subscription_id,
        "subscription_item": None,
        "customer_account": None,
        "source": {"coupon": coupon, "type": "coupon"},
    }


def customer_obj(
    customer_id: str,
    *,
    name: str,
    email: str,
    currency: str,
    country: str,
    created: int,
    invoice_prefix: str,
    next_invoice_sequence: int,
    delinquent: bool,
    metadata: dict[str, str],
) -> Obj:
    return {
        "id": customer_id,
        "object": "customer",
        "address": address(country),
        "balance": 0,
        "business_name": None,
        "created": created,
        "currency": currency,
        "customer_account": None,
        "default_source": None,
        "delinquent": delinquent,
        "description": None,
        "discount": None,
        "email": email,
        "individual_name": None,
        "invoice_prefix": invoice_prefix,
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": dict(metadata),
        "name": name,
        "next_invoice_sequence": next_invoice_sequence,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def subscription_item_obj(
    item_id: str,
    price: Obj,
    quantity: int,
    subscription_id: str,
    created: int,
    period: tuple[int, int],
) -> Obj:
    return {
        "id": item_id,
        "object": "subscription_item",
        "billing_thresholds": None,
        "created": created,
        "discounts": [],
        "metadata": {},
        "plan": plan_obj(price),
        "price": {k: v for k, v in price.items() if k != "tiers"},
        "quantity": quantity,
        "subscription": subscription_id,
        "tax_rates": [],
        "current_period_end": period[1],
        "current_period_start": period[0],
    }


def items_list(subscription_id: str, items: list[Obj]) -> Obj:
    return {
        "object": "list",
        "data": items,
        "has_more": False,
        "total_count": len(items),
        "url": f"/v1/subscription_items?subscription={subscription_id}",
    }


def event_obj(event_id: str, kind: str, created: int, obj: Obj, previous: Obj | None) -> Obj:
    data: Obj = {"object": obj}
    if previous is not None:
        data["previous_attributes"] = previous
    return {
        "id": event_id,
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": kind,
    }
