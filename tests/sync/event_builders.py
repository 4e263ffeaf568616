"""Stripe-shaped objects and events for the event tests (current and pre-2025 shapes)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from storage.db import Database
from storage.models import InvoiceLineRow, StripeEvent
from storage.workspaces import ensure_workspace
from sync.client import StripeReadClient
from testkit.stripe_server import StripeTestServer

Obj = dict[str, Any]
T0 = 1_800_000_000  # 2027-01-15 08:00 UTC
NOW = datetime(2027, 2, 1, tzinfo=UTC)
_seq = itertools.count(1)


def at(offset: int = 0) -> datetime:
    return datetime.fromtimestamp(T0 + offset, tz=UTC)


def customer(cid: str = "cus_1", name: str = "Acme", email: str = "a@acme.io", **kw: Any) -> Obj:
    return {
        "id": cid,
        "object": "customer",
        "name": name,
        "email": email,
        "created": T0,
        "metadata": {},
        **kw,
    }


def product(pid: str = "prod_1", name: str = "Pro", **kw: Any) -> Obj:
    return {"id": pid, "object": "product", "name": name, "active": True, "created": T0, **kw}


def price(pid: str = "price_1", amount: int = 5000, **kw: Any) -> Obj:
    return {
        "id": pid,
        "object": "price",
        "currency": "usd",
        "product": "prod_1",
        "unit_amount": amount,
        "unit_amount_decimal": str(amount),
        "billing_scheme": "per_unit",
        "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
        "active": True,
        "created": T0,
        **kw,
    }


def subscription(
    sid: str = "sub_1",
    status: str = "active",
    quantity: int = 1,
    customer_id: str = "cus_1",
    **kw: Any,
) -> Obj:
    item = {
        "id": f"si_{sid}",
        "object": "subscription_item",
        "price": price(),
        "quantity": quantity,
        "current_period_start": T0,
        "current_period_end": T0 + 2592000,
        "created": T0,
        "discounts": [],
    }
    return {
        "id": sid,
        "object": "subscription",
        "customer": customer_id,
        "status": status,
        "currency": "usd",
        "created": T0,
        "start_date": T0,
        "cancel_at_period_end": False,
        "collection_method": "charge_automatically",
        "discounts": [],
        "metadata": {},
        "items": {"object": "list", "data": [item], "has_more": False},
        **kw,
    }


def legacy_subscription(sid: str = "sub_old", status: str = "active") -> Obj:
    """Pre-2025 shape: periods and a ``plan`` on the subscription, single ``discount``."""
    plan = {
        "id": "plan_old",
        "object": "plan",
        "currency": "usd",
        "amount": 2000,
        "interval": "month",
        "interval_count": 1,
        "usage_type": "licensed",
        "product": "prod_1",
    }
    item = {
        "id": "si_old",
        "object": "subscription_item",
        "plan": plan,
        "price": None,
        "quantity": 3,
        "created": T0,
    }
    return {
        "id": sid,
        "object": "subscription",
        "customer": "cus_1",
        "status": status,
        "currency": "usd",
        "created": T0,
        "current_period_start": T0,
        "current_period_end": T0 + 2592000,
        "plan": plan,
        "metadata": {},
        "discount": {
            "id": "di_old",
            "object": "discount",
            "start": T0,
            "end": None,
            "coupon": {
                "id": "co_old",
                "object": "coupon",
                "duration": "forever",
                "percent_off": 10,
            },
        },
        "items": {"object": "list", "data": [item], "has_more": False},
    }


def line(lid: str, amount: int = 5000, legacy: bool = False, sub: str = "sub_1") -> Obj:
    if legacy:
        return {
            "id": lid,
            "object": "line_item",
            "amount": amount,
            "currency": "usd",
            "type": "subscription",
            "subscription": sub,
            "subscription_item": f"si_{sub}",
            "proration": False,
            "quantity": 1,
            "period": {"start": T0, "end": T0 + 2592000},
            "price": {"id": "price_legacy", "object": "price", "unit_amount_decimal": "5000"},
            "plan": {"id": "price_legacy", "object": "plan"},
        }
    return {
        "id": lid,
        "object": "line_item",
        "amount": amount,
        "currency": "usd",
        "period": {"start": T0, "end": T0 + 2592000},
        "quantity": 1,
        "pricing": {
            "type": "price_details",
            "unit_amount_decimal": str(amount),
            "price_details": {"price": "price_1", "product": "prod_1"},
        },
        "parent": {
            "type": "subscription_item_details",
            "subscription_item_details": {
                "subscription": sub,
                "proration": False,
                "subscription_item": f"si_{sub}",
            },
        },
    }


def invoice(
    iid: str = "in_1",
    status: str = "open",
    lines: int = 1,
    shown: int | None = None,
    legacy: bool = False,
    **kw: Any,
) -> Obj:
    all_lines = [line(f"il_{iid}_{n}", legacy=legacy) for n in range(lines)]
    embedded = all_lines[: shown if shown is not None else min(lines, 10)]
    obj: Obj = {
        "id": iid,
        "object": "invoice",
        "customer": "cus_1",
        "status": status,
        "currency": "usd",
        "created": T0,
        "amount_due": 5000 * lines,
        "amount_paid": 5000 * lines if status == "paid" else 0,
        "amount_remaining": 0 if status == "paid" else 5000 * lines,
        "total": 5000 * lines,
        "subtotal": 5000 * lines,
        "discounts": [],
        "status_transitions": {},
        "collection_method": "charge_automatically",
        "lines": {
            "object": "list",
            "data": embedded,
            "has_more": len(embedded) < len(all_lines),
            "url": f"/v1/invoices/{iid}/lines",
        },
        **kw,
    }
    if legacy:
        obj["subscription"] = "sub_1"
    else:
        obj["parent"] = {
            "type": "subscription_details",
            "subscription_details": {"subscription": "sub_1"},
        }
    obj["_all_lines"] = all_lines  # the test server's store; stripped when rendered
    return obj


def event(type_: str, obj: Obj, offset: int = 0, eid: str | None = None, **kw: Any) -> Obj:
    wire = {k: v for k, v in obj.items() if not k.startswith("_")}
    return {
        "id": eid or f"evt_{next(_seq):06d}",
        "object": "event",
        "type": type_,
        "created": T0 + offset,
        "api_version": "2026-10-28.endive",
        "data": {"object": wire, **kw},
        "livemode": False,
    }


def make_workspaces(db: Database, *ids: str) -> None:
    with db.session() as session:
        for ws in ids or ("ws_a",):
            ensure_workspace(session, ws, NOW)


def client_for(server: StripeTestServer) -> StripeReadClient:
    return StripeReadClient("sk_test_events", api_base=server.url, rate_limit=None, max_retries=0)


def row(db: Database, model: Any, ws: str, oid: str) -> Any:
    with db.session() as session:
        return session.get(model, (ws, oid))


def lines_of(db: Database, ws: str, invoice_id: str) -> list[str]:
    with db.session() as session:
        return list(
            session.execute(
                select(InvoiceLineRow.id)
                .where(InvoiceLineRow.workspace_id == ws, InvoiceLineRow.invoice_id == invoice_id)
                .order_by(InvoiceLineRow.id)
            ).scalars()
        )


def event_rows(db: Database, ws: str) -> list[StripeEvent]:
    with db.session() as session:
        return list(
            session.execute(
                select(StripeEvent)
                .where(StripeEvent.workspace_id == ws)
                .order_by(StripeEvent.created, StripeEvent.id)
            ).scalars()
        )
