"""Domain objects the billing rules work on.

They mirror the parts of Stripe's objects that SPEC §7 needs, already
normalised from either API shape (see ``sync.readers``). They are plain frozen
dataclasses: no ORM, no Stripe library. Timestamps are timezone-aware UTC;
amounts are integer minor units; currencies are upper-case ISO codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

Metadata = dict[str, str]


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    active: bool = True
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Tier:
    up_to: int | None  # None means "inf"
    unit_amount_decimal: Decimal | None
    flat_amount_decimal: Decimal | None


@dataclass(frozen=True, slots=True)
class TransformQuantity:
    divide_by: int
    round: str  # "up" | "down"


@dataclass(frozen=True, slots=True)
class Recurring:
    interval: str  # day | week | month | year
    interval_count: int = 1
    usage_type: str = "licensed"  # licensed | metered


@dataclass(frozen=True, slots=True)
class Price:
    id: str
    currency: str
    product_id: str | None = None
    billing_scheme: str = "per_unit"  # per_unit | tiered
    unit_amount_decimal: Decimal | None = None
    tiers_mode: str | None = None  # volume | graduated
    tiers: tuple[Tier, ...] = ()
    recurring: Recurring | None = None
    transform_quantity: TransformQuantity | None = None
    lookup_key: str | None = None
    nickname: str | None = None
    active: bool = True
    created: datetime | None = None


# The duration of a coupon known only by its id: neither listed nor expanded, so its
# terms are unknown. It reduces nothing, and the figures it touches say so.
UNKNOWN_DURATION = "unknown"


@dataclass(frozen=True, slots=True)
class Coupon:
    id: str
    duration: str  # forever | repeating | once | UNKNOWN_DURATION
    percent_off: Decimal | None = None
    amount_off: int | None = None
    currency: str | None = None
    duration_in_months: int | None = None
    name: str | None = None

    @classmethod
    def unknown(cls, coupon_id: str) -> Coupon:
        """A coupon named by id only (a discount of an unexpanded ``source.coupon``)."""
        return cls(id=coupon_id, duration=UNKNOWN_DURATION)

    @property
    def known(self) -> bool:
        return self.duration != UNKNOWN_DURATION


@dataclass(frozen=True, slots=True)
class Discount:
    id: str
    coupon: Coupon
    start: datetime | None = None
    end: datetime | None = None
    customer_id: str | None = None
    subscription_id: str | None = None
    subscription_item_id: str | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str | None = None
    email: str | None = None
    metadata: Metadata = field(default_factory=dict)
    created: datetime | None = None
    currency: str | None = None
    deleted: bool = False
    description: str | None = None


@dataclass(frozen=True, slots=True)
class PauseCollection:
    behavior: str
    resumes_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionItem:
    id: str
    price: Price
    quantity: int = 1
    current_period_start: datetime | None = None
    current_period_end: datetime | None = None
    discounts: tuple[Discount, ...] = ()
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    customer_id: str
    status: str
    currency: str
    created: datetime
    start_date: datetime | None = None
    ended_at: datetime | None = None
    canceled_at: datetime | None = None
    cancel_at: datetime | None = None
    cancel_at_period_end: bool = False
    pause_collection: PauseCollection | None = None
    trial_start: datetime | None = None
    trial_end: datetime | None = None
    collection_method: str = "charge_automatically"
    items: tuple[SubscriptionItem, ...] = ()
    discounts: tuple[Discount, ...] = ()
    latest_invoice_id: str | None = None
    metadata: Metadata = field(default_factory=dict)
    livemode: bool = False

    @property
    def current_period_end(self) -> datetime | None:
        """Earliest item period end (items carry their own since 2025)."""
        ends = [i.current_period_end for i in self.items if i.current_period_end]
        return min(ends) if ends else None

    @property
    def current_period_start(self) -> datetime | None:
        starts = [i.current_period_start for i in self.items if i.current_period_start]
        return min(starts) if starts else None


@dataclass(frozen=True, slots=True)
class DiscountAmount:
    amount: int
    discount_id: str | None


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    id: str
    amount: int
    currency: str
    period_start: datetime | None = None
    period_end: datetime | None = None
    price_id: str | None = None
    quantity: int | None = None
    proration: bool = False
    subscription_id: str | None = None
    subscription_item_id: str | None = None
    discount_amounts: tuple[DiscountAmount, ...] = ()
    discount_ids: tuple[str, ...] = ()
    unit_amount_decimal: Decimal | None = None
    description: str | None = None
    kind: str = "subscription"  # subscription | invoiceitem


@dataclass(frozen=True, slots=True)
class Invoice:
    id: str
    customer_id: str
    status: str  # draft | open | paid | uncollectible | void
    currency: str
    created: datetime
    collection_method: str = "charge_automatically"
    subscription_id: str | None = None
    number: str | None = None
    amount_due: int = 0
    amount_paid: int = 0
    amount_remaining: int = 0
    post_payment_credit_notes_amount: int = 0
    subtotal: int = 0
    total: int = 0
    tax: int = 0
    due_date: datetime | None = None
    finalized_at: datetime | None = None
    paid_at: datetime | None = None
    voided_at: datetime | None = None
    marked_uncollectible_at: datetime | None = None
    attempted: bool = False
    attempt_count: int = 0
    next_payment_attempt: datetime | None = None
    billing_reason: str | None = None
    period_start: datetime | None = None
    period_end: datetime | None = None
    hosted_invoice_url: str | None = None
    lines: tuple[InvoiceLine, ...] = ()
    discount_ids: tuple[str, ...] = ()
    livemode: bool = False
    # When its payments failed, from ``invoice.payment_failed`` events (Stripe keeps 30
    # days of them; the invoice itself counts attempts but dates none but the first).
    failed_at: tuple[datetime, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    created: datetime
    object_id: str | None
    object_type: str | None
    api_version: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    previous_attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Account:
    """A client company: groups one or more Stripe customers."""

    id: str
    name: str
    domain: str | None = None
    external_id: str | None = None
    aliases: tuple[str, ...] = ()
    owner: str | None = None

    def ref(self) -> dict[str, str | None]:
        """The ``{id, name, domain}`` reference used in every JSON answer."""
        return {"id": self.id, "name": self.name, "domain": self.domain}
