"""Declarative shapes of the demo world: companies, customers, subscription stories.

Times are relative to ``as_of`` so the world looks "current" whatever day the
demo runs: a start is ``(months, days)`` before as_of, other moments are days
before it (negative: after it).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Company:
    """A client company of the agency (one row of accounts.csv)."""

    name: str
    domain: str
    external_id: str | None = None
    aliases: tuple[str, ...] = ()
    owner: str | None = None


@dataclass(frozen=True)
class CustomerSpec:
    """A Stripe customer; ``company`` is None for a customer on no client list."""

    key: str
    name: str
    email: str
    currency: str
    country: str
    company: str | None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangeSpec:
    """An item change mid-period: new quantity and/or price, with a proration rule."""

    days_ago: float
    quantity: int | None = None
    price: str | None = None
    item: int = 0
    proration: str = "create_prorations"  # always_invoice | create_prorations | none


@dataclass(frozen=True)
class SubSpec:
    """One subscription's story, from start to as_of."""

    key: str
    customer: str
    items: tuple[tuple[str, int], ...]
    start: tuple[int, int]  # (months, days) before as_of
    trial_days: int = 0
    days_until_due: int | None = None  # set: collection_method send_invoice
    coupon: str | None = None
    coupon_days_ago: float | None = None  # None: applied at start
    changes: tuple[ChangeSpec, ...] = ()
    cancel_days_ago: float | None = None  # canceled immediately then
    cancel_request_days_ago: float | None = None  # cancel_at_period_end requested then
    cancel_feedback: str | None = None
    cancel_reason: str = "cancellation_requested"
    pause_days_ago: float | None = None
    resume_in_days: float | None = None
    # Payment outcome per invoice, indexed from the end (-1: latest). Values:
    # "failed:N", "recovered:N", "overdue", "partial", "uncollectible:DAYS_AGO".
    outcomes: dict[int, str] = field(default_factory=dict)
