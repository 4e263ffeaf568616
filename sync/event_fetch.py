"""Stripe reads an event may need: the object's current state, or the parts a payload lacks.

Event payloads carry an object as it was at the event, in the endpoint's API
version, with embedded lists truncated (an invoice's first 10 lines, a
subscription's first 20 items) and includable fields left out (price tiers,
expanded discounts). These helpers fetch what is missing with the read-only
client, always as plain JSON for ``sync.readers``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from sync.errors import StripeRequestRejected

Obj = dict[str, Any]

# Item discounts' coupons would be 5 levels down: ``sync.coupons`` expands those unknown.
SUBSCRIPTION_EXPAND = ["discounts", "discounts.source.coupon", "items.data.discounts"]


class StripeReader(Protocol):
    """The part of ``sync.client.StripeReadClient`` applying events uses."""

    def get(self, path: str, params: Obj | None = None) -> Obj: ...

    def list_all(
        self, path: str, params: Obj | None = None, page_size: int = 100
    ) -> Iterator[Obj]: ...


# Stripe object type -> (path prefix, retrieve params).
_RETRIEVE: dict[str, tuple[str, Obj]] = {
    "customer": ("/v1/customers", {}),
    "product": ("/v1/products", {}),
    "price": ("/v1/prices", {"expand": ["tiers"]}),
    "subscription": ("/v1/subscriptions", {"expand": SUBSCRIPTION_EXPAND}),
    "invoice": ("/v1/invoices", {}),
}


def fetch_object(client: StripeReader, kind: str, object_id: str) -> Obj | None:
    """The object as Stripe holds it now; None when Stripe no longer has it (404)."""
    prefix, params = _RETRIEVE[kind]
    try:
        return client.get(f"{prefix}/{object_id}", dict(params) if params else None)
    except StripeRequestRejected as exc:
        if exc.status == 404:
            return None
        raise


def embedded_list(obj: Obj, key: str) -> tuple[list[Obj], bool]:
    """An embedded list's objects and whether Stripe truncated it (``has_more``)."""
    value = obj.get(key) or {}
    if isinstance(value, list):
        return list(value), False
    return list(value.get("data") or []), bool(value.get("has_more"))


def all_invoice_lines(client: StripeReader, invoice_id: str) -> list[Obj]:
    return list(client.list_all(f"/v1/invoices/{invoice_id}/lines"))


def all_subscription_items(client: StripeReader, subscription_id: str) -> list[Obj]:
    params = {"subscription": subscription_id, "expand": ["data.discounts"]}
    return list(client.list_all("/v1/subscription_items", params))


def discount_ids_to_hydrate(sub: Obj) -> list[str]:
    """Discount ids a subscription payload lists without expanding them."""
    ids = [d for d in sub.get("discounts") or () if isinstance(d, str)]
    items, _ = embedded_list(sub, "items")
    for item in items:
        ids.extend(d for d in item.get("discounts") or () if isinstance(d, str))
    return ids


def with_discounts(sub: Obj, known: dict[str, Obj]) -> Obj:
    """A copy of ``sub`` whose discount ids are replaced by the known discount objects."""

    def swap(values: Any) -> list[Any]:
        out: list[Any] = []
        for value in values or ():
            if isinstance(value, str):
                if value in known:
                    out.append(known[value])
            else:
                out.append(value)
        return out

    copy = dict(sub)
    copy["discounts"] = swap(sub.get("discounts"))
    items = sub.get("items")
    if isinstance(items, dict):
        copy["items"] = {
            **items,
            "data": [
                {**item, "discounts": swap(item.get("discounts"))}
                for item in items.get("data") or ()
            ],
        }
    return copy
