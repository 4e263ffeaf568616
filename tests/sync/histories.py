"""Random billing histories as Stripe would send them: customers, subscriptions, invoices.

A history is a list of events in the order Stripe created them (``created``
non-decreasing, same-second ties included), over a few customers on shared,
personal and changing email domains, their subscriptions (seat changes, plan
changes, past_due, scheduled and immediate cancels, trials) and invoices (paid,
failed, overdue, void), plus a product rename. Delivering a permutation of it
in batches exercises every ordering the webhook queue and catch-up can see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from tests.sync.event_builders import T0

Obj = dict[str, Any]
DAY = 86400
MONTH = 30 * DAY
# Enough history that the window holds several month ends.
START = T0 - 200 * DAY

EMAILS = (
    "ops@acme.io",
    "billing@acme.io",
    "it@beta.com",
    "jo@gmail.com",
    "ann@gamma.org",
    None,
)
NAMES = ("Acme", "ACME Inc", "Beta", "Gamma Group", "Jo Doe", None)
PRICES = {
    "price_seat": ("usd", 2500, "month"),
    "price_pro": ("usd", 9900, "month"),
    "price_year": ("usd", 120000, "year"),
    "price_eur": ("eur", 4000, "month"),
}


def product_obj(name: str = "Pro") -> Obj:
    return {"id": "prod_1", "object": "product", "name": name, "active": True, "created": START}


def price_obj(price_id: str) -> Obj:
    currency, amount, interval = PRICES[price_id]
    return {
        "id": price_id,
        "object": "price",
        "currency": currency,
        "product": "prod_1",
        "unit_amount": amount,
        "unit_amount_decimal": str(amount),
        "billing_scheme": "per_unit",
        "recurring": {"interval": interval, "interval_count": 1, "usage_type": "licensed"},
        "active": True,
        "created": START,
    }


@dataclass
class Sub:
    id: str
    customer: str
    price: str
    quantity: int
    start: int
    status: str = "active"
    cancel_at_period_end: bool = False
    canceled_at: int | None = None
    ended_at: int | None = None
    trial_end: int | None = None

    def period(self, at: int) -> tuple[int, int]:
        length = 365 * DAY if PRICES[self.price][2] == "year" else MONTH
        anchor = self.trial_end or self.start
        if at < anchor:
            return self.start, anchor
        cycles = (at - anchor) // length
        return anchor + cycles * length, anchor + (cycles + 1) * length

    def obj(self, at: int) -> Obj:
        start, end = self.period(at)
        item = {
            "id": f"si_{self.id}",
            "object": "subscription_item",
            "price": price_obj(self.price),
            "quantity": self.quantity,
            "current_period_start": start,
            "current_period_end": end,
            "created": self.start,
            "discounts": [],
        }
        return {
            "id": self.id,
            "object": "subscription",
            "customer": self.customer,
            "status": self.status,
            "currency": PRICES[self.price][0],
            "created": self.start,
            "start_date": self.start,
            "cancel_at_period_end": self.cancel_at_period_end,
            "canceled_at": self.canceled_at,
            "ended_at": self.ended_at,
            "trial_start": self.start if self.trial_end else None,
            "trial_end": self.trial_end,
            "collection_method": "charge_automatically",
            "discounts": [],
            "metadata": {},
            "items": {"object": "list", "data": [item], "has_more": False},
        }


def invoice_obj(
    sub: Sub,
    invoice_id: str,
    at: int,
    status: str,
    attempts: int,
    *,
    send_invoice: bool = False,
) -> Obj:
    currency, amount, _ = PRICES[sub.price]
    total = amount * sub.quantity
    start, end = sub.period(at)
    line = {
        "id": f"il_{invoice_id}",
        "object": "line_item",
        "amount": total,
        "currency": currency,
        "period": {"start": start, "end": end},
        "quantity": sub.quantity,
        "pricing": {
            "type": "price_details",
            "unit_amount_decimal": str(amount),
            "price_details": {"price": sub.price, "product": "prod_1"},
        },
        "parent": {
            "type": "subscription_item_details",
            "subscription_item_details": {
                "subscription": sub.id,
                "proration": False,
                "subscription_item": f"si_{sub.id}",
            },
        },
    }
    paid = status == "paid"
    return {
        "id": invoice_id,
        "object": "invoice",
        "customer": sub.customer,
        "status": status,
        "currency": currency,
        "created": at,
        "amount_due": total,
        "amount_paid": total if paid else 0,
        "amount_remaining": 0 if paid or status == "void" else total,
        "total": total,
        "subtotal": total,
        "attempted": attempts > 0,
        "attempt_count": attempts,
        "discounts": [],
        "due_date": at + 7 * DAY if send_invoice else None,
        "status_transitions": {"finalized_at": at, "paid_at": at + 60 if paid else None},
        "collection_method": "send_invoice" if send_invoice else "charge_automatically",
        "lines": {"object": "list", "data": [line], "has_more": False},
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": sub.id},
        },
    }


class Builder:
    """Accumulates events with non-decreasing ``created``."""

    def __init__(self) -> None:
        self.events: list[Obj] = []
        self.clock = START

    def emit(self, type_: str, obj: Obj, step: int) -> None:
        self.clock += step
        self.events.append(
            {
                "id": f"evt_{len(self.events):04d}",
                "object": "event",
                "type": type_,
                "created": self.clock,
                "api_version": "2026-10-28.endive",
                "livemode": False,
                "data": {"object": obj},
            }
        )


def customer_obj(cid: str, name: str | None, email: str | None, client_id: str | None) -> Obj:
    return {
        "id": cid,
        "object": "customer",
        "name": name,
        "email": email,
        "created": START,
        "metadata": {"client_id": client_id} if client_id else {},
    }


@st.composite
def histories(draw: st.DrawFn) -> list[Obj]:
    """One history: catalog first, then customers and their billing, interleaved."""
    b = Builder()
    b.emit("product.created", product_obj(), 0)
    for price_id in PRICES:
        b.emit("price.created", price_obj(price_id), 0)
    gaps = st.sampled_from((0, 0, 1, 3600, 5 * DAY))  # 0: same-second ties
    subs: list[Sub] = []
    count = draw(st.integers(1, 5))
    for n in range(count):
        cid = f"cus_{n}"
        email = draw(st.sampled_from(EMAILS))
        client_id = draw(st.sampled_from((None, None, "EXT-1", "EXT-2")))
        b.emit(
            "customer.created",
            customer_obj(cid, draw(st.sampled_from(NAMES)), email, client_id),
            draw(gaps),
        )
        for k in range(draw(st.integers(0, 2))):
            sub = Sub(
                f"sub_{n}_{k}",
                cid,
                draw(st.sampled_from(sorted(PRICES))),
                draw(st.integers(1, 4)),
                start=b.clock,
                trial_end=b.clock + 14 * DAY if draw(st.booleans()) and k == 0 else None,
            )
            if sub.trial_end:
                sub.status = "trialing"
            subs.append(sub)
            b.emit("customer.subscription.created", sub.obj(b.clock), draw(gaps))
    steps = draw(st.lists(st.integers(0, 9), max_size=12))
    for number, step in enumerate(steps):
        if not subs:
            break
        sub = subs[draw(st.integers(0, len(subs) - 1))]
        _change(b, sub, step, number, draw(gaps), draw)
    if draw(st.booleans()):
        b.emit("product.updated", product_obj("Pro Plus"), draw(gaps))
    return b.events


def _change(b: Builder, sub: Sub, step: int, number: int, gap: int, draw: st.DrawFn) -> None:
    """One billing change of ``sub`` (its invoice or subscription event)."""
    at = b.clock + gap
    invoice_id = f"in_{sub.id}_{number}"
    if step == 0:  # paid renewal
        b.emit("invoice.paid", invoice_obj(sub, invoice_id, at, "paid", 1), gap)
    elif step == 1:  # failed renewal, then maybe recovered
        sub.status = "past_due"
        b.emit("invoice.payment_failed", invoice_obj(sub, invoice_id, at, "open", 1), gap)
        b.emit("customer.subscription.updated", sub.obj(b.clock), 0)
        if draw(st.booleans()):
            sub.status = "active"
            b.emit("invoice.paid", invoice_obj(sub, invoice_id, b.clock, "paid", 2), 60)
            b.emit("customer.subscription.updated", sub.obj(b.clock), 0)
    elif step == 2:  # seat change
        sub.quantity = max(1, sub.quantity + draw(st.sampled_from((-2, -1, 1, 3))))
        b.emit("customer.subscription.updated", sub.obj(at), gap)
    elif step == 3:  # plan change
        sub.price = draw(st.sampled_from(sorted(p for p in PRICES if p != "price_eur")))
        if PRICES[sub.price][0] != "usd":
            return
        b.emit("customer.subscription.updated", sub.obj(at), gap)
    elif step == 4:  # scheduled cancel (or undo)
        sub.cancel_at_period_end = not sub.cancel_at_period_end
        sub.canceled_at = at if sub.cancel_at_period_end else None
        b.emit("customer.subscription.updated", sub.obj(at), gap)
    elif step == 5:  # immediate cancel
        sub.status, sub.canceled_at, sub.ended_at = "canceled", at, at
        b.emit("customer.subscription.deleted", sub.obj(at), gap)
    elif step == 6:  # overdue send_invoice invoice
        obj = invoice_obj(sub, invoice_id, at - 30 * DAY, "open", 0, send_invoice=True)
        b.emit("invoice.finalized", obj, gap)
    elif step == 7:  # customer moves domain or is renamed
        cid = sub.customer
        email = draw(st.sampled_from(EMAILS))
        b.emit(
            "customer.updated", customer_obj(cid, draw(st.sampled_from(NAMES)), email, None), gap
        )
    elif step == 8:  # voided or written-off invoice
        status = draw(st.sampled_from(("void", "uncollectible")))
        b.emit(
            f"invoice.{'voided' if status == 'void' else 'marked_uncollectible'}",
            invoice_obj(sub, invoice_id, at, status, 1),
            gap,
        )
    else:  # customer deleted
        b.emit("customer.deleted", {"id": sub.customer, "object": "customer", "deleted": True}, gap)
