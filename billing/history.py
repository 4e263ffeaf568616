"""Month-end MRR history rebuilt from invoice lines (SPEC §7 "MRR history", §7b "History").

A past month's point is the MRR at its last instant (23:59:59 UTC on the last
day); the current month's point is the MRR now. At a past instant the
subscription's status then decides (not yet started, trialing, ended → 0) and
the amount comes from the non-proration invoice lines whose service period
holds the instant: their price, quantity and discounts. Today's items are
never projected backwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta

from billing.ledger import Ledger
from billing.models import Discount, Invoice, InvoiceLine, Subscription
from billing.money import Money, sum_by_currency
from billing.mrr import (
    PricedLine,
    current_lines,
    discount_active,
    full_price,
    lines_mrr,
    subscription_mrr,
)

MonthPoint = tuple[str, list[Money]]


def month_ends(now: datetime, months: int = 12) -> list[tuple[str, datetime]]:
    """``(YYYY-MM, instant)`` oldest first: past months at 23:59:59 UTC of their last
    day, the month holding ``now`` at ``now``."""
    now = now.astimezone(UTC)
    year, month = now.year, now.month
    points: list[tuple[str, datetime]] = [(f"{year:04d}-{month:02d}", now)]
    for _ in range(months - 1):
        first = datetime(year, month, 1, tzinfo=UTC)
        last_instant = first - timedelta(seconds=1)
        year, month = last_instant.year, last_instant.month
        points.append((f"{year:04d}-{month:02d}", last_instant))
    return points[::-1]


def started_by(sub: Subscription, at: datetime) -> bool:
    start = sub.start_date or sub.created
    return start <= at


def ended_by(sub: Subscription, at: datetime) -> bool:
    return sub.ended_at is not None and sub.ended_at <= at


def trialing_at(sub: Subscription, at: datetime) -> bool:
    if sub.trial_end is None or at >= sub.trial_end:
        return False
    return sub.trial_start is None or sub.trial_start <= at


def never_paid(sub: Subscription) -> bool:
    """``incomplete``/``incomplete_expired``: the first payment never went through."""
    return sub.status in ("incomplete", "incomplete_expired")


def _written_off_by_pause(sub: Subscription, invoice: Invoice) -> bool:
    """An invoice written off by ``pause_collection`` (behavior mark_uncollectible) bills
    a paused period: it gives no MRR, like the voided invoices of behavior void."""
    pause = sub.pause_collection
    return (
        invoice.status == "uncollectible"
        and pause is not None
        and pause.behavior == "mark_uncollectible"
    )


_MISSING = object()


def _memo_get(ledger: Ledger, key: tuple[object, ...], sub: Subscription) -> object:
    """A memoised result for ``sub`` (only for this very object: a changed copy of a
    subscription under the same id must not reuse it)."""
    entry = ledger.memo.get(key)
    if not isinstance(entry, tuple) or entry[0] is not sub:
        return _MISSING
    return entry[1]


def _memo_put(ledger: Ledger, key: tuple[object, ...], sub: Subscription, value: object) -> None:
    ledger.memo[key] = (sub, value)


def billed_lines(ledger: Ledger, sub: Subscription) -> list[tuple[Invoice, InvoiceLine]]:
    """Non-proration subscription lines of the subscription's issued invoices, oldest
    invoice first (drafts and void invoices billed nothing)."""
    key = ("billed_lines", sub.id)
    found = _memo_get(ledger, key, sub)
    if found is _MISSING:
        found = _billed_lines(ledger, sub)
        _memo_put(ledger, key, sub, found)
    return list(found)  # type: ignore[call-overload]


def _billed_lines(ledger: Ledger, sub: Subscription) -> list[tuple[Invoice, InvoiceLine]]:
    out: list[tuple[Invoice, InvoiceLine]] = []
    invoices = sorted(ledger.invoices_by_subscription.get(sub.id, []), key=lambda i: i.created)
    for invoice in invoices:
        if invoice.status in ("draft", "void") or _written_off_by_pause(sub, invoice):
            continue
        for line in invoice.lines:
            if line.proration or line.kind != "subscription":
                continue
            if line.subscription_id not in (None, sub.id):
                continue
            if line.period_start is None or line.period_end is None:
                continue
            out.append((invoice, line))
    return out


def covering_lines(
    ledger: Ledger, sub: Subscription, at: datetime
) -> list[tuple[Invoice, InvoiceLine]]:
    """The non-proration subscription lines whose service period holds ``at``, one per
    subscription item (the newest invoice wins when periods overlap)."""
    found: dict[str, tuple[Invoice, InvoiceLine]] = {}
    for invoice, line in billed_lines(ledger, sub):
        start, end = line.period_start, line.period_end
        if start is not None and end is not None and start <= at < end:
            key = line.subscription_item_id or line.price_id or line.id
            found[key] = (invoice, line)
    return list(found.values())


def _before_synced_lines(
    ledger: Ledger, sub: Subscription, at: datetime
) -> list[tuple[Invoice, InvoiceLine]] | None:
    """For an instant before the first synced line of a subscription that started before
    the synced window (its invoice for that period was never synced): the lines of the
    earliest synced period, or None when nothing was billed in the window (then the
    current items stand in). An empty list means "a real gap": MRR 0."""
    if (sub.start_date or sub.created) >= ledger.window_start:
        return []
    lines = billed_lines(ledger, sub)
    if not lines:
        return None
    first = min(line.period_start for _, line in lines if line.period_start is not None)
    if at >= first:
        return []
    return [(inv, line) for inv, line in lines if line.period_start == first]


def _known_discounts(ledger: Ledger, sub: Subscription) -> dict[str, Discount]:
    known: dict[str, Discount] = {d.id: d for d in ledger.discounts_by_subscription.get(sub.id, ())}
    for d in sub.discounts:
        known.setdefault(d.id, d)
    for item in sub.items:
        for d in item.discounts:
            known.setdefault(d.id, d)
    return known


def _line_discounts(
    ledger: Ledger, known: dict[str, Discount], invoice: Invoice, line: InvoiceLine
) -> tuple[Discount, ...]:
    """Item-level discounts of a billed line (named on it, or attached to its item)."""
    out: dict[str, Discount] = {}
    for discount_id in line.discount_ids:
        d = known.get(discount_id) or ledger.discounts.get(discount_id)
        if d is not None and d.subscription_item_id:
            out[d.id] = d
    for d in known.values():
        if d.subscription_item_id and d.subscription_item_id == line.subscription_item_id:
            out.setdefault(d.id, d)
    return tuple(out.values())


def _sub_discounts(
    ledger: Ledger, known: dict[str, Discount], billed: Iterable[tuple[Invoice, InvoiceLine]]
) -> list[Discount]:
    """Subscription-level discounts: the subscription's own plus those billed on its invoices."""
    out: dict[str, Discount] = {d.id: d for d in known.values() if not d.subscription_item_id}
    for invoice, line in billed:
        for discount_id in (*invoice.discount_ids, *line.discount_ids):
            d = known.get(discount_id) or ledger.discounts.get(discount_id)
            if d is not None and not d.subscription_item_id:
                out.setdefault(d.id, d)
    return list(out.values())


def billed_mrr_at(ledger: Ledger, sub: Subscription, at: datetime) -> Money:
    """MRR from the lines billed for the period holding ``at`` (status not considered)."""
    billed = covering_lines(ledger, sub, at)
    known = _known_discounts(ledger, sub)
    if not billed:
        earlier = _before_synced_lines(ledger, sub, at)
        if earlier is None:
            own = [d for d in known.values() if not d.subscription_item_id]
            return _lines_mrr(ledger, current_lines(sub, ledger.prices), own, at, sub.currency)
        billed = earlier
    items = {i.id: i for i in sub.items}
    lines: list[PricedLine] = []
    for invoice, line in billed:
        item = items.get(line.subscription_item_id or "")
        price = ledger.prices.get(line.price_id or "")
        if price is None and item is not None:
            price = item.price
        if price is None:
            continue
        quantity = line.quantity if line.quantity is not None else 1
        discounts = _line_discounts(ledger, known, invoice, line)
        lines.append(PricedLine(full_price(price, ledger.prices), quantity, discounts))
    return _lines_mrr(ledger, lines, _sub_discounts(ledger, known, billed), at, sub.currency)


def _lines_mrr(
    ledger: Ledger,
    lines: list[PricedLine],
    sub_discounts: list[Discount],
    at: datetime,
    currency: str,
) -> Money:
    """``lines_mrr`` memoised on what it depends on: each line's price, quantity and
    discounts active at ``at``, the subscription discounts active then, the currency
    (inactive discounts change nothing, so many instants share one result)."""
    key = (
        "lines_mrr",
        currency,
        tuple(
            (
                id(line.price),
                line.quantity,
                *(d.id for d in line.discounts if discount_active(d, at)),
            )
            for line in lines
        ),
        tuple(d.id for d in sub_discounts if discount_active(d, at)),
    )
    entry = ledger.memo.get(key)
    # The entry keeps its prices alive, so their ids cannot be reused by other objects.
    if isinstance(entry, tuple) and all(a is b.price for a, b in zip(entry[0], lines, strict=True)):
        return entry[1]  # type: ignore[no-any-return]
    value = lines_mrr(lines, sub_discounts, at, currency)
    ledger.memo[key] = (tuple(line.price for line in lines), value)
    return value


def subscription_mrr_at(
    ledger: Ledger, sub: Subscription, at: datetime, now: datetime | None = None
) -> Money:
    """MRR of ``sub`` at instant ``at``; at or after ``now`` it is the current MRR.

    Memoised per ledger: month-end history, facts and timelines ask for the same
    instants of the same subscriptions.
    """
    current = now is not None and at >= now
    key = ("mrr_now", sub.id, now) if current else ("mrr_at", sub.id, at)
    found = _memo_get(ledger, key, sub)
    if found is _MISSING:
        found = _subscription_mrr_at(ledger, sub, at, now)
        _memo_put(ledger, key, sub, found)
    return found  # type: ignore[return-value]


def _subscription_mrr_at(
    ledger: Ledger, sub: Subscription, at: datetime, now: datetime | None
) -> Money:
    if now is not None and at >= now:
        return subscription_mrr(sub, now, ledger.prices)
    zero = Money.zero(sub.currency)
    if never_paid(sub) or not started_by(sub, at) or ended_by(sub, at) or trialing_at(sub, at):
        return zero
    return billed_mrr_at(ledger, sub, at)


def subscriptions_history(
    ledger: Ledger, subs: Iterable[Subscription], now: datetime, months: int = 12
) -> list[MonthPoint]:
    """Month-end MRR per currency of ``subs`` (currencies with nothing are left out)."""
    subs = list(subs)
    out: list[MonthPoint] = []
    for label, at in month_ends(now, months):
        amounts = [subscription_mrr_at(ledger, s, at, now) for s in subs]
        out.append((label, sum_by_currency(a for a in amounts if a.amount)))
    return out


def account_history(
    ledger: Ledger, account_id: str, now: datetime, months: int = 12
) -> list[MonthPoint]:
    """Month-end MRR of an account, oldest first, ending with the month of ``now``."""
    return subscriptions_history(ledger, ledger.account_subscriptions(account_id), now, months)


def ever_had_mrr(ledger: Ledger, sub: Subscription, now: datetime) -> bool:
    """Whether ``sub`` had MRR > 0 at some point of its synced history: at the start of
    any billed service period, or now."""
    if subscription_mrr(sub, now, ledger.prices).amount > 0:
        return True
    for invoice in ledger.invoices_by_subscription.get(sub.id, []):
        for line in invoice.lines:
            if line.proration or line.period_start is None or line.period_start > now:
                continue
            if subscription_mrr_at(ledger, sub, line.period_start).amount > 0:
                return True
    return False


def timelines_history(
    ledger: Ledger,
    subs: Sequence[Subscription],
    values: Sequence[Callable[[datetime], Money | None] | None],
    now: datetime,
    months: int = 12,
) -> list[MonthPoint]:
    """:func:`subscriptions_history` read off known step functions: ``values[i]`` gives the
    MRR of ``subs[i]`` at an instant; where it is None, or gives None (an instant before
    the timeline starts), ``subscription_mrr_at`` is asked.

    A timeline holds every change of the MRR from its start on (it was built from
    ``subscription_mrr_at`` at each instant an input changes), so reading it at a
    month end gives the same value without rebuilding the billed lines there.
    """
    out: list[MonthPoint] = []
    for label, at in month_ends(now, months):
        totals: dict[str, int] = {}
        for sub, value_at in zip(subs, values, strict=True):
            money = value_at(at) if value_at is not None else None
            if money is None:
                money = subscription_mrr_at(ledger, sub, at, now)
            if money.amount:
                totals[money.currency] = totals.get(money.currency, 0) + money.amount
        out.append((label, [Money(totals[code], code) for code in sorted(totals)]))
    return out
