"""Question latency at scale (SPEC §13: p95 < 50 ms at 10k accounts / 120k invoices, SQLite).

Builds a synthetic workspace (default 10,000 accounts, one monthly subscription
each, 12 invoices per subscription), stores it as a finished sync would, then
times parse + answer over a mix of questions and prints p50/p95.

    python -m bench.questions [--accounts 10000] [--rounds 5] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from answers import answer
from answers.index import account_index
from billing.ledger import Ledger
from billing.models import (
    Account,
    Customer,
    Invoice,
    InvoiceLine,
    Price,
    Recurring,
    Subscription,
    SubscriptionItem,
)
from questions import parse
from storage.db import Database
from testkit.ledger_db import store_ledger

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
WORKSPACE = "bench"
WINDOW = NOW - timedelta(days=365)
CURRENCIES = ("USD", "USD", "USD", "EUR", "GBP")
QUESTIONS = (
    "who is overdue?",
    "overdue more than 30 days",
    "failed payments in the last 30 days",
    "ARR at risk this month",
    "what's our MRR?",
    "MRR at the end of December",
    "MRR trend this year",
    "mrr movements last month",
    "churn rate in January",
    "top 10 accounts by MRR",
    "cancellations in the last 30 days",
    "who is scheduled to cancel?",
    "downgrades last month",
    "upsell candidates",
    "renewals in the next 14 days",
    "trials",
    "new customers last 30 days",
    "summarize Company 42",
    "Company 4242 MRR trend",
    "recent invoices of Company 777",
    "is Company 9001 up to date on payments?",
    "lifetime revenue for Company 5",
    # compositions: comparisons, points in time, filters in words, seasons, refusals
    "MRR now vs three months ago?",
    "Company 42: end-of-September MRR vs today's?",
    "what was Company 77's MRR at the end of January",
    "which clients owe us more than three grand?",
    "failed payments over $1k this month vs last month",
    "what did MRR do over the summer?",
    "who pays us more than 1k a month",
    "upcoming renewals 14d",
    "translate 'overdue' into German",
)


def month(start: datetime, k: int) -> datetime:
    index = start.year * 12 + start.month - 1 + k
    return start.replace(year=index // 12, month=index % 12 + 1)


def synthetic_ledger(accounts: int, seed: int = 7) -> Ledger:
    """``accounts`` accounts with one monthly subscription and 12 invoices each."""
    rng = random.Random(seed)
    ledger = Ledger(window_start=WINDOW)
    prices = {
        (code, unit): Price(
            id=f"price_{code}_{unit}",
            currency=code,
            unit_amount_decimal=Decimal(unit),
            recurring=Recurring("month"),
            lookup_key=f"plan_{unit}",
        )
        for code in set(CURRENCIES)
        for unit in (5000, 10000, 25000)
    }
    ledger.prices = {p.id: p for p in prices.values()}
    start = datetime(2026, 2, 20, 10, tzinfo=UTC)
    for n in range(accounts):
        acc_id, cus_id, sub_id = f"acct_{n}", f"cus_{n}", f"sub_{n}"
        ledger.accounts[acc_id] = Account(acc_id, f"Company {n}", f"company{n}.example")
        ledger.customers[cus_id] = Customer(cus_id, f"Company {n}", f"billing@company{n}.example")
        ledger.customer_accounts[cus_id] = acc_id
        code = CURRENCIES[n % len(CURRENCIES)]
        price = prices[(code, rng.choice((5000, 10000, 25000)))]
        fate = rng.random()
        qty = rng.randint(1, 5)
        changed_at = rng.randint(3, 10)
        new_qty = qty + rng.choice((-1, 1)) if fate < 0.10 and qty > 1 else qty
        status = "active"
        extra: dict[str, object] = {}
        if 0.10 <= fate < 0.13:
            status, extra = "canceled", {"ended_at": month(start, 11) - timedelta(days=3)}
        elif 0.13 <= fate < 0.18:
            status = "past_due"
        elif 0.18 <= fate < 0.20:
            extra = {"cancel_at_period_end": True}
        period_end = month(start, 12)
        item = SubscriptionItem(
            f"si_{n}", price, new_qty, month(start, 11), period_end, created=start
        )
        ledger.subscriptions[sub_id] = Subscription(
            sub_id,
            cus_id,
            status,
            code,
            start,
            start_date=start,
            items=(item,),
            **extra,  # type: ignore[arg-type]
        )
        for k in range(12):
            begin, end = month(start, k), month(start, k + 1)
            q = qty if k < changed_at else new_qty
            amount = int(price.unit_amount_decimal or 0) * q
            line = InvoiceLine(
                f"il_{n}_{k}",
                amount,
                code,
                begin,
                end,
                price.id,
                q,
                subscription_id=sub_id,
                subscription_item_id=f"si_{n}",
            )
            last = k == 11
            failed = last and status == "past_due"
            late = last and 0.20 <= fate < 0.25
            invoice = Invoice(
                f"in_{n}_{k}",
                cus_id,
                "paid",
                code,
                begin,
                subscription_id=sub_id,
                number=f"C{n}-{k:04d}",
                amount_due=amount,
                amount_paid=amount,
                finalized_at=begin,
                paid_at=begin,
                lines=(line,),
                attempted=True,
                attempt_count=1,
            )
            if failed:
                invoice = replace(
                    invoice,
                    status="open",
                    amount_paid=0,
                    amount_remaining=amount,
                    attempt_count=2,
                    paid_at=None,
                )
            elif late:
                invoice = replace(
                    invoice,
                    status="open",
                    amount_paid=0,
                    amount_remaining=amount,
                    collection_method="send_invoice",
                    attempted=False,
                    attempt_count=0,
                    paid_at=None,
                    due_date=begin + timedelta(days=14),
                )
            if status == "canceled" and begin >= extra["ended_at"]:  # type: ignore[operator]
                continue
            ledger.invoices[invoice.id] = invoice
    return ledger


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def synthetic_database(description: str | None) -> tuple[Database, int]:
    """The synthetic workspace stored as a finished sync would, and the rounds to time.

    Reads ``--accounts``, ``--rounds`` and ``--db`` from the command line; a
    ``--db`` file that already exists is reused as it is (no rebuild).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    reuse = path.exists()
    database = Database.connect(f"sqlite:///{path}", migrate=True)
    if not reuse:
        _build(database, args.accounts)
    return database, args.rounds


def main() -> None:
    _time(*synthetic_database(__doc__))


def _build(database: Database, accounts: int) -> None:
    began = time.perf_counter()
    ledger = synthetic_ledger(accounts)
    print(
        f"world: {len(ledger.accounts)} accounts, {len(ledger.invoices)} invoices "
        f"({time.perf_counter() - began:.1f} s)"
    )
    began = time.perf_counter()
    with database.session() as session:
        store_ledger(session, WORKSPACE, ledger, NOW)
    print(f"stored figures and facts in {time.perf_counter() - began:.1f} s")


def _time(database: Database, rounds: int) -> None:
    per_question: dict[str, list[float]] = {}
    answer_ms: list[float] = []
    total_ms: list[float] = []
    cpu_ms: list[float] = []
    with database.session() as session:
        index = account_index(session, WORKSPACE)
        for _ in range(rounds):
            for text in QUESTIONS:
                c0 = time.process_time()
                t0 = time.perf_counter()
                query = parse(text, index, NOW, "UTC")
                t1 = time.perf_counter()
                answer(session, WORKSPACE, query, NOW)
                t2 = time.perf_counter()
                cpu_ms.append((time.process_time() - c0) * 1000)
                answer_ms.append((t2 - t1) * 1000)
                per_question.setdefault(text, []).append((t2 - t1) * 1000)
                total_ms.append((t2 - t0) * 1000)
    for text, values in per_question.items():
        print(f"  {statistics.median(values):7.1f} ms  {text}")
    # CPU time is steadier than wall time on a shared machine
    for label, values in (
        ("answer", answer_ms),
        ("parse+answer", total_ms),
        ("cpu", cpu_ms),
    ):
        print(
            f"{label:>13}: n={len(values)} p50={statistics.median(values):.1f} ms "
            f"p95={percentile(values, 95):.1f} ms max={max(values):.1f} ms"
        )


if __name__ == "__main__":
    main()
