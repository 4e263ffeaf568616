"""A world built for issue 9's examples: the accounts they name, with known histories.

NOW is Tuesday 2026-02-10 12:00 UTC; history runs from January 2025. Monthly
subscriptions are billed by one invoice line per month (tests/billing/book.py), so
every figure below follows from the construction:

- Keystone Plumbing: $1,200/month June–September 2025, $1,500 from October.
- Bellwether Research: $900/month from August 20, 2025, $1,800 from January 20, 2026;
  renews February 20.
- Firefly Studios: $2,000/month since March 2025; renews February 15.
- Pine Dental: $600/month from February 3, 2026 (new); an open send_invoice invoice of
  $1,200 due January 30.
- Orchard Supply: $500/month from November 3, 2025; an open send_invoice invoice of
  $3,500 due January 20.
- Mosaic Media: $4,200/month from October 8, 2025; February's charge of $4,200 failed
  (past_due).
- Harbor Freight Co: $800/month from July 25, 2025, cancelling at its period end
  (February 25).
- Trials: Lumen Labs ends February 18 (next week), Nova Cafe February 12 (this week),
  Quartz AI March 3.

Workspace MRR: now $11,400; end of January $10,800; November 10, 2025 $9,900; month
ends of summer 2025: June $3,200, July $4,000, August $4,900.
"""

from __future__ import annotations

from datetime import UTC, datetime

from billing.ledger import Ledger
from billing.models import Invoice
from tests.billing.book import Book

NOW = datetime(2026, 2, 10, 12, tzinfo=UTC)
WINDOW = datetime(2025, 1, 1, tzinfo=UTC)


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, tzinfo=UTC)


def _open_invoice(book: Book, name: str, amount: int, **fields: object) -> None:
    book.invoice(
        Invoice(
            id=f"in_{name.lower().replace(' ', '_')}_open",
            customer_id="cus_" + name.lower(),
            status="open",
            currency="USD",
            amount_due=amount,
            amount_remaining=amount,
            **fields,  # type: ignore[arg-type]
        )
    )


def issue_ledger() -> Ledger:
    book = Book(window=WINDOW)
    book.monthly("Keystone Plumbing", [4, 4, 4, 4, 5, 5, 5, 5, 5], first=-7, unit=30000)
    book.monthly("Bellwether Research", [1, 1, 1, 1, 1, 2], first=-5, day=20, unit=90000)
    book.monthly("Firefly Studios", [2] * 11, first=-10, day=15, unit=100000)
    book.monthly("Pine Dental", [1], first=1, day=3, unit=60000)
    _open_invoice(
        book,
        "Pine Dental",
        120000,
        created=_at(2026, 1, 1),
        collection_method="send_invoice",
        due_date=_at(2026, 1, 30),
        finalized_at=_at(2026, 1, 1),
    )
    book.monthly("Orchard Supply", [1, 1, 1, 1], first=-2, day=3, unit=50000)
    _open_invoice(
        book,
        "Orchard Supply",
        350000,
        created=_at(2025, 12, 20),
        collection_method="send_invoice",
        due_date=_at(2026, 1, 20),
        finalized_at=_at(2025, 12, 20),
    )
    book.monthly("Mosaic Media", [1, 1, 1, 1], first=-3, day=8, unit=420000, status="past_due")
    _open_invoice(
        book,
        "Mosaic Media",
        420000,
        created=_at(2026, 2, 8),
        finalized_at=_at(2026, 2, 8),
        attempted=True,
        attempt_count=1,
    )
    book.monthly(
        "Harbor Freight Co", [1] * 7, first=-6, day=25, unit=80000, cancel_at_period_end=True
    )
    for name, ends in (
        ("Lumen Labs", _at(2026, 2, 18)),
        ("Nova Cafe", _at(2026, 2, 12)),
        ("Quartz AI", _at(2026, 3, 3)),
    ):
        book.monthly(
            name, [], first=1, unit=50000, status="trialing", trial_start=NOW, trial_end=ends
        )
    return book.done()
