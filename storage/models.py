"""SQLAlchemy 2.x models for every table revbot keeps.

Every table carries ``workspace_id`` (the Slack team id, or ``local`` for the
CLI) and every key includes it, so two workspaces may hold the same Stripe ids
without ever seeing each other's rows. Stripe objects are stored normalised
(from :mod:`billing.models`) with the columns billing needs; a connection id
column lets one workspace hold several Stripe accounts later.

A table class whose name a domain class of :mod:`billing.models` also uses carries
a ``Row`` suffix (``InvoiceRow`` is a stored ``Invoice``), so a module can import
both without aliasing either.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, ws_column


class Workspace(Base):
    __tablename__ = "workspaces"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    reporting_currency: Mapped[str | None] = mapped_column(String(3))
    match_personal_emails: Mapped[bool] = mapped_column(Boolean, default=False)
    alerts_channel: Mapped[str | None] = mapped_column(String(64))
    brief_channel: Mapped[str | None] = mapped_column(String(64))
    brief_weekday: Mapped[int] = mapped_column(Integer, default=0)  # Monday
    brief_time: Mapped[str] = mapped_column(String(5), default="09:00")
    created_at: Mapped[datetime]


class StripeConnection(Base):
    __tablename__ = "stripe_connections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    stripe_account_id: Mapped[str | None] = mapped_column(String(64))
    stripe_account_name: Mapped[str | None] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(8))  # live | test
    key_kind: Mapped[str] = mapped_column(String(16))  # restricted | secret
    key_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_last4: Mapped[str | None] = mapped_column(String(4))
    webhook_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="connected")
    error_text: Mapped[str | None] = mapped_column(Text)
    error_detail: Mapped[str | None] = mapped_column(Text)
    last_sync_at: Mapped[datetime | None]
    last_sync_duration_ms: Mapped[int | None] = mapped_column(Integer)
    window_start: Mapped[datetime | None]
    record_counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    match_counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    events_cursor_id: Mapped[str | None] = mapped_column(String(64))
    events_cursor_at: Mapped[datetime | None]
    # Staying fresh after the backfill (whose time is ``last_sync_at``): the last events
    # catch-up that finished, how many events it applied, and the last event applied by
    # a webhook batch or a catch-up page (its id, type, source and when it was applied).
    last_catchup_at: Mapped[datetime | None]
    last_catchup_events: Mapped[int | None] = mapped_column(Integer)
    last_event_at: Mapped[datetime | None]
    last_event_id: Mapped[str | None] = mapped_column(String(64))
    last_event_type: Mapped[str | None] = mapped_column(String(80))
    last_event_source: Mapped[str | None] = mapped_column(String(16))
    connected_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ProductRow(Base):
    __tablename__ = "stripe_products"
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    source_updated_at: Mapped[datetime | None]


class PriceRow(Base):
    __tablename__ = "stripe_prices"
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str | None] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    billing_scheme: Mapped[str] = mapped_column(String(16))
    unit_amount_decimal: Mapped[str | None] = mapped_column(String(40))
    tiers_mode: Mapped[str | None] = mapped_column(String(16))
    tiers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    interval: Mapped[str | None] = mapped_column(String(8))
    interval_count: Mapped[int | None] = mapped_column(Integer)
    usage_type: Mapped[str | None] = mapped_column(String(16))
    transform_divide_by: Mapped[int | None] = mapped_column(Integer)
    transform_round: Mapped[str | None] = mapped_column(String(8))
    lookup_key: Mapped[str | None] = mapped_column(String(200))
    nickname: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime | None]
    source_updated_at: Mapped[datetime | None]


class CouponRow(Base):
    __tablename__ = "stripe_coupons"
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    duration: Mapped[str] = mapped_column(String(16))
    percent_off: Mapped[str | None] = mapped_column(String(20))
    amount_off: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    duration_in_months: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(200))


class DiscountRow(Base):
    """A discount as seen on a subscription or an item (``subscription_item_id``), or one
    that only invoices still name (``attached`` False)."""

    __tablename__ = "stripe_discounts"
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    coupon_id: Mapped[str] = mapped_column(String(64))
    start: Mapped[datetime | None]
    end: Mapped[datetime | None]
    customer_id: Mapped[str | None] = mapped_column(String(64))
    subscription_id: Mapped[str | None] = mapped_column(String(64), index=True)
    subscription_item_id: Mapped[str | None] = mapped_column(String(64))
    # False for a discount only invoices still reference (expired or removed): history
    # needs it, the subscription's current discounts do not include it.
    attached: Mapped[bool] = mapped_column(Boolean, default=True)
    # Order within the subscription's (or item's) discounts, or within the invoice that
    # named it: Stripe applies discounts in that order.
    position: Mapped[int] = mapped_column(Integer, default=0)


class CustomerRow(Base):
    __tablename__ = "stripe_customers"
    # Matching a new customer to its automatic account reads the others on its domain.
    __table_args__ = (Index("ix_customers_email_domain", "workspace_id", "email_domain"),)
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(320))
    email_domain: Mapped[str | None] = mapped_column(String(255))
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    created: Mapped[datetime | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    source_updated_at: Mapped[datetime | None]


class SubscriptionRow(Base):
    __tablename__ = "stripe_subscriptions"
    __table_args__ = (Index("ix_subscriptions_customer", "workspace_id", "customer_id"),)
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3))
    created: Mapped[datetime]
    start_date: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    canceled_at: Mapped[datetime | None]
    cancel_at: Mapped[datetime | None]
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_behavior: Mapped[str | None] = mapped_column(String(24))
    pause_resumes_at: Mapped[datetime | None]
    trial_start: Mapped[datetime | None]
    trial_end: Mapped[datetime | None]
    collection_method: Mapped[str] = mapped_column(String(24))
    latest_invoice_id: Mapped[str | None] = mapped_column(String(64))
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    livemode: Mapped[bool] = mapped_column(Boolean, default=False)
    source_updated_at: Mapped[datetime | None]


class SubscriptionItemRow(Base):
    __tablename__ = "stripe_subscription_items"
    __table_args__ = (Index("ix_items_subscription", "workspace_id", "subscription_id"),)
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subscription_id: Mapped[str] = mapped_column(String(64))
    price_id: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(BigInteger, default=1)
    current_period_start: Mapped[datetime | None]
    current_period_end: Mapped[datetime | None]
    created: Mapped[datetime | None]
    position: Mapped[int] = mapped_column(Integer, default=0)


class InvoiceRow(Base):
    __tablename__ = "stripe_invoices"
    __table_args__ = (
        Index("ix_invoices_customer", "workspace_id", "customer_id"),
        Index("ix_invoices_status", "workspace_id", "status"),
        Index("ix_invoices_created", "workspace_id", "created"),
    )
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(64))
    subscription_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(24))
    currency: Mapped[str] = mapped_column(String(3))
    created: Mapped[datetime]
    collection_method: Mapped[str] = mapped_column(String(24))
    number: Mapped[str | None] = mapped_column(String(64))
    amount_due: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_paid: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_remaining: Mapped[int] = mapped_column(BigInteger, default=0)
    post_payment_credit_notes_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    subtotal: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    tax: Mapped[int] = mapped_column(BigInteger, default=0)
    due_date: Mapped[datetime | None]
    finalized_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    marked_uncollectible_at: Mapped[datetime | None]
    attempted: Mapped[bool] = mapped_column(Boolean, default=False)
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    next_payment_attempt: Mapped[datetime | None]
    billing_reason: Mapped[str | None] = mapped_column(String(40))
    period_start: Mapped[datetime | None]
    period_end: Mapped[datetime | None]
    hosted_invoice_url: Mapped[str | None] = mapped_column(Text)
    discount_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    livemode: Mapped[bool] = mapped_column(Boolean, default=False)
    source_updated_at: Mapped[datetime | None]


class InvoiceLineRow(Base):
    __tablename__ = "stripe_invoice_lines"
    __table_args__ = (Index("ix_lines_invoice", "workspace_id", "invoice_id"),)
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    period_start: Mapped[datetime | None]
    period_end: Mapped[datetime | None]
    price_id: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[int | None] = mapped_column(BigInteger)
    proration: Mapped[bool] = mapped_column(Boolean, default=False)
    subscription_id: Mapped[str | None] = mapped_column(String(64))
    subscription_item_id: Mapped[str | None] = mapped_column(String(64))
    discount_amounts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    discount_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    unit_amount_decimal: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="subscription")


class StripeEvent(Base):
    """Applied and pending Stripe events: the webhook queue and the dedupe record."""

    __tablename__ = "stripe_events"
    __table_args__ = (
        Index("ix_events_pending", "workspace_id", "status", "created"),
        Index("ix_events_object", "workspace_id", "object_id"),
    )
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(80))
    created: Mapped[datetime]
    object_id: Mapped[str | None] = mapped_column(String(64))
    api_version: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(16))  # webhook | catchup
    status: Mapped[str] = mapped_column(String(16))  # pending | applied | ignored | failed
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]
    applied_at: Mapped[datetime | None]


class AccountRow(Base):
    __tablename__ = "accounts"
    workspace_id: Mapped[str] = ws_column()
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    domain: Mapped[str | None] = mapped_column(String(255))
    external_id: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    owner: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))  # import | auto
    created_at: Mapped[datetime]


class CustomerMatch(Base):
    """The matching outcome of one Stripe customer (recomputed on every sync)."""

    __tablename__ = "customer_matches"
    __table_args__ = (Index("ix_matches_account", "workspace_id", "account_id"),)
    workspace_id: Mapped[str] = ws_column()
    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))  # matched|unmatched|ambiguous|skipped|deleted
    via: Mapped[str | None] = mapped_column(String(16))  # manual|metadata|domain|name|auto
    reason: Mapped[str] = mapped_column(Text)
    candidates: Mapped[list[Any]] = mapped_column(JSON, default=list)


class ManualMapping(Base):
    """An admin's explicit customer -> account decision; survives every resync."""

    __tablename__ = "manual_mappings"
    workspace_id: Mapped[str] = ws_column()
    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class AccountFigure(Base):
    """Per-account figures computed by billing/ at the end of a sync (JSON)."""

    __tablename__ = "account_figures"
    workspace_id: Mapped[str] = ws_column()
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    computed_at: Mapped[datetime]
    payment_status: Mapped[str] = mapped_column(String(16))
    lifecycle: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class AccountMrrPoint(Base):
    """Month-end MRR of an account in one currency (minor units)."""

    __tablename__ = "account_mrr_history"
    workspace_id: Mapped[str] = ws_column()
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class DirtyAccount(Base):
    """An account whose figures wait for a recompute (an event changed what they read).

    Written in the transaction that applies the events, so a crash never loses it;
    ``generation`` grows with every new change, and a recompute removes only the
    generation it read (a change made meanwhile keeps the row for the next one).
    """

    __tablename__ = "dirty_accounts"
    workspace_id: Mapped[str] = ws_column()
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=1)
    marked_at: Mapped[datetime]


class SyncLease(Base):
    """At most one sync per workspace: a row with an expiry (crash-safe)."""

    __tablename__ = "sync_leases"
    workspace_id: Mapped[str] = ws_column()
    holder: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(Integer)
    step: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class SyncRun(Base):
    __tablename__ = "sync_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # backfill | catchup | file
    status: Mapped[str] = mapped_column(String(16))  # running | succeeded | failed
    step: Mapped[int] = mapped_column(Integer, default=0)
    step_name: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    request_count: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime]


class FxRate(Base):
    __tablename__ = "fx_rates"
    workspace_id: Mapped[str] = ws_column()
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    effective_date: Mapped[str] = mapped_column(String(10), primary_key=True)
    rate: Mapped[str] = mapped_column(String(40))  # units of reporting currency per 1
    created_at: Mapped[datetime]


class SignalRow(Base):
    __tablename__ = "signals"
    __table_args__ = (UniqueConstraint("workspace_id", "dedupe_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    dedupe_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    account_id: Mapped[str | None] = mapped_column(String(64))
    amount: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    plan: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime]
    object_id: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    posted_at: Mapped[datetime | None]


class WorkspaceAdmin(Base):
    __tablename__ = "workspace_admins"
    workspace_id: Mapped[str] = ws_column()
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    added_by: Mapped[str | None] = mapped_column(String(64))
    added_at: Mapped[datetime]


class BriefDelivery(Base):
    __tablename__ = "brief_deliveries"
    workspace_id: Mapped[str] = ws_column()
    week: Mapped[str] = mapped_column(String(10), primary_key=True)  # ISO week, 2027-W07
    channel: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime]  # when claimed, then when posted
    # claimed (being sent; taken over when the claim is stale) | sent | unknown (never retried)
    status: Mapped[str] = mapped_column(String(16), default="sent", server_default="sent")
    # The replica holding the claim and when it claimed, on the wall clock (claims expire on
    # real time even when REVBOT_NOW fixes the business date); the posted message's ts.
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None]
    message_ts: Mapped[str | None] = mapped_column(String(32))
