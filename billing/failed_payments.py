"""Failed payments in a period (SPEC §7b "Failed payments", intent ``failed_payments``).

One row per invoice with a failed automatic payment attempt in the period,
even if it was later paid, voided or written off. An invoice holds only
``attempted``/``attempt_count``: the first failure is taken at finalisation
(``status_transitions.finalized_at``, else ``created`` — the same instant
days-overdue counts from), and later failures are known only from
``invoice.payment_failed`` events: the invoice's ``failed_at`` (sync stores the
events, a backfill the last 30 days of them) or events the caller passes.
Without events an invoice counts in a period when its first failure does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from billing.json_values import account_ref, iso_instant
from billing.ledger import Ledger
from billing.models import Account, Event, Invoice
from billing.money import Money
from billing.periods import Period

PAYMENT_FAILED = "invoice.payment_failed"


@dataclass(frozen=True, slots=True)
class FailedPayment:
    account: Account
    invoice_id: str
    number: str | None
    amount: Money
    failed_attempts: int
    first_failed_at: datetime
    last_failed_at: datetime
    status: str
    subscription_id: str | None
    hosted_invoice_url: str | None = None

    @property
    def recovered(self) -> bool:
        return self.status == "paid"

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "invoice": self.invoice_id,
            "number": self.number,
            "amount": self.amount.to_json(),
            "failed_attempts": self.failed_attempts,
            "first_failed_at": iso_instant(self.first_failed_at),
            "last_failed_at": iso_instant(self.last_failed_at),
            "status": self.status,
            "recovered": self.recovered,
            "subscription": self.subscription_id,
        }


def failure_count(invoice: Invoice) -> int:
    """Failed automatic attempts: every attempt, less the one that paid the invoice.

    An invoice that was paid (``paid_at``) and later voided still had a
    successful attempt, so it is not a failure.
    """
    if invoice.collection_method != "charge_automatically" or not invoice.attempted:
        return 0
    if invoice.status == "draft":
        return 0
    attempts = invoice.attempt_count
    if invoice.status == "paid" or invoice.paid_at is not None:
        attempts -= 1
    return max(attempts, 0)


def first_failure_estimate(invoice: Invoice) -> datetime:
    """When the first automatic attempt (and so failure) happened: finalisation."""
    return invoice.finalized_at or invoice.created


def failure_events_by_invoice(events: Iterable[Event]) -> dict[str, list[datetime]]:
    """``invoice.payment_failed`` times per invoice id, oldest first."""
    out: dict[str, list[datetime]] = defaultdict(list)
    for event in events:
        if event.type == PAYMENT_FAILED and event.object_id:
            out[event.object_id].append(event.created)
    return {key: sorted(set(times)) for key, times in out.items()}


def failure_times(invoice: Invoice, event_times: Iterable[datetime] = ()) -> list[datetime]:
    """Known failure instants of an invoice, oldest first (empty when none failed).

    Events only reach back 30 days, so when they show fewer failures than the
    invoice counts, the first failure is still taken at finalisation.
    """
    count = failure_count(invoice)
    if count == 0:
        return []
    times = sorted(set(event_times) | set(invoice.failed_at))
    if len(times) < count:
        estimate = first_failure_estimate(invoice)
        if not times or estimate < times[0]:
            times.insert(0, estimate)
    return times


def failed_payment_row(invoice: Invoice, account: Account, times: list[datetime]) -> FailedPayment:
    return FailedPayment(
        account=account,
        invoice_id=invoice.id,
        number=invoice.number,
        amount=Money(invoice.amount_due, invoice.currency),
        failed_attempts=max(failure_count(invoice), len(times)),
        first_failed_at=times[0],
        last_failed_at=times[-1],
        status=invoice.status,
        subscription_id=invoice.subscription_id,
        hosted_invoice_url=invoice.hosted_invoice_url,
    )


def failed_payments(
    ledger: Ledger,
    period: Period,
    events: Iterable[Event] = (),
    *,
    failure_index: Mapping[str, list[datetime]] | None = None,
) -> list[FailedPayment]:
    """Invoices of accounts with a failed payment attempt in ``period``.

    ``events`` (or a prebuilt ``failure_index``) adds the exact times of
    retries; rows are ordered by account name, then first failure.
    """
    index = failure_index if failure_index is not None else failure_events_by_invoice(events)
    rows: list[FailedPayment] = []
    for invoice in ledger.invoices.values():
        account = ledger.account_of_customer(invoice.customer_id)
        if account is None:
            continue
        times = failure_times(invoice, index.get(invoice.id, ()))
        if any(period.contains(t) for t in times):
            rows.append(failed_payment_row(invoice, account, times))
    rows.sort(key=lambda r: (r.account.name.lower(), r.first_failed_at, r.invoice_id))
    return rows
