"""Every per-account billing figure in one frozen record (SPEC §7, §7b, §10b).

``account_figures`` computes them from a :class:`Ledger` at one "now";
``AccountFigures.to_json`` is exactly the ``revbot accounts list --json`` object
plus a few extra fields, and ``from_json`` reads it back losslessly so storage
can persist figures as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from billing.history import MonthPoint, account_history, ever_had_mrr, timelines_history
from billing.ledger import Ledger
from billing.models import Account, Invoice, Subscription
from billing.money import Money, money_list_json, sum_by_currency
from billing.mrr import subscription_mrr
from billing.overdue import OverdueInvoice, overdue_invoices, overdue_total, written_off
from billing.plan import plan_labels, plan_name
from billing.renewal_date import renewal_date, scheduled_to_cancel
from billing.status import has_ended, lifecycle, payment_status
from billing.timeline import SubTimeline, timeline_readers

SECONDS_PER_DAY = 86400


def nonzero(amounts: Sequence[Money]) -> tuple[Money, ...]:
    """Per-currency amounts without the zero ones (JSON lists omit empty currencies)."""
    return tuple(m for m in amounts if m.amount)


def synced_invoices(ledger: Ledger, account_id: str) -> list[Invoice]:
    """The account's invoices created inside the synced window (SPEC §7b)."""
    return [i for i in ledger.account_invoices(account_id) if i.created >= ledger.window_start]


def account_mrr(ledger: Ledger, subs: Sequence[Subscription], now: datetime) -> tuple[Money, ...]:
    return nonzero(sum_by_currency(subscription_mrr(s, now, ledger.prices) for s in subs))


def lifetime_revenue(invoices: Sequence[Invoice]) -> tuple[Money, ...]:
    """Σ(amount_paid − post_payment_credit_notes_amount) per currency, any status."""
    return nonzero(
        sum_by_currency(
            Money(i.amount_paid - i.post_payment_credit_notes_amount, i.currency) for i in invoices
        )
    )


def last_invoice_date(invoices: Sequence[Invoice]) -> date | None:
    dates = [i.created for i in invoices if i.status not in ("draft", "void")]
    return max(dates).date() if dates else None


def billing_start(subs: Sequence[Subscription]) -> datetime | None:
    starts = [s.start_date or s.created for s in subs]
    return min(starts) if starts else None


def _iso_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _monies(values: Sequence[dict[str, str]]) -> tuple[Money, ...]:
    return tuple(Money.from_json(v) for v in values)


@dataclass(frozen=True, slots=True)
class AccountFigures:
    """The billing figures of one account at one instant."""

    account: Account
    stripe_customer_ids: tuple[str, ...]
    mrr: tuple[Money, ...]
    arr: tuple[Money, ...]
    payment_status: str
    payment_status_reason: str
    overdue: tuple[Money, ...]
    max_days_overdue: int
    overdue_invoices: tuple[OverdueInvoice, ...]
    written_off: tuple[Money, ...]
    lifetime_revenue: tuple[Money, ...]
    last_invoice_date: date | None
    plan: str | None
    plan_labels: tuple[str, ...]
    renewal_date: date | None
    lifecycle: str
    scheduled_to_cancel: bool
    billing_started: date | None
    tenure_days: int | None
    mrr_history: tuple[tuple[str, tuple[Money, ...]], ...]
    # What people call the plan (product name), beside ``plan``'s SPEC label (lookup key first).
    plan_name: str | None = None
    # Coupons the account's discounts name that Stripe would not give: their discounts are
    # left out of MRR, ARR and the history, and every place showing those figures says so.
    unresolved_coupons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The SPEC §10b ``accounts list --json`` object plus extra fields."""
        return {
            "account": self.account.ref(),
            "stripe_customer_ids": list(self.stripe_customer_ids),
            "mrr": money_list_json(self.mrr),
            "arr": money_list_json(self.arr),
            "payment_status": self.payment_status,
            "payment_status_reason": self.payment_status_reason,
            "overdue": money_list_json(self.overdue),
            "max_days_overdue": self.max_days_overdue,
            "overdue_invoices": [o.to_json() for o in self.overdue_invoices],
            "written_off": money_list_json(self.written_off),
            "lifetime_revenue": money_list_json(self.lifetime_revenue),
            "last_invoice_date": _iso(self.last_invoice_date),
            "plan": self.plan,
            "plan_labels": list(self.plan_labels),
            "plan_name": self.plan_name,
            "renewal_date": _iso(self.renewal_date),
            "lifecycle": self.lifecycle,
            "scheduled_to_cancel": self.scheduled_to_cancel,
            "billing_started": _iso(self.billing_started),
            "tenure_days": self.tenure_days,
            "owner": self.account.owner,
            "external_id": self.account.external_id,
            "mrr_history": [
                {"month": month, "mrr": money_list_json(amounts)}
                for month, amounts in self.mrr_history
            ],
            "unresolved_coupons": list(self.unresolved_coupons),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AccountFigures:
        """Inverse of :meth:`to_json`."""
        ref = data["account"]
        return cls(
            account=Account(
                id=ref["id"],
                name=ref["name"],
                domain=ref.get("domain"),
                external_id=data.get("external_id"),
                owner=data.get("owner"),
            ),
            stripe_customer_ids=tuple(data["stripe_customer_ids"]),
            mrr=_monies(data["mrr"]),
            arr=_monies(data["arr"]),
            payment_status=data["payment_status"],
            payment_status_reason=data.get("payment_status_reason", ""),
            overdue=_monies(data["overdue"]),
            max_days_overdue=int(data["max_days_overdue"]),
            overdue_invoices=tuple(
                OverdueInvoice.from_json(o) for o in data.get("overdue_invoices", [])
            ),
            written_off=_monies(data.get("written_off", [])),
            lifetime_revenue=_monies(data["lifetime_revenue"]),
            last_invoice_date=_iso_day(data["last_invoice_date"]),
            plan=data["plan"],
            plan_labels=tuple(data.get("plan_labels", [])),
            plan_name=data.get("plan_name"),
            renewal_date=_iso_day(data["renewal_date"]),
            lifecycle=data["lifecycle"],
            scheduled_to_cancel=bool(data["scheduled_to_cancel"]),
            billing_started=_iso_day(data.get("billing_started")),
            tenure_days=data.get("tenure_days"),
            mrr_history=tuple((p["month"], _monies(p["mrr"])) for p in data["mrr_history"]),
            unresolved_coupons=tuple(data.get("unresolved_coupons", ())),
        )

    @classmethod
    def empty(cls, account: Account, customer_ids: Sequence[str] = ()) -> AccountFigures:
        """The figures of an account with no billing data (never synced, or no customers)."""
        return cls(
            account=account,
            stripe_customer_ids=tuple(sorted(customer_ids)),
            mrr=(),
            arr=(),
            payment_status="none",
            payment_status_reason="no billing data for this account",
            overdue=(),
            max_days_overdue=0,
            overdue_invoices=(),
            written_off=(),
            lifetime_revenue=(),
            last_invoice_date=None,
            plan=None,
            plan_labels=(),
            plan_name=None,
            renewal_date=None,
            lifecycle="none",
            scheduled_to_cancel=False,
            billing_started=None,
            tenure_days=None,
            mrr_history=(),
        )


def unresolved_coupons(ledger: Ledger, subs: Sequence[Subscription]) -> tuple[str, ...]:
    """Ids of the coupons known by id only among these subscriptions' discounts (their own,
    their items', and those no longer attached), sorted."""
    ids: set[str] = set()
    for sub in subs:
        discounts = (
            *sub.discounts,
            *(d for item in sub.items for d in item.discounts),
            *ledger.discounts_by_subscription.get(sub.id, ()),
        )
        ids.update(d.coupon.id for d in discounts if not d.coupon.known)
    return tuple(sorted(ids))


def _history(
    ledger: Ledger,
    account_id: str,
    now: datetime,
    timelines: Sequence[SubTimeline] | None,
) -> tuple[MonthPoint, ...]:
    if timelines is None:
        return tuple(account_history(ledger, account_id, now))
    subs = ledger.account_subscriptions(account_id)
    return tuple(timelines_history(ledger, subs, timeline_readers(subs, timelines), now))


def account_figures(
    ledger: Ledger,
    account_id: str,
    now: datetime,
    timelines: Sequence[SubTimeline] | None = None,
) -> AccountFigures:
    """All figures of ``account_id`` at ``now`` from synced data only.

    ``timelines`` (the account's, from ``billing.timeline.account_timelines`` on this
    ledger and ``now``) lets the month-end history be read off them instead of
    being rebuilt: sync step 6 computes them once for figures and facts.
    """
    account = ledger.accounts.get(account_id) or Account(id=account_id, name=account_id)
    subs = ledger.account_subscriptions(account_id)
    invoices = synced_invoices(ledger, account_id)
    mrr = account_mrr(ledger, subs, now)
    late = overdue_invoices(invoices, now)
    status, reason = payment_status(subs, invoices, now)
    labels = plan_labels(subs, ledger.prices, ledger.products)
    renews = renewal_date(subs)
    started = billing_start(subs)
    ever_paying = [s for s in subs if has_ended(s) and ever_had_mrr(ledger, s, now)]
    return AccountFigures(
        account=account,
        stripe_customer_ids=tuple(sorted(ledger.customers_by_account.get(account_id, []))),
        mrr=mrr,
        arr=tuple(m.times(12) for m in mrr),
        payment_status=status,
        payment_status_reason=reason,
        overdue=nonzero(overdue_total(late)),
        max_days_overdue=max((o.days_overdue for o in late), default=0),
        overdue_invoices=tuple(late),
        written_off=tuple(written_off(invoices)),
        lifetime_revenue=lifetime_revenue(invoices),
        last_invoice_date=last_invoice_date(invoices),
        plan=labels[0] if labels else None,
        plan_labels=tuple(labels),
        plan_name=plan_name(subs, ledger.prices, ledger.products),
        renewal_date=renews.date() if renews else None,
        lifecycle=lifecycle(subs, ever_paying),
        scheduled_to_cancel=any(scheduled_to_cancel(s) for s in subs),
        billing_started=started.date() if started else None,
        tenure_days=(int((now - started).total_seconds() // SECONDS_PER_DAY) if started else None),
        mrr_history=tuple(
            (month, tuple(amounts))
            for month, amounts in _history(ledger, account_id, now, timelines)
        ),
        unresolved_coupons=unresolved_coupons(ledger, subs),
    )
