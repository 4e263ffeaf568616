"""Per-object freshness and the single-object writes that applying an event needs.

``source_updated_at`` on customers, products, prices, subscriptions and
invoices holds the Stripe time (an event's ``created``) of the state a row
holds, so an older event arriving late is recognised and skipped. The writes
here sit on top of :mod:`storage.stripe_objects` for the cases its bulk
upserts do not cover: keeping children a partial payload does not list,
deleting a draft invoice, re-reading stored discounts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from billing.models import Invoice, Subscription
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
from storage.stripe_objects import (
    discount_row,
    invoice_row,
    item_row,
    line_row,
    subscription_row,
    upsert_coupons,
    upsert_rows,
)

# Stripe object type -> the table holding it.
TABLES: dict[str, Any] = {
    "customer": CustomerRow,
    "product": ProductRow,
    "price": PriceRow,
    "subscription": SubscriptionRow,
    "invoice": InvoiceRow,
}


class Stored:
    """What a row holds now: whether it exists, its marker, and a few flags."""

    def __init__(self, exists: bool, marker: datetime | None, deleted: bool = False) -> None:
        self.exists = exists
        self.marker = marker
        self.deleted = deleted


def stored(session: Session, workspace_id: str, kind: str, object_id: str) -> Stored:
    row = session.connection().execute(_STORED[kind], {"ws": workspace_id, "id": object_id}).first()
    if row is None:
        return Stored(False, None)
    return Stored(True, row[0], bool(row[1]) if len(row) > 1 else False)


def set_marker(
    session: Session, workspace_id: str, kind: str, object_id: str, at: datetime
) -> None:
    """Record that the row holds Stripe state as of ``at`` (never moves backwards)."""
    # Core, built once: no ORM bookkeeping nor statement building on this hot path.
    params = {"b_ws": workspace_id, "b_id": object_id, "b_at": at}
    session.connection().execute(_SET_MARKER[kind], params)


def _stored_stmt(kind: str) -> Any:
    table = TABLES[kind].__table__
    columns = [table.c.source_updated_at]
    if kind in ("customer", "product"):
        columns.append(table.c.deleted)
    return select(*columns).where(
        table.c.workspace_id == bindparam("ws"), table.c.id == bindparam("id")
    )


def _set_marker_stmt(kind: str) -> Any:
    table = TABLES[kind].__table__
    marker = table.c.source_updated_at
    return (
        update(table)
        .where(
            table.c.workspace_id == bindparam("b_ws"),
            table.c.id == bindparam("b_id"),
            marker.is_(None) | (marker < bindparam("b_at", type_=marker.type)),
        )
        .values(source_updated_at=bindparam("b_at", type_=marker.type))
    )


_STORED = {kind: _stored_stmt(kind) for kind in TABLES}
_SET_MARKER = {kind: _set_marker_stmt(kind) for kind in TABLES}


def stored_discounts(
    session: Session, workspace_id: str, ids: list[str]
) -> dict[str, dict[str, Any]]:
    """Stored discounts (with their coupons) as Stripe-shaped JSON, by id."""
    if not ids:
        return {}
    rows = session.execute(
        select(DiscountRow, CouponRow)
        .join(
            CouponRow,
            (CouponRow.workspace_id == DiscountRow.workspace_id)
            & (CouponRow.id == DiscountRow.coupon_id),
        )
        .where(DiscountRow.workspace_id == workspace_id, DiscountRow.id.in_(ids))
    ).all()
    return {d.id: _discount_json(d, c) for d, c in rows}


def _discount_json(d: DiscountRow, c: CouponRow) -> dict[str, Any]:
    def unix(value: datetime | None) -> int | None:
        return None if value is None else int(value.timestamp())

    return {
        "id": d.id,
        "object": "discount",
        "coupon": {
            "id": c.id,
            "object": "coupon",
            "duration": c.duration,
            "percent_off": c.percent_off,
            "amount_off": c.amount_off,
            "currency": c.currency.lower() if c.currency else None,
            "duration_in_months": c.duration_in_months,
            "name": c.name,
        },
        "start": unix(d.start),
        "end": unix(d.end),
        "customer": d.customer_id,
        "subscription": d.subscription_id,
        "subscription_item": d.subscription_item_id,
    }


def upsert_subscription_keeping_items(
    session: Session, workspace_id: str, sub: Subscription
) -> None:
    """A subscription whose payload lists only some items: upsert those, keep the rest."""
    discounts = [*sub.discounts, *(d for i in sub.items for d in i.discounts)]
    upsert_coupons(session, workspace_id, (d.coupon for d in discounts))
    upsert_rows(session, SubscriptionRow, [subscription_row(workspace_id, sub)])
    upsert_rows(
        session,
        SubscriptionItemRow,
        [item_row(workspace_id, sub.id, n, i) for n, i in enumerate(sub.items)],
    )
    upsert_rows(session, DiscountRow, [discount_row(workspace_id, d) for d in discounts])


def upsert_invoice_keeping_lines(session: Session, workspace_id: str, inv: Invoice) -> None:
    """An invoice whose payload lists only some lines: upsert those, keep the rest."""
    upsert_rows(session, InvoiceRow, [invoice_row(workspace_id, inv)])
    upsert_rows(
        session,
        InvoiceLineRow,
        [line_row(workspace_id, inv.id, n, line) for n, line in enumerate(inv.lines)],
    )


def delete_invoice(session: Session, workspace_id: str, invoice_id: str) -> None:
    """A deleted draft invoice disappears (Stripe no longer has it)."""
    session.execute(
        delete(InvoiceLineRow).where(
            InvoiceLineRow.workspace_id == workspace_id, InvoiceLineRow.invoice_id == invoice_id
        )
    )
    session.execute(
        delete(InvoiceRow).where(
            InvoiceRow.workspace_id == workspace_id, InvoiceRow.id == invoice_id
        )
    )


def stored_price_tiers(session: Session, workspace_id: str, price_id: str) -> list[Any] | None:
    """The tiers stored for a price (webhook payloads never include them)."""
    row = session.execute(
        select(PriceRow.tiers).where(PriceRow.workspace_id == workspace_id, PriceRow.id == price_id)
    ).first()
    return None if row is None else list(row[0] or [])


def mark_backfilled(
    session: Session, workspace_id: str, at: datetime, window_start: datetime
) -> int:
    """After a backfill: rows it wrote hold Stripe state at least as new as ``at``.

    ``at`` is the ``created`` of the newest event when the backfill started
    (its catch-up cursor): every object was read after that. Without this an
    old marker would survive a resync, and a late webhook older than the
    backfill (but newer than the old marker) would overwrite fresher state.
    Only the rows the backfill reads are moved: products, prices and customers
    in full, subscriptions and invoices of its window (SPEC §7b "Synced data").
    Markers never move backwards. Returns how many rows changed.
    """
    changed = 0
    for kind, table in TABLES.items():
        c = table.__table__.c
        scope = (c.workspace_id == workspace_id) & (
            c.source_updated_at.is_(None) | (c.source_updated_at < at)
        )
        if kind == "invoice":
            scope &= c.created >= window_start
        elif kind == "subscription":
            scope &= (
                (c.created >= window_start) | c.ended_at.is_(None) | (c.ended_at >= window_start)
            )
        result = session.execute(update(table.__table__).where(scope).values(source_updated_at=at))
        changed += int(getattr(result, "rowcount", 0) or 0)
    return changed
