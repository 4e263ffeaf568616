"""Applying one Stripe event to storage (webhook queue and Events catch-up alike).

Handled: ``customer.*``, ``customer.subscription.*``, ``invoice.*``,
``product.*`` and ``price.*`` whose object is a customer, subscription,
invoice, product or price (plus ``customer.discount.*`` and
``credit_note.*``, which refetch the subscription or invoice they change,
when a client is at hand), and ``coupon.*``: a coupon's terms never change,
and a deleted one still discounts what it discounted, so every coupon event
stores the coupon it carries. Everything else is recorded and ignored.

Ordering (SPEC §5): each row keeps ``source_updated_at``, the ``created`` of
the event whose state it holds. An event older than that is skipped; a newer
one is written; on a tie (same second, order unknown) the object is refetched
from Stripe. Deletions are terminal and always win: a deleted customer or
product is marked, never dropped; a deleted draft invoice is removed and its
tombstone (the applied ``invoice.deleted`` event) keeps late events out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from billing.models import Event
from storage import event_log
from storage.freshness import (
    Stored,
    delete_invoice,
    set_marker,
    stored,
    stored_discounts,
    stored_price_tiers,
    upsert_invoice_keeping_lines,
    upsert_subscription_keeping_items,
)
from storage.models import InvoiceRow, PriceRow, ProductRow
from storage.stripe_objects import (
    mark_customers_deleted,
    upsert_coupons,
    upsert_customers,
    upsert_invoices,
    upsert_prices,
    upsert_products,
    upsert_subscriptions,
)
from sync.coupons import resolve_missing_coupons, within
from sync.event_fetch import (
    StripeReader,
    all_invoice_lines,
    all_subscription_items,
    discount_ids_to_hydrate,
    embedded_list,
    fetch_object,
    with_discounts,
)
from sync.readers import (
    read_coupon,
    read_customer,
    read_event,
    read_invoice,
    read_price,
    read_product,
    read_subscription,
)

Obj = dict[str, Any]

APPLIED = "applied"
SKIPPED_OLDER = "skipped_older"
REFETCHED = "refetched"
IGNORED = "ignored"
DUPLICATE = "duplicate"

HANDLED_PREFIXES = ("customer.", "invoice.", "product.", "price.")
# Event object type -> the stored kind (a pre-2025 ``plan`` is a price).
STORED_KINDS = {
    "customer": "customer",
    "subscription": "subscription",
    "invoice": "invoice",
    "product": "product",
    "price": "price",
}
NOT_OBJECTS = frozenset({"invoice.upcoming"})  # a preview, not an object to store
TERMINAL = {"customer.deleted", "product.deleted", "price.deleted", "invoice.deleted"}
_INVOICE_PROGRESS = {"draft": 0, "open": 1, "paid": 2, "void": 2, "uncollectible": 2}


@dataclass
class ApplyBatch:
    """Memory shared by the events of one batch (a catch-up page, a queue drain).

    Every event of a batch was created before the batch started, so an object
    refetched during the batch already reflects all of them: its later events
    in the batch need no second request.
    """

    refetched: set[tuple[str, str]] = field(default_factory=set)


def event_outcome_status(outcome: str) -> str:
    """The ``stripe_events.status`` an outcome is recorded with."""
    return event_log.IGNORED if outcome == IGNORED else event_log.APPLIED


def apply_event(
    session: Session,
    workspace_id: str,
    event: Obj,
    client: StripeReader | None,
    now: datetime,
    *,
    source: str = "webhook",
    batch: ApplyBatch | None = None,
) -> str:
    """Record and apply one event (a Stripe event JSON dict); returns the outcome.

    ``applied`` | ``skipped_older`` | ``refetched`` | ``ignored`` |
    ``duplicate`` (already recorded: nothing done, safe under concurrent
    delivery). Runs in the caller's transaction.
    """
    parsed = read_event(event)
    inserted = event_log.record_event(
        session,
        workspace_id,
        event_id=parsed.id,
        type_=parsed.type,
        created=parsed.created,
        object_id=parsed.object_id,
        api_version=parsed.api_version,
        payload=event,
        source=source,
        status=event_log.PENDING,
        now=now,
    )
    if not inserted:
        return DUPLICATE
    outcome = apply_payload(session, workspace_id, event, client, now, batch=batch)
    event_log.set_status(session, workspace_id, parsed.id, event_outcome_status(outcome), now)
    return outcome


def apply_payload(
    session: Session,
    workspace_id: str,
    event: Obj,
    client: StripeReader | None,
    now: datetime,
    *,
    batch: ApplyBatch | None = None,
) -> str:
    """Apply an event already recorded (no dedupe here); returns the outcome."""
    parsed = read_event(event)
    if parsed.type.startswith("coupon.") and parsed.object_type == "coupon":
        upsert_coupons(session, workspace_id, [read_coupon(parsed.data)])
        return APPLIED
    target = event_target(parsed)
    if target is None:
        return IGNORED
    kind, object_id = target
    event_log.lock_objects(session, workspace_id, [object_id])
    if parsed.object_type not in STORED_KINDS:  # a related object changed: refetch the parent
        if client is None:
            return IGNORED
        return _refetch(session, workspace_id, kind, object_id, parsed, client, batch)
    return _apply_object(session, workspace_id, kind, parsed, client, batch or ApplyBatch())


def event_target(parsed: Event) -> tuple[str, str] | None:
    """The stored (kind, id) an event changes, or None when it is not handled."""
    data = parsed.data
    if parsed.type in NOT_OBJECTS or not parsed.object_id:
        return None
    if parsed.type.startswith("customer.discount."):
        sub = data.get("subscription")
        sub_id = sub.get("id") if isinstance(sub, dict) else sub
        return ("subscription", str(sub_id)) if sub_id else None
    if parsed.type.startswith("credit_note."):
        inv = data.get("invoice")
        inv_id = inv.get("id") if isinstance(inv, dict) else inv
        return ("invoice", str(inv_id)) if inv_id else None
    if not parsed.type.startswith(HANDLED_PREFIXES):
        return None
    kind = STORED_KINDS.get(parsed.object_type or "")
    return (kind, parsed.object_id) if kind else None


def _apply_object(
    session: Session,
    ws: str,
    kind: str,
    ev: Event,
    client: StripeReader | None,
    batch: ApplyBatch,
) -> str:
    object_id = ev.object_id or ""
    state = stored(session, ws, kind, object_id)
    if ev.type in TERMINAL:
        _write_deletion(session, ws, kind, ev.data, state)
        set_marker(session, ws, kind, object_id, ev.created)
        return APPLIED
    if not state.exists and kind == "invoice" and _invoice_deleted(session, ws, object_id):
        return SKIPPED_OLDER
    if (kind, object_id) in batch.refetched:
        set_marker(session, ws, kind, object_id, ev.created)
        return SKIPPED_OLDER
    if state.marker is not None and ev.created < state.marker:
        return SKIPPED_OLDER
    if state.marker is not None and ev.created == state.marker:
        if client is not None:
            return _refetch(session, ws, kind, object_id, ev, client, batch)
        if not _tie_wins_without_client(session, ws, kind, ev.data):
            return SKIPPED_OLDER
    refetched = _write(session, ws, kind, ev.data, client, state)
    set_marker(session, ws, kind, object_id, ev.created)
    if refetched:
        batch.refetched.add((kind, object_id))
        return REFETCHED
    return APPLIED


def _invoice_deleted(session: Session, ws: str, invoice_id: str) -> bool:
    return event_log.object_was_deleted(session, ws, "invoice.deleted", invoice_id)


def _tie_wins_without_client(session: Session, ws: str, kind: str, obj: Obj) -> bool:
    """Same second and no client to ask: only an invoice's status order is known."""
    if kind != "invoice":
        return True
    row = session.get(InvoiceRow, (ws, obj["id"]))
    if row is None:
        return True
    new = _INVOICE_PROGRESS.get(str(obj.get("status")), 0)
    return new >= _INVOICE_PROGRESS.get(row.status, 0)


def _refetch(
    session: Session,
    ws: str,
    kind: str,
    object_id: str,
    ev: Event,
    client: StripeReader,
    batch: ApplyBatch | None,
) -> str:
    """Write the object as Stripe holds it now (newer than, or as new as, the event)."""
    current = fetch_object(client, kind, object_id)
    state = stored(session, ws, kind, object_id)
    if current is None or current.get("deleted"):
        _write_deletion(session, ws, kind, current or ev.data or {"id": object_id}, state)
    else:
        _write(session, ws, kind, current, client, state, fetched=True)
    set_marker(session, ws, kind, object_id, ev.created)
    if batch is not None:
        batch.refetched.add((kind, object_id))
    return REFETCHED


# -- writes ---------------------------------------------------------------------------
def _write_deletion(session: Session, ws: str, kind: str, obj: Obj, state: Stored) -> None:
    object_id = str(obj.get("id"))
    if kind == "customer":
        if state.exists or not _has_fields(obj):
            mark_customers_deleted(session, ws, [object_id])
        else:
            upsert_customers(session, ws, [replace(read_customer(obj), deleted=True)])
    elif kind == "product":
        if state.exists or not _has_fields(obj):
            _mark_product_deleted(session, ws, object_id)
        else:
            upsert_products(session, ws, [replace(read_product(obj), deleted=True)])
    elif kind == "price":
        if _has_fields(obj) and obj.get("currency"):
            obj, _ = _price_with_tiers(session, ws, obj, None)
            upsert_prices(session, ws, [replace(read_price(obj), active=False)])
        else:
            _mark_price_inactive(session, ws, object_id)
    elif kind == "invoice":
        delete_invoice(session, ws, object_id)
    else:  # a subscription is never deleted, only canceled: store what Stripe says
        _write(session, ws, kind, obj, None, state)


def _has_fields(obj: Obj) -> bool:
    return bool(set(obj) - {"id", "object", "deleted"})


def _mark_product_deleted(session: Session, ws: str, product_id: str) -> None:
    session.execute(
        update(ProductRow)
        .where(ProductRow.workspace_id == ws, ProductRow.id == product_id)
        .values(deleted=True, active=False)
    )


def _mark_price_inactive(session: Session, ws: str, price_id: str) -> None:
    session.execute(
        update(PriceRow)
        .where(PriceRow.workspace_id == ws, PriceRow.id == price_id)
        .values(active=False)
    )


def _write(
    session: Session,
    ws: str,
    kind: str,
    obj: Obj,
    client: StripeReader | None,
    state: Stored,
    *,
    fetched: bool = False,
) -> bool:
    """Store ``obj``; True when it had to be refetched whole to be complete."""
    if kind == "customer":
        customer = read_customer(obj)
        upsert_customers(
            session, ws, [replace(customer, deleted=customer.deleted or state.deleted)]
        )
        return False
    if kind == "product":
        product = read_product(obj)
        upsert_products(session, ws, [replace(product, deleted=product.deleted or state.deleted)])
        return False
    if kind == "price":
        complete, refetched = _price_with_tiers(session, ws, obj, None if fetched else client)
        upsert_prices(session, ws, [read_price(complete)])
        return refetched
    if kind == "subscription":
        return _write_subscription(session, ws, obj, client, fetched=fetched)
    if kind == "invoice":
        _write_invoice(session, ws, obj, client)
        return False
    raise ValueError(f"not a stored kind: {kind}")


def _price_with_tiers(
    session: Session, ws: str, obj: Obj, client: StripeReader | None
) -> tuple[Obj, bool]:
    """A tiered price's payload never includes its tiers: fetch them or keep the stored.

    Returns the complete price and whether it was refetched whole.
    """
    if obj.get("billing_scheme") != "tiered" or obj.get("tiers"):
        return obj, False
    if client is not None:
        fetched = fetch_object(client, "price", str(obj["id"]))
        if fetched is not None:
            return fetched, True
    tiers = stored_price_tiers(session, ws, str(obj["id"]))
    return ({**obj, "tiers": tiers} if tiers else obj), False


def _write_subscription(
    session: Session, ws: str, obj: Obj, client: StripeReader | None, *, fetched: bool
) -> bool:
    refetched = False
    missing = discount_ids_to_hydrate(obj)
    if missing:
        known = stored_discounts(session, ws, missing)
        if len(known) < len(set(missing)) and client is not None and not fetched:
            current = fetch_object(client, "subscription", str(obj["id"]))
            if current is not None:
                obj, refetched = current, True
                known = stored_discounts(session, ws, discount_ids_to_hydrate(obj))
        obj = with_discounts(obj, known)
    items, truncated = embedded_list(obj, "items")
    if truncated and client is not None:
        items = all_subscription_items(client, str(obj["id"]))
        truncated = False
    subscription = read_subscription(obj, items)
    if truncated:
        upsert_subscription_keeping_items(session, ws, subscription)
    else:
        upsert_subscriptions(session, ws, [subscription])
    resolve_missing_coupons(within(session), ws, client, subscription_id=subscription.id)
    return refetched


def _write_invoice(session: Session, ws: str, obj: Obj, client: StripeReader | None) -> None:
    lines, truncated = embedded_list(obj, "lines")
    if truncated and client is not None:
        lines = all_invoice_lines(client, str(obj["id"]))
        truncated = False
    invoice = read_invoice(obj, lines)
    if truncated:
        upsert_invoice_keeping_lines(session, ws, invoice)
    else:
        upsert_invoices(session, ws, [invoice])
