"""Payment outcomes of demo invoices, with the invoice events they produce.

``settle`` takes a finalized invoice (status open, nothing paid) and applies
one outcome; it returns the invoice's timeline (created, finalized, failed
attempts, paid …) whose last entry always carries the invoice's final state.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from demo.context import Timeline

Obj = dict[str, Any]
DAY = 86400

# Stripe's default retry policy: up to 4 attempts, then it stops trying.
MAX_ATTEMPTS = 4
RETRY_GAP = 3 * DAY


def _snapshot(invoice: Obj) -> Obj:
    return copy.deepcopy(invoice)


def _draft(invoice: Obj) -> Obj:
    draft = _snapshot(invoice)
    draft.update(
        status="draft",
        number=None,
        effective_at=None,
        hosted_invoice_url=None,
        invoice_pdf=None,
        amount_paid=0,
        amount_remaining=draft["amount_due"],
        attempted=False,
        attempt_count=0,
        next_payment_attempt=None,
        due_date=None,
        auto_advance=True,
    )
    draft["status_transitions"] = {
        "finalized_at": None,
        "marked_uncollectible_at": None,
        "paid_at": None,
        "voided_at": None,
    }
    return draft


def _mark_paid(invoice: Obj, paid_at: int) -> None:
    invoice.update(
        status="paid",
        amount_paid=invoice["amount_due"],
        amount_remaining=0,
        auto_advance=False,
        next_payment_attempt=None,
    )
    invoice["status_transitions"]["paid_at"] = paid_at


def settle(
    invoice: Obj,
    outcome: str,
    *,
    finalized_at: int,
    now: int,
    rng: random.Random,
    days_until_due: int | None,
    uncollectible_at: int | None = None,
) -> list[Timeline]:
    """Apply ``outcome`` (paid, void, failed:N, recovered:N, overdue, partial, uncollectible)."""
    invoice["status_transitions"]["finalized_at"] = finalized_at
    invoice["effective_at"] = finalized_at
    if days_until_due is not None:
        invoice["due_date"] = finalized_at + days_until_due * DAY
        invoice["auto_advance"] = False
    timeline = [
        Timeline(invoice["created"], "invoice.created", snapshot=_draft(invoice)),
        Timeline(finalized_at, "invoice.finalized", snapshot=_snapshot(invoice)),
    ]
    kind, _, arg = outcome.partition(":")
    if kind == "void":
        invoice.update(status="void", amount_remaining=0, auto_advance=False)
        invoice["status_transitions"]["voided_at"] = finalized_at + 60
        timeline.append(Timeline(finalized_at + 60, "invoice.voided"))
    elif invoice["amount_due"] == 0:
        _mark_paid(invoice, finalized_at + 1)
        timeline += _paid_events(finalized_at + 1)
    elif days_until_due is not None:
        timeline += _settle_send_invoice(invoice, kind, now, rng, uncollectible_at)
    else:
        timeline += _settle_automatic(invoice, kind, int(arg or 1), finalized_at, now)
    return timeline


def _paid_events(at: int) -> list[Timeline]:
    return [Timeline(at, "invoice.paid"), Timeline(at, "invoice.payment_succeeded")]


def _settle_automatic(
    invoice: Obj, kind: str, attempts: int, finalized_at: int, now: int
) -> list[Timeline]:
    invoice["attempted"] = True
    if kind not in ("failed", "recovered"):
        invoice["attempt_count"] = 1
        _mark_paid(invoice, finalized_at + 1)
        return _paid_events(finalized_at + 1)
    times = _attempt_times(finalized_at, attempts, now)
    failures = times if kind == "failed" else times[:-1]
    timeline: list[Timeline] = []
    for index, at in enumerate(failures, start=1):
        invoice["attempt_count"] = index
        invoice["next_payment_attempt"] = _next_attempt(times, index, now)
        timeline.append(Timeline(at, "invoice.payment_failed", snapshot=_snapshot(invoice)))
    if kind == "recovered":
        invoice["attempt_count"] = attempts
        _mark_paid(invoice, times[-1])
        timeline += _paid_events(times[-1])
    else:
        timeline[-1].snapshot = None  # the final state
    return timeline


def _attempt_times(first: int, attempts: int, now: int) -> list[int]:
    """Attempt times, 3 days apart, squeezed so the last one is not after ``now``."""
    gap = RETRY_GAP if attempts < 2 else min(RETRY_GAP, (now - first) // (attempts - 1))
    return [first + i * max(gap, 3600) for i in range(attempts)]


def _next_attempt(times: list[int], done: int, now: int) -> int | None:
    """When Stripe retries after ``done`` failed attempts (None once retries are exhausted)."""
    if done >= MAX_ATTEMPTS:
        return None
    if done < len(times):
        return times[done]
    # Smart retries pick the next time; it is always still ahead of as_of.
    return max(times[-1] + RETRY_GAP, now + 6 * 3600)


def _settle_send_invoice(
    invoice: Obj, kind: str, now: int, rng: random.Random, uncollectible_at: int | None
) -> list[Timeline]:
    due = int(invoice["due_date"])
    finalized = int(invoice["status_transitions"]["finalized_at"])
    timeline: list[Timeline] = []
    if kind == "paid":
        paid_at = finalized + rng.randint(2 * DAY, max(2 * DAY, due - finalized - DAY))
        if paid_at <= now:
            _mark_paid(invoice, paid_at)
            return _paid_events(paid_at)
    elif kind == "partial":
        part = (invoice["amount_due"] * 2 // 5) // 100 * 100
        paid_at = finalized + 3 * DAY
        invoice.update(amount_paid=part, amount_remaining=invoice["amount_due"] - part)
        timeline.append(
            Timeline(
                paid_at,
                "invoice.updated",
                previous={"amount_paid": 0, "amount_remaining": invoice["amount_due"]},
                snapshot=_snapshot(invoice),
            )
        )
    elif kind == "uncollectible" and uncollectible_at is not None:
        invoice.update(status="uncollectible")
        invoice["status_transitions"]["marked_uncollectible_at"] = uncollectible_at
        if due <= now:
            timeline.append(Timeline(due + 3600, "invoice.overdue", snapshot=_open(invoice)))
        timeline.append(Timeline(uncollectible_at, "invoice.marked_uncollectible"))
        return timeline
    if due <= now:
        timeline.append(Timeline(due + 3600, "invoice.overdue"))
    elif timeline:
        timeline[-1].snapshot = None
    return timeline


def _open(invoice: Obj) -> Obj:
    """The invoice as it was while still open (before being written off)."""
    snapshot = _snapshot(invoice)
    snapshot["status"] = "open"
    snapshot["status_transitions"]["marked_uncollectible_at"] = None
    return snapshot
