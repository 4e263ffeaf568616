"""Workspace MRR totals over accounts (SPEC §7b "Workspace totals").

Totals add the figures of customers mapped to an account; customers that match
no account (unmatched, ambiguous, deleted) are reported apart as unassigned.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from billing.history import workspace_history
from billing.ledger import Ledger
from billing.models import Subscription
from billing.money import Money, sum_by_currency
from billing.mrr import subscription_mrr

__all__ = [
    "assigned_subscriptions",
    "mrr_total",
    "unassigned_customers",
    "unassigned_mrr",
    "unassigned_subscriptions",
    "workspace_arr",
    "workspace_history",
    "workspace_mrr",
]


def assigned_subscriptions(ledger: Ledger) -> list[Subscription]:
    """Subscriptions of customers mapped to an account."""
    return [s for s in ledger.subscriptions.values() if s.customer_id in ledger.customer_accounts]


def unassigned_subscriptions(ledger: Ledger) -> list[Subscription]:
    """Subscriptions of customers that belong to no account."""
    return [
        s for s in ledger.subscriptions.values() if s.customer_id not in ledger.customer_accounts
    ]


def mrr_total(ledger: Ledger, subs: Iterable[Subscription], now: datetime) -> list[Money]:
    """Σ MRR per currency, zero currencies left out."""
    totals = sum_by_currency(subscription_mrr(s, now, ledger.prices) for s in subs)
    return [m for m in totals if m.amount]


def workspace_mrr(ledger: Ledger, now: datetime) -> list[Money]:
    """MRR now over all accounts, per currency."""
    return mrr_total(ledger, assigned_subscriptions(ledger), now)


def workspace_arr(ledger: Ledger, now: datetime) -> list[Money]:
    """ARR = 12 × MRR, per currency."""
    return [m.times(12) for m in workspace_mrr(ledger, now)]


def unassigned_mrr(ledger: Ledger, now: datetime) -> list[Money]:
    """MRR now of customers that match no account, per currency."""
    return mrr_total(ledger, unassigned_subscriptions(ledger), now)


def unassigned_customers(ledger: Ledger) -> list[str]:
    """Ids of known customers mapped to no account, sorted."""
    return sorted(c for c in ledger.customers if c not in ledger.customer_accounts)
