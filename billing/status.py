"""Account payment status and lifecycle stage (SPEC §7, §7b "Lifecycle").

Payment status, first that applies: ``failed`` (an open invoice whose
automatic payment failed), ``overdue`` (an open send_invoice invoice past due,
or a subscription past_due/unpaid), ``paid`` (a subscription that has not
ended), ``none``. Each comes with a short human reason naming the object.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from billing.models import Invoice, Subscription
from billing.mrr import ENDED_STATUSES
from billing.overdue import is_overdue, past_due_date, payment_failed

OVERDUE_SUB_STATUSES = frozenset({"past_due", "unpaid"})
CUSTOMER_STATUSES = frozenset({"active", "past_due", "unpaid"})


def has_ended(sub: Subscription) -> bool:
    """A subscription that has ended for good (canceled or incomplete_expired)."""
    return sub.status in ENDED_STATUSES


def _failed(invoices: Iterable[Invoice]) -> list[Invoice]:
    found = [i for i in invoices if payment_failed(i) and i.amount_remaining > 0]
    return sorted(found, key=lambda i: (i.finalized_at or i.created, i.id))


def _late(invoices: Iterable[Invoice], at: datetime) -> list[Invoice]:
    found = [i for i in invoices if past_due_date(i, at) and is_overdue(i, at)]
    return sorted(found, key=lambda i: (i.due_date or i.created, i.id))


def payment_status(
    subs: Sequence[Subscription], invoices: Sequence[Invoice], at: datetime
) -> tuple[str, str]:
    """``(status, reason)`` of an account from its subscriptions and synced invoices."""
    failed = _failed(invoices)
    if failed:
        inv = failed[0]
        return "failed", (
            f"open invoice {inv.id}: automatic payment failed ({inv.attempt_count} attempts)"
        )
    late = _late(invoices, at)
    if late:
        inv = late[0]
        since = inv.due_date.date().isoformat() if inv.due_date else "?"
        return "overdue", f"invoice {inv.id} past due since {since}"
    behind = sorted((s for s in subs if s.status in OVERDUE_SUB_STATUSES), key=lambda s: s.id)
    if behind:
        return "overdue", f"subscription {behind[0].id} is {behind[0].status}"
    if any(not has_ended(s) for s in subs):
        return "paid", "a subscription that has not ended, nothing failed or past due"
    return "none", "no subscription that has not ended and nothing owed"


def lifecycle(subs: Sequence[Subscription], ever_paying: Iterable[Subscription]) -> str:
    """``customer`` / ``trial`` / ``churned`` / ``none``.

    ``ever_paying`` are the subscriptions that once had MRR > 0 (from history).
    """
    if any(s.status in CUSTOMER_STATUSES for s in subs):
        return "customer"
    if any(s.status == "trialing" for s in subs):
        return "trial"
    if any(has_ended(s) for s in ever_paying):
        return "churned"
    return "none"
