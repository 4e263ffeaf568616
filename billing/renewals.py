"""Renewals coming up (SPEC §7b "Renewals", intent ``renewals``, Monday Brief).

A subscription renews at its current period end when it is ``active`` or
``past_due``, collection is not paused, and it is not set to end by then
(``cancel_at_period_end``, or a ``cancel_at`` on or before that date). The
amount is the next period's charge for the licensed items renewing then,
after the discounts still active at that date, excluding tax. Trials are
listed apart (:mod:`billing.trials`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from billing.intervals import recurring_factor
from billing.json_values import account_ref, iso_date, iso_instant
from billing.ledger import Ledger
from billing.models import Account, Price, Subscription
from billing.money import Money
from billing.mrr import PricedLine, full_price, is_licensed, lines_monthly
from billing.periods import Period
from billing.plan_labels import subscription_plan

RENEWING_STATUSES = frozenset({"active", "past_due"})


@dataclass(frozen=True, slots=True)
class Renewal:
    account: Account
    subscription_id: str
    date: datetime
    status: str
    plan: str | None
    amount: Money

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "subscription": self.subscription_id,
            "date": iso_date(self.date),
            "renews_at": iso_instant(self.date),
            "status": self.status,
            "plan": self.plan,
            "amount": self.amount.to_json(),
        }


def renewal_date(sub: Subscription) -> datetime | None:
    """When the subscription next renews, or None when it will not (ends, paused, …)."""
    if sub.status not in RENEWING_STATUSES or sub.pause_collection is not None:
        return None
    if sub.ended_at is not None or sub.cancel_at_period_end:
        return None
    end = sub.current_period_end
    if end is None:
        return None
    if sub.cancel_at is not None and sub.cancel_at <= end:
        return None
    return end


def _round_half_up(value: Fraction) -> int:
    return int((value * 2 + 1) // 2)


def next_charge(
    sub: Subscription, at: datetime, prices: Mapping[str, Price] | None = None
) -> Money:
    """The charge of the period starting ``at`` for items renewing then, excluding tax."""
    items = [
        i
        for i in sub.items
        if is_licensed(i.price) and (i.current_period_end is None or i.current_period_end == at)
    ]
    if not items:
        return Money.zero(sub.currency)
    factor = recurring_factor(items[0].price.recurring)
    lines = [PricedLine(full_price(i.price, prices), i.quantity, i.discounts) for i in items]
    monthly = lines_monthly(lines, sub.discounts, at, sub.currency)
    return Money(_round_half_up(monthly / factor), sub.currency)


def renewals(ledger: Ledger, period: Period) -> list[Renewal]:
    """Renewals of accounts' subscriptions in ``period`` (usually now .. now + N days)."""
    rows: list[Renewal] = []
    for sub in ledger.subscriptions.values():
        account = ledger.account_of_customer(sub.customer_id)
        at = renewal_date(sub)
        if account is None or at is None or not period.contains(at):
            continue
        plan = subscription_plan(ledger, sub)
        rows.append(
            Renewal(account, sub.id, at, sub.status, plan, next_charge(sub, at, ledger.prices))
        )
    rows.sort(key=lambda r: (r.date, r.account.name.lower(), r.subscription_id))
    return rows
