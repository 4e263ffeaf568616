"""A small ``Ledger`` around a few customers: what signals need before and after a batch.

Deriving signals for a webhook batch compares the touched objects before and
after it is applied (``billing.signals.derive_signals``). Loading the whole
workspace twice per batch would cost seconds at 10k accounts, so this loads
only the *scope*: the given customers, every customer of the accounts they
belong to (``new_customer`` looks at the whole account), their subscriptions
(items, discounts, prices, products) and their invoices (without lines:
no signal rule reads them).

Objects of a customer not stored yet (a subscription or invoice whose
``customer.created`` has not arrived) are left out of a scope: they become
visible, all at once, in the batch that stores and matches their customer, so
the signals they make name the customer's account.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.orm import Session

from billing.ledger import Ledger
from billing.models import (
    Account,
    Coupon,
    Customer,
    Discount,
    Invoice,
    PauseCollection,
    Price,
    Product,
    Recurring,
    Subscription,
    SubscriptionItem,
    Tier,
    TransformQuantity,
)
from storage.models import (
    AccountRow,
    CouponRow,
    CustomerMatch,
    CustomerRow,
    DiscountRow,
    InvoiceRow,
    PriceRow,
    ProductRow,
    SubscriptionItemRow,
    SubscriptionRow,
)
from storage.types import text_decimal

CHUNK = 500
_INVOICE_SKIP = {"lines", "discount_ids"}
_SUB_SKIP = {"items", "discounts", "pause_collection", "metadata"}


def scope_customers(session: Session, workspace_id: str, customer_ids: Iterable[str]) -> set[str]:
    """``customer_ids`` plus every customer matched to the same accounts."""
    wanted = set(customer_ids)
    if not wanted:
        return set()
    accounts = set(_account_of(session, workspace_id, wanted).values())
    if not accounts:
        return wanted
    rows = _rows(session, CustomerMatch, workspace_id, CustomerMatch.account_id, sorted(accounts))
    return wanted | {r.customer_id for r in rows if r.outcome == "matched"}


def load_scope(
    session: Session, workspace_id: str, customer_ids: set[str], window_start: datetime
) -> Ledger:
    """The scope's objects as a Ledger (accounts and mapping included)."""
    ids = sorted(customer_ids)
    mapping = _account_of(session, workspace_id, set(ids))
    ledger = Ledger(window_start=window_start, customer_accounts=mapping)
    ledger.accounts = _accounts(session, workspace_id, set(mapping.values()))
    ledger.customers = {
        r.id: Customer(
            r.id, r.name, r.email, dict(r.metadata_ or {}), r.created, r.currency, r.deleted
        )
        for r in _rows(session, CustomerRow, workspace_id, CustomerRow.id, ids)
    }
    known = sorted(ledger.customers)  # objects of customers not stored yet wait for them
    subs = _rows(session, SubscriptionRow, workspace_id, SubscriptionRow.customer_id, known)
    items = _rows(
        session,
        SubscriptionItemRow,
        workspace_id,
        SubscriptionItemRow.subscription_id,
        [s.id for s in subs],
    )
    ledger.prices = _prices(session, workspace_id, {i.price_id for i in items})
    ledger.products = {
        p.id: Product(p.id, p.name, p.active, p.deleted)
        for p in _rows(
            session,
            ProductRow,
            workspace_id,
            ProductRow.id,
            sorted({p.product_id for p in ledger.prices.values() if p.product_id}),
        )
    }
    by_sub, by_item = _discounts(session, workspace_id, [s.id for s in subs])
    ledger.subscriptions = {
        s.id: _subscription(s, items, ledger.prices, by_sub, by_item) for s in subs
    }
    invoices = _rows(session, InvoiceRow, workspace_id, InvoiceRow.customer_id, known)
    ledger.invoices = {i.id: _invoice(i) for i in invoices}
    return ledger


def merged(first: Ledger, second: Ledger) -> Ledger:
    """One ledger holding both scopes (``second`` wins where both hold an object)."""
    out = Ledger(
        window_start=first.window_start,
        customer_accounts={**first.customer_accounts, **second.customer_accounts},
    )
    out.accounts = {**first.accounts, **second.accounts}
    out.customers = {**first.customers, **second.customers}
    out.prices = {**first.prices, **second.prices}
    out.products = {**first.products, **second.products}
    out.subscriptions = {**first.subscriptions, **second.subscriptions}
    out.invoices = {**first.invoices, **second.invoices}
    return out


# -- queries ----------------------------------------------------------------------------
def _rows(session: Session, model: Any, ws: str, column: Any, values: Iterable[str]) -> list[Any]:
    """Rows of ``model`` whose ``column`` is one of ``values``, as plain result rows.

    Core rows (attributes named as on the model), not ORM objects: no identity
    map to refresh after Core writes, and the statement is built once.
    """
    wanted = list(values)
    if not wanted:
        return []
    stmt = _by_column(model, column.key)
    connection = session.connection()
    out: list[Any] = []
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        out.extend(connection.execute(stmt, {"ws": ws, "ids": chunk}))
    return out


@lru_cache(maxsize=64)
def _by_column(model: Any, key: str) -> Select[Any]:
    """``SELECT <every column, labelled as the model's attribute> WHERE ws AND key IN ids``."""
    mapper = inspect(model)
    table = model.__table__
    columns = [attr.columns[0].label(attr.key) for attr in mapper.column_attrs]
    return select(*columns).where(
        table.c.workspace_id == bindparam("ws"),
        mapper.column_attrs[key].columns[0].in_(bindparam("ids", expanding=True)),
    )


def _account_of(session: Session, ws: str, customer_ids: set[str]) -> dict[str, str]:
    rows = _rows(session, CustomerMatch, ws, CustomerMatch.customer_id, sorted(customer_ids))
    return {r.customer_id: r.account_id for r in rows if r.outcome == "matched" and r.account_id}


def _accounts(session: Session, ws: str, ids: set[str]) -> dict[str, Account]:
    return {
        a.id: Account(a.id, a.name, a.domain, a.external_id, tuple(a.aliases or ()), a.owner)
        for a in _rows(session, AccountRow, ws, AccountRow.id, sorted(ids))
    }


def _prices(session: Session, ws: str, ids: set[str]) -> dict[str, Price]:
    out: dict[str, Price] = {}
    for p in _rows(session, PriceRow, ws, PriceRow.id, sorted(ids)):
        out[p.id] = Price(
            id=p.id,
            currency=p.currency,
            product_id=p.product_id,
            billing_scheme=p.billing_scheme,
            unit_amount_decimal=text_decimal(p.unit_amount_decimal),
            tiers_mode=p.tiers_mode,
            tiers=tuple(
                Tier(
                    tier["up_to"],
                    text_decimal(tier.get("unit_amount_decimal")),
                    text_decimal(tier.get("flat_amount_decimal")),
                )
                for tier in p.tiers or ()
            ),
            recurring=(
                Recurring(p.interval, p.interval_count or 1, p.usage_type or "licensed")
                if p.interval
                else None
            ),
            transform_quantity=(
                TransformQuantity(p.transform_divide_by, p.transform_round or "up")
                if p.transform_divide_by
                else None
            ),
            lookup_key=p.lookup_key,
            nickname=p.nickname,
            active=p.active,
            created=p.created,
        )
    return out


_Attached = dict[str, list[Discount]]


def _discounts(session: Session, ws: str, sub_ids: list[str]) -> tuple[_Attached, _Attached]:
    """Attached discounts by subscription and by item, in their stored order."""
    rows = [
        d
        for d in _rows(session, DiscountRow, ws, DiscountRow.subscription_id, sub_ids)
        if d.attached
    ]
    coupons = {
        c.id: Coupon(
            c.id,
            c.duration,
            text_decimal(c.percent_off),
            c.amount_off,
            c.currency,
            c.duration_in_months,
        )
        for c in _rows(session, CouponRow, ws, CouponRow.id, sorted({d.coupon_id for d in rows}))
    }
    by_sub: _Attached = defaultdict(list)
    by_item: _Attached = defaultdict(list)
    for d in sorted(rows, key=lambda d: (d.position or 0, d.start is None, d.start, d.id)):
        coupon = coupons.get(d.coupon_id) or Coupon.unknown(d.coupon_id)
        discount = Discount(
            d.id, coupon, d.start, d.end, d.customer_id, d.subscription_id, d.subscription_item_id
        )
        if d.subscription_item_id:
            by_item[d.subscription_item_id].append(discount)
        elif d.subscription_id:
            by_sub[d.subscription_id].append(discount)
    return by_sub, by_item


def _subscription(
    row: SubscriptionRow,
    items: list[SubscriptionItemRow],
    prices: dict[str, Price],
    by_sub: _Attached,
    by_item: _Attached,
) -> Subscription:
    own = sorted((i for i in items if i.subscription_id == row.id), key=lambda i: i.position)
    values = {f.name: getattr(row, f.name) for f in fields(Subscription) if f.name not in _SUB_SKIP}
    return Subscription(
        **values,
        items=tuple(
            SubscriptionItem(
                id=i.id,
                price=prices.get(i.price_id) or Price(id=i.price_id, currency=""),
                quantity=i.quantity,
                current_period_start=i.current_period_start,
                current_period_end=i.current_period_end,
                discounts=tuple(by_item.get(i.id, ())),
                created=i.created,
            )
            for i in own
        ),
        discounts=tuple(by_sub.get(row.id, ())),
        pause_collection=(
            PauseCollection(row.pause_behavior, row.pause_resumes_at)
            if row.pause_behavior
            else None
        ),
        metadata=dict(row.metadata_ or {}),
    )


def _invoice(row: InvoiceRow) -> Invoice:
    values = {f.name: getattr(row, f.name) for f in fields(Invoice) if f.name not in _INVOICE_SKIP}
    return Invoice(**values, discount_ids=tuple(row.discount_ids or ()))
