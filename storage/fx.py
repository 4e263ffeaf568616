"""Dated FX rates and the reporting currency of a workspace."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.fx import FxRates
from storage.models import FxRate, Workspace
from storage.workspaces import ensure_workspace

DEFAULT_REPORTING = "USD"


def reporting_currency(session: Session, workspace_id: str) -> str:
    workspace = session.get(Workspace, workspace_id)
    return (workspace.reporting_currency if workspace else None) or DEFAULT_REPORTING


def set_reporting_currency(
    session: Session, workspace_id: str, currency: str, now: datetime
) -> None:
    ensure_workspace(session, workspace_id, now).reporting_currency = currency.upper()


def set_rate(
    session: Session,
    workspace_id: str,
    currency: str,
    rate: Decimal,
    effective: date,
    now: datetime,
) -> None:
    """Record ``1 currency = rate reporting currency`` from ``effective`` on."""
    ensure_workspace(session, workspace_id, now)
    key = (workspace_id, currency.upper(), effective.isoformat())
    row = session.get(FxRate, key)
    if row is None:
        session.add(
            FxRate(
                workspace_id=workspace_id,
                currency=currency.upper(),
                effective_date=effective.isoformat(),
                rate=str(rate),
                created_at=now,
            )
        )
    else:
        row.rate, row.created_at = str(rate), now


def list_rates(session: Session, workspace_id: str) -> list[FxRate]:
    query = (
        select(FxRate)
        .where(FxRate.workspace_id == workspace_id)
        .order_by(FxRate.currency, FxRate.effective_date.desc())
    )
    return list(session.scalars(query))


def rates_on(session: Session, workspace_id: str, day: date) -> FxRates:
    """The newest rate of each currency effective on or before ``day``."""
    chosen: dict[str, Decimal] = {}
    for row in list_rates(session, workspace_id):
        if row.currency not in chosen and row.effective_date <= day.isoformat():
            chosen[row.currency] = Decimal(row.rate)
    return FxRates(reporting_currency(session, workspace_id), chosen, day)
