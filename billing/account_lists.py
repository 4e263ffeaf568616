"""Workspace lists read off every account's figures (SPEC §7b, §8 intents).

Top accounts by MRR, overdue accounts, written-off totals and how many
accounts are in each payment status — all from :class:`AccountFigures`, so
they agree with ``revbot accounts list``. Pass ``figures`` when already
computed; otherwise they are worked out for every account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from billing.figures import AccountFigures, account_figures
from billing.json_values import account_ref
from billing.ledger import Ledger
from billing.models import Account
from billing.money import Money, sum_by_currency
from billing.overdue import OverdueInvoice

PAYMENT_STATUSES = ("paid", "overdue", "failed", "none")


def all_figures(ledger: Ledger, now: datetime) -> list[AccountFigures]:
    """Figures of every account, ordered by name."""
    accounts = sorted(ledger.accounts.values(), key=lambda a: (a.name.lower(), a.id))
    return [account_figures(ledger, a.id, now) for a in accounts]


def _figures(
    ledger: Ledger, now: datetime, figures: Sequence[AccountFigures] | None
) -> Sequence[AccountFigures]:
    return figures if figures is not None else all_figures(ledger, now)


@dataclass(frozen=True, slots=True)
class RankedAccount:
    account: Account
    rank: int
    mrr: Money

    @property
    def arr(self) -> Money:
        return self.mrr.times(12)

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "rank": self.rank,
            "mrr": self.mrr.to_json(),
            "arr": self.arr.to_json(),
        }


def top_accounts(
    ledger: Ledger,
    now: datetime,
    limit: int | None = None,
    figures: Sequence[AccountFigures] | None = None,
) -> dict[str, list[RankedAccount]]:
    """Per currency, accounts with MRR > 0 by MRR descending, ties by name."""
    by_currency: dict[str, list[tuple[Account, Money]]] = {}
    for fig in _figures(ledger, now, figures):
        for money in fig.mrr:
            if money.amount > 0:
                by_currency.setdefault(money.currency, []).append((fig.account, money))
    out: dict[str, list[RankedAccount]] = {}
    for code in sorted(by_currency):
        ranked = sorted(by_currency[code], key=lambda p: (-p[1].amount, p[0].name.lower()))
        rows = [RankedAccount(acc, i + 1, m) for i, (acc, m) in enumerate(ranked)]
        out[code] = rows[:limit] if limit is not None else rows
    return out


@dataclass(frozen=True, slots=True)
class OverdueAccount:
    account: Account
    overdue: tuple[Money, ...]
    max_days_overdue: int
    invoices: tuple[OverdueInvoice, ...]
    payment_status: str

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "overdue": [m.to_json() for m in self.overdue],
            "max_days_overdue": self.max_days_overdue,
            "days_overdue": self.max_days_overdue,
            "invoices": [i.to_json() for i in self.invoices],
            "payment_status": self.payment_status,
        }


def overdue_accounts(
    ledger: Ledger,
    now: datetime,
    *,
    min_days: int | None = None,
    min_amount: Money | None = None,
    figures: Sequence[AccountFigures] | None = None,
) -> list[OverdueAccount]:
    """Accounts with overdue invoices, most days overdue first.

    ``min_days`` keeps accounts overdue more than that many days; ``min_amount``
    those owing more than it in its currency (SPEC §8 filters).
    """
    rows: list[OverdueAccount] = []
    for fig in _figures(ledger, now, figures):
        if not fig.overdue_invoices:
            continue
        if min_days is not None and fig.max_days_overdue <= min_days:
            continue
        if min_amount is not None and not any(
            m.currency == min_amount.currency and m.amount > min_amount.amount for m in fig.overdue
        ):
            continue
        rows.append(
            OverdueAccount(
                fig.account,
                fig.overdue,
                fig.max_days_overdue,
                fig.overdue_invoices,
                fig.payment_status,
            )
        )
    rows.sort(key=lambda r: (-r.max_days_overdue, r.account.name.lower()))
    return rows


def overdue_total(rows: Sequence[OverdueAccount]) -> list[Money]:
    return sum_by_currency(m for r in rows for m in r.overdue)


@dataclass(frozen=True, slots=True)
class WrittenOff:
    account: Account
    amounts: tuple[Money, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "written_off": [m.to_json() for m in self.amounts],
        }


def written_off_accounts(
    ledger: Ledger, now: datetime, figures: Sequence[AccountFigures] | None = None
) -> list[WrittenOff]:
    """Accounts with uncollectible invoices (reported apart from overdue)."""
    return [
        WrittenOff(fig.account, fig.written_off)
        for fig in _figures(ledger, now, figures)
        if fig.written_off
    ]


def written_off_total(rows: Sequence[WrittenOff]) -> list[Money]:
    return sum_by_currency(m for r in rows for m in r.amounts)


def payment_status_counts(
    ledger: Ledger, now: datetime, figures: Sequence[AccountFigures] | None = None
) -> dict[str, int]:
    """How many accounts are ``paid``, ``overdue``, ``failed`` and ``none``."""
    counts = dict.fromkeys(PAYMENT_STATUSES, 0)
    for fig in _figures(ledger, now, figures):
        counts[fig.payment_status] = counts.get(fig.payment_status, 0) + 1
    return counts
