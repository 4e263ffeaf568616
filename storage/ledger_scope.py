"""Which stored rows a ledger of a few customers needs: the scope of an incremental recompute.

A webhook batch or a catch-up page changes a few customers; their accounts'
figures are recomputed from a ``Ledger`` holding only what those figures read
(:func:`storage.ledger_reads.load_ledger` with ``scope=``): the customers,
their subscriptions (items, discounts) and invoices (lines), the discounts,
coupons, prices and products those name. Each table's filter is one SQL
condition (subqueries on the parent rows), so the load stays one statement per
table as for the whole workspace.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Table, or_, select

from storage.base import Base
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


def _table(model: type[Base]) -> Table:
    return model.__table__  # type: ignore[return-value]


class CustomerScope:
    """The rows of workspace ``ws`` that the objects of ``customer_ids`` need."""

    def __init__(self, ws: str, customer_ids: Collection[str]) -> None:
        self.ws = ws
        self.customer_ids = sorted(set(customer_ids))

    def _ids_of(self, model: type[Base], column: str, parent: ColumnElement[bool]) -> Any:
        table = _table(model)
        return select(table.c[column]).where(table.c.workspace_id == self.ws, parent)

    def _subscriptions(self) -> Any:
        subs = _table(SubscriptionRow)
        return self._ids_of(SubscriptionRow, "id", subs.c.customer_id.in_(self.customer_ids))

    def _invoices(self) -> Any:
        invoices = _table(InvoiceRow)
        return self._ids_of(InvoiceRow, "id", invoices.c.customer_id.in_(self.customer_ids))

    def _discounts(self) -> ColumnElement[bool]:
        discounts = _table(DiscountRow)
        return or_(
            discounts.c.customer_id.in_(self.customer_ids),
            discounts.c.subscription_id.in_(self._subscriptions()),
        )

    def _prices(self) -> ColumnElement[bool]:
        prices = _table(PriceRow)
        items = _table(SubscriptionItemRow)
        lines = _table(InvoiceLineRow)
        of_items = items.c.subscription_id.in_(self._subscriptions())
        of_lines = lines.c.invoice_id.in_(self._invoices())
        return or_(
            prices.c.id.in_(self._ids_of(SubscriptionItemRow, "price_id", of_items)),
            prices.c.id.in_(self._ids_of(InvoiceLineRow, "price_id", of_lines)),
        )

    def clause(self, model: type[Base]) -> ColumnElement[bool]:
        """The condition selecting the scope's rows of ``model`` (besides the workspace)."""
        table = _table(model)
        c = table.c
        if model is CustomerRow:
            return c.id.in_(self.customer_ids)
        if model in (SubscriptionRow, InvoiceRow):
            return c.customer_id.in_(self.customer_ids)
        if model is SubscriptionItemRow:
            return c.subscription_id.in_(self._subscriptions())
        if model is InvoiceLineRow:
            return c.invoice_id.in_(self._invoices())
        if model is DiscountRow:
            return self._discounts()
        if model is CouponRow:
            return c.id.in_(self._ids_of(DiscountRow, "coupon_id", self._discounts()))
        if model is PriceRow:
            return self._prices()
        if model is ProductRow:
            return c.id.in_(self._ids_of(PriceRow, "product_id", self._prices()))
        raise ValueError(f"no scope for {model.__name__}")
