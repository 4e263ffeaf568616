"""Every MRR change of a subscription over synced history, with when it happened.

Month-end history (:mod:`billing.history`) answers "what was the MRR at t";
lists of changes (downgrades, upgrades, new customers over rolling windows)
need the instants where that value changes. The value can only change where
one of its inputs does: an invoice line's service period starts or ends, a
discount starts or ends, the subscription starts, leaves its trial or ends,
or "now" (from then on the current status and items decide). Evaluating
``subscription_mrr_at`` at each such instant gives the exact step function.

A mid-period change is billed as proration lines whose service period starts
at the moment of the change and ends where the next full line begins; the
step found at that boundary is dated back to the proration start
(``at``), while ``billed_at`` keeps the instant month-end figures use.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from billing.history import subscription_mrr_at
from billing.ledger import Ledger
from billing.models import Discount, Subscription
from billing.money import Money


@dataclass(frozen=True, slots=True)
class Step:
    """The subscription's MRR went from ``before`` to ``after``."""

    at: datetime
    billed_at: datetime
    before: Money
    after: Money
    kind: str  # start | end | change | discount_start | discount_end

    @property
    def delta(self) -> Money:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class SubTimeline:
    """MRR of one subscription from the start of synced history to now."""

    sub: Subscription
    start: datetime
    initial: Money
    steps: tuple[Step, ...]

    def value_at(self, at: datetime) -> Money:
        """MRR in force at ``at`` (the value of the last step billed at or before it).

        Before synced history starts nothing is known, so it is 0 there: MRR
        present at the window start is "first MRR ever in synced history".
        """
        if at < self.start:
            return Money.zero(self.sub.currency)
        index = bisect_right([s.billed_at for s in self.steps], at)
        return self.steps[index - 1].after if index else self.initial

    def first_positive(self) -> datetime | None:
        """When the subscription first had MRR > 0 in synced history."""
        if self.initial.amount > 0:
            return self.start
        return next((s.at for s in self.steps if s.after.amount > 0), None)


def sub_discounts(ledger: Ledger, sub: Subscription) -> list[Discount]:
    """Every discount known to touch ``sub``: its own, its items', and those billed on it."""
    found: dict[str, Discount] = {d.id: d for d in sub.discounts}
    for item in sub.items:
        found.update({d.id: d for d in item.discounts})
    found.update({d.id: d for d in ledger.discounts_by_subscription.get(sub.id, ())})
    for invoice in ledger.invoices_by_subscription.get(sub.id, []):
        for discount_id in invoice.discount_ids:
            if discount_id in ledger.discounts:
                found.setdefault(discount_id, ledger.discounts[discount_id])
        for line in invoice.lines:
            for discount_id in line.discount_ids:
                if discount_id in ledger.discounts:
                    found.setdefault(discount_id, ledger.discounts[discount_id])
    return list(found.values())


def _line_bounds(ledger: Ledger, sub: Subscription) -> Iterable[datetime | None]:
    for invoice in ledger.invoices_by_subscription.get(sub.id, []):
        for line in invoice.lines:
            yield line.period_start
            yield line.period_end


def candidate_instants(
    ledger: Ledger, sub: Subscription, start: datetime, now: datetime
) -> list[datetime]:
    """Instants in ``(start, now]`` where the MRR of ``sub`` may change."""
    found: set[datetime | None] = {
        sub.start_date or sub.created,
        sub.trial_start,
        sub.trial_end,
        sub.ended_at,
        now,
    }
    found.update(_line_bounds(ledger, sub))
    for discount in sub_discounts(ledger, sub):
        found.update((discount.start, discount.end))
    return sorted(t for t in found if t is not None and start < t <= now)


def proration_starts(ledger: Ledger, sub: Subscription) -> dict[datetime, datetime]:
    """For each end of a positive proration line, the earliest start: the change moment."""
    out: dict[datetime, datetime] = {}
    for invoice in ledger.invoices_by_subscription.get(sub.id, []):
        if invoice.status in ("draft", "void"):
            continue
        for line in invoice.lines:
            if not line.proration or line.amount <= 0:
                continue
            if line.period_start is None or line.period_end is None:
                continue
            if line.period_start < line.period_end:
                known = out.get(line.period_end)
                out[line.period_end] = min(known, line.period_start) if known else line.period_start
    return out


def _kind(before: Money, after: Money, at: datetime, discounts: list[Discount]) -> str:
    if before.amount == 0:
        return "start"
    if after.amount == 0:
        return "end"
    if after.amount < before.amount and any(d.start == at for d in discounts):
        return "discount_start"
    if after.amount > before.amount and any(d.end == at for d in discounts):
        return "discount_end"
    return "change"


def subscription_timeline(ledger: Ledger, sub: Subscription, now: datetime) -> SubTimeline:
    """The step function of ``sub``'s MRR from ``ledger.window_start`` to ``now``."""
    start = min(ledger.window_start, now)
    initial = subscription_mrr_at(ledger, sub, start, now)
    discounts = sub_discounts(ledger, sub)
    prorations = proration_starts(ledger, sub)
    steps: list[Step] = []
    current = initial
    for instant in candidate_instants(ledger, sub, start, now):
        value = subscription_mrr_at(ledger, sub, instant, now)
        if value == current:
            continue
        kind = _kind(current, value, instant, discounts)
        at = instant
        if kind == "change" and instant in prorations:
            at = max(prorations[instant], steps[-1].billed_at if steps else start)
        steps.append(Step(at, instant, current, value, kind))
        current = value
    return SubTimeline(sub, start, initial, tuple(steps))


# Memo entries only a timeline's own construction reads again (see ``forget``).
_PER_SUBSCRIPTION_MEMO = frozenset({"mrr_at", "mrr_now", "billed_lines"})


def account_timelines(
    ledger: Ledger,
    now: datetime,
    account_ids: Iterable[str] | None = None,
    *,
    forget: bool = False,
) -> dict[str, list[SubTimeline]]:
    """Timelines of every subscription of each account (all accounts by default).

    ``forget`` drops each account's memoised per-subscription results (MRR at each
    instant, billed lines) once its timelines are built, keeping the shared price
    results: for a caller that reads MRR off the timelines from then on, it bounds
    memory by one account's instants instead of the whole workspace's.
    """
    ids = list(ledger.accounts) if account_ids is None else list(account_ids)
    out: dict[str, list[SubTimeline]] = {}
    for account_id in ids:
        out[account_id] = [
            subscription_timeline(ledger, sub, now)
            for sub in sorted(ledger.account_subscriptions(account_id), key=lambda s: s.id)
        ]
        if forget:
            memo = ledger.memo
            for key in [k for k in memo if isinstance(k, tuple) and k[0] in _PER_SUBSCRIPTION_MEMO]:
                del memo[key]
    return out


Timelines = Mapping[str, list[SubTimeline]]
ValueReader = Callable[[datetime], Money | None]


def timeline_readers(
    subs: Sequence[Subscription], timelines: Iterable[SubTimeline]
) -> list[ValueReader | None]:
    """For each of ``subs``, its MRR at an instant read off its timeline (None before the
    timeline starts); None for a subscription without a timeline built from that very
    object (``billing.history.timelines_history`` then asks ``subscription_mrr_at``)."""
    by_sub = {tl.sub.id: tl for tl in timelines}
    out: list[ValueReader | None] = []
    for sub in subs:
        found = by_sub.get(sub.id)
        out.append(_reader(found) if found is not None and found.sub is sub else None)
    return out


def _reader(timeline: SubTimeline) -> ValueReader:
    def value_at(at: datetime) -> Money | None:
        return timeline.value_at(at) if at >= timeline.start else None

    return value_at
