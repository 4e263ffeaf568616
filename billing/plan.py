"""Plan label of an account (SPEC §7 "plan label", §7b "Plan").

The label of a price is its ``lookup_key``, else its nickname, else its
product's name. An account's plan is the label of the largest licensed item
(by undiscounted monthly amount) of its largest subscription that has not
ended; null when none.

People read plans by name, not by lookup key: :func:`plan_name` gives the same item's
product name (else the price's nickname), for tables meant to be read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from billing.models import Price, Product, Subscription
from billing.mrr import ENDED_STATUSES, full_price, is_licensed, monthly_amount


def price_label(price: Price, products: Mapping[str, Product]) -> str:
    """``lookup_key``, else nickname, else product name, else the price id."""
    if price.lookup_key:
        return price.lookup_key
    if price.nickname:
        return price.nickname
    product = products.get(price.product_id or "")
    return product.name if product is not None else price.id


def price_name(price: Price, products: Mapping[str, Product]) -> str:
    """What a person calls the price: its product's name, else its nickname, else its label."""
    product = products.get(price.product_id or "")
    if product is not None and product.name:
        return product.name
    return price.nickname or price_label(price, products)


def _items_by_size(sub: Subscription, prices: Mapping[str, Price]) -> list[tuple[Fraction, Price]]:
    """Licensed items, largest undiscounted monthly amount first (stable on ties)."""
    sized = [
        (monthly_amount(full_price(i.price, prices), i.quantity), full_price(i.price, prices))
        for i in sub.items
        if is_licensed(i.price)
    ]
    return sorted(sized, key=lambda pair: -pair[0])


def _sub_size(sub: Subscription, prices: Mapping[str, Price]) -> Fraction:
    return sum((size for size, _ in _items_by_size(sub, prices)), Fraction(0))


def live_by_size(subs: Sequence[Subscription], prices: Mapping[str, Price]) -> list[Subscription]:
    """Subscriptions that have not ended, largest undiscounted monthly amount first;
    ties go to the earliest start."""
    live = [s for s in subs if s.status not in ENDED_STATUSES]
    return sorted(live, key=lambda s: (-_sub_size(s, prices), s.start_date or s.created, s.id))


def plan_labels(
    subs: Sequence[Subscription], prices: Mapping[str, Price], products: Mapping[str, Product]
) -> list[str]:
    """Per live subscription, largest first, the label of its largest licensed item
    (duplicates dropped): the account's plan comes first."""
    labels: list[str] = []
    for sub in live_by_size(subs, prices):
        items = _items_by_size(sub, prices)
        if not items:
            continue
        label = price_label(items[0][1], products)
        if label not in labels:
            labels.append(label)
    return labels


def plan_name(
    subs: Sequence[Subscription], prices: Mapping[str, Price], products: Mapping[str, Product]
) -> str | None:
    """The name (:func:`price_name`) of the item whose label is the account's plan."""
    for sub in live_by_size(subs, prices):
        items = _items_by_size(sub, prices)
        if items:
            return price_name(items[0][1], products)
    return None


def plan_label(
    subs: Sequence[Subscription], prices: Mapping[str, Price], products: Mapping[str, Product]
) -> str | None:
    """The account's plan label, or None when no live subscription has a licensed item."""
    labels = plan_labels(subs, prices, products)
    return labels[0] if labels else None
