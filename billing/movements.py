"""MRR movements per account and currency over a period (SPEC §7, §7b "Movements").

A period is compared end to end: the MRR in force just before it starts (the
previous period's end) against the MRR at its end (now for the current
period). Each account's change in each currency is one movement:

- ``new``: 0 → >0 for an account that never had MRR before in synced history;
- ``reactivation``: 0 → >0 for an account that had MRR before, then none;
- ``expansion`` / ``contraction``: the MRR rose / fell and stayed > 0 (a
  discount starting is a contraction, one ending an expansion; a second
  subscription — even in another currency — on a paying account expands it);
- ``churn``: >0 → 0 (cancellation, ``unpaid``, ``pause_collection``).

So per currency: start + new + expansion + reactivation − contraction − churn
= end. Churn rate = churned MRR ÷ MRR at the previous period end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from fractions import Fraction
from typing import Any

from billing.json_values import account_ref
from billing.ledger import Ledger
from billing.models import Account
from billing.money import Money, sum_by_currency
from billing.new_customers import first_paying_at
from billing.periods import Period, last_n_months, week_periods
from billing.timeline import SubTimeline, Timelines, account_timelines

KINDS = ("new", "expansion", "reactivation", "contraction", "churn")
# Month-end points are taken at 23:59:59 (SPEC §7b "History").
POINT_BEFORE = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Movement:
    account: Account
    kind: str
    before: Money
    after: Money

    @property
    def amount(self) -> Money:
        """The size of the movement, always >= 0."""
        delta = self.after - self.before
        return delta if delta.amount >= 0 else -delta

    @property
    def signed(self) -> Money:
        """The movement's effect on MRR (negative for contraction and churn)."""
        return self.after - self.before

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "kind": self.kind,
            "amount": self.amount.to_json(),
            "from": self.before.to_json(),
            "to": self.after.to_json(),
        }


@dataclass(frozen=True, slots=True)
class ChurnRate:
    currency: str
    churned: Money
    mrr_at_start: Money

    @property
    def fraction(self) -> Fraction:
        if self.mrr_at_start.amount <= 0:
            return Fraction(0)
        return Fraction(self.churned.amount, self.mrr_at_start.amount)

    @property
    def percent(self) -> float:
        return round(float(self.fraction * 100), 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "churned_mrr": self.churned.to_json(),
            "mrr_at_start": self.mrr_at_start.to_json(),
            "fraction": f"{self.fraction.numerator}/{self.fraction.denominator}",
            "value": round(float(self.fraction), 6),
            "percent": self.percent,
        }


@dataclass(frozen=True, slots=True)
class MovementReport:
    """Every account's movement over one period, with the MRR at both ends."""

    period: Period
    movements: tuple[Movement, ...]
    mrr_at_start: tuple[Money, ...]
    mrr_at_end: tuple[Money, ...]

    def of_kind(self, kind: str) -> list[Movement]:
        return [m for m in self.movements if m.kind == kind]

    def totals(self) -> dict[str, list[Money]]:
        return {kind: sum_by_currency(m.amount for m in self.of_kind(kind)) for kind in KINDS}

    def churn_rates(self) -> list[ChurnRate]:
        start = {m.currency: m for m in self.mrr_at_start}
        churned = {m.currency: m for m in sum_by_currency(x.amount for x in self.of_kind("churn"))}
        return [
            ChurnRate(code, churned.get(code, Money.zero(code)), start.get(code, Money.zero(code)))
            for code in sorted(set(start) | set(churned))
        ]

    def reconciles(self) -> bool:
        """start + growth − losses = end, per currency."""
        start = {m.currency: m.amount for m in self.mrr_at_start}
        end = {m.currency: m.amount for m in self.mrr_at_end}
        for move in self.movements:
            code = move.after.currency
            start[code] = start.get(code, 0) + move.signed.amount
        codes = set(start) | set(end)
        return all(start.get(c, 0) == end.get(c, 0) for c in codes)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"period": self.period.to_json()}
        for kind in KINDS:
            out[kind] = [m.to_json() for m in self.of_kind(kind)]
        out["totals"] = {k: [m.to_json() for m in v] for k, v in self.totals().items()}
        out["mrr_at_start"] = [m.to_json() for m in self.mrr_at_start]
        out["mrr_at_end"] = [m.to_json() for m in self.mrr_at_end]
        out["churned_mrr"] = out["totals"]["churn"]
        out["churn_rate"] = [r.to_json() for r in self.churn_rates()]
        return out


def point_instants(period: Period, now: datetime) -> tuple[datetime, datetime]:
    """The instants whose MRR opens and closes ``period`` (the end is now at the latest)."""
    opening = period.start - POINT_BEFORE
    closing = now if period.end >= now else period.end - POINT_BEFORE
    return opening, max(opening, closing)


def by_currency(timelines: Iterable[SubTimeline], at: datetime) -> dict[str, Money]:
    totals = sum_by_currency(t.value_at(at) for t in timelines)
    return {m.currency: m for m in totals}


def classify(before: Money, after: Money, paying_elsewhere: bool, paid_before: bool) -> str | None:
    """The movement kind of one account-currency change, None when unchanged."""
    if before.amount == after.amount:
        return None
    if before.amount == 0:
        if paying_elsewhere:
            return "expansion"
        return "reactivation" if paid_before else "new"
    if after.amount == 0:
        return "churn"
    return "expansion" if after.amount > before.amount else "contraction"


def account_movements(
    account: Account, timelines: list[SubTimeline], period: Period, now: datetime
) -> list[Movement]:
    """Movements of one account over ``period``, one per currency that changed."""
    opening, closing = point_instants(period, now)
    start = by_currency(timelines, opening)
    end = by_currency(timelines, closing)
    first = first_paying_at(timelines)
    paid_before = first is not None and first <= opening
    out: list[Movement] = []
    for code in sorted(set(start) | set(end)):
        before = start.get(code, Money.zero(code))
        after = end.get(code, Money.zero(code))
        elsewhere = any(m.amount > 0 for c, m in start.items() if c != code)
        kind = classify(before, after, elsewhere, paid_before)
        if kind is not None:
            out.append(Movement(account, kind, before, after))
    return out


def movements(
    ledger: Ledger, period: Period, now: datetime, timelines: Timelines | None = None
) -> MovementReport:
    """Movements of every account over ``period``, ordered by kind, size, then name."""
    timelines = timelines if timelines is not None else account_timelines(ledger, now)
    opening, closing = point_instants(period, now)
    rows: list[Movement] = []
    start: list[Money] = []
    end: list[Money] = []
    for account_id, subs in timelines.items():
        account = ledger.accounts.get(account_id)
        if account is None:
            continue
        rows.extend(account_movements(account, subs, period, now))
        start.extend(by_currency(subs, opening).values())
        end.extend(by_currency(subs, closing).values())
    rows.sort(key=lambda m: (KINDS.index(m.kind), -m.amount.amount, m.account.name.lower()))
    return MovementReport(
        period,
        tuple(rows),
        tuple(m for m in sum_by_currency(start) if m.amount),
        tuple(m for m in sum_by_currency(end) if m.amount),
    )


def monthly_movements(
    ledger: Ledger, now: datetime, months: int = 12, tz: tzinfo | None = None
) -> list[MovementReport]:
    """One report per calendar month, oldest first, ending with the current month."""
    timelines = account_timelines(ledger, now)
    periods = last_n_months(now, months) if tz is None else last_n_months(now, months, tz)
    return [movements(ledger, p, now, timelines) for p in periods]


def weekly_movements(
    ledger: Ledger, period: Period, now: datetime, tz: tzinfo | None = None
) -> list[MovementReport]:
    """One report per calendar week overlapping ``period``."""
    timelines = account_timelines(ledger, now)
    weeks = week_periods(period) if tz is None else week_periods(period, tz)
    return [movements(ledger, w, now, timelines) for w in weeks]
