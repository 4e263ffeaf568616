"""Coupons a discount names but no listing gave: expanded where Stripe allows it.

Coupons are listed in full (``/v1/coupons``) and joined to discounts by id. A
coupon deleted in Stripe no longer lists; subscription- and invoice-level
discounts expand theirs from the lists already read (``…discounts.source.coupon``,
4 levels). An item discount's coupon would be 6 levels down a subscription or
invoice list, past Stripe's limit of 4, so for those still unknown this asks
the one list that reaches them within 4 levels: the subscription's items
(``/v1/subscription_items?expand[]=data.discounts.source.coupon``), or, for an
item discount no longer attached, the lines of one invoice that names it. Only
discounts on deleted coupons cost a request; none is ever guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from billing.models import Coupon
from storage.coupons import MissingCoupon, invoices_naming, missing_coupons
from storage.stripe_objects import upsert_coupons
from sync.event_fetch import StripeReader
from sync.readers import discount_coupon, read_coupon

Obj = dict[str, Any]
T = TypeVar("T")
COUPON_EXPAND = ["data.discounts.source.coupon"]


def expanded_coupons(objects: Iterable[Obj]) -> Iterator[Coupon]:
    """The coupons expanded in these objects' ``discounts`` (items, lines, invoices…)."""
    for obj in objects:
        for discount in obj.get("discounts") or ():
            coupon = discount_coupon(discount) if isinstance(discount, dict) else None
            if isinstance(coupon, dict):
                yield read_coupon(coupon)


def item_coupons(reader: StripeReader, subscription_id: str) -> list[Coupon]:
    params = {"subscription": subscription_id, "expand": COUPON_EXPAND}
    return list(expanded_coupons(reader.list_all("/v1/subscription_items", params)))


def line_coupons(reader: StripeReader, invoice_id: str) -> list[Coupon]:
    path = f"/v1/invoices/{invoice_id}/lines"
    return list(expanded_coupons(reader.list_all(path, {"expand": COUPON_EXPAND})))


Transact = Callable[[Callable[[Session], T]], T]


def resolve_missing_coupons(
    transact: Transact[Any],
    ws: str,
    reader: StripeReader | None,
    *,
    subscription_id: str | None = None,
) -> list[str]:
    """Expand the coupons of stored item discounts no listing resolved (only those of
    ``subscription_id`` when given), one list at a time: a list resolves every discount
    on the same coupon. ``transact`` runs a unit of work in a transaction (no request is
    made inside one). Returns the coupon ids still unknown afterwards."""
    asked: set[str] = set()
    while True:
        missing: list[MissingCoupon] = transact(
            lambda session: missing_coupons(session, ws, subscription_id)
        )
        if reader is None or not missing:
            return sorted({m.coupon_id for m in missing})
        on_items = [
            m.subscription_id
            for m in missing
            if m.attached and m.subscription_item_id and m.subscription_id
        ]
        pending = [s for s in on_items if f"sub:{s}" not in asked]
        if pending:
            asked.add(f"sub:{pending[0]}")
            found = item_coupons(reader, pending[0])
        else:
            named: list[str] = transact(partial(invoices_naming, ws=ws, missing=missing))
            invoices = [i for i in named if f"in:{i}" not in asked]
            if not invoices:
                return sorted({m.coupon_id for m in missing})
            asked.add(f"in:{invoices[0]}")
            found = line_coupons(reader, invoices[0])
        transact(partial(upsert_coupons, ws=ws, coupons=found))


def within(session: Session) -> Transact[Any]:
    """``transact`` for work already inside ``session``'s transaction (applying an event)."""
    return lambda work: work(session)
