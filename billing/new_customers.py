"""New customers (SPEC §7b "New customers", intent ``new_customers``).

An account is new in a period when its first MRR ever in synced history
starts in it — the instant behind its ``new`` movement. Accounts already
paying when synced history starts are new at the window start. Sync stores
that instant as the account's ``first_paying`` fact (:mod:`billing.facts`);
a question lists the accounts whose instant falls in its period.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from billing.timeline import SubTimeline


def first_paying_at(timelines: Iterable[SubTimeline]) -> datetime | None:
    """When an account (the timelines of its subscriptions) first had MRR > 0 in synced
    history; None when it never has."""
    firsts = [t for t in (tl.first_positive() for tl in timelines) if t is not None]
    return min(firsts) if firsts else None
