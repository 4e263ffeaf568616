"""Small builders of domain objects for billing rule tests (hand-made, no world)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from billing.models import (
    Coupon,
    Discount,
    Invoice,
    InvoiceLine,
    PauseCollection,
    Price,
    Recurring,
    Subscription,
    SubscriptionItem,
    Tier,
    TransformQuantity,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)


def dt(text: str) -> datetime:
    """Parse "2026-03-31" or "2026-03-31T23:59:59" as aware UTC."""
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def price(
    unit: str | int | None = 1000,
    *,
    id: str = "price_a",
    currency: str = "USD",
    interval: str = "month",
    count: int = 1,
    usage: str = "licensed",
    scheme: str = "per_unit",
    mode: str | None = None,
    tiers: tuple[Tier, ...] = (),
    transform: TransformQuantity | None = None,
    lookup_key: str | None = None,
    nickname: str | None = None,
    product: str | None = None,
) -> Price:
    return Price(
        id=id,
        currency=currency,
        product_id=product,
        billing_scheme=scheme,
        unit_amount_decimal=None if unit is None else Decimal(str(unit)),
        tiers_mode=mode,
        tiers=tiers,
        recurring=Recurring(interval, count, usage),
        transform_quantity=transform,
        lookup_key=lookup_key,
        nickname=nickname,
    )


def tier(up_to: int | None, unit: int | None, flat: int | None = None) -> Tier:
    return Tier(
        up_to,
        None if unit is None else Decimal(unit),
        None if flat is None else Decimal(flat),
    )


def coupon(
    duration: str = "forever",
    *,
    percent: str | int | None = None,
    amount: int | None = None,
    currency: str | None = None,
) -> Coupon:
    return Coupon(
        id=f"co_{duration}_{percent}_{amount}",
        duration=duration,
        percent_off=None if percent is None else Decimal(str(percent)),
        amount_off=amount,
        currency=currency,
    )


def discount(
    c: Coupon,
    *,
    id: str = "di_1",
    start: datetime = T0,
    end: datetime | None = None,
    sub: str | None = "sub_1",
    item: str | None = None,
) -> Discount:
    return Discount(
        id=id, coupon=c, start=start, end=end, subscription_id=sub, subscription_item_id=item
    )


def item(
    p: Price,
    quantity: int = 1,
    *,
    id: str = "si_1",
    discounts: tuple[Discount, ...] = (),
    period_end: datetime | None = None,
) -> SubscriptionItem:
    return SubscriptionItem(
        id=id,
        price=p,
        quantity=quantity,
        current_period_start=T0,
        current_period_end=period_end or dt("2027-03-01"),
        discounts=discounts,
    )


def sub(
    *items: SubscriptionItem,
    id: str = "sub_1",
    status: str = "active",
    currency: str = "USD",
    customer: str = "cus_1",
    start: datetime = T0,
    discounts: tuple[Discount, ...] = (),
    paused: bool = False,
    **extra: object,
) -> Subscription:
    return Subscription(
        id=id,
        customer_id=customer,
        status=status,
        currency=currency,
        created=start,
        start_date=start,
        items=items or (item(price()),),
        discounts=discounts,
        pause_collection=PauseCollection("void") if paused else None,
        **extra,  # type: ignore[arg-type]
    )


def invoice(
    id: str = "in_1",
    *,
    status: str = "paid",
    customer: str = "cus_1",
    currency: str = "USD",
    created: datetime = T0,
    lines: tuple[InvoiceLine, ...] = (),
    subscription: str | None = "sub_1",
    **extra: object,
) -> Invoice:
    return Invoice(
        id=id,
        customer_id=customer,
        status=status,
        currency=currency,
        created=created,
        subscription_id=subscription,
        lines=lines,
        **extra,  # type: ignore[arg-type]
    )


def line(
    start: datetime,
    end: datetime,
    *,
    id: str = "il_1",
    price_id: str = "price_a",
    quantity: int = 1,
    amount: int = 0,
    proration: bool = False,
    sub_id: str = "sub_1",
    item_id: str = "si_1",
    discount_ids: tuple[str, ...] = (),
) -> InvoiceLine:
    return InvoiceLine(
        id=id,
        amount=amount,
        currency="USD",
        period_start=start,
        period_end=end,
        price_id=price_id,
        quantity=quantity,
        proration=proration,
        subscription_id=sub_id,
        subscription_item_id=item_id,
        discount_ids=discount_ids,
    )
