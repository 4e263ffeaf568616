"""Precomputed answer facts: the workspace lists questions read without loading a ledger.

At the end of a sync (step 6) :func:`iter_workspace_facts` turns the whole synced
window into small rows — failed payments, cancellations, changes, account MRR
steps, trials, renewals, overdue invoices, … — each with a kind, an account,
an instant and amounts. Storage keeps them indexed by kind and time so a
question is one or two indexed reads (SPEC §13: p95 < 50 ms at 10k accounts).
Anything that depends on the as-of instant (days overdue, rolling windows,
movements between two instants) is recomputed at question time from these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from billing.cancellations import cancellations, scheduled_cancellations
from billing.changes import subscription_changes
from billing.failed_payments import failed_payments, failure_times
from billing.figures import account_mrr, billing_start, lifetime_revenue, synced_invoices
from billing.json_values import instant_from_iso, iso_instant
from billing.ledger import Ledger
from billing.money import Money
from billing.new_customers import first_paying_at
from billing.overdue import is_overdue, overdue_since
from billing.periods import Period
from billing.plan_labels import subscription_plan
from billing.renewals import renewals
from billing.risk import PAYMENT_FAILED, arr_if_counted, open_failure_times, risk_reason
from billing.status import payment_status
from billing.step_movements import POINT_BEFORE, Step, point_instants, step_movements
from billing.timeline import SubTimeline, account_timelines
from billing.totals import workspace_history
from billing.trials import trials
from billing.upsell import MrrStep, UpsellRules, expansion_dates, is_upsell_candidate

# How far ahead renewals are precomputed (a year covers every "next N days").
RENEWAL_HORIZON = timedelta(days=400)
SECONDS_PER_DAY = 86400
MonthAmount = tuple[str, str, int]  # (YYYY-MM, currency, minor units)


class Kind:
    """Fact kinds (stored as strings)."""

    WINDOW = "window"  # one per workspace: at = window start, until = computed at
    FAILED_PAYMENT = "failed_payment"
    OVERDUE = "overdue"
    WRITTEN_OFF = "written_off"
    CANCELLATION = "cancellation"
    SCHEDULED_CANCELLATION = "scheduled_cancellation"
    DOWNGRADE = "downgrade"
    UPGRADE = "upgrade"
    MRR_STEP = "mrr_step"  # account MRR in one currency from ``at`` on (amount), before (amount2)
    FIRST_PAYING = "first_paying"  # when an account first had MRR > 0
    ACCOUNT_MRR = "account_mrr"  # current MRR per account and currency
    LIFETIME = "lifetime_revenue"  # per account and currency
    WORKSPACE_POINT = "workspace_mrr_point"  # month-end workspace MRR per currency
    RISK = "risk_subscription"
    RENEWAL = "renewal"
    TRIAL = "trial"
    UPSELL = "upsell"
    # an account's movement over a whole ended UTC month: at = month start, until = next
    # month start, amount = MRR after, amount2 = before, object_id = the movement kind
    MOVEMENT = "movement"
    MOVEMENT_MONTH = "movement_month"  # marks a month whose movements are all stored


@dataclass(frozen=True, slots=True)
class Fact:
    """One precomputed row; ``amount``/``amount2`` are minor units of ``currency``."""

    kind: str
    account_id: str | None
    at: datetime | None = None
    until: datetime | None = None
    currency: str | None = None
    amount: int | None = None
    amount2: int | None = None
    object_id: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    def money(self) -> Money | None:
        if self.amount is None or self.currency is None:
            return None
        return Money(self.amount, self.currency)

    def failure_instants(self) -> list[datetime]:
        """The failure instants a failed-payment or risk fact carries, oldest first."""
        return [instant_from_iso(value) for value in self.payload.get("failure_times", [])]

    def failed_between(self, start: datetime, end: datetime) -> bool:
        """Whether one of its failures lies in ``[start, end)``."""
        return any(start <= at < end for at in self.failure_instants())


def _failed_payment_facts(ledger: Ledger, now: datetime) -> Iterable[Fact]:
    everything = Period(min(ledger.window_start, now) - timedelta(days=3650), now + timedelta(1))
    for row in failed_payments(ledger, everything):
        invoice = ledger.invoices[row.invoice_id]
        times = failure_times(invoice)
        # Only what answers read back: the invoice, amount, first and last failure are
        # the row's own columns (object_id, amount, at, until); "recovered" is the status.
        payload = {
            "number": row.number,
            "failed_attempts": row.failed_attempts,
            "status": row.status,
            "subscription": row.subscription_id,
            "failure_times": [iso_instant(t) for t in times],
        }
        yield Fact(
            Kind.FAILED_PAYMENT,
            row.account.id,
            at=row.first_failed_at,
            until=row.last_failed_at,
            currency=row.amount.currency,
            amount=row.amount.amount,
            object_id=row.invoice_id,
            payload=payload,
        )


def _invoice_facts(ledger: Ledger, now: datetime) -> Iterable[Fact]:
    """Overdue invoices (lateness counted from ``at``) and written-off ones."""
    for account_id in ledger.accounts:
        for inv in synced_invoices(ledger, account_id):
            payload = {
                "number": inv.number,
                "collection_method": inv.collection_method,
                "due_date": inv.due_date.date().isoformat() if inv.due_date else None,
                "subscription": inv.subscription_id,
                "status": inv.status,
            }
            if is_overdue(inv, now):
                yield Fact(
                    Kind.OVERDUE,
                    account_id,
                    at=overdue_since(inv),
                    currency=inv.currency,
                    amount=inv.amount_remaining,
                    object_id=inv.id,
                    payload=payload,
                )
            elif inv.status == "uncollectible" and inv.amount_remaining > 0:
                yield Fact(
                    Kind.WRITTEN_OFF,
                    account_id,
                    at=inv.marked_uncollectible_at or inv.created,
                    currency=inv.currency,
                    amount=inv.amount_remaining,
                    object_id=inv.id,
                    payload=payload,
                )


def _cancellation_facts(ledger: Ledger, now: datetime) -> Iterable[Fact]:
    everything = Period(min(ledger.window_start, now) - timedelta(days=3650), now + timedelta(1))
    for row in cancellations(ledger, everything, now):
        yield Fact(
            Kind.CANCELLATION,
            row.account.id,
            at=row.ended_at,
            currency=row.mrr_lost.currency,
            amount=row.mrr_lost.amount,
            object_id=row.subscription_id,
            payload={
                "plan": row.plan,
                "canceled_at": iso_instant(row.canceled_at),
                "ended_at": iso_instant(row.ended_at),
                "kind": row.kind,
            },
        )
    for sched in scheduled_cancellations(ledger, now):
        yield Fact(
            Kind.SCHEDULED_CANCELLATION,
            sched.account.id,
            at=sched.ends_on,
            currency=sched.mrr.currency,
            amount=sched.mrr.amount,
            object_id=sched.subscription_id,
            payload={
                "plan": sched.plan,
                "requested_at": iso_instant(sched.requested_at),
                "kind": sched.kind,
            },
        )


def _change_facts(
    ledger: Ledger, now: datetime, timelines: dict[str, list[SubTimeline]]
) -> Iterable[Fact]:
    everything = Period(min(ledger.window_start, now) - timedelta(days=1), now + timedelta(1))
    for change in subscription_changes(ledger, everything, now, timelines):
        yield Fact(
            Kind.DOWNGRADE if change.direction == "downgrade" else Kind.UPGRADE,
            change.account.id,
            at=change.at,
            currency=change.mrr_after.currency,
            amount=change.mrr_after.amount,
            amount2=change.mrr_before.amount,
            object_id=change.subscription_id,
            payload={"plan": change.plan, "kind": change.kind},
        )


def account_steps(timelines: Sequence[SubTimeline]) -> list[MrrStep]:
    """``(at, currency, after, before)`` changes of an account's MRR per currency.

    ``at`` is when the value takes effect (a timeline's billed instant), so the
    account's MRR at t is the ``after`` of its last step at or before t.
    """
    instants: set[datetime] = set()
    for timeline in timelines:
        instants.add(timeline.start)
        instants.update(step.billed_at for step in timeline.steps)
    current: dict[str, int] = {}
    out: list[MrrStep] = []
    for instant in sorted(instants):
        values: dict[str, int] = {}
        for timeline in timelines:
            value = timeline.value_at(instant)
            values[value.currency] = values.get(value.currency, 0) + value.amount
        for code in sorted(set(values) | set(current)):
            before, after = current.get(code, 0), values.get(code, 0)
            if before != after:
                out.append((instant, code, after, before))
                current[code] = after
    return out


def _step_facts(account_id: str, timelines: Sequence[SubTimeline], now: datetime) -> list[Fact]:
    steps = account_steps(timelines)
    facts = [
        Fact(Kind.MRR_STEP, account_id, at=at, currency=code, amount=after, amount2=before)
        for at, code, after, before in steps
    ]
    first = first_paying_at(timelines)
    if first is not None:
        facts.append(Fact(Kind.FIRST_PAYING, account_id, at=first))
    stored = [(at, code, after) for at, code, after, _ in steps]
    facts.extend(_movement_facts(account_id, stored, first, now))
    return facts


def month_start(instant: datetime) -> datetime:
    """The first instant of the UTC calendar month holding ``instant``."""
    utc = instant.astimezone(UTC)
    return datetime(utc.year, utc.month, 1, tzinfo=UTC)


def next_month(start: datetime) -> datetime:
    """The first instant of the UTC month after the one starting at ``start``."""
    return month_start(start + timedelta(days=32))


def _moved_in(steps: Sequence[Step], now: datetime) -> list[datetime]:
    """Starts of the ended months with a step between their opening and closing points."""
    months: set[datetime] = set()
    for at, _, _ in steps:
        for start in {month_start(at), month_start(at + POINT_BEFORE)}:
            end = next_month(start)
            opening, closing = point_instants(start, end, now)
            if end < now and opening < at <= closing:
                months.add(start)
    return sorted(months)


def _movement_facts(
    account_id: str, steps: Sequence[Step], first: datetime | None, now: datetime
) -> Iterable[Fact]:
    """The account's movements in every ended month where its MRR changed (the same rows
    a question over that month computes from the steps)."""
    for start in _moved_in(steps, now):
        end = next_month(start)
        opening, closing = point_instants(start, end, now)
        for code, kind, before, after in step_movements(steps, first, opening, closing):
            yield Fact(
                Kind.MOVEMENT,
                account_id,
                at=start,
                until=end,
                currency=code,
                amount=after,
                amount2=before,
                object_id=kind,
            )


def _movement_months(
    first_step: datetime | None, window_start: datetime, now: datetime
) -> Iterable[Fact]:
    """Markers of the ended months whose movements are all stored: every month from the
    first MRR step (or the window start) to the last one that has ended."""
    start = month_start(min(window_start, first_step or window_start))
    while next_month(start) < now:
        end = next_month(start)
        yield Fact(Kind.MOVEMENT_MONTH, None, at=start, until=end, object_id=f"{start:%Y-%m}")
        start = end


def _account_facts(
    ledger: Ledger, now: datetime, timelines: dict[str, list[SubTimeline]], rules: UpsellRules
) -> Iterable[Fact]:
    for account_id in sorted(ledger.accounts):
        subs = ledger.account_subscriptions(account_id)
        invoices = synced_invoices(ledger, account_id)
        mrr = account_mrr(ledger, subs, now)
        for money in mrr:
            yield Fact(
                Kind.ACCOUNT_MRR, account_id, at=now, currency=money.currency, amount=money.amount
            )
        for money in lifetime_revenue(invoices):
            yield Fact(
                Kind.LIFETIME, account_id, at=now, currency=money.currency, amount=money.amount
            )
        subs_timelines = timelines.get(account_id, [])
        yield from _step_facts(account_id, subs_timelines, now)
        upsell = _upsell_fact(ledger, account_id, now, subs_timelines, mrr, rules)
        if upsell is not None:
            yield upsell


def _upsell_fact(
    ledger: Ledger,
    account_id: str,
    now: datetime,
    timelines: Sequence[SubTimeline],
    mrr: Sequence[Money],
    rules: UpsellRules,
) -> Fact | None:
    """SPEC §7 upsell: paying, tenure ≥ N days, grown since start, no recent expansion."""
    if not mrr:
        return None
    subs = ledger.account_subscriptions(account_id)
    status, _ = payment_status(subs, synced_invoices(ledger, account_id), now)
    started = billing_start(subs)
    if started is None:
        return None
    tenure = int((now - started).total_seconds() // SECONDS_PER_DAY)
    expansions = expansion_dates(account_steps(timelines))
    if not is_upsell_candidate(status, mrr, tenure, expansions, now, rules):
        return None
    top = max(mrr, key=lambda m: m.amount)
    return Fact(
        Kind.UPSELL,
        account_id,
        at=max(expansions),
        currency=top.currency,
        amount=top.amount,
        payload={
            "mrr": [m.to_json() for m in mrr],
            "tenure_days": tenure,
            "expansions": [at.date().isoformat() for at in expansions],
        },
    )


def _risk_facts(ledger: Ledger, now: datetime) -> Iterable[Fact]:
    """Subscriptions that may put ARR at risk: past_due/unpaid, or with a failed open invoice.

    Which ones count depends on the question's period (a failure in it), so
    the failure instants travel in the payload.
    """
    for sub in ledger.subscriptions.values():
        account = ledger.account_of_customer(sub.customer_id)
        if account is None:
            continue
        failed = open_failure_times(ledger, sub)
        reason = risk_reason(sub.status, failed)
        if reason is None:
            continue
        arr = arr_if_counted(ledger, sub, now)
        # past_due/unpaid count in every period: undated; others only when a failure falls in it
        dated = reason == PAYMENT_FAILED
        yield Fact(
            Kind.RISK,
            account.id,
            at=min(failed) if dated else None,
            until=max(failed) if dated else None,
            currency=arr.currency,
            amount=arr.amount,
            object_id=sub.id,
            payload={
                "status": sub.status,
                "plan": subscription_plan(ledger, sub),
                "failure_times": [iso_instant(t) for t in failed],
            },
        )


def _forward_facts(ledger: Ledger, now: datetime) -> Iterable[Fact]:
    for renewal in renewals(ledger, Period(now, now + RENEWAL_HORIZON)):
        yield Fact(
            Kind.RENEWAL,
            renewal.account.id,
            at=renewal.date,
            currency=renewal.amount.currency,
            amount=renewal.amount.amount,
            object_id=renewal.subscription_id,
            payload={"status": renewal.status, "plan": renewal.plan},
        )
    for trial in trials(ledger, now):
        yield Fact(
            Kind.TRIAL,
            trial.account.id,
            at=trial.trial_end,
            currency=trial.mrr_after_trial.currency,
            amount=trial.mrr_after_trial.amount,
            object_id=trial.subscription_id,
            payload={"plan": trial.plan},
        )


def _workspace_points(
    ledger: Ledger, now: datetime, timelines: dict[str, list[SubTimeline]]
) -> Iterable[MonthAmount]:
    """Month-end workspace MRR (:func:`billing.totals.workspace_history`)."""
    for month, amounts in workspace_history(ledger, now, timelines):
        for money in amounts:
            yield month, money.currency, money.amount


WORKSPACE_KINDS = frozenset({Kind.WINDOW, Kind.WORKSPACE_POINT, Kind.MOVEMENT_MONTH})
"""Kinds that describe the whole workspace; every other fact belongs to one account."""
ACCOUNT_KINDS = tuple(
    sorted(
        value
        for name, value in vars(Kind).items()
        if not name.startswith("_") and isinstance(value, str) and value not in WORKSPACE_KINDS
    )
)


def iter_account_facts(
    ledger: Ledger,
    now: datetime,
    upsell: UpsellRules | None = None,
    *,
    timelines: dict[str, list[SubTimeline]] | None = None,
) -> Iterator[Fact]:
    """The facts of the accounts in ``ledger`` (every kind but :data:`WORKSPACE_KINDS`).

    An account's facts read only its own customers' objects, so a ledger holding a
    few accounts (an incremental recompute) yields exactly the facts the whole
    workspace's ledger yields for them. ``timelines`` are ``account_timelines(ledger,
    now)`` when the caller has them.
    """
    rules = upsell or UpsellRules()
    if timelines is None:
        timelines = account_timelines(ledger, now)
    yield from _failed_payment_facts(ledger, now)
    yield from _invoice_facts(ledger, now)
    yield from _cancellation_facts(ledger, now)
    yield from _change_facts(ledger, now, timelines)
    yield from _account_facts(ledger, now, timelines, rules)
    yield from _risk_facts(ledger, now)
    yield from _forward_facts(ledger, now)


def workspace_level_facts(
    window_start: datetime,
    now: datetime,
    points: Iterable[MonthAmount],
    first_step: datetime | None,
) -> Iterator[Fact]:
    """The workspace's own facts, from its accounts' rows: the window, month-end
    workspace MRR (``points``: the sum of the accounts' month-end MRR, by month and
    currency) and the markers of the months whose movements are stored (from the
    earliest account MRR step, ``first_step``)."""
    yield Fact(Kind.WINDOW, None, at=window_start, until=now)
    for month, code, amount in sorted(points):
        if amount:
            yield Fact(Kind.WORKSPACE_POINT, None, currency=code, amount=amount, object_id=month)
    yield from _movement_months(first_step, window_start, now)


def iter_workspace_facts(
    ledger: Ledger,
    now: datetime,
    upsell: UpsellRules | None = None,
    *,
    timelines: dict[str, list[SubTimeline]] | None = None,
) -> Iterator[Fact]:
    """Every fact questions need about the workspace in ``ledger`` at ``now``, one at a
    time: the accounts' facts, then the workspace's
    (sync step 6 writes them as they come, so 250k facts of a 10k-account workspace are
    never all held).

    ``timelines`` are ``account_timelines(ledger, now)`` when the caller has them.
    """
    if timelines is None:
        timelines = account_timelines(ledger, now)
    first_step: datetime | None = None
    for fact in iter_account_facts(ledger, now, upsell, timelines=timelines):
        if fact.kind == Kind.MRR_STEP and fact.at is not None:
            first_step = fact.at if first_step is None else min(first_step, fact.at)
        yield fact
    points = _workspace_points(ledger, now, timelines)
    yield from workspace_level_facts(ledger.window_start, now, points, first_step)
