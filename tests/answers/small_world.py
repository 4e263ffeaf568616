"""A hand-built four-account world for per-intent answer tests (NOW = 2026-07-15 12:00 UTC).

- Alpha (USD): $100/month from January, $200 from May (expansion); an open
  send_invoice invoice of $300 due June 1 (44 days overdue at NOW).
- Beta (EUR): €50/month from January; July's invoice failed on July 5 (10 days).
- Gamma (USD): $300/month, $100 from June (a downgrade).
- Delta (USD): $100/month January to March, canceled on April 5 (churn).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from billing.ledger import Ledger
from billing.models import Invoice
from questions.query import AccountRef, Filters, Intent, Period, Query
from tests.billing.book import NOW, Book, at

AS_OF = NOW


def small_ledger() -> Ledger:
    book = Book()
    book.monthly("Alpha", [1, 1, 1, 1, 2, 2, 2])
    book.invoice(
        Invoice(
            id="in_alpha_late",
            customer_id="cus_alpha",
            status="open",
            currency="USD",
            created=at(5, 20),
            collection_method="send_invoice",
            amount_due=30000,
            amount_remaining=30000,
            due_date=at(6, 1, 0),
            finalized_at=at(5, 20),
            number="ALPHA-0009",
        )
    )
    beta = book.monthly("Beta", [1, 1, 1, 1, 1, 1, 1], unit=5000, currency="EUR")
    july = book.ledger.invoices[f"in_{beta.id}_6"]
    book.ledger.invoices[july.id] = replace(
        july,
        status="open",
        amount_paid=0,
        amount_remaining=july.amount_due,
        attempted=True,
        attempt_count=1,
        paid_at=None,
    )
    book.monthly("Gamma", [3, 3, 3, 3, 3, 1, 1])
    book.monthly(
        "Delta",
        [1, 1, 1],
        status="canceled",
        ended_at=at(4, 5),
        canceled_at=at(4, 5),
    )
    return book.done()


def ref(name: str) -> AccountRef:
    return AccountRef(id="acct_" + name.lower(), name=name, domain=None)


def query(
    intent: Intent,
    *,
    account: str | None = None,
    period: tuple[str, str] | None = None,
    limit: int | None = None,
    filters: Filters | None = None,
    at_day: str | None = None,
) -> Query:
    return Query.of(
        intent,
        AS_OF.date(),
        account=ref(account) if account else None,
        period=Period(date.fromisoformat(period[0]), date.fromisoformat(period[1]), "the period")
        if period
        else None,
        limit=limit,
        filters=filters or Filters(),
        at=date.fromisoformat(at_day) if at_day else None,
    )
