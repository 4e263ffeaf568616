"""Upsell candidates (SPEC §7 "Upsell candidates", §7b "Upsell").

Accounts paying now (payment status ``paid``, MRR > 0), with tenure of at
least 180 days from their earliest synced subscription start, whose MRR has
grown since they started (at least one expansion: any MRR increase of the
account while it was paying) and not in the last 180 days. All thresholds
are :class:`UpsellRules`. Sync stores one upsell fact per candidate
(:mod:`billing.facts`); questions list them by MRR, largest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from billing.money import Money

# (at, currency, MRR after, MRR before): one change of an account's MRR in one currency
MrrStep = tuple[datetime, str, int, int]


@dataclass(frozen=True, slots=True)
class UpsellRules:
    """SPEC §7 upsell thresholds (configurable)."""

    min_tenure_days: int = 180
    quiet_days: int = 180  # no expansion in this many days
    min_expansions: int = 1


def expansion_dates(steps: Sequence[MrrStep]) -> list[datetime]:
    """Instants where the account's MRR grew while it was already paying (any currency)."""
    paying: dict[str, int] = {}
    out: list[datetime] = []
    index = 0
    while index < len(steps):
        instant = steps[index][0]
        group = [step for step in steps[index:] if step[0] == instant]
        index += len(group)
        was_paying = any(value > 0 for value in paying.values())
        if was_paying and any(after > before for _, _, after, before in group):
            out.append(instant)
        paying.update({code: after for _, code, after, _ in group})
    return out


def is_upsell_candidate(
    status: str,
    mrr: Sequence[Money],
    tenure_days: int | None,
    expansions: Sequence[datetime],
    now: datetime,
    rules: UpsellRules = UpsellRules(),
) -> bool:
    """Whether an account with this payment status, MRR now, tenure and expansion
    instants is worth an upsell conversation at ``now``."""
    if status != "paid" or not any(m.amount > 0 for m in mrr) or tenure_days is None:
        return False
    if tenure_days < rules.min_tenure_days or len(expansions) < rules.min_expansions:
        return False
    quiet_since = now - timedelta(days=rules.quiet_days)
    return all(at <= quiet_since for at in expansions)
