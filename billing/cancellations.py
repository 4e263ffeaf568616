"""Cancellations in a period and cancellations still to come (SPEC §7b).

A cancellation is a subscription that ended (``ended_at``) in the period;
``incomplete_expired`` ones never paid and are left out. It is ``immediate``
when it ended as it was canceled, else it ran to the end it was given
(``period_end`` or a set ``at`` date). The MRR lost is the subscription's MRR
just before it ended. A scheduled cancellation is a subscription that has
not ended but has ``cancel_at`` or ``cancel_at_period_end``; its MRR counts
until it ends and is reported as "scheduled churn".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from billing.history import subscription_mrr_at
from billing.json_values import account_ref, iso_date, iso_instant
from billing.ledger import Ledger
from billing.models import Account, Subscription
from billing.money import Money
from billing.mrr import subscription_mrr
from billing.periods import Period
from billing.plan_labels import subscription_plan
from billing.renewal_date import scheduled_to_cancel

# Seconds between cancel and end still read as "canceled immediately".
IMMEDIATE_SLACK = timedelta(minutes=1)
JUST_BEFORE = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Cancellation:
    account: Account
    subscription_id: str
    plan: str | None
    mrr_lost: Money
    canceled_at: datetime | None
    ended_at: datetime
    kind: str  # immediate | period_end | at

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "subscription": self.subscription_id,
            "plan": self.plan,
            "mrr_lost": self.mrr_lost.to_json(),
            "canceled_at": iso_instant(self.canceled_at),
            "ended_at": iso_instant(self.ended_at),
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class ScheduledCancellation:
    account: Account
    subscription_id: str
    plan: str | None
    ends_on: datetime
    mrr: Money
    requested_at: datetime | None
    kind: str  # period_end | at

    @property
    def arr(self) -> Money:
        return self.mrr.times(12)

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "subscription": self.subscription_id,
            "plan": self.plan,
            "ends_on": iso_date(self.ends_on),
            "ends_at": iso_instant(self.ends_on),
            "mrr": self.mrr.to_json(),
            "arr": self.arr.to_json(),
            "requested_at": iso_instant(self.requested_at),
            "kind": self.kind,
        }


def scheduled_kind(sub: Subscription) -> str:
    return "period_end" if sub.cancel_at_period_end else "at"


def cancellation_kind(sub: Subscription) -> str:
    ended = sub.ended_at
    if sub.canceled_at is None or ended is None or ended - sub.canceled_at <= IMMEDIATE_SLACK:
        return "immediate"
    return scheduled_kind(sub)


def cancellations(ledger: Ledger, period: Period, now: datetime) -> list[Cancellation]:
    """Accounts' subscriptions that ended in ``period``, most recent first."""
    rows: list[Cancellation] = []
    for sub in ledger.subscriptions.values():
        account = ledger.account_of_customer(sub.customer_id)
        ended = sub.ended_at
        if account is None or ended is None or sub.status == "incomplete_expired":
            continue
        if not period.contains(ended):
            continue
        lost = subscription_mrr_at(ledger, sub, ended - JUST_BEFORE, now)
        plan = subscription_plan(ledger, sub)
        kind = cancellation_kind(sub)
        rows.append(Cancellation(account, sub.id, plan, lost, sub.canceled_at, ended, kind))
    rows.sort(key=lambda r: (r.ended_at, r.account.name.lower()), reverse=True)
    return rows


def scheduled_end(sub: Subscription) -> datetime | None:
    """When a subscription scheduled to cancel ends: ``cancel_at``, else its period end."""
    return sub.cancel_at or sub.current_period_end


def scheduled_cancellations(ledger: Ledger, now: datetime) -> list[ScheduledCancellation]:
    """Accounts' subscriptions set to end, soonest first."""
    rows: list[ScheduledCancellation] = []
    for sub in ledger.subscriptions.values():
        account = ledger.account_of_customer(sub.customer_id)
        ends = scheduled_end(sub)
        if account is None or ends is None or not scheduled_to_cancel(sub):
            continue
        rows.append(
            ScheduledCancellation(
                account=account,
                subscription_id=sub.id,
                plan=subscription_plan(ledger, sub),
                ends_on=ends,
                mrr=subscription_mrr(sub, now, ledger.prices),
                requested_at=sub.canceled_at,
                kind=scheduled_kind(sub),
            )
        )
    rows.sort(key=lambda r: (r.ends_on, r.account.name.lower()))
    return rows
