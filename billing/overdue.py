"""Overdue and written-off invoices (SPEC §7 "Invoices", §7b "Overdue").

An invoice is overdue at t when it is open with something left to pay and
either its due date has passed (send_invoice) or an automatic payment attempt
failed (charge_automatically). Uncollectible invoices are written off and
reported apart; void ones are never overdue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from billing.models import Invoice
from billing.money import Money, sum_by_currency

SECONDS_PER_DAY = 86400


def payment_failed(invoice: Invoice) -> bool:
    """An open automatically-charged invoice with at least one failed attempt."""
    return (
        invoice.status == "open"
        and invoice.collection_method == "charge_automatically"
        and invoice.attempted
        and invoice.attempt_count >= 1
    )


def past_due_date(invoice: Invoice, at: datetime) -> bool:
    """An open send_invoice invoice whose due date has passed."""
    return (
        invoice.status == "open"
        and invoice.collection_method == "send_invoice"
        and invoice.due_date is not None
        and invoice.due_date < at
    )


def is_overdue(invoice: Invoice, at: datetime) -> bool:
    """SPEC §7: open, amount remaining, and past due (send_invoice) or failed (automatic)."""
    if invoice.status != "open" or invoice.amount_remaining <= 0:
        return False
    if invoice.collection_method == "send_invoice":
        return past_due_date(invoice, at)
    return payment_failed(invoice)


def overdue_since(invoice: Invoice) -> datetime:
    """When lateness starts: the due date, or for automatic collection finalisation
    (the first attempt), falling back to creation."""
    if invoice.collection_method == "send_invoice" and invoice.due_date is not None:
        return invoice.due_date
    return invoice.finalized_at or invoice.created


def days_overdue(invoice: Invoice, at: datetime) -> int:
    """Whole elapsed days since :func:`overdue_since` (floor of seconds ÷ 86400, never < 0)."""
    elapsed = (at - overdue_since(invoice)).total_seconds()
    return max(0, int(elapsed // SECONDS_PER_DAY))


@dataclass(frozen=True, slots=True)
class OverdueInvoice:
    """One overdue invoice of an account, as listed in account figures."""

    invoice_id: str
    number: str | None
    amount_remaining: Money
    days_overdue: int
    collection_method: str
    due_date: date | None
    subscription_id: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OverdueInvoice:
        amount = data["amount_remaining"]
        due = data.get("due_date")
        return cls(
            invoice_id=data["invoice"],
            number=data.get("number"),
            amount_remaining=Money.from_json(amount),
            days_overdue=int(data["days_overdue"]),
            collection_method=data["collection_method"],
            due_date=date.fromisoformat(due) if due else None,
            subscription_id=data.get("subscription"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "invoice": self.invoice_id,
            "number": self.number,
            "amount_remaining": self.amount_remaining.to_json(),
            "days_overdue": self.days_overdue,
            "collection_method": self.collection_method,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "subscription": self.subscription_id,
        }


def overdue_invoices(invoices: Iterable[Invoice], at: datetime) -> list[OverdueInvoice]:
    """Overdue invoices, most days overdue first (ties by invoice id)."""
    rows = [
        OverdueInvoice(
            invoice_id=inv.id,
            number=inv.number,
            amount_remaining=Money(inv.amount_remaining, inv.currency),
            days_overdue=days_overdue(inv, at),
            collection_method=inv.collection_method,
            due_date=inv.due_date.date() if inv.due_date else None,
            subscription_id=inv.subscription_id,
        )
        for inv in invoices
        if is_overdue(inv, at)
    ]
    return sorted(rows, key=lambda r: (-r.days_overdue, r.invoice_id))


def overdue_total(rows: Iterable[OverdueInvoice]) -> list[Money]:
    """Σ amount_remaining of overdue invoices, per currency."""
    return sum_by_currency(r.amount_remaining for r in rows)


def written_off(invoices: Iterable[Invoice]) -> list[Money]:
    """Σ amount_remaining of uncollectible invoices per currency (zero totals dropped)."""
    totals = sum_by_currency(
        Money(inv.amount_remaining, inv.currency)
        for inv in invoices
        if inv.status == "uncollectible"
    )
    return [m for m in totals if m.amount]
