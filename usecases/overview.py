"""A workspace at a glance: the connection card and the headline figures.

The headline figures (MRR, ARR, overdue total, ARR at risk, top accounts) are
shared by ``revbot demo`` and the App Home so that every surface shows the same
numbers. Totals are per currency; nothing is summed across currencies here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from billing.money import Money, sum_by_currency
from billing.periods import this_month
from core.clock import wall_now
from core.zones import zone_named
from storage import queries
from storage.figures import account_figures
from storage.status import ConnectionCard, connection_card
from storage.workspaces import get_workspace
from usecases.backend import Backend


@dataclass(frozen=True)
class TopAccount:
    name: str
    mrr: Money


@dataclass(frozen=True)
class Headlines:
    mrr: list[Money] = field(default_factory=list)
    arr: list[Money] = field(default_factory=list)
    overdue: list[Money] = field(default_factory=list)
    overdue_accounts: int = 0
    arr_at_risk: list[Money] = field(default_factory=list)
    scheduled_churn: list[Money] = field(default_factory=list)
    top: list[TopAccount] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "mrr": [m.to_json() for m in self.mrr],
            "arr": [m.to_json() for m in self.arr],
            "overdue": [m.to_json() for m in self.overdue],
            "overdue_accounts": self.overdue_accounts,
            "arr_at_risk": [m.to_json() for m in self.arr_at_risk],
            "top_accounts": [{"name": t.name, "mrr": t.mrr.to_json()} for t in self.top],
        }


def _money_list(values: list[dict[str, str]]) -> list[Money]:
    return [Money.from_decimal(Decimal(v["amount"]), v["currency"]) for v in values]


def card(backend: Backend, workspace_id: str) -> ConnectionCard:
    """The Stripe connection card: mode, key's last four, last sync, records, errors."""
    with backend.db.session() as session:
        return connection_card(session, workspace_id, backend.now(), wall_now())


def headlines(
    backend: Backend, workspace_id: str, as_of: datetime | None = None, top_n: int = 5
) -> Headlines:
    """The headline figures at ``as_of`` (default now), ``top_n`` accounts by MRR."""
    with backend.db.session() as session:
        return _headlines(session, workspace_id, as_of or backend.now(), top_n)


def _headlines(session: Session, workspace_id: str, now: datetime, top_n: int) -> Headlines:
    figures = list(account_figures(session, workspace_id).values())
    mrr = sum_by_currency(m for f in figures for m in _money_list(f["mrr"]))
    overdue_rows = [f for f in figures if f["overdue"]]
    workspace = get_workspace(session, workspace_id)
    zone = zone_named(workspace.timezone if workspace else None)
    month = this_month(now, zone)
    risk = queries.arr_at_risk(session, workspace_id, month.start, month.end)
    top = sorted(
        (
            TopAccount(f["account"]["name"], money)
            for f in figures
            for money in _money_list(f["mrr"])
            if money.amount > 0
        ),
        key=lambda t: (t.mrr.currency != "USD", t.mrr.currency, -t.mrr.amount, t.name),
    )
    return Headlines(
        mrr=mrr,
        arr=[m.times(12) for m in mrr],
        overdue=sum_by_currency(m for f in overdue_rows for m in _money_list(f["overdue"])),
        overdue_accounts=len(overdue_rows),
        arr_at_risk=sum_by_currency(m for m in (f.money() for f in risk) if m is not None),
        top=top[:top_n],
    )
