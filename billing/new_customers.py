"""New customers in a period (SPEC §7b "New customers", intent ``new_customers``).

An account is new in a period when its first MRR ever in synced history
starts in it — the instant behind its ``new`` movement. Accounts already
paying when synced history starts are new at the window start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from billing.json_values import account_ref, iso_instant
from billing.ledger import Ledger
from billing.models import Account
from billing.money import Money, sum_by_currency
from billing.movements import first_paying_at
from billing.periods import Period
from billing.timeline import Timelines, account_timelines


@dataclass(frozen=True, slots=True)
class NewCustomer:
    account: Account
    first_paying_at: datetime
    first_mrr: tuple[Money, ...]
    mrr: tuple[Money, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "account": account_ref(self.account),
            "first_paying_at": iso_instant(self.first_paying_at),
            "first_mrr": [m.to_json() for m in self.first_mrr],
            "mrr": [m.to_json() for m in self.mrr],
        }


def new_customers(
    ledger: Ledger, period: Period, now: datetime, timelines: Timelines | None = None
) -> list[NewCustomer]:
    """Accounts whose first MRR in synced history started in ``period``, newest first."""
    timelines = timelines if timelines is not None else account_timelines(ledger, now)
    rows: list[NewCustomer] = []
    for account_id, subs in timelines.items():
        account = ledger.accounts.get(account_id)
        first = first_paying_at(subs)
        if account is None or first is None or not period.contains(first):
            continue
        first_mrr = [m for m in sum_by_currency(t.value_at(first) for t in subs) if m.amount]
        mrr = [m for m in sum_by_currency(t.value_at(now) for t in subs) if m.amount]
        rows.append(NewCustomer(account, first, tuple(first_mrr), tuple(mrr)))
    rows.sort(key=lambda r: (r.first_paying_at, r.account.name.lower()), reverse=True)
    return rows
