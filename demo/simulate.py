"""Play one subscription's story from its start to as_of, as Stripe would bill it.

Billing is in advance: an invoice at the start (``subscription_create``; a $0
trial invoice when trialing), one at every period boundary
(``subscription_cycle``), and proration lines for mid-period item changes,
either invoiced at once (``subscription_update``) or added to the next cycle.
Only invoices created inside the 12-month window are kept; the subscription's
final state (status, items, periods, discounts) is computed at as_of.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from demo.catalog import COUPON_BY_ID, line_amount
from demo.context import Timeline, WorldContext, add_interval
from demo.payments import DAY, settle
from demo.shapes import discount_obj, items_list, subscription_item_obj
from demo.shapes_billing import invoice_obj, line_obj, subscription_obj
from demo.specs import ChangeSpec, SubSpec

Obj = dict[str, Any]
_SYMBOL = {"usd": "$", "eur": "€", "gbp": "£"}


@dataclass
class ItemState:
    id: str
    price: str  # price key
    quantity: int
    created: int


@dataclass
class LineSpec:
    amount: int
    description: str
    period: tuple[int, int]
    item: str
    price: str
    quantity: int
    proration: bool
    invoice_item: str | None = None


@dataclass
class SubResult:
    """A simulated subscription: its JSON, its invoices and their timelines."""

    spec: SubSpec
    subscription: Obj
    invoices: list[Obj] = field(default_factory=list)
    discount: Obj | None = None
    timeline: list[Timeline] = field(default_factory=list)
    invoice_timelines: dict[str, list[Timeline]] = field(default_factory=dict)
    included: bool = True  # inside the sync window


class SubscriptionSimulator:
    """Simulates one ``SubSpec`` inside a ``WorldContext``."""

    def __init__(self, ctx: WorldContext, spec: SubSpec) -> None:
        self.ctx = ctx
        self.spec = spec
        self.id = ctx.ids.new("sub")
        self.customer = ctx.customers[spec.customer]
        self.start = ctx.start_of(spec.start)
        self.trial_end = self.start + spec.trial_days * DAY if spec.trial_days else None
        self.anchor = self.trial_end or self.start
        first = ctx.price_defs[spec.items[0][0]]
        self.interval = (first.interval, first.interval_count)
        self.items = [
            ItemState(ctx.ids.new("si"), price, qty, self.start) for price, qty in spec.items
        ]
        self.collection = "send_invoice" if spec.days_until_due else "charge_automatically"
        self.pending: list[LineSpec] = []
        self.raw_invoices: list[tuple[Obj, int]] = []  # (invoice, finalized_at)
        self.timeline: list[Timeline] = [Timeline(self.start, "customer.subscription.created")]
        self.discount = self._discount()
        self.ended_at, self.canceled_at, self.cancel_at = self._cancellation()
        self.pause_at = ctx.ago(spec.pause_days_ago) if spec.pause_days_ago is not None else None

    # -- time -------------------------------------------------------------
    def boundary(self, k: int) -> int:
        return add_interval(self.anchor, self.interval[0], self.interval[1], k)

    def period_at(self, moment: int) -> tuple[int, int]:
        if self.trial_end and moment < self.trial_end:
            return self.start, self.trial_end
        k = 0
        while self.boundary(k + 1) <= moment:
            k += 1
        return self.boundary(k), self.boundary(k + 1)

    def _cancellation(self) -> tuple[int | None, int | None, int | None]:
        spec = self.spec
        if spec.cancel_days_ago is not None:
            at = self.ctx.ago(spec.cancel_days_ago)
            return at, at, None
        if spec.cancel_request_days_ago is not None:
            requested = self.ctx.ago(spec.cancel_request_days_ago)
            ends = self.period_at(requested)[1]
            return (ends if ends <= self.ctx.now else None), requested, ends
        return None, None, None

    def _discount(self) -> Obj | None:
        if not self.spec.coupon:
            return None
        coupon = COUPON_BY_ID[self.spec.coupon]
        start = (
            self.ctx.ago(self.spec.coupon_days_ago)
            if self.spec.coupon_days_ago is not None
            else self.start
        )
        end = None
        if coupon.duration == "repeating" and coupon.duration_in_months:
            end = add_interval(start, "month", coupon.duration_in_months, 1)
        return discount_obj(
            self.ctx.ids.new("di"),
            self.ctx.coupons[coupon.id],
            self.customer["id"],
            self.id,
            start,
            end,
        )

    # -- lines ------------------------------------------------------------
    def _describe(self, item: ItemState, quantity: int | None = None) -> str:
        price = self.ctx.price_defs[item.price]
        name = self.ctx.product_names[price.product]
        qty = item.quantity if quantity is None else quantity
        unit = "month" if price.interval == "month" and price.interval_count == 1 else None
        every = (
            f"/ {unit}"
            if unit
            else f"every {price.interval_count} {price.interval}s"
            if price.interval_count > 1
            else f"/ {price.interval}"
        )
        if price.tiered:
            return f"{qty} × {name} (at tiered {every})"
        amount = Decimal(price.unit_amount or 0) / 100
        return f"{qty} × {name} (at {_SYMBOL[price.currency]}{amount:.2f} {every})"

    def _full_lines(self, period: tuple[int, int], trial: bool = False) -> list[LineSpec]:
        lines = []
        for item in self.items:
            price = self.ctx.price_defs[item.price]
            name = self.ctx.product_names[price.product]
            lines.append(
                LineSpec(
                    amount=0 if trial else line_amount(price, item.quantity),
                    description=f"Trial period for {name}" if trial else self._describe(item),
                    period=period,
                    item=item.id,
                    price=item.price,
                    quantity=item.quantity,
                    proration=False,
                )
            )
        return lines

    def _discount_amounts(self, created: int, lines: list[LineSpec]) -> list[int]:
        """Discount per line for an invoice created at ``created`` (0 when none applies)."""
        zero = [0] * len(lines)
        d = self.discount
        if d is None or created < d["start"] or (d["end"] is not None and created >= d["end"]):
            return zero
        coupon = d["source"]["coupon"]
        bases = [0 if line.proration else max(line.amount, 0) for line in lines]
        if coupon["percent_off"] is not None:
            pct = Decimal(str(coupon["percent_off"]))
            return [
                int((Decimal(b) * pct / 100).quantize(Decimal(1), ROUND_HALF_UP)) for b in bases
            ]
        total = min(int(coupon["amount_off"]), sum(bases))
        if not total:
            return zero
        shares = [total * b // sum(bases) for b in bases]
        last = max(i for i, b in enumerate(bases) if b)
        shares[last] += total - sum(shares)
        return shares

    # -- invoices ---------------------------------------------------------
    def _invoice(
        self,
        created: int,
        reason: str,
        specs: list[LineSpec],
        period: tuple[int, int],
        finalized_at: int,
    ) -> None:
        number = self.ctx.next_number(self.spec.customer)
        if created < self.ctx.window_start:
            return  # before the sync window: billed, but not part of the demo data
        invoice_id = self.ctx.ids.new("in")
        cut = self._discount_amounts(created, specs)
        di = self.discount["id"] if self.discount else None
        lines = [
            line_obj(
                line_id=self.ctx.ids.new("il"),
                invoice_id=invoice_id,
                amount=s.amount,
                currency=self.customer["currency"],
                description=s.description,
                period=s.period,
                subscription_id=self.id,
                item_id=s.item,
                price_id=self.ctx.prices[s.price]["id"],
                product_id=self.ctx.product_ids[self.ctx.price_defs[s.price].product],
                unit_amount_decimal=self.ctx.prices[s.price]["unit_amount_decimal"],
                quantity=s.quantity,
                proration=s.proration,
                invoice_item=s.invoice_item,
                discount_amounts=[{"amount": c, "discount": di}] if c else [],
            )
            for s, c in zip(specs, cut, strict=True)
        ]
        totals = [{"amount": sum(cut), "discount": di}] if sum(cut) else []
        invoice = invoice_obj(
            invoice_id=invoice_id,
            account=self.ctx.account,
            customer=self.customer,
            subscription_id=self.id,
            billing_reason=reason,
            collection_method=self.collection,
            created=created,
            period=period,
            lines=lines,
            discount_totals=totals,
            number=number,
        )
        self.raw_invoices.append((invoice, finalized_at))

    def _items_json(self, period: tuple[int, int]) -> Obj:
        return items_list(
            self.id,
            [
                subscription_item_obj(
                    item.id,
                    self.ctx.prices[item.price],
                    item.quantity,
                    self.id,
                    item.created,
                    period,
                )
                for item in self.items
            ],
        )

    def _apply_change(self, change: ChangeSpec) -> None:
        at = self.ctx.ago(change.days_ago)
        start, end = self.period_at(at)
        item = self.items[change.item]
        previous = self._items_json((start, end))
        old = ItemState(item.id, item.price, item.quantity, item.created)
        item.price = change.price or item.price
        item.quantity = change.quantity or item.quantity
        self.timeline.append(
            Timeline(at, "customer.subscription.updated", previous={"items": previous})
        )
        if change.proration == "none":
            return
        fraction = Decimal(end - at) / Decimal(end - start)
        day = datetime.fromtimestamp(at, tz=UTC).strftime("%d %b %Y")
        specs = []
        for sign, state, label in ((-1, old, "Unused"), (1, item, "Remaining")):
            full = line_amount(self.ctx.price_defs[state.price], state.quantity)
            amount = int((Decimal(full) * fraction).quantize(Decimal(1), ROUND_HALF_UP))
            name = self.ctx.product_names[self.ctx.price_defs[state.price].product]
            specs.append(
                LineSpec(
                    amount=sign * amount,
                    description=f"{label} time on {state.quantity} × {name} after {day}",
                    period=(at, end),
                    item=item.id,
                    price=state.price,
                    quantity=state.quantity,
                    proration=True,
                    invoice_item=self.ctx.ids.new("ii"),
                )
            )
        if change.proration == "always_invoice":
            self._invoice(at, "subscription_update", specs, (at, at), at)
        else:
            self.pending.extend(specs)

    def run(self) -> SubResult:
        now = self.ctx.now
        if self.trial_end:
            lines = self._full_lines((self.start, self.trial_end), trial=True)
            self._invoice(
                self.start, "subscription_create", lines, (self.start, self.start), self.start
            )
            k = 0
        else:
            lines = self._full_lines((self.start, self.boundary(1)))
            self._invoice(
                self.start, "subscription_create", lines, (self.start, self.start), self.start
            )
            k = 1
        changes = sorted(self.spec.changes, key=lambda c: -c.days_ago)
        stop = min(now, self.ended_at) if self.ended_at else now
        while True:
            at = self.boundary(k)
            if changes and self.ctx.ago(changes[0].days_ago) < at:
                self._apply_change(changes.pop(0))
                continue
            if at > stop or (self.ended_at is not None and at >= self.ended_at):
                break
            self._cycle(k, at)
            k += 1
        return self._finish()

    def _cycle(self, k: int, at: int) -> None:
        previous_start = self.start if (self.trial_end and k == 0) else self.boundary(k - 1)
        nxt = self.boundary(k + 1)
        if self.trial_end and k == 0:
            self.timeline.append(
                Timeline(at, "customer.subscription.updated", previous={"status": "trialing"})
            )
        else:
            self.timeline.append(
                Timeline(
                    at,
                    "customer.subscription.updated",
                    previous={"items": self._items_json((previous_start, at))},
                )
            )
        lines = self.pending + self._full_lines((at, nxt))
        self.pending = []
        self._invoice(at, "subscription_cycle", lines, (previous_start, at), at + 3600)

    # -- final state ------------------------------------------------------
    def _outcome(self, index: int, invoice: Obj) -> str:
        paused = (
            self.pause_at is not None
            and invoice["billing_reason"] == "subscription_cycle"
            and invoice["created"] >= self.pause_at
        )
        if paused:
            return "void"
        offset = index - len(self.raw_invoices)
        return self.spec.outcomes.get(offset, "paid")

    def _finish(self) -> SubResult:
        ctx, spec, now = self.ctx, self.spec, self.ctx.now
        result = SubResult(spec=spec, subscription={}, discount=self.discount)
        failing_since: int | None = None
        for index, (invoice, finalized_at) in enumerate(self.raw_invoices):
            outcome = self._outcome(index, invoice)
            marked = None
            if outcome.startswith("uncollectible"):
                marked = ctx.ago(float(outcome.partition(":")[2]))
            timeline = settle(
                invoice,
                outcome,
                finalized_at=finalized_at,
                now=now,
                rng=ctx.rng,
                days_until_due=spec.days_until_due,
                uncollectible_at=marked,
            )
            result.invoice_timelines[invoice["id"]] = timeline
            result.invoices.append(invoice)
            if invoice["status"] == "open" and _is_failing(invoice, now):
                first = _first_failure(invoice)
                failing_since = first if failing_since is None else min(failing_since, first)
        status = self._status(failing_since)
        if failing_since is not None and status == "past_due":
            self.timeline.append(
                Timeline(failing_since, "customer.subscription.updated", {"status": "active"})
            )
        self._timeline_tail()
        result.subscription = self._subscription_json(status, result.invoices)
        result.timeline = sorted(self.timeline, key=lambda t: t.at)
        ended = self.ended_at
        result.included = (
            self.start >= ctx.window_start or ended is None or (ended >= ctx.window_start)
        )
        return result

    def _status(self, failing_since: int | None) -> str:
        if self.ended_at is not None:
            return "canceled"
        if self.trial_end and self.trial_end > self.ctx.now:
            return "trialing"
        return "past_due" if failing_since is not None else "active"

    def _timeline_tail(self) -> None:
        now = self.ctx.now
        if self.trial_end and self.trial_end - 3 * DAY <= now:
            self.timeline.append(
                Timeline(self.trial_end - 3 * DAY, "customer.subscription.trial_will_end")
            )
        if self.cancel_at is not None and self.canceled_at is not None:
            self.timeline.append(
                Timeline(
                    self.canceled_at,
                    "customer.subscription.updated",
                    previous={
                        "cancel_at": None,
                        "cancel_at_period_end": False,
                        "canceled_at": None,
                        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
                    },
                )
            )
        if self.pause_at is not None:
            self.timeline.append(
                Timeline(self.pause_at, "customer.subscription.updated", {"pause_collection": None})
            )
        if self.ended_at is not None:
            self.timeline.append(Timeline(self.ended_at, "customer.subscription.deleted"))

    def _subscription_json(self, status: str, invoices: list[Obj]) -> Obj:
        now, spec = self.ctx.now, self.spec
        moment = now if self.ended_at is None else self.ended_at - 1
        period = self.period_at(moment)
        discounts = []
        d = self.discount
        if d is not None and (d["end"] is None or d["end"] > now):
            discounts.append(d)
        pause = None
        if self.pause_at is not None:
            resumes = self.ctx.ago(-(spec.resume_in_days or 0)) if spec.resume_in_days else None
            pause = {"behavior": "void", "resumes_at": resumes}
        requested = spec.cancel_request_days_ago is not None
        reason = spec.cancel_reason if self.canceled_at is not None else None
        return subscription_obj(
            subscription_id=self.id,
            customer_id=self.customer["id"],
            currency=self.customer["currency"],
            created=self.start,
            billing_cycle_anchor=self.anchor,
            collection_method=self.collection,
            days_until_due=spec.days_until_due,
            items=self._items_json(period),
            discounts=discounts,
            status=status,
            latest_invoice=invoices[-1]["id"] if invoices else None,
            cancel_at=self.cancel_at,
            cancel_at_period_end=requested,
            canceled_at=self.canceled_at,
            ended_at=self.ended_at,
            cancellation=(reason, spec.cancel_feedback if reason else None),
            pause_collection=pause,
            trial=(self.start, self.trial_end) if self.trial_end else (None, None),
        )


def _is_failing(invoice: Obj, now: int) -> bool:
    """Open and either a failed automatic payment or a send_invoice past its due date."""
    if invoice["collection_method"] == "charge_automatically":
        return bool(invoice["attempted"]) and invoice["attempt_count"] >= 1
    due = invoice.get("due_date")
    return due is not None and due < now and invoice["amount_remaining"] > 0


def _first_failure(invoice: Obj) -> int:
    if invoice["collection_method"] == "charge_automatically":
        return int(invoice["status_transitions"]["finalized_at"])
    return int(invoice["due_date"])


def simulate(ctx: WorldContext, spec: SubSpec) -> SubResult:
    """Simulate one subscription story."""
    return SubscriptionSimulator(ctx, spec).run()
