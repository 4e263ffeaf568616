"""Read-side queries by use case, each scoped by workspace and by an as-of or a period.

Questions read these instead of a ledger: every function is one or two indexed
reads over ``answer_facts``, the stored figures or the synced invoices
(SPEC §13). Instants are aware UTC; periods are half-open ``[start, end)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from billing.facts import Fact, Kind
from billing.models import Account
from billing.money import Money
from billing.risk import risk_reason
from storage.fact_models import AnswerFact, tie_break
from storage.models import AccountFigure, AccountMrrPoint, AccountRow, InvoiceRow


@dataclass(frozen=True)
class Window:
    """Where synced history starts and when the facts were computed."""

    start: datetime
    computed_at: datetime


def window(session: Session, workspace_id: str) -> Window | None:
    """None when nothing was synced (no facts) for the workspace."""
    row = session.execute(
        select(AnswerFact.at, AnswerFact.until)
        .where(AnswerFact.workspace_id == workspace_id, AnswerFact.kind == Kind.WINDOW)
        .limit(1)
    ).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return Window(row[0], row[1])


EARLIEST = datetime.min.replace(tzinfo=UTC)
FACT_COLUMNS = (
    AnswerFact.kind,
    AnswerFact.account_id,
    AnswerFact.at,
    AnswerFact.until,
    AnswerFact.currency,
    AnswerFact.amount,
    AnswerFact.amount2,
    AnswerFact.object_id,
    AnswerFact.payload,
)


def fact_from_row(row: Sequence[Any]) -> Fact:
    """A :class:`Fact` from a row of :data:`FACT_COLUMNS`."""
    kind, account_id, at, until, currency, amount, amount2, object_id, payload = row
    return Fact(
        kind,
        account_id,
        at=at,
        until=until,
        currency=currency,
        amount=amount,
        amount2=amount2,
        object_id=object_id,
        payload=dict(payload or {}),
    )


def _facts(
    session: Session, *conditions: Any, order: Any = None, limit: int | None = None
) -> list[Fact]:
    # plain column tuples: several times cheaper than loading ORM entities
    query = select(*FACT_COLUMNS).where(*conditions)
    if order is not None:
        query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return [fact_from_row(row) for row in session.execute(query)]


def facts_between(
    session: Session,
    workspace_id: str,
    kind: str,
    start: datetime,
    end: datetime,
    limit: int | None = None,
) -> list[Fact]:
    """Facts of ``kind`` whose instant lies in ``[start, end)``, oldest first (the first
    ``limit`` only, when given)."""
    return _facts(
        session,
        AnswerFact.workspace_id == workspace_id,
        AnswerFact.kind == kind,
        AnswerFact.at >= start,
        AnswerFact.at < end,
        order=(AnswerFact.at, *tie_break()),
        limit=limit,
    )


def totals_between(
    session: Session, workspace_id: str, kind: str, start: datetime, end: datetime
) -> tuple[int, list[Money]]:
    """How many facts of ``kind`` lie in ``[start, end)`` and their amounts per currency."""
    rows = session.execute(
        select(AnswerFact.currency, func.count(), func.sum(AnswerFact.amount))
        .where(
            AnswerFact.workspace_id == workspace_id,
            AnswerFact.kind == kind,
            AnswerFact.at >= start,
            AnswerFact.at < end,
        )
        .group_by(AnswerFact.currency)
        .order_by(AnswerFact.currency)
    ).all()
    count = sum(int(n) for _, n, _ in rows)
    return count, [Money(int(total), code) for code, _, total in rows if code and total]


def facts_from(session: Session, workspace_id: str, kind: str, start: datetime) -> list[Fact]:
    """Facts of ``kind`` at or after ``start`` (what is still to come), soonest first."""
    return _facts(
        session,
        AnswerFact.workspace_id == workspace_id,
        AnswerFact.kind == kind,
        AnswerFact.at >= start,
        order=(AnswerFact.at, *tie_break()),
    )


def facts_of_kind(session: Session, workspace_id: str, kind: str) -> list[Fact]:
    return _facts(
        session,
        AnswerFact.workspace_id == workspace_id,
        AnswerFact.kind == kind,
        order=(AnswerFact.at, *tie_break()),
    )


def facts_spanning(
    session: Session, workspace_id: str, kind: str, start: datetime, end: datetime
) -> list[Fact]:
    """Facts whose ``[at, until]`` span meets ``[start, end)``, plus undated ones."""
    return _facts(
        session,
        AnswerFact.workspace_id == workspace_id,
        AnswerFact.kind == kind,
        or_(AnswerFact.at.is_(None), and_(AnswerFact.at < end, AnswerFact.until >= start)),
        order=(AnswerFact.at, *tie_break()),
    )


def failed_payments(
    session: Session, workspace_id: str, start: datetime, end: datetime
) -> list[Fact]:
    """Invoices with a failed attempt in ``[start, end)`` (one row each, even if recovered)."""
    spans = facts_spanning(session, workspace_id, Kind.FAILED_PAYMENT, start, end)
    return [f for f in spans if f.failed_between(start, end)]


def arr_at_risk(session: Session, workspace_id: str, start: datetime, end: datetime) -> list[Fact]:
    """Subscriptions whose ARR is at risk in ``[start, end)`` (:func:`billing.risk.risk_reason`)."""
    rows = facts_spanning(session, workspace_id, Kind.RISK, start, end)
    return [
        f
        for f in rows
        if risk_reason(f.payload.get("status"), f.failure_instants(), start, end) is not None
    ]


def overdue_invoices(session: Session, workspace_id: str, as_of: datetime) -> list[Fact]:
    """Invoices overdue at the last sync whose lateness has started by ``as_of``."""
    return _facts(
        session,
        AnswerFact.workspace_id == workspace_id,
        AnswerFact.kind == Kind.OVERDUE,
        AnswerFact.at <= as_of,
        order=(AnswerFact.at, *tie_break()),
    )


def currency_totals(session: Session, workspace_id: str, kind: str) -> list[Money]:
    """Σ amount of ``kind`` per currency (e.g. workspace MRR now), by currency code."""
    rows = session.execute(
        select(AnswerFact.currency, func.sum(AnswerFact.amount))
        .where(AnswerFact.workspace_id == workspace_id, AnswerFact.kind == kind)
        .group_by(AnswerFact.currency)
        .order_by(AnswerFact.currency)
    )
    return [Money(int(total), code) for code, total in rows if code and total]


def amount_within(low: int | None, high: int | None) -> tuple[Any, ...]:
    """Conditions keeping fact amounts (minor units) within inclusive bounds."""
    return tuple(
        cond
        for bound, cond in (
            (low, AnswerFact.amount >= (low or 0)),
            (high, AnswerFact.amount <= (high or 0)),
        )
        if bound is not None
    )


def ranked(
    session: Session,
    workspace_id: str,
    kind: str,
    currency: str,
    limit: int | None,
    *,
    low: int | None = None,
    high: int | None = None,
    ascending: bool = False,
) -> list[tuple[str, Money]]:
    """Accounts by ``kind`` amount in ``currency``, largest first (smallest first when
    ``ascending``), ties by name; amounts within ``low``..``high`` (minor units, inclusive)
    when given."""
    query = (
        select(AnswerFact.account_id, AnswerFact.amount)
        .join(
            AccountRow,
            and_(
                AccountRow.workspace_id == AnswerFact.workspace_id,
                AccountRow.id == AnswerFact.account_id,
            ),
        )
        .where(
            AnswerFact.workspace_id == workspace_id,
            AnswerFact.kind == kind,
            AnswerFact.currency == currency,
            AnswerFact.amount > 0,
            *amount_within(low, high),
        )
        .order_by(AnswerFact.amount if ascending else AnswerFact.amount.desc(), AccountRow.name)
        .limit(limit)
    )
    return [
        (acc, Money(int(amount), currency))
        for acc, amount in session.execute(query)
        if acc is not None and amount is not None  # both filtered non-null above
    ]


def count_ranked(
    session: Session,
    workspace_id: str,
    kind: str,
    currency: str,
    *,
    low: int | None = None,
    high: int | None = None,
) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                AnswerFact.workspace_id == workspace_id,
                AnswerFact.kind == kind,
                AnswerFact.currency == currency,
                AnswerFact.amount > 0,
                *amount_within(low, high),
            )
        )
        or 0
    )


def count_accounts_with(session: Session, workspace_id: str, kind: str) -> int:
    """How many accounts hold a ``kind`` fact in any currency (e.g. paying now).

    Figures are stored non-zero only, so no amount test is needed: the count
    stays on the (workspace, kind, account) index (~2 ms at 10k accounts).
    """
    return int(
        session.scalar(
            select(func.count(func.distinct(AnswerFact.account_id))).where(
                AnswerFact.workspace_id == workspace_id, AnswerFact.kind == kind
            )
        )
        or 0
    )


def workspace_points(session: Session, workspace_id: str) -> dict[str, list[Money]]:
    """Month-end workspace MRR per month (``YYYY-MM``), per currency."""
    rows = session.execute(
        select(AnswerFact.object_id, AnswerFact.currency, AnswerFact.amount).where(
            AnswerFact.workspace_id == workspace_id, AnswerFact.kind == Kind.WORKSPACE_POINT
        )
    )
    out: dict[str, list[Money]] = defaultdict(list)
    for month, code, amount in rows:
        if month and code and amount:
            out[month].append(Money(int(amount), code))
    return {m: sorted(v, key=lambda x: x.currency) for m, v in sorted(out.items())}


def accounts_with_steps(
    session: Session, workspace_id: str, after: datetime, until: datetime
) -> set[str]:
    """Accounts whose MRR changed in ``(after, until]``."""
    rows = session.scalars(
        select(AnswerFact.account_id)
        .where(
            AnswerFact.workspace_id == workspace_id,
            AnswerFact.kind == Kind.MRR_STEP,
            AnswerFact.at > after,
            AnswerFact.at <= until,
        )
        .distinct()
    )
    return {r for r in rows if r}


def account_facts(
    session: Session, workspace_id: str, kind: str, account_ids: Iterable[str]
) -> list[Fact]:
    """Facts of ``kind`` of the given accounts, oldest first."""
    ids = sorted(set(account_ids))
    rows: list[Any] = []
    for chunk in range(0, len(ids), 500):
        # ordered here, not in SQL: an ORDER BY on the instant makes SQLite walk the
        # (kind, at) index over every fact of the kind instead of looking the accounts up
        rows.extend(
            session.execute(
                select(AnswerFact.id, *FACT_COLUMNS).where(
                    AnswerFact.workspace_id == workspace_id,
                    AnswerFact.kind == kind,
                    AnswerFact.account_id.in_(ids[chunk : chunk + 500]),
                )
            )
        )
    rows.sort(key=lambda r: (r[3] or EARLIEST, r[2] or "", r[0]))
    return [fact_from_row(row[1:]) for row in rows]


def mrr_at(session: Session, workspace_id: str, instant: datetime) -> list[Money]:
    """Workspace MRR (over accounts) in force at ``instant``, per currency."""
    latest = (
        select(
            AnswerFact.account_id,
            AnswerFact.currency,
            func.max(AnswerFact.at).label("last"),
        )
        .where(
            AnswerFact.workspace_id == workspace_id,
            AnswerFact.kind == Kind.MRR_STEP,
            AnswerFact.at <= instant,
        )
        .group_by(AnswerFact.account_id, AnswerFact.currency)
        .subquery()
    )
    query = (
        select(AnswerFact.currency, func.sum(AnswerFact.amount))
        .join(
            latest,
            and_(
                AnswerFact.account_id == latest.c.account_id,
                AnswerFact.currency == latest.c.currency,
                AnswerFact.at == latest.c.last,
            ),
        )
        .where(AnswerFact.workspace_id == workspace_id, AnswerFact.kind == Kind.MRR_STEP)
        .group_by(AnswerFact.currency)
        .order_by(AnswerFact.currency)
    )
    return [Money(int(t), c) for c, t in session.execute(query) if c and t]


def mrr_change_between(
    session: Session, workspace_id: str, start: datetime, end: datetime
) -> dict[str, int]:
    """Σ (after - before) of the accounts' MRR steps in ``(start, end]``, per currency (minor
    units): added to the MRR at ``start``, it gives the MRR at ``end``."""
    rows = session.execute(
        select(
            AnswerFact.currency, func.sum(AnswerFact.amount - func.coalesce(AnswerFact.amount2, 0))
        )
        .where(
            AnswerFact.workspace_id == workspace_id,
            AnswerFact.kind == Kind.MRR_STEP,
            AnswerFact.at > start,
            AnswerFact.at <= end,
        )
        .group_by(AnswerFact.currency)
    )
    return {code: int(total or 0) for code, total in rows if code}


def account_mrr_at(
    session: Session, workspace_id: str, account_id: str, instant: datetime
) -> list[Money]:
    """One account's MRR in force at ``instant``, per currency (its latest steps by then)."""
    rows = session.execute(
        select(AnswerFact.currency, AnswerFact.at, AnswerFact.amount)
        .where(
            AnswerFact.workspace_id == workspace_id,
            AnswerFact.kind == Kind.MRR_STEP,
            AnswerFact.account_id == account_id,
            AnswerFact.at <= instant,
        )
        .order_by(AnswerFact.at)
    )
    latest: dict[str, int] = {}
    for code, _at, amount in rows:
        if code:
            latest[code] = int(amount or 0)
    return [Money(amount, code) for code, amount in sorted(latest.items()) if amount]


def account_refs(
    session: Session, workspace_id: str, account_ids: Iterable[str]
) -> dict[str, Account]:
    """Accounts by id (name, domain) for the given ids."""
    ids = sorted({a for a in account_ids if a})
    out: dict[str, Account] = {}
    for chunk in range(0, len(ids), 500):
        rows = session.execute(
            select(AccountRow.id, AccountRow.name, AccountRow.domain).where(
                AccountRow.workspace_id == workspace_id, AccountRow.id.in_(ids[chunk : chunk + 500])
            )
        )
        for acc_id, name, domain in rows:
            out[acc_id] = Account(id=acc_id, name=name, domain=domain)
    return out


def account_plans(
    session: Session, workspace_id: str, account_ids: Iterable[str]
) -> dict[str, str | None]:
    """The plan label each account's stored figures hold (None when it has none)."""
    ids = sorted(set(account_ids))
    out: dict[str, str | None] = {}
    for chunk in range(0, len(ids), 500):
        rows = session.execute(
            select(AccountFigure.account_id, AccountFigure.data).where(
                AccountFigure.workspace_id == workspace_id,
                AccountFigure.account_id.in_(ids[chunk : chunk + 500]),
            )
        )
        out.update((account_id, (data or {}).get("plan")) for account_id, data in rows)
    return out


def account_figure(session: Session, workspace_id: str, account_id: str) -> dict[str, Any] | None:
    """The stored ``accounts list --json`` object of one account."""
    row = session.get(AccountFigure, (workspace_id, account_id))
    return dict(row.data) if row is not None else None


def account_history(session: Session, workspace_id: str, account_id: str) -> dict[str, list[Money]]:
    """Month-end MRR points of one account by month, per currency."""
    rows = session.execute(
        select(AccountMrrPoint.month, AccountMrrPoint.currency, AccountMrrPoint.amount).where(
            AccountMrrPoint.workspace_id == workspace_id, AccountMrrPoint.account_id == account_id
        )
    )
    out: dict[str, list[Money]] = defaultdict(list)
    for month, code, amount in rows:
        if amount:
            out[month].append(Money(int(amount), code))
    return {m: sorted(v, key=lambda x: x.currency) for m, v in sorted(out.items())}


def account_invoices(
    session: Session, workspace_id: str, customer_ids: Iterable[str], limit: int
) -> tuple[list[InvoiceRow], int]:
    """The newest invoices of the given customers (not drafts) and how many there are."""
    ids = sorted(set(customer_ids))
    if not ids:
        return [], 0
    # filter and order in Python: an account has few invoices, and letting SQLite pick
    # the status or created index instead of the customer one scans the whole table
    rows = session.scalars(
        select(InvoiceRow).where(
            InvoiceRow.workspace_id == workspace_id, InvoiceRow.customer_id.in_(ids)
        )
    )
    kept = sorted(
        (inv for inv in rows if inv.status != "draft"),
        key=lambda inv: (inv.created, inv.id),
        reverse=True,
    )
    return kept[:limit], len(kept)
