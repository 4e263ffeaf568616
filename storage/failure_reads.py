"""Reads of failed payments and ARR at risk: counted and summed in SQL, payloads for the
shown rows only.

A failed-payment or risk fact spans its first to last failed attempt (``at`` to
``until``); both ends are failure instants, so only a span straddling a whole
period needs its failure times (payload) read to know whether it counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.orm import Session

from billing.facts import Kind
from billing.json_values import iso_instant
from billing.money import Money
from billing.risk import risk_reason
from storage.fact_models import AnswerFact, tie_break
from storage.fact_pages import (
    EARLIEST,
    LightFact,
    Page,
    count_and_totals,
    facts_by_id,
    id_facts,
    light_facts,
    scope,
)


def failure_conditions(start: datetime, end: datetime) -> tuple[Any, Any, Any]:
    """Conditions on a failure span ``[at, until]`` (first and last failed attempt) against
    ``[start, end)``: ``sure`` when the first or the last failure lies in the period (both
    are failure instants, so the payload need not be read), ``straddles`` when the span
    covers the period (its inner failure times decide), ``undated`` when there is no span.
    """
    sure = and_(
        AnswerFact.at < end,
        AnswerFact.until >= start,
        or_(AnswerFact.at >= start, AnswerFact.until < end),
    )
    straddles = and_(AnswerFact.at < start, AnswerFact.until >= end)
    return sure, straddles, AnswerFact.at.is_(None)


def failed_payment_page(
    session: Session, workspace_id: str, start: datetime, end: datetime, limit: int | None
) -> Page:
    """Invoices with a failed attempt in ``[start, end)``, latest last failure first (then
    oldest first failure): the first ``limit`` loaded, all counted and summed."""
    where = scope(workspace_id, Kind.FAILED_PAYMENT)
    sure, straddles, undated = failure_conditions(start, end)
    order = (AnswerFact.until.desc().nulls_last(), AnswerFact.at, *tie_break())
    shown = id_facts(session, (*where, sure), order, limit)
    count, totals = count_and_totals(session, workspace_id, Kind.FAILED_PAYMENT, sure)
    extra = [
        (row_id, fact)
        for row_id, fact in id_facts(
            session, (*where, or_(straddles, undated)), (AnswerFact.at, *tie_break())
        )
        if fact.failed_between(start, end)
    ]
    if not extra:
        return Page([f for _, f in shown], count, totals)
    merged = shown + extra
    # the order of the full list: by first failure and row, then latest last failure first
    merged.sort(key=lambda p: (p[1].at or EARLIEST, p[0]))
    merged.sort(key=lambda p: iso_instant(p[1].until) or "", reverse=True)
    sums = {m.currency: m.amount for m in totals}
    for _, fact in extra:
        if fact.currency and fact.amount is not None:
            sums[fact.currency] = sums.get(fact.currency, 0) + fact.amount
    money = [Money(sums[c], c) for c in sorted(sums) if sums[c]]
    kept = merged if limit is None else merged[:limit]
    return Page([f for _, f in kept], count + len(extra), money)


def risk_candidates(
    session: Session, workspace_id: str, start: datetime, end: datetime
) -> list[LightFact]:
    """Subscriptions putting ARR at risk in ``[start, end)``, without payloads, by instant.

    Undated ones are past_due/unpaid and always count; dated ones count when a
    failure of their open invoices falls in the period.
    """
    sure, straddles, undated = failure_conditions(start, end)
    rows = light_facts(
        session,
        workspace_id,
        Kind.RISK,
        or_(undated, sure, straddles),
        order=(AnswerFact.at, *tie_break()),
    )
    unsure = [r.row_id for r in rows if r.at is not None and r.at < start and _ends_after(r, end)]
    if not unsure:
        return rows
    full = facts_by_id(session, unsure)
    dropped = {
        row_id
        for row_id, fact in full.items()
        if risk_reason(fact.payload.get("status"), fact.failure_instants(), start, end) is None
    }
    return [r for r in rows if r.row_id not in dropped]


def _ends_after(row: LightFact, end: datetime) -> bool:
    return row.until is not None and row.until >= end
