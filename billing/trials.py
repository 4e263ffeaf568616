"""Trials and when they end (intent ``trials``, signal ``trial_ending``, Monday Brief)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from billing.json_values import account_ref, iso_date, iso_instant
from billing.ledger import Ledger
from billing.models import Account
from billing.money import Money
from billing.mrr import nominal_mrr
from billing.plan_labels import subscription_plan

ENDING_SOON = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class Trial:
    account: Account
    subscription_id: str
    trial_end: datetime
    days_left: int
    plan: str | None
    mrr_after_trial: Money
    ends_within_3_days: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "subscription": self.subscription_id,
            "trial_end": iso_date(self.trial_end),
            "trial_ends_at": iso_instant(self.trial_end),
            "days_left": self.days_left,
            "plan": self.plan,
            "mrr_after_trial": self.mrr_after_trial.to_json(),
            "ends_within_3_days": self.ends_within_3_days,
        }


def days_left(until: datetime, now: datetime) -> int:
    """Whole days from now until ``until`` (⌊seconds ÷ 86400⌋, never negative)."""
    return max(int((until - now).total_seconds() // 86400), 0)


def trials(ledger: Ledger, now: datetime, soon: timedelta = ENDING_SOON) -> list[Trial]:
    """Accounts' trialing subscriptions whose trial has not ended, soonest first."""
    rows: list[Trial] = []
    for sub in ledger.subscriptions.values():
        account = ledger.account_of_customer(sub.customer_id)
        if account is None or sub.status != "trialing" or sub.trial_end is None:
            continue
        if sub.trial_end < now:
            continue
        rows.append(
            Trial(
                account=account,
                subscription_id=sub.id,
                trial_end=sub.trial_end,
                days_left=days_left(sub.trial_end, now),
                plan=subscription_plan(ledger, sub),
                mrr_after_trial=nominal_mrr(sub, sub.trial_end, ledger.prices),
                ends_within_3_days=sub.trial_end - now <= soon,
            )
        )
    rows.sort(key=lambda r: (r.trial_end, r.account.name.lower()))
    return rows
