"""MRR movements of one account rebuilt from its MRR steps (SPEC §7b "Movements").

The same rules as :mod:`billing.movements`, over an account's stored MRR steps
``(at, currency, amount)`` (amount in force from ``at`` on, in stored order)
instead of its subscriptions: sync step 6 uses it to precompute calendar
months, and questions use it for any other period, so both always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from billing.money import Money
from billing.movements import classify

# A period is compared from the instant before it starts to its last instant.
POINT_BEFORE = timedelta(seconds=1)

Step = tuple[datetime, str, int]
# (currency, kind, before, after), amounts in minor units
StepMovement = tuple[str, str, int, int]


def point_instants(start: datetime, end: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The instants whose MRR opens and closes ``[start, end)`` (closing at now at the latest)."""
    opening = start - POINT_BEFORE
    closing = now if end >= now else end - POINT_BEFORE
    return opening, max(opening, closing)


def values_at(steps: Sequence[Step], at: datetime) -> dict[str, int]:
    """MRR per currency in force at ``at`` (the last step at or before it wins)."""
    out: dict[str, int] = {}
    for instant, code, amount in steps:
        if instant <= at:
            out[code] = amount
    return out


def step_movements(
    steps: Sequence[Step], first_paying: datetime | None, opening: datetime, closing: datetime
) -> list[StepMovement]:
    """The account's movement per currency between ``opening`` and ``closing``."""
    start, end = values_at(steps, opening), values_at(steps, closing)
    paid_before = first_paying is not None and first_paying <= opening
    out: list[StepMovement] = []
    for code in sorted(set(start) | set(end)):
        before, after = start.get(code, 0), end.get(code, 0)
        elsewhere = any(value > 0 for other, value in start.items() if other != code)
        kind = classify(Money(before, code), Money(after, code), elsewhere, paid_before)
        if kind is not None:
            out.append((code, kind, before, after))
    return out
