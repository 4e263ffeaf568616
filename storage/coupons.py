"""Discounts whose coupon is not stored: what sync still has to expand, and what figures
must admit they left out.

A discount names its coupon by id (``source.coupon`` is an id unless expanded);
coupons are listed in full and joined by id. A coupon deleted in Stripe no
longer lists, so a discount made from it stays unresolved until an expansion
(or a ``coupon.*`` event) brings its terms. Such a discount reduces nothing,
and the accounts it belongs to name the coupon (``accounts list --json``,
``revbot status``, the account answer) instead of hiding the gap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from storage.models import (
    AccountRow,
    CouponRow,
    CustomerMatch,
    CustomerRow,
    DiscountRow,
    InvoiceLineRow,
    InvoiceRow,
    SubscriptionRow,
)


@dataclass(frozen=True)
class MissingCoupon:
    """A stored discount whose coupon is not stored."""

    discount_id: str
    coupon_id: str
    subscription_id: str | None
    subscription_item_id: str | None
    attached: bool


def _missing_stmt(ws: str):  # type: ignore[no-untyped-def]
    d, c = DiscountRow, CouponRow
    return (
        select(d)
        .outerjoin(c, and_(c.workspace_id == d.workspace_id, c.id == d.coupon_id))
        .where(d.workspace_id == ws, c.id.is_(None))
    )


def missing_coupons(
    session: Session, ws: str, subscription_id: str | None = None
) -> list[MissingCoupon]:
    """Stored discounts whose coupon is unknown (of one subscription when given)."""
    stmt = _missing_stmt(ws)
    if subscription_id is not None:
        stmt = stmt.where(DiscountRow.subscription_id == subscription_id)
    rows = session.scalars(stmt.order_by(DiscountRow.id)).all()
    return [
        MissingCoupon(
            r.id, r.coupon_id, r.subscription_id, r.subscription_item_id, bool(r.attached)
        )
        for r in rows
    ]


def invoices_naming(session: Session, ws: str, missing: Iterable[MissingCoupon]) -> list[str]:
    """One invoice per item discount below, among those whose lines name it (newest
    first): its lines, listed with their discounts' coupons expanded, resolve it."""
    wanted = {m.discount_id: m.subscription_item_id for m in missing if m.subscription_item_id}
    if not wanted:
        return []
    line, invoice = InvoiceLineRow, InvoiceRow
    rows = session.execute(
        select(line.invoice_id, line.discount_ids)
        .join(
            invoice, and_(invoice.workspace_id == line.workspace_id, invoice.id == line.invoice_id)
        )
        .where(line.workspace_id == ws, line.subscription_item_id.in_(set(wanted.values())))
        .order_by(invoice.created.desc(), invoice.id)
    ).all()
    chosen: list[str] = []
    left = set(wanted)
    for invoice_id, discount_ids in rows:
        named = left & set(discount_ids or ())
        if named:
            left -= named
            if invoice_id not in chosen:
                chosen.append(invoice_id)
    return chosen


def unresolved_by_customer(session: Session, ws: str) -> dict[str, list[str]]:
    """Coupon ids of unresolved discounts, per Stripe customer (the discount's own
    customer, else its subscription's)."""
    sub = SubscriptionRow
    stmt = (
        _missing_stmt(ws)
        .outerjoin(
            sub,
            and_(
                sub.workspace_id == DiscountRow.workspace_id, sub.id == DiscountRow.subscription_id
            ),
        )
        .with_only_columns(DiscountRow.coupon_id, DiscountRow.customer_id, sub.customer_id)
    )
    out: dict[str, set[str]] = defaultdict(set)
    for coupon_id, own, via_subscription in session.execute(stmt):
        customer = own or via_subscription
        if customer:
            out[customer].add(coupon_id)
    return {customer: sorted(ids) for customer, ids in out.items()}


def unresolved_coupon_ids(session: Session, ws: str) -> list[str]:
    """Every coupon id a stored discount names without the coupon being stored."""
    stmt = _missing_stmt(ws).with_only_columns(DiscountRow.coupon_id).distinct()
    return sorted(session.scalars(stmt))


@dataclass(frozen=True)
class UnresolvedCoupon:
    """A coupon no listing or expansion gave, and whom its discounts belong to."""

    coupon_id: str
    accounts: tuple[str, ...]  # account names (matched customers)
    customers: tuple[str, ...]  # customer names (or ids) with no account

    def to_json(self) -> dict[str, object]:
        return {
            "coupon": self.coupon_id,
            "accounts": list(self.accounts),
            "customers": list(self.customers),
        }


def unresolved_coupons(session: Session, ws: str) -> list[UnresolvedCoupon]:
    """Every unresolved coupon with the accounts (else customers) its discounts belong to;
    cheap when there are none (the usual case): one query over discounts."""
    by_customer = unresolved_by_customer(session, ws)
    if not by_customer:
        return [UnresolvedCoupon(c, (), ()) for c in unresolved_coupon_ids(session, ws)]
    match, account, customer = CustomerMatch, AccountRow, CustomerRow
    rows = session.execute(
        select(customer.id, customer.name, account.name)
        .outerjoin(
            match,
            and_(
                match.workspace_id == customer.workspace_id,
                match.customer_id == customer.id,
                match.outcome == "matched",
            ),
        )
        .outerjoin(account, and_(account.workspace_id == ws, account.id == match.account_id))
        .where(customer.workspace_id == ws, customer.id.in_(sorted(by_customer)))
    ).all()
    owner = {cid: (account_name, name or cid) for cid, name, account_name in rows}
    accounts: dict[str, set[str]] = defaultdict(set)
    customers: dict[str, set[str]] = defaultdict(set)
    for cid, coupon_ids in by_customer.items():
        account_name, customer_name = owner.get(cid, (None, cid))
        for coupon_id in coupon_ids:
            if account_name:
                accounts[coupon_id].add(account_name)
            else:
                customers[coupon_id].add(customer_name)
    return [
        UnresolvedCoupon(c, tuple(sorted(accounts[c])), tuple(sorted(customers[c])))
        for c in unresolved_coupon_ids(session, ws)
    ]
