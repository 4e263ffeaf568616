"""Signals: what changed between two snapshots of a workspace (SPEC §7 "Signals", §9 alerts).

``derive_signals(previous, current, previous_at, now)`` compares the
subscriptions and invoices of two ledgers (before and after a sync or a
webhook) and returns one frozen :class:`Signal` per thing worth telling:
``payment_failed``, ``payment_overdue``, ``payment_recovered``,
``subscription_canceled`` (ended or newly scheduled), ``subscription_downgraded``,
``subscription_upgraded``, ``new_customer``, and the time-driven
``trial_ending`` (≤ 3 days) and ``renewal_upcoming`` (≤ 14 days). Each has a
dedupe key that stays the same however often it is derived, so storage posts
it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from billing.failed_payments import failure_count
from billing.json_values import iso_instant
from billing.ledger import Ledger
from billing.models import Invoice, Subscription
from billing.money import Money
from billing.mrr import ENDED_STATUSES, nominal_mrr, subscription_mrr
from billing.overdue import is_overdue
from billing.plan_labels import subscription_plan
from billing.renewal_date import scheduled_to_cancel
from billing.renewals import next_charge, renewal_date

DASHBOARD = "https://dashboard.stripe.com"
TRIAL_ENDING = timedelta(days=3)
RENEWAL_UPCOMING = timedelta(days=14)
# A paid invoice first seen this soon after its payment, with failed attempts before it,
# is a recovery to alert (older ones are history, e.g. an update to a long-paid invoice).
RECOVERED_LATELY = timedelta(days=7)

SIGNAL_KINDS = (
    "payment_failed",
    "payment_overdue",
    "payment_recovered",
    "subscription_canceled",
    "subscription_downgraded",
    "subscription_upgraded",
    "new_customer",
    "trial_ending",
    "renewal_upcoming",
)


def dashboard_url(kind: str, object_id: str, livemode: bool) -> str:
    """Stripe Dashboard page of a customer, subscription or invoice."""
    prefix = DASHBOARD if livemode else f"{DASHBOARD}/test"
    return f"{prefix}/{kind}/{object_id}"


@dataclass(frozen=True, slots=True)
class Signal:
    kind: str
    account_id: str | None
    customer_id: str
    amount: Money | None
    plan: str | None
    at: datetime
    object_id: str
    url: str
    dedupe_key: str
    detail: str | None = None  # e.g. "immediate" / "period_end" / "scheduled"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "account_id": self.account_id,
            "customer_id": self.customer_id,
            "amount": self.amount.to_json() if self.amount is not None else None,
            "plan": self.plan,
            "at": iso_instant(self.at),
            "object_id": self.object_id,
            "url": self.url,
            "dedupe_key": self.dedupe_key,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class SignalRules:
    trial_ending: timedelta = TRIAL_ENDING
    renewal_upcoming: timedelta = RENEWAL_UPCOMING


def _invoice_signal(
    ledger: Ledger, kind: str, inv: Invoice, at: datetime, key: str, detail: str | None = None
) -> Signal:
    sub = ledger.subscriptions.get(inv.subscription_id or "")
    return Signal(
        kind=kind,
        account_id=ledger.customer_accounts.get(inv.customer_id),
        customer_id=inv.customer_id,
        amount=Money(inv.amount_due, inv.currency),
        plan=subscription_plan(ledger, sub) if sub is not None else None,
        at=at,
        object_id=inv.id,
        url=dashboard_url("invoices", inv.id, inv.livemode),
        dedupe_key=key,
        detail=detail,
    )


def _sub_signal(
    ledger: Ledger,
    kind: str,
    sub: Subscription,
    amount: Money | None,
    at: datetime,
    key: str,
    detail: str | None = None,
) -> Signal:
    return Signal(
        kind=kind,
        account_id=ledger.customer_accounts.get(sub.customer_id),
        customer_id=sub.customer_id,
        amount=amount,
        plan=subscription_plan(ledger, sub),
        at=at,
        object_id=sub.id,
        url=dashboard_url("subscriptions", sub.id, sub.livemode),
        dedupe_key=key,
        detail=detail,
    )


def invoice_signals(
    previous: Ledger, current: Ledger, previous_at: datetime, now: datetime
) -> list[Signal]:
    """payment_failed / payment_overdue / payment_recovered from invoice changes."""
    out: list[Signal] = []
    for inv in current.invoices.values():
        old = previous.invoices.get(inv.id)
        failures, old_failures = failure_count(inv), failure_count(old) if old else 0
        if failures > old_failures and inv.status == "open":
            key = f"payment_failed:{inv.id}:{failures}"
            out.append(_invoice_signal(current, "payment_failed", inv, now, key))
        was_overdue = old is not None and is_overdue(old, previous_at)
        if inv.collection_method == "send_invoice" and is_overdue(inv, now) and not was_overdue:
            key = f"payment_overdue:{inv.id}"
            out.append(_invoice_signal(current, "payment_overdue", inv, now, key))
        troubled = old is not None and (failure_count(old) > 0 or was_overdue)
        recovered = troubled and old is not None and old.status != "paid" and inv.status == "paid"
        if recovered or (old is None and _first_seen_recovered(inv, now)):
            key = f"payment_recovered:{inv.id}"
            out.append(_invoice_signal(current, "payment_recovered", inv, inv.paid_at or now, key))
    return out


def _first_seen_recovered(inv: Invoice, now: datetime) -> bool:
    """An invoice first seen already paid, lately, after failed attempts: its recovery.

    Events arrive in any order and a catch-up reads objects as they are now, so the
    failure may never be seen; the paid invoice still says attempts failed before it.
    """
    paid = inv.paid_at
    recent = paid is not None and timedelta(0) <= now - paid <= RECOVERED_LATELY
    return inv.status == "paid" and recent and failure_count(inv) > 0


def _ended(sub: Subscription) -> bool:
    return sub.status in ENDED_STATUSES or sub.ended_at is not None


def subscription_signals(previous: Ledger, current: Ledger, now: datetime) -> list[Signal]:
    """Cancellations (ended or newly scheduled), downgrades and upgrades."""
    out: list[Signal] = []
    for sub in current.subscriptions.values():
        old = previous.subscriptions.get(sub.id)
        if old is None:
            continue
        old_mrr = subscription_mrr(old, now, previous.prices)
        new_mrr = subscription_mrr(sub, now, current.prices)
        if _ended(sub) and not _ended(old) and sub.status != "incomplete_expired":
            immediate = (
                sub.canceled_at is None
                or sub.ended_at is None
                or (sub.ended_at - sub.canceled_at <= timedelta(minutes=1))
            )
            detail = "immediate" if immediate else "period_end"
            key = f"subscription_canceled:{sub.id}:ended"
            at = sub.ended_at or now
            out.append(_sub_signal(current, "subscription_canceled", sub, old_mrr, at, key, detail))
        elif scheduled_to_cancel(sub) and not scheduled_to_cancel(old):
            key = f"subscription_canceled:{sub.id}:scheduled"
            at = sub.canceled_at or now
            out.append(
                _sub_signal(current, "subscription_canceled", sub, new_mrr, at, key, "scheduled")
            )
        elif old_mrr.amount > 0 and new_mrr.amount > 0 and old_mrr != new_mrr:
            kind = (
                "subscription_upgraded"
                if new_mrr.amount > old_mrr.amount
                else ("subscription_downgraded")
            )
            key = f"{kind}:{sub.id}:{old_mrr.amount}->{new_mrr.amount}"
            detail = f"{old_mrr.decimal_str()} -> {new_mrr.decimal_str()}"
            out.append(_sub_signal(current, kind, sub, new_mrr - old_mrr, now, key, detail))
    return out


def _paying_subs(ledger: Ledger, account_id: str, now: datetime) -> list[Subscription]:
    subs = ledger.account_subscriptions(account_id)
    return [s for s in subs if subscription_mrr(s, now, ledger.prices).amount > 0]


def _ever_paid(ledger: Ledger, account_id: str) -> bool:
    """Whether the account paid anything in the snapshot (an invoice with money paid)."""
    return any(inv.amount_paid > 0 for inv in ledger.account_invoices(account_id))


def new_customer_signals(previous: Ledger, current: Ledger, now: datetime) -> list[Signal]:
    """Accounts paying now that neither paid nor had MRR in the previous snapshot."""
    out: list[Signal] = []
    for account_id in sorted(current.accounts):
        paying = _paying_subs(current, account_id, now)
        if not paying or _paying_subs(previous, account_id, now):
            continue
        if _ever_paid(previous, account_id):
            continue
        first = min(paying, key=lambda s: (s.start_date or s.created, s.id))
        out.append(
            Signal(
                kind="new_customer",
                account_id=account_id,
                customer_id=first.customer_id,
                amount=subscription_mrr(first, now, current.prices),
                plan=subscription_plan(current, first),
                at=first.start_date or now,
                object_id=first.customer_id,
                url=dashboard_url("customers", first.customer_id, first.livemode),
                dedupe_key=f"new_customer:{account_id}",
            )
        )
    return out


def upcoming_signals(current: Ledger, now: datetime, rules: SignalRules) -> list[Signal]:
    """trial_ending and renewal_upcoming for what falls within their windows from now."""
    out: list[Signal] = []
    for sub in current.subscriptions.values():
        trial_end = sub.trial_end if sub.status == "trialing" else None
        if trial_end is not None and timedelta(0) <= trial_end - now <= rules.trial_ending:
            key = f"trial_ending:{sub.id}:{trial_end.date().isoformat()}"
            amount = nominal_mrr(sub, trial_end, current.prices)
            out.append(_sub_signal(current, "trial_ending", sub, amount, trial_end, key))
        renews = renewal_date(sub)
        if renews is not None and now <= renews and renews - now <= rules.renewal_upcoming:
            key = f"renewal_upcoming:{sub.id}:{renews.date().isoformat()}"
            amount = next_charge(sub, renews, current.prices)
            out.append(_sub_signal(current, "renewal_upcoming", sub, amount, renews, key))
    return out


def derive_signals(
    previous: Ledger,
    current: Ledger,
    previous_at: datetime,
    now: datetime,
    rules: SignalRules = SignalRules(),
) -> list[Signal]:
    """Every signal between two snapshots, ordered by kind then time (deduplicated by key)."""
    found = [
        *invoice_signals(previous, current, previous_at, now),
        *subscription_signals(previous, current, now),
        *new_customer_signals(previous, current, now),
        *upcoming_signals(current, now, rules),
    ]
    unique = {s.dedupe_key: s for s in found}
    return sorted(unique.values(), key=lambda s: (SIGNAL_KINDS.index(s.kind), s.at, s.object_id))
