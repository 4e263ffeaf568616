"""ARR at risk from payment failures (SPEC §7 "ARR at risk", §7b, intent ``arr_at_risk``).

12 × the MRR each subscription would have if its status counted, for
subscriptions now ``past_due`` or ``unpaid``, or ``active`` with an open
invoice whose payment failed in the period (default: this month).
``incomplete`` subscriptions never paid and are left out. ARR of
subscriptions scheduled to cancel is reported beside it as "scheduled churn"
(:mod:`billing.cancellations`).

Sync stores one risk fact per subscription that is at risk in some period
(:mod:`billing.facts`); a question keeps those :func:`risk_reason` finds at
risk in its own period. Both ask :func:`risk_reason`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from billing.failed_payments import failure_times
from billing.ledger import Ledger
from billing.models import Subscription
from billing.money import Money
from billing.mrr import nominal_mrr

AT_RISK_STATUSES = frozenset({"past_due", "unpaid"})
PAYMENT_FAILED = "payment_failed"
_EVER = (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC))


def risk_reason(
    status: str | None,
    failed_at: Iterable[datetime],
    start: datetime = _EVER[0],
    end: datetime = _EVER[1],
) -> str | None:
    """Why a subscription's ARR is at risk in ``[start, end)`` (in any period when none
    is given): its status (``past_due``/``unpaid``), or ``payment_failed`` when it is
    active and one of ``failed_at`` (failures of its open invoices) falls in the
    period. None when it is not at risk."""
    if status in AT_RISK_STATUSES:
        return status
    if status == "active" and any(start <= at < end for at in failed_at):
        return PAYMENT_FAILED
    return None


def open_failure_times(ledger: Ledger, sub: Subscription) -> list[datetime]:
    """Failure instants of the subscription's open invoices with money still owed, oldest
    first."""
    return sorted(
        at
        for invoice in ledger.invoices_by_subscription.get(sub.id, [])
        if invoice.status == "open" and invoice.amount_remaining > 0
        for at in failure_times(invoice)
    )


def arr_if_counted(ledger: Ledger, sub: Subscription, now: datetime) -> Money:
    """12 × the MRR the subscription would have at ``now`` if its status counted."""
    return nominal_mrr(sub, now, ledger.prices).times(12)
