"""Upsell candidates (SPEC §7 "Upsell candidates", §7b "Upsell").

Accounts paying now (payment status ``paid``, MRR > 0), with tenure of at
least 180 days from their earliest synced subscription start, whose MRR has
grown since they started (at least one expansion: any MRR increase of the
account while it was paying) and not in the last 180 days. All thresholds
are configurable. Ordered by MRR, largest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from billing.account_lists import all_figures
from billing.figures import AccountFigures
from billing.json_values import account_ref, iso_date
from billing.ledger import Ledger
from billing.models import Account
from billing.money import Money
from billing.timeline import SubTimeline, Timelines, account_timelines


@dataclass(frozen=True, slots=True)
class UpsellRules:
    min_tenure_days: int = 180
    quiet_days: int = 180  # no expansion in this many days
    min_expansions: int = 1


@dataclass(frozen=True, slots=True)
class UpsellCandidate:
    account: Account
    mrr: tuple[Money, ...]
    tenure_days: int
    expansions: tuple[datetime, ...]

    @property
    def last_expansion(self) -> datetime:
        return self.expansions[-1]

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "mrr": [m.to_json() for m in self.mrr],
            "tenure_days": self.tenure_days,
            "expansions": [iso_date(t) for t in self.expansions],
            "last_expansion": iso_date(self.last_expansion),
        }


def expansion_instants(timelines: Sequence[SubTimeline]) -> list[datetime]:
    """When the account's MRR rose in some currency while the account was already paying."""
    steps = sorted((s for t in timelines for s in t.steps), key=lambda s: s.at)
    totals: dict[str, int] = {}
    for t in timelines:
        code = t.initial.currency
        totals[code] = totals.get(code, 0) + t.initial.amount
    out: list[datetime] = []
    for step in steps:
        code = step.after.currency
        paying = any(v > 0 for v in totals.values())
        totals[code] = totals.get(code, 0) + (step.after - step.before).amount
        if paying and step.after.amount > step.before.amount and (not out or out[-1] != step.at):
            out.append(step.at)
    return out


def upsell_candidates(
    ledger: Ledger,
    now: datetime,
    rules: UpsellRules = UpsellRules(),
    *,
    figures: Sequence[AccountFigures] | None = None,
    timelines: Timelines | None = None,
) -> list[UpsellCandidate]:
    """Accounts worth an upsell conversation, by MRR descending (ties by name)."""
    figures = figures if figures is not None else all_figures(ledger, now)
    timelines = timelines if timelines is not None else account_timelines(ledger, now)
    quiet_since = now - timedelta(days=rules.quiet_days)
    rows: list[UpsellCandidate] = []
    for fig in figures:
        mrr = tuple(m for m in fig.mrr if m.amount > 0)
        tenure = fig.tenure_days
        if fig.payment_status != "paid" or not mrr or tenure is None:
            continue
        if tenure < rules.min_tenure_days:
            continue
        expansions = expansion_instants(timelines.get(fig.account.id, []))
        if len(expansions) < rules.min_expansions or expansions[-1] >= quiet_since:
            continue
        rows.append(UpsellCandidate(fig.account, mrr, tenure, tuple(expansions)))
    rows.sort(key=lambda r: (-max(m.amount for m in r.mrr), r.account.name.lower()))
    return rows
