"""Renewal date and "scheduled to cancel" of an account (SPEC §7b).

Renewal date: the earliest over subscriptions that are active, past_due,
unpaid or trialing — ``cancel_at`` when set (it then ends rather than renews),
else the current period end (the trial end while trialing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from billing.models import Subscription
from billing.mrr import ENDED_STATUSES

RENEWING_STATUSES = frozenset({"active", "past_due", "unpaid", "trialing"})


def next_renewal(sub: Subscription) -> datetime | None:
    """When this subscription next renews or ends; None when not renewing."""
    if sub.status not in RENEWING_STATUSES:
        return None
    if sub.cancel_at is not None:
        return sub.cancel_at
    if sub.status == "trialing" and sub.trial_end is not None:
        return sub.trial_end
    return sub.current_period_end


def renewal_date(subs: Sequence[Subscription]) -> datetime | None:
    """The earliest :func:`next_renewal` over the account's subscriptions."""
    dates = [d for d in (next_renewal(s) for s in subs) if d is not None]
    return min(dates) if dates else None


def scheduled_to_cancel(sub: Subscription) -> bool:
    """A subscription that has not ended and has ``cancel_at`` or ``cancel_at_period_end``."""
    if sub.status in ENDED_STATUSES or sub.ended_at is not None:
        return False
    return sub.cancel_at is not None or sub.cancel_at_period_end
