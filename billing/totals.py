"""Workspace totals (SPEC §7b "Workspace totals"): over accounts, never over customers.

Workspace MRR and ARR are the sums of the accounts' MRR (sync stores each
account's as an ``account_mrr`` fact; questions add them up), and the
month-end workspace MRR history is read off the subscriptions of customers
mapped to an account. Customers that match no account (unmatched, ambiguous,
deleted) count in no total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from billing.history import MonthPoint, timelines_history
from billing.ledger import Ledger
from billing.models import Subscription
from billing.timeline import SubTimeline, timeline_readers


def assigned_subscriptions(ledger: Ledger) -> list[Subscription]:
    """Subscriptions of customers mapped to an account: the ones totals add up."""
    return [s for s in ledger.subscriptions.values() if s.customer_id in ledger.customer_accounts]


def workspace_history(
    ledger: Ledger, now: datetime, timelines: Mapping[str, Sequence[SubTimeline]]
) -> list[MonthPoint]:
    """Month-end workspace MRR per currency over accounts, read off the accounts'
    ``timelines`` (``account_timelines(ledger, now)``)."""
    subs = assigned_subscriptions(ledger)
    values = timeline_readers(subs, (tl for account in timelines.values() for tl in account))
    return timelines_history(ledger, subs, values, now)
