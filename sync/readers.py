"""Tolerant readers: Stripe JSON (current or pre-2025 shape) -> domain objects.

Webhook payloads arrive in the endpoint's own API version, so every reader
accepts both the current shapes (``invoice.parent.subscription_details``,
line ``pricing.price_details``, per-item ``current_period_end``) and the older
ones (``invoice.subscription``, line ``price``/``plan``, subscription-level
``current_period_end``). Readers take plain dicts (parsed JSON) so that the
expensive typed objects of stripe-python are never built.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from billing.models import (
    Coupon,
    Customer,
    Discount,
    DiscountAmount,
    Event,
    Invoice,
    InvoiceLine,
    PauseCollection,
    Price,
    Product,
    Recurring,
    Subscription,
    SubscriptionItem,
    Tier,
    TransformQuantity,
)

Obj = dict[str, Any]


def ts(value: Any) -> datetime | None:
    """A Stripe unix timestamp as an aware UTC datetime (None stays None)."""
    if value is None or value == "":
        return None
    return datetime.fromtimestamp(int(value), tz=UTC)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _id(value: Any) -> str | None:
    """An id from either an id string or an expanded object."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get("id")
    return str(value)


def _cur(value: Any) -> str:
    return str(value or "").upper()


def read_product(obj: Obj) -> Product:
    return Product(
        id=obj["id"],
        name=obj.get("name") or obj["id"],
        active=bool(obj.get("active", True)),
        deleted=bool(obj.get("deleted", False)),
    )


def read_price(obj: Obj) -> Price:
    """A price, or a pre-2025 ``plan`` object (amount/interval at top level)."""
    recurring = obj.get("recurring")
    if recurring is None and obj.get("object") == "plan":
        recurring = {
            "interval": obj.get("interval"),
            "interval_count": obj.get("interval_count"),
            "usage_type": obj.get("usage_type"),
        }
    unit = obj.get("unit_amount_decimal")
    if unit is None:
        unit = obj.get("unit_amount", obj.get("amount_decimal", obj.get("amount")))
    transform = obj.get("transform_quantity") or obj.get("transform_usage")
    product = obj.get("product")
    return Price(
        id=obj["id"],
        currency=_cur(obj.get("currency")),
        product_id=_id(product),
        billing_scheme=obj.get("billing_scheme") or "per_unit",
        unit_amount_decimal=_dec(unit),
        tiers_mode=obj.get("tiers_mode"),
        tiers=tuple(_read_tier(t) for t in obj.get("tiers") or ()),
        recurring=(
            Recurring(
                interval=recurring.get("interval") or "month",
                interval_count=int(recurring.get("interval_count") or 1),
                usage_type=recurring.get("usage_type") or "licensed",
            )
            if recurring
            else None
        ),
        transform_quantity=(
            TransformQuantity(int(transform["divide_by"]), transform.get("round") or "up")
            if transform
            else None
        ),
        lookup_key=obj.get("lookup_key"),
        nickname=obj.get("nickname"),
        active=bool(obj.get("active", True)),
        created=ts(obj.get("created")),
    )


def _read_tier(obj: Obj) -> Tier:
    unit = obj.get("unit_amount_decimal", obj.get("unit_amount"))
    flat = obj.get("flat_amount_decimal", obj.get("flat_amount"))
    up_to = obj.get("up_to")
    return Tier(
        up_to=None if up_to in (None, "inf") else int(up_to),
        unit_amount_decimal=_dec(unit),
        flat_amount_decimal=_dec(flat),
    )


def read_coupon(obj: Obj) -> Coupon:
    return Coupon(
        id=obj["id"],
        duration=obj.get("duration") or "once",
        percent_off=_dec(obj.get("percent_off")),
        amount_off=obj.get("amount_off"),
        currency=_cur(obj.get("currency")) or None,
        duration_in_months=obj.get("duration_in_months"),
        name=obj.get("name"),
    )


def discount_coupon(obj: Obj) -> Any:
    """A discount's coupon: ``source.coupon`` (an id unless expanded) at the pinned API
    version, or the pre-2025 ``coupon`` (always an object)."""
    source = obj.get("source")
    if isinstance(source, dict) and source.get("coupon") is not None:
        return source["coupon"]
    return obj.get("coupon")


def read_discount(obj: Obj) -> Discount | None:
    """A discount, its coupon read in full when expanded and else known by id (storage
    joins it to the listed coupons); None when only the discount's id is known."""
    if not isinstance(obj, dict):
        return None
    coupon = discount_coupon(obj)
    if isinstance(coupon, dict):
        read = read_coupon(coupon)
    elif isinstance(coupon, str) and coupon:
        read = Coupon.unknown(coupon)
    else:
        return None
    return Discount(
        id=obj.get("id") or f"di_{read.id}",
        coupon=read,
        start=ts(obj.get("start")),
        end=ts(obj.get("end")),
        customer_id=_id(obj.get("customer")),
        subscription_id=_id(obj.get("subscription")),
        subscription_item_id=_id(obj.get("subscription_item")),
    )


def _discounts(values: Any) -> tuple[Discount, ...]:
    found = (read_discount(v) for v in values or ())
    return tuple(d for d in found if d is not None)


def read_customer(obj: Obj) -> Customer:
    return Customer(
        id=obj["id"],
        name=obj.get("name"),
        email=obj.get("email"),
        metadata={str(k): str(v) for k, v in (obj.get("metadata") or {}).items()},
        created=ts(obj.get("created")),
        currency=_cur(obj.get("currency")) or None,
        deleted=bool(obj.get("deleted", False)),
        description=obj.get("description"),
    )


def read_subscription_item(obj: Obj, sub: Obj) -> SubscriptionItem:
    price = obj.get("price") or obj.get("plan") or {}
    # Pre-2025 shape: periods live on the subscription, not the item.
    start = obj.get("current_period_start", sub.get("current_period_start"))
    end = obj.get("current_period_end", sub.get("current_period_end"))
    quantity = obj.get("quantity")
    return SubscriptionItem(
        id=obj["id"],
        price=read_price(price),
        quantity=1 if quantity is None else int(quantity),
        current_period_start=ts(start),
        current_period_end=ts(end),
        discounts=_discounts(obj.get("discounts")),
        created=ts(obj.get("created")),
    )


def subscription_items(obj: Obj) -> list[Obj]:
    items = obj.get("items") or {}
    return list(items.get("data") or []) if isinstance(items, dict) else list(items)


def read_subscription(obj: Obj, items: list[Obj] | None = None) -> Subscription:
    """A subscription; ``items`` overrides the embedded list when it was paged."""
    pause = obj.get("pause_collection")
    discounts = list(obj.get("discounts") or [])
    legacy = obj.get("discount")  # pre-2025: a single expanded discount
    if isinstance(legacy, dict) and not any(
        isinstance(d, dict) and d.get("id") == legacy.get("id") for d in discounts
    ):
        discounts.append(legacy)
    return Subscription(
        id=obj["id"],
        customer_id=_id(obj.get("customer")) or "",
        status=obj.get("status") or "active",
        currency=_cur(obj.get("currency")),
        created=ts(obj.get("created")) or datetime.fromtimestamp(0, tz=UTC),
        start_date=ts(obj.get("start_date")),
        ended_at=ts(obj.get("ended_at")),
        canceled_at=ts(obj.get("canceled_at")),
        cancel_at=ts(obj.get("cancel_at")),
        cancel_at_period_end=bool(obj.get("cancel_at_period_end")),
        pause_collection=(
            PauseCollection(pause.get("behavior") or "void", ts(pause.get("resumes_at")))
            if isinstance(pause, dict)
            else None
        ),
        trial_start=ts(obj.get("trial_start")),
        trial_end=ts(obj.get("trial_end")),
        collection_method=obj.get("collection_method") or "charge_automatically",
        items=tuple(
            read_subscription_item(i, obj)
            for i in (items if items is not None else subscription_items(obj))
        ),
        discounts=_discounts(discounts),
        latest_invoice_id=_id(obj.get("latest_invoice")),
        metadata={str(k): str(v) for k, v in (obj.get("metadata") or {}).items()},
        livemode=bool(obj.get("livemode", False)),
    )


def invoice_subscription_id(obj: Obj) -> str | None:
    parent = obj.get("parent") or {}
    details = parent.get("subscription_details") if isinstance(parent, dict) else None
    if isinstance(details, dict) and details.get("subscription"):
        return _id(details["subscription"])
    return _id(obj.get("subscription"))


def invoice_lines(obj: Obj) -> list[Obj]:
    lines = obj.get("lines") or {}
    return list(lines.get("data") or []) if isinstance(lines, dict) else list(lines)


def read_invoice_line(obj: Obj) -> InvoiceLine:
    parent = obj.get("parent") or {}
    sub_details = parent.get("subscription_item_details") if isinstance(parent, dict) else None
    item_details = parent.get("invoice_item_details") if isinstance(parent, dict) else None
    pricing = obj.get("pricing") or {}
    price_details = pricing.get("price_details") if isinstance(pricing, dict) else None
    if isinstance(price_details, dict):
        price_id = _id(price_details.get("price"))
        unit = pricing.get("unit_amount_decimal")
    else:
        legacy_price = obj.get("price") or obj.get("plan")
        price_id = _id(legacy_price)
        unit = legacy_price.get("unit_amount_decimal") if isinstance(legacy_price, dict) else None
    if isinstance(sub_details, dict):
        proration = bool(sub_details.get("proration"))
        subscription_id = _id(sub_details.get("subscription"))
        item_id = _id(sub_details.get("subscription_item"))
        kind = "subscription"
    else:
        # An invoice item line (current shape) names its subscription in its details.
        details = item_details if isinstance(item_details, dict) else {}
        proration = bool(details.get("proration", obj.get("proration")))
        subscription_id = _id(details.get("subscription")) or _id(obj.get("subscription"))
        item_id = _id(obj.get("subscription_item"))
        legacy_type = obj.get("type")
        kind = "invoiceitem" if item_details or legacy_type == "invoiceitem" else "subscription"
    period = obj.get("period") or {}
    quantity = obj.get("quantity")
    return InvoiceLine(
        id=obj["id"],
        amount=int(obj.get("amount") or 0),
        currency=_cur(obj.get("currency")),
        period_start=ts(period.get("start")),
        period_end=ts(period.get("end")),
        price_id=price_id,
        quantity=None if quantity is None else int(quantity),
        proration=proration,
        subscription_id=subscription_id,
        subscription_item_id=item_id,
        discount_amounts=tuple(
            DiscountAmount(int(d.get("amount") or 0), _id(d.get("discount")))
            for d in obj.get("discount_amounts") or ()
        ),
        discount_ids=tuple(i for i in (_id(d) for d in obj.get("discounts") or ()) if i),
        unit_amount_decimal=_dec(unit),
        description=obj.get("description"),
        kind=kind,
    )


def read_invoice(obj: Obj, lines: list[Obj] | None = None) -> Invoice:
    """An invoice; ``lines`` overrides the embedded list when it was paged."""
    transitions = obj.get("status_transitions") or {}
    tax = obj.get("tax")
    if tax is None:
        tax = sum(int(t.get("amount") or 0) for t in obj.get("total_taxes") or ())
    return Invoice(
        id=obj["id"],
        customer_id=_id(obj.get("customer")) or "",
        status=obj.get("status") or "draft",
        currency=_cur(obj.get("currency")),
        created=ts(obj.get("created")) or datetime.fromtimestamp(0, tz=UTC),
        collection_method=obj.get("collection_method") or "charge_automatically",
        subscription_id=invoice_subscription_id(obj),
        number=obj.get("number"),
        amount_due=int(obj.get("amount_due") or 0),
        amount_paid=int(obj.get("amount_paid") or 0),
        amount_remaining=int(obj.get("amount_remaining") or 0),
        post_payment_credit_notes_amount=int(obj.get("post_payment_credit_notes_amount") or 0),
        subtotal=int(obj.get("subtotal") or 0),
        total=int(obj.get("total") or 0),
        tax=int(tax or 0),
        due_date=ts(obj.get("due_date")),
        finalized_at=ts(transitions.get("finalized_at")),
        paid_at=ts(transitions.get("paid_at")),
        voided_at=ts(transitions.get("voided_at")),
        marked_uncollectible_at=ts(transitions.get("marked_uncollectible_at")),
        attempted=bool(obj.get("attempted")),
        attempt_count=int(obj.get("attempt_count") or 0),
        next_payment_attempt=ts(obj.get("next_payment_attempt")),
        billing_reason=obj.get("billing_reason"),
        period_start=ts(obj.get("period_start")),
        period_end=ts(obj.get("period_end")),
        hosted_invoice_url=obj.get("hosted_invoice_url"),
        lines=tuple(
            read_invoice_line(line) for line in (lines if lines is not None else invoice_lines(obj))
        ),
        discount_ids=tuple(i for i in (_id(d) for d in obj.get("discounts") or ()) if i),
        livemode=bool(obj.get("livemode", False)),
    )


def read_event(obj: Obj) -> Event:
    data = obj.get("data") or {}
    inner = data.get("object") or {}
    return Event(
        id=obj["id"],
        type=obj.get("type") or "",
        created=ts(obj.get("created")) or datetime.fromtimestamp(0, tz=UTC),
        object_id=inner.get("id"),
        object_type=inner.get("object"),
        api_version=obj.get("api_version"),
        data=inner,
        previous_attributes=data.get("previous_attributes") or {},
    )
