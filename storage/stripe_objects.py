"""Synced Stripe objects in: idempotent bulk upserts (the reads are storage/ledger_reads.py).

Writes use the dialect's ``INSERT … ON CONFLICT DO UPDATE`` with executemany
(SQLite and PostgreSQL), so re-running a sync leaves identical rows. Child
rows (subscription items, discounts, invoice lines) are replaced per parent,
so an item or line removed in Stripe disappears here too. Deleted customers
are marked, never dropped. Every statement is scoped by ``workspace_id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from billing.models import (
    Coupon,
    Customer,
    Discount,
    Invoice,
    InvoiceLine,
    Price,
    Product,
    Subscription,
    SubscriptionItem,
)
from storage.base import Base
from storage.bulk import delete_by_parent, execute_upsert, set_by_parent
from storage.models import (
    CouponRow,
    CustomerRow,
    DiscountRow,
    InvoiceLineRow,
    InvoiceRow,
    PriceRow,
    ProductRow,
    SubscriptionItemRow,
    SubscriptionRow,
)
from storage.types import decimal_text

Row = dict[str, Any]
CHUNK = 500


# -- generic upsert -----------------------------------------------------------------
def table_of(model: type[Base]) -> Table:
    """The Core table of a model (bulk statements skip the ORM)."""
    return model.__table__  # type: ignore[return-value]


def upsert_rows(
    session: Session, model: type[Base], rows: Sequence[Row], *, update_existing: bool = True
) -> None:
    """Insert ``rows`` (column-name dicts), updating the given columns on conflict."""
    execute_upsert(session, table_of(model), rows, update_existing=update_existing)


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


# -- domain -> rows ---------------------------------------------------------------------
def product_row(ws: str, p: Product) -> Row:
    return {
        "workspace_id": ws,
        "id": p.id,
        "name": p.name,
        "active": p.active,
        "deleted": p.deleted,
    }


def price_row(ws: str, p: Price) -> Row:
    rec, tq = p.recurring, p.transform_quantity
    return {
        "workspace_id": ws,
        "id": p.id,
        "product_id": p.product_id,
        "currency": p.currency,
        "billing_scheme": p.billing_scheme,
        "unit_amount_decimal": decimal_text(p.unit_amount_decimal),
        "tiers_mode": p.tiers_mode,
        "tiers": [
            {
                "up_to": tier.up_to,
                "unit_amount_decimal": decimal_text(tier.unit_amount_decimal),
                "flat_amount_decimal": decimal_text(tier.flat_amount_decimal),
            }
            for tier in p.tiers
        ],
        "interval": rec.interval if rec else None,
        "interval_count": rec.interval_count if rec else None,
        "usage_type": rec.usage_type if rec else None,
        "transform_divide_by": tq.divide_by if tq else None,
        "transform_round": tq.round if tq else None,
        "lookup_key": p.lookup_key,
        "nickname": p.nickname,
        "active": p.active,
        "created": p.created,
    }


def coupon_row(ws: str, c: Coupon) -> Row:
    return {
        "workspace_id": ws,
        "id": c.id,
        "duration": c.duration,
        "percent_off": decimal_text(c.percent_off),
        "amount_off": c.amount_off,
        "currency": c.currency,
        "duration_in_months": c.duration_in_months,
        "name": c.name,
    }


def discount_row(ws: str, d: Discount, *, attached: bool = True, position: int = 0) -> Row:
    return {
        "workspace_id": ws,
        "id": d.id,
        "coupon_id": d.coupon.id,
        "start": d.start,
        "end": d.end,
        "customer_id": d.customer_id,
        "subscription_id": d.subscription_id,
        "subscription_item_id": d.subscription_item_id,
        "attached": attached,
        "position": position,
    }


def customer_row(ws: str, c: Customer) -> Row:
    domain = c.email.rsplit("@", 1)[1].strip().lower() if c.email and "@" in c.email else None
    return {
        "workspace_id": ws,
        "id": c.id,
        "name": c.name,
        "email": c.email,
        "email_domain": domain,
        "metadata": dict(c.metadata),
        "created": c.created,
        "currency": c.currency,
        "deleted": c.deleted,
        "description": c.description,
    }


def subscription_row(ws: str, s: Subscription) -> Row:
    pause = s.pause_collection
    return {
        "workspace_id": ws,
        "id": s.id,
        "customer_id": s.customer_id,
        "status": s.status,
        "currency": s.currency,
        "created": s.created,
        "start_date": s.start_date,
        "ended_at": s.ended_at,
        "canceled_at": s.canceled_at,
        "cancel_at": s.cancel_at,
        "cancel_at_period_end": s.cancel_at_period_end,
        "pause_behavior": pause.behavior if pause else None,
        "pause_resumes_at": pause.resumes_at if pause else None,
        "trial_start": s.trial_start,
        "trial_end": s.trial_end,
        "collection_method": s.collection_method,
        "latest_invoice_id": s.latest_invoice_id,
        "metadata": dict(s.metadata),
        "livemode": s.livemode,
    }


def item_row(ws: str, sub_id: str, position: int, i: SubscriptionItem) -> Row:
    return {
        "workspace_id": ws,
        "id": i.id,
        "subscription_id": sub_id,
        "price_id": i.price.id,
        "quantity": i.quantity,
        "current_period_start": i.current_period_start,
        "current_period_end": i.current_period_end,
        "created": i.created,
        "position": position,
    }


INVOICE_FIELDS = [
    "customer_id",
    "subscription_id",
    "status",
    "currency",
    "created",
    "collection_method",
    "number",
    "amount_due",
    "amount_paid",
    "amount_remaining",
    "post_payment_credit_notes_amount",
    "subtotal",
    "total",
    "tax",
    "due_date",
    "finalized_at",
    "paid_at",
    "voided_at",
    "marked_uncollectible_at",
    "attempted",
    "attempt_count",
    "next_payment_attempt",
    "billing_reason",
    "period_start",
    "period_end",
    "hosted_invoice_url",
    "livemode",
]


def invoice_row(ws: str, inv: Invoice) -> Row:
    row: Row = {"workspace_id": ws, "id": inv.id}
    row.update({name: getattr(inv, name) for name in INVOICE_FIELDS})
    row["discount_ids"] = list(inv.discount_ids)
    return row


def line_row(ws: str, invoice_id: str, position: int, line: InvoiceLine) -> Row:
    return {
        "workspace_id": ws,
        "id": line.id,
        "invoice_id": invoice_id,
        "position": position,
        "amount": line.amount,
        "currency": line.currency,
        "period_start": line.period_start,
        "period_end": line.period_end,
        "price_id": line.price_id,
        "quantity": line.quantity,
        "proration": line.proration,
        "subscription_id": line.subscription_id,
        "subscription_item_id": line.subscription_item_id,
        "discount_amounts": [
            {"amount": d.amount, "discount": d.discount_id} for d in line.discount_amounts
        ],
        "discount_ids": list(line.discount_ids),
        "unit_amount_decimal": decimal_text(line.unit_amount_decimal),
        "description": line.description,
        "kind": line.kind,
    }


# -- upserts by kind ------------------------------------------------------------------
def upsert_products(session: Session, ws: str, products: Iterable[Product]) -> int:
    rows = [product_row(ws, p) for p in products]
    upsert_rows(session, ProductRow, rows)
    return len(rows)


def upsert_prices(session: Session, ws: str, prices: Iterable[Price]) -> int:
    rows = [price_row(ws, p) for p in prices]
    upsert_rows(session, PriceRow, rows)
    return len(rows)


def upsert_coupons(session: Session, ws: str, coupons: Iterable[Coupon]) -> int:
    """Coupons whose terms are known; one known by id only never replaces a stored one."""
    rows = list({c.id: coupon_row(ws, c) for c in coupons if c.known}.values())
    upsert_rows(session, CouponRow, rows)
    return len(rows)


def upsert_customers(session: Session, ws: str, customers: Iterable[Customer]) -> int:
    rows = [customer_row(ws, c) for c in customers]
    upsert_rows(session, CustomerRow, rows)
    return len(rows)


def _attached_discount_rows(ws: str, subs: Sequence[Subscription]) -> list[Row]:
    """Discounts attached now, each with its position on the subscription or item."""
    rows: dict[str, Row] = {}
    for s in subs:
        for n, d in enumerate(s.discounts):
            rows.setdefault(d.id, discount_row(ws, d, position=n))
        for item in s.items:
            for n, d in enumerate(item.discounts):
                rows.setdefault(d.id, discount_row(ws, d, position=n))
    return list(rows.values())


def upsert_subscriptions(session: Session, ws: str, subs: Sequence[Subscription]) -> int:
    """Subscriptions with their items, discounts and coupons (children replaced).

    Item prices missing from the catalogue (e.g. an archived plan) are added
    without overwriting listed prices, so items always resolve to a price.
    Discounts no longer on a listed subscription or item are kept, marked
    detached: invoices of past periods may still name them (SPEC §7 history).
    """
    if not subs:
        return 0
    sub_ids = [s.id for s in subs]
    item_ids = [i.id for s in subs for i in s.items]
    discounts = [
        d for s in subs for d in (*s.discounts, *(d for i in s.items for d in i.discounts))
    ]
    upsert_coupons(session, ws, (d.coupon for d in discounts))
    upsert_rows(
        session,
        PriceRow,
        list({i.price.id: price_row(ws, i.price) for s in subs for i in s.items}.values()),
        update_existing=False,
    )
    discounts_table = table_of(DiscountRow)
    delete_by_parent(session, table_of(SubscriptionItemRow), ws, "subscription_id", sub_ids)
    detach = ("attached", False)
    set_by_parent(session, discounts_table, ws, "subscription_id", sub_ids, detach)
    set_by_parent(session, discounts_table, ws, "subscription_item_id", item_ids, detach)
    upsert_rows(session, SubscriptionRow, [subscription_row(ws, s) for s in subs])
    upsert_rows(
        session,
        SubscriptionItemRow,
        [item_row(ws, s.id, n, i) for s in subs for n, i in enumerate(s.items)],
    )
    upsert_rows(session, DiscountRow, _attached_discount_rows(ws, subs))
    return len(subs)


def upsert_referenced_discounts(
    session: Session, ws: str, discounts: Iterable[tuple[Discount, int]]
) -> int:
    """Discounts invoices name, with their position there; stored detached unless known.

    A discount already stored (attached to a subscription, or seen before)
    is left as it is, so the order of steps never flips ``attached``.
    """
    pairs = list(discounts)
    rows = {d.id: discount_row(ws, d, attached=False, position=n) for d, n in pairs}
    if not rows:
        return 0
    upsert_coupons(session, ws, {d.coupon.id: d.coupon for d, _ in pairs}.values())
    upsert_rows(session, DiscountRow, list(rows.values()), update_existing=False)
    return len(rows)


def upsert_invoices(session: Session, ws: str, invoices: Sequence[Invoice]) -> int:
    """Invoices with their lines (lines replaced per invoice)."""
    if not invoices:
        return 0
    ids = [inv.id for inv in invoices]
    delete_by_parent(session, table_of(InvoiceLineRow), ws, "invoice_id", ids)
    upsert_rows(session, InvoiceRow, [invoice_row(ws, inv) for inv in invoices])
    lines = {
        line.id: line_row(ws, inv.id, n, line)
        for inv in invoices
        for n, line in enumerate(inv.lines)
    }
    upsert_rows(session, InvoiceLineRow, list(lines.values()))
    return len(invoices)


def customer_ids(session: Session, ws: str) -> set[str]:
    return set(
        session.execute(select(CustomerRow.id).where(CustomerRow.workspace_id == ws)).scalars()
    )


def mark_customers_deleted(session: Session, ws: str, ids: Iterable[str]) -> int:
    """Mark customers deleted, adding a bare row for ones never seen alive."""
    wanted = sorted(set(ids))
    if not wanted:
        return 0
    known = customer_ids(session, ws)
    for chunk in _chunks([i for i in wanted if i in known]):
        session.execute(
            update(CustomerRow)
            .where(CustomerRow.workspace_id == ws, CustomerRow.id.in_(chunk))
            .values(deleted=True)
        )
    fresh = [i for i in wanted if i not in known]
    upsert_rows(
        session,
        CustomerRow,
        [customer_row(ws, Customer(id=i, deleted=True)) for i in fresh],
        update_existing=False,
    )
    return len(wanted)


def mark_unlisted_customers_deleted(session: Session, ws: str, listed: set[str]) -> int:
    """After a full customer listing: whoever Stripe no longer lists was deleted."""
    gone = customer_ids(session, ws) - listed
    return mark_customers_deleted(session, ws, gone)


# An invoice's copy of its customer's contact: (customer_name, customer_email).
Contact = tuple[str | None, str | None]


def add_referenced_customers(
    session: Session, ws: str, contacts: Mapping[str, Contact] | None = None
) -> int:
    """Customers referenced by subscriptions/invoices but never listed are deleted ones.

    Stripe answers a deleted customer with its id alone; ``contacts`` (what their
    invoices recorded) name those still without a name or email, so a person can
    tell which customer it was."""
    known = customer_ids(session, ws)
    referenced = set(
        session.execute(
            select(SubscriptionRow.customer_id).where(SubscriptionRow.workspace_id == ws)
        ).scalars()
    ) | set(
        session.execute(
            select(InvoiceRow.customer_id).where(InvoiceRow.workspace_id == ws)
        ).scalars()
    )
    missing = {c for c in referenced - known if c}
    added = mark_customers_deleted(session, ws, missing)
    if contacts:
        _name_deleted_customers(session, ws, contacts)
    return added


def _name_deleted_customers(session: Session, ws: str, contacts: Mapping[str, Contact]) -> None:
    nameless = session.scalars(
        select(CustomerRow.id).where(
            CustomerRow.workspace_id == ws,
            CustomerRow.deleted.is_(True),
            CustomerRow.name.is_(None),
            CustomerRow.email.is_(None),
        )
    ).all()
    for cid in nameless:
        name, email = contacts.get(cid, (None, None))
        if name or email:
            row = customer_row(ws, Customer(id=cid, name=name, email=email, deleted=True))
            session.execute(
                update(CustomerRow)
                .where(CustomerRow.workspace_id == ws, CustomerRow.id == cid)
                .values(name=name, email=email, email_domain=row["email_domain"])
            )
