"""Stored per-account figures and month-end MRR history (sync step 6, and the
incremental recompute after webhooks and catch-up pages).

Figures are kept as the JSON the billing layer produces, plus the columns
queries filter on; history points are rows so trends can be summed in SQL.
Replacing figures (the workspace's, or a few accounts') happens inside the
caller's transaction, so a reader sees either the previous complete set or the
new one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from billing.money import Money
from storage.bulk import execute_insert
from storage.models import AccountFigure, AccountMrrPoint

# Rows go to the driver as tuples (``storage.bulk``), without per-row bind processing.
FIGURES: Table = AccountFigure.__table__  # type: ignore[assignment]
POINTS: Table = AccountMrrPoint.__table__  # type: ignore[assignment]


BATCH = 1000
CHUNK = 500  # account ids per IN list


def _delete(session: Session, workspace_id: str, accounts: Collection[str] | None) -> None:
    for table in (FIGURES, POINTS):
        scope = table.c.workspace_id == workspace_id
        if accounts is None:
            session.execute(delete(table).where(scope))
            continue
        ids = sorted(set(accounts))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            session.execute(delete(table).where(scope, table.c.account_id.in_(chunk)))


def replace_account_figures(
    session: Session,
    workspace_id: str,
    figures: Iterable[dict[str, Any]],
    now: datetime,
    accounts: Collection[str] | None = None,
) -> int:
    """Swap the figures of ``accounts`` (every account's when None) for ``figures``
    (``accounts list --json`` objects, of those accounts only).

    ``figures`` may be a generator: rows are written a batch at a time.
    """
    _delete(session, workspace_id, accounts)
    figure_rows: list[dict[str, Any]] = []
    point_rows: list[dict[str, Any]] = []
    count = 0
    for data in figures:
        account_id = data["account"]["id"]
        figure_rows.append(
            {
                "workspace_id": workspace_id,
                "account_id": account_id,
                "computed_at": now,
                "payment_status": data.get("payment_status") or "none",
                "lifecycle": data.get("lifecycle") or "none",
                "data": data,
            }
        )
        for point in data.get("mrr_history") or ():
            for money in point["mrr"]:
                amount = Money.from_decimal(Decimal(money["amount"]), money["currency"])
                point_rows.append(
                    {
                        "workspace_id": workspace_id,
                        "account_id": account_id,
                        "month": point["month"],
                        "currency": amount.currency,
                        "amount": amount.amount,
                    }
                )
        if len(figure_rows) >= BATCH:
            count += _write(session, figure_rows, point_rows)
            figure_rows, point_rows = [], []
    return count + _write(session, figure_rows, point_rows)


def _write(
    session: Session, figure_rows: list[dict[str, Any]], point_rows: list[dict[str, Any]]
) -> int:
    execute_insert(session, FIGURES, figure_rows)
    execute_insert(session, POINTS, point_rows)
    return len(figure_rows)


def account_figures(session: Session, workspace_id: str) -> dict[str, dict[str, Any]]:
    """Every stored figure of the workspace by account id."""
    rows = session.scalars(select(AccountFigure).where(AccountFigure.workspace_id == workspace_id))
    return {row.account_id: row.data for row in rows}


MonthCurrency = tuple[str, str]


def point_sums(
    session: Session, workspace_id: str, accounts: Collection[str] | None = None
) -> dict[MonthCurrency, int]:
    """Σ month-end MRR by (month, currency): over every account, or over ``accounts``."""
    query = (
        select(POINTS.c.month, POINTS.c.currency, func.sum(POINTS.c.amount))
        .where(POINTS.c.workspace_id == workspace_id)
        .group_by(POINTS.c.month, POINTS.c.currency)
    )
    if accounts is None:
        return {(m, c): int(total) for m, c, total in session.execute(query)}
    out: dict[MonthCurrency, int] = {}
    ids = sorted(set(accounts))
    for start in range(0, len(ids), CHUNK):
        chunk = query.where(POINTS.c.account_id.in_(ids[start : start + CHUNK]))
        for month, code, total in session.execute(chunk):
            out[(month, code)] = out.get((month, code), 0) + int(total)
    return out
