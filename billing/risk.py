"""ARR at risk from payment failures (SPEC §7, §7b "ARR at risk", intent ``arr_at_risk``).

12 × the MRR each subscription would have if its status counted, for
subscriptions now ``past_due`` or ``unpaid``, or ``active`` with an open
invoice whose payment failed in the period (default: this month).
``incomplete`` subscriptions never paid and are left out. ARR of
subscriptions scheduled to cancel is reported beside it as "scheduled churn".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from billing.cancellations import scheduled_cancellations, scheduled_churn
from billing.failed_payments import failure_events_by_invoice, failure_times
from billing.json_values import account_ref
from billing.ledger import Ledger
from billing.models import Account, Event, Subscription
from billing.money import Money, sum_by_currency
from billing.mrr import nominal_mrr
from billing.periods import Period
from billing.plan_labels import subscription_plan

AT_RISK_STATUSES = frozenset({"past_due", "unpaid"})


@dataclass(frozen=True, slots=True)
class AtRisk:
    account: Account
    subscription_id: str
    status: str
    reason: str  # past_due | unpaid | payment_failed
    plan: str | None
    arr: Money

    @property
    def mrr(self) -> Money:
        return Money(self.arr.amount // 12, self.arr.currency)

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "subscription": self.subscription_id,
            "status": self.status,
            "reason": self.reason,
            "plan": self.plan,
            "arr": self.arr.to_json(),
        }


@dataclass(frozen=True, slots=True)
class RiskReport:
    period: Period
    rows: tuple[AtRisk, ...]
    scheduled_churn_arr: tuple[Money, ...]

    @property
    def arr_at_risk(self) -> list[Money]:
        return [m for m in sum_by_currency(r.arr for r in self.rows) if m.amount]

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.to_json(),
            "rows": [r.to_json() for r in self.rows],
            "arr_at_risk": [m.to_json() for m in self.arr_at_risk],
            "scheduled_churn_arr": [m.to_json() for m in self.scheduled_churn_arr],
        }


def _failed_in_period(
    ledger: Ledger, sub: Subscription, period: Period, index: dict[str, list[datetime]]
) -> bool:
    for invoice in ledger.invoices_by_subscription.get(sub.id, []):
        if invoice.status != "open" or invoice.amount_remaining <= 0:
            continue
        if any(period.contains(t) for t in failure_times(invoice, index.get(invoice.id, ()))):
            return True
    return False


def risk_reason(
    ledger: Ledger, sub: Subscription, period: Period, index: dict[str, list[datetime]]
) -> str | None:
    """Why a subscription's ARR is at risk, or None when it is not."""
    if sub.status in AT_RISK_STATUSES:
        return sub.status
    if sub.status == "active" and _failed_in_period(ledger, sub, period, index):
        return "payment_failed"
    return None


def arr_at_risk(
    ledger: Ledger, period: Period, now: datetime, events: Iterable[Event] = ()
) -> RiskReport:
    """Subscriptions whose ARR is at risk, largest first, with scheduled churn beside."""
    index = failure_events_by_invoice(events)
    rows: list[AtRisk] = []
    for sub in ledger.subscriptions.values():
        account = ledger.account_of_customer(sub.customer_id)
        if account is None:
            continue
        reason = risk_reason(ledger, sub, period, index)
        if reason is None:
            continue
        arr = nominal_mrr(sub, now, ledger.prices).times(12)
        plan = subscription_plan(ledger, sub)
        rows.append(AtRisk(account, sub.id, sub.status, reason, plan, arr))
    rows.sort(key=lambda r: (r.arr.currency, -r.arr.amount, r.account.name.lower()))
    churn = scheduled_churn(scheduled_cancellations(ledger, now))
    return RiskReport(period, tuple(rows), tuple(churn))
