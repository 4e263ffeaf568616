"""What a sync of the shared world must store, read straight from its current-shape files.

These extractors read the world JSON by hand (not through ``sync.readers``), so
the acceptance tests check the readers, the client and storage together. The
``stored_*`` twins turn the ledger read back from the database into the same
plain facts.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from billing.ledger import Ledger
from billing.models import Invoice, InvoiceLine, Subscription
from storage.ledger_reads import load_ledger
from tests.acceptance.flow import Flow
from tests.support.world import WORLD

Obj = dict[str, Any]
META = json.loads((WORLD / "world.json").read_text())
WINDOW_START = datetime.fromisoformat(META["window_start"].replace("Z", "+00:00"))


@cache
def world(name: str) -> list[Obj]:
    """One resource of the current-shape world files (cached: do not mutate)."""
    return json.loads((WORLD / "stripe" / f"{name}.json").read_text())  # type: ignore[no-any-return]


@cache
def truth() -> dict[str, Any]:
    return json.loads((WORLD / "truth.json").read_text())  # type: ignore[no-any-return]


def when(value: Any) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(int(value), tz=UTC)


def stored_ledger(flow: Flow) -> Ledger:
    with flow.db.session() as session:
        return load_ledger(session, "local", WINDOW_START)


# --- the window rule (SPEC §7b "Synced data") ------------------------------------------


def subscription_in_window(sub: Obj) -> bool:
    """Created in the window, or not ended before it starts."""
    ended = when(sub.get("ended_at"))
    return when(sub["created"]) >= WINDOW_START or ended is None or ended >= WINDOW_START  # type: ignore[operator]


def invoice_in_window(invoice: Obj) -> bool:
    return when(invoice["created"]) >= WINDOW_START  # type: ignore[operator]


# --- subscriptions ---------------------------------------------------------------------


def _discount_ids(values: Any) -> list[str]:
    return sorted(v["id"] if isinstance(v, dict) else v for v in values or ())


def all_items(sub: Obj) -> list[Obj]:
    return list(sub.get("_all_items") or sub["items"]["data"])


def subscription_facts(sub: Obj) -> Obj:
    return {
        "customer": sub["customer"],
        "status": sub["status"],
        "currency": sub["currency"].upper(),
        "created": when(sub["created"]),
        "start_date": when(sub.get("start_date")),
        "ended_at": when(sub.get("ended_at")),
        "canceled_at": when(sub.get("canceled_at")),
        "cancel_at": when(sub.get("cancel_at")),
        "cancel_at_period_end": bool(sub.get("cancel_at_period_end")),
        "trial_end": when(sub.get("trial_end")),
        "paused": sub.get("pause_collection") is not None,
        "collection_method": sub["collection_method"],
        "discounts": _discount_ids(sub.get("discounts")),
        "items": [
            (
                i["id"],
                i["price"]["id"],
                1 if i.get("quantity") is None else i["quantity"],
                when(i["current_period_start"]),
                when(i["current_period_end"]),
                _discount_ids(i.get("discounts")),
            )
            for i in all_items(sub)
        ],
    }


def stored_subscription_facts(sub: Subscription) -> Obj:
    return {
        "customer": sub.customer_id,
        "status": sub.status,
        "currency": sub.currency,
        "created": sub.created,
        "start_date": sub.start_date,
        "ended_at": sub.ended_at,
        "canceled_at": sub.canceled_at,
        "cancel_at": sub.cancel_at,
        "cancel_at_period_end": sub.cancel_at_period_end,
        "trial_end": sub.trial_end,
        "paused": sub.pause_collection is not None,
        "collection_method": sub.collection_method,
        "discounts": sorted(d.id for d in sub.discounts),
        "items": [
            (
                i.id,
                i.price.id,
                i.quantity,
                i.current_period_start,
                i.current_period_end,
                sorted(d.id for d in i.discounts),
            )
            for i in sub.items
        ],
    }


# --- invoices ----------------------------------------------------------------------------


def all_lines(invoice: Obj) -> list[Obj]:
    return list(invoice.get("_all_lines") or invoice["lines"]["data"])


def line_details(line: Obj) -> tuple[str, Obj]:
    """("subscription" | "invoiceitem", the parent details of a current-shape line)."""
    parent = line["parent"]
    if parent.get("subscription_item_details"):
        return "subscription", parent["subscription_item_details"]
    return "invoiceitem", parent.get("invoice_item_details") or {}


def line_facts(line: Obj) -> Obj:
    kind, details = line_details(line)
    facts: Obj = {
        "id": line["id"],
        "kind": kind,
        "amount": line["amount"],
        "currency": line["currency"].upper(),
        "price": line["pricing"]["price_details"]["price"],
        "quantity": line.get("quantity"),
        "period": (when(line["period"]["start"]), when(line["period"]["end"])),
        "proration": bool(details.get("proration")),
        "discount_amounts": [(d["amount"], d["discount"]) for d in line["discount_amounts"]],
        "discounts": _discount_ids(line.get("discounts")),
    }
    if kind == "subscription":
        facts["subscription"] = details["subscription"]
        facts["subscription_item"] = details["subscription_item"]
    return facts


def stored_line_facts(line: InvoiceLine) -> Obj:
    facts: Obj = {
        "id": line.id,
        "kind": line.kind,
        "amount": line.amount,
        "currency": line.currency,
        "price": line.price_id,
        "quantity": line.quantity,
        "period": (line.period_start, line.period_end),
        "proration": line.proration,
        "discount_amounts": [(d.amount, d.discount_id) for d in line.discount_amounts],
        "discounts": sorted(line.discount_ids),
    }
    if line.kind == "subscription":
        facts["subscription"] = line.subscription_id
        facts["subscription_item"] = line.subscription_item_id
    return facts


def invoice_facts(invoice: Obj) -> Obj:
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    transitions = invoice["status_transitions"]
    return {
        "customer": invoice["customer"],
        "subscription": details.get("subscription"),
        "status": invoice["status"],
        "currency": invoice["currency"].upper(),
        "created": when(invoice["created"]),
        "collection_method": invoice["collection_method"],
        "number": invoice.get("number"),
        "amounts": tuple(
            invoice[k]
            for k in (
                "amount_due",
                "amount_paid",
                "amount_remaining",
                "post_payment_credit_notes_amount",
                "subtotal",
                "total",
            )
        ),
        "tax": sum(t["amount"] for t in invoice.get("total_taxes") or ()),
        "due_date": when(invoice.get("due_date")),
        "finalized_at": when(transitions.get("finalized_at")),
        "paid_at": when(transitions.get("paid_at")),
        "attempts": (bool(invoice["attempted"]), invoice["attempt_count"]),
        "discounts": _discount_ids(invoice.get("discounts")),
        "lines": [line_facts(line) for line in all_lines(invoice)],
    }


def stored_invoice_facts(invoice: Invoice) -> Obj:
    return {
        "customer": invoice.customer_id,
        "subscription": invoice.subscription_id,
        "status": invoice.status,
        "currency": invoice.currency,
        "created": invoice.created,
        "collection_method": invoice.collection_method,
        "number": invoice.number,
        "amounts": (
            invoice.amount_due,
            invoice.amount_paid,
            invoice.amount_remaining,
            invoice.post_payment_credit_notes_amount,
            invoice.subtotal,
            invoice.total,
        ),
        "tax": invoice.tax,
        "due_date": invoice.due_date,
        "finalized_at": invoice.finalized_at,
        "paid_at": invoice.paid_at,
        "attempts": (invoice.attempted, invoice.attempt_count),
        "discounts": sorted(invoice.discount_ids),
        "lines": [stored_line_facts(line) for line in invoice.lines],
    }


# --- catalogue and customers ---------------------------------------------------------------


def price_facts(price: Obj) -> Obj:
    recurring = price.get("recurring") or {}
    unit = price.get("unit_amount_decimal")
    return {
        "currency": price["currency"].upper(),
        "product": price["product"],
        "unit_amount_decimal": None if unit is None else Decimal(unit),
        "interval": recurring.get("interval"),
        "interval_count": recurring.get("interval_count"),
        "usage_type": recurring.get("usage_type"),
        "lookup_key": price.get("lookup_key"),
        "nickname": price.get("nickname"),
        "tiers": len(price.get("tiers") or ()),
    }


def stored_price_facts(ledger: Ledger, price_id: str) -> Obj:
    p = ledger.prices[price_id]
    return {
        "currency": p.currency,
        "product": p.product_id,
        "unit_amount_decimal": p.unit_amount_decimal,
        "interval": p.recurring.interval if p.recurring else None,
        "interval_count": p.recurring.interval_count if p.recurring else None,
        "usage_type": p.recurring.usage_type if p.recurring else None,
        "lookup_key": p.lookup_key,
        "nickname": p.nickname,
        "tiers": len(p.tiers),
    }
