"""The plan label of one subscription, ended or not (rows of lists and signals).

:mod:`billing.plan` labels an account from its live subscriptions; lists of
renewals, cancellations and changes label a given subscription, even after it
ended: the labels of its licensed items, largest undiscounted monthly amount
first, joined with ", " (a metered-only subscription uses its items' labels).
"""

from __future__ import annotations

from billing.ledger import Ledger
from billing.models import Subscription
from billing.mrr import full_price, is_licensed, monthly_amount
from billing.plan import price_label


def subscription_plan_labels(ledger: Ledger, sub: Subscription) -> list[str]:
    """Labels of the subscription's items, licensed ones first, largest first."""
    priced = [(full_price(i.price, ledger.prices), i.quantity) for i in sub.items]
    licensed = [pair for pair in priced if is_licensed(pair[0])] or priced
    ordered = sorted(licensed, key=lambda pair: -monthly_amount(*pair))
    labels: list[str] = []
    for price, _ in ordered:
        label = price_label(price, ledger.products)
        if label not in labels:
            labels.append(label)
    return labels


def subscription_plan(ledger: Ledger, sub: Subscription) -> str | None:
    """The subscription's plan label ("a, b" for several items), or None without items."""
    labels = subscription_plan_labels(ledger, sub)
    return ", ".join(labels) if labels else None
