"""Downgrades and upgrades of subscriptions in a period (SPEC §7b, Monday Brief).

A downgrade is a subscription whose MRR fell to a still-positive value; an
upgrade one whose MRR rose from a positive value (a subscription starting or
ending is a new customer, an expansion or a cancellation instead). The
moment comes from the MRR timeline: a full invoice line starting with other
items, a discount starting or ending, or the proration of a mid-period change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from billing.json_values import account_ref, iso_instant
from billing.ledger import Ledger
from billing.models import Account
from billing.money import Money
from billing.periods import Period
from billing.plan_labels import subscription_plan
from billing.timeline import Step, Timelines, account_timelines

CHANGE_KINDS = frozenset({"change", "discount_start", "discount_end"})


@dataclass(frozen=True, slots=True)
class SubscriptionChange:
    account: Account
    subscription_id: str
    plan: str | None
    at: datetime
    kind: str  # change | discount_start | discount_end
    mrr_before: Money
    mrr_after: Money

    @property
    def direction(self) -> str:
        return "upgrade" if self.mrr_after.amount > self.mrr_before.amount else "downgrade"

    @property
    def delta(self) -> Money:
        return self.mrr_after - self.mrr_before

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "subscription": self.subscription_id,
            "plan": self.plan,
            "at": iso_instant(self.at),
            "kind": self.kind,
            "direction": self.direction,
            "mrr_before": self.mrr_before.to_json(),
            "mrr_after": self.mrr_after.to_json(),
            "change": self.delta.to_json(),
        }


def _is_change(step: Step) -> bool:
    return step.kind in CHANGE_KINDS and step.before.amount > 0 and step.after.amount > 0


def subscription_changes(
    ledger: Ledger, period: Period, now: datetime, timelines: Timelines | None = None
) -> list[SubscriptionChange]:
    """Every MRR change of a paying subscription of an account in ``period``, newest first."""
    timelines = timelines if timelines is not None else account_timelines(ledger, now)
    rows: list[SubscriptionChange] = []
    for account_id, subs in timelines.items():
        account = ledger.accounts.get(account_id)
        if account is None:
            continue
        for timeline in subs:
            plan = subscription_plan(ledger, timeline.sub)
            rows.extend(
                SubscriptionChange(account, timeline.sub.id, plan, s.at, s.kind, s.before, s.after)
                for s in timeline.steps
                if _is_change(s) and period.contains(s.at)
            )
    rows.sort(key=lambda r: (r.at, r.account.name.lower()), reverse=True)
    return rows


def downgrades(
    ledger: Ledger, period: Period, now: datetime, timelines: Timelines | None = None
) -> list[SubscriptionChange]:
    """Subscriptions whose MRR fell to a still-positive value in ``period``."""
    changes = subscription_changes(ledger, period, now, timelines)
    return [c for c in changes if c.direction == "downgrade"]


def upgrades(
    ledger: Ledger, period: Period, now: datetime, timelines: Timelines | None = None
) -> list[SubscriptionChange]:
    """Subscriptions whose MRR rose from a positive value in ``period``."""
    changes = subscription_changes(ledger, period, now, timelines)
    return [c for c in changes if c.direction == "upgrade"]
