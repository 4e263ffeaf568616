"""Reads of MRR movements: the moving accounts' steps, or a month stored at sync time.

Both avoid payloads and, for steps, the (kind, at) index: given an instant bound
or an ORDER BY on the instant, SQLite walks that index over every step of the
workspace instead of looking the moving accounts up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from billing.facts import Kind
from storage.fact_models import AnswerFact
from storage.fact_pages import CHUNK, EARLIEST, scope
from storage.models import AccountRow


@dataclass(frozen=True)
class MovingAccounts:
    """Accounts whose MRR changed in a period, with what classifying their movement needs:
    their MRR steps up to the period's end ``(at, currency, amount)`` in stored order, and
    when each first paid."""

    steps: dict[str, list[tuple[datetime, str, int]]]
    first_paying: dict[str, datetime | None]


def moving_accounts(
    session: Session, workspace_id: str, after: datetime, until: datetime
) -> MovingAccounts:
    """Accounts with an MRR step in ``(after, until]`` (payload-free reads)."""
    ids = sorted(
        a
        for a in session.scalars(
            select(AnswerFact.account_id)
            .where(
                *scope(workspace_id, Kind.MRR_STEP),
                AnswerFact.at > after,
                AnswerFact.at <= until,
            )
            .distinct()
        )
        if a
    )
    found: list[tuple[datetime, int, str, str, int]] = []
    firsts: list[tuple[datetime | None, int, str]] = []
    for chunk in range(0, len(ids), CHUNK):
        some = ids[chunk : chunk + CHUNK]
        # neither the instant bound nor the order goes to SQL: either makes SQLite walk
        # the (kind, at) index over every step of the workspace instead of the accounts
        rows = session.execute(
            select(
                AnswerFact.at,
                AnswerFact.id,
                AnswerFact.account_id,
                AnswerFact.currency,
                AnswerFact.amount,
            ).where(*scope(workspace_id, Kind.MRR_STEP), AnswerFact.account_id.in_(some))
        )
        found.extend(
            (at, row_id, account_id, code, int(amount))
            for at, row_id, account_id, code, amount in rows
            if at is not None and at <= until and account_id and code and amount is not None
        )
        query = select(AnswerFact.at, AnswerFact.id, AnswerFact.account_id).where(
            *scope(workspace_id, Kind.FIRST_PAYING), AnswerFact.account_id.in_(some)
        )
        firsts.extend(
            (at, row_id, account_id)
            for at, row_id, account_id in session.execute(query)
            if account_id is not None  # filtered by account id above
        )
    steps: dict[str, list[tuple[datetime, str, int]]] = {a: [] for a in ids}
    for at, _, account_id, code, amount in sorted(found, key=lambda r: (r[0], r[1])):
        steps[account_id].append((at, code, amount))
    first_paying: dict[str, datetime | None] = {}
    for first_at, _, account_id in sorted(firsts, key=lambda r: (r[0] or EARLIEST, r[1])):
        first_paying[account_id] = first_at
    return MovingAccounts(steps, first_paying)


@dataclass(frozen=True)
class StoredMovement:
    """One account's movement in one currency over a stored month (minor units)."""

    account_id: str
    name: str | None
    domain: str | None
    currency: str
    kind: str
    before: int
    after: int


def month_movements(
    session: Session, workspace_id: str, start: datetime, end: datetime
) -> list[StoredMovement] | None:
    """The movements classified at sync time for the month ``[start, end)``, with their
    accounts' names; None when that month was not stored (another period, or facts
    written before movements were)."""
    marker = session.scalar(
        select(AnswerFact.id)
        .where(
            *scope(workspace_id, Kind.MOVEMENT_MONTH),
            AnswerFact.at == start,
            AnswerFact.until == end,
        )
        .limit(1)
    )
    if marker is None:
        return None
    query = (
        select(
            AnswerFact.account_id,
            AccountRow.name,
            AccountRow.domain,
            AnswerFact.currency,
            AnswerFact.object_id,
            AnswerFact.amount2,
            AnswerFact.amount,
        )
        .outerjoin(
            AccountRow,
            and_(
                AccountRow.workspace_id == AnswerFact.workspace_id,
                AccountRow.id == AnswerFact.account_id,
            ),
        )
        .where(
            *scope(workspace_id, Kind.MOVEMENT),
            AnswerFact.at == start,
            AnswerFact.until == end,
        )
    )
    return [
        StoredMovement(acc, name, domain, code, kind, int(before or 0), int(after or 0))
        for acc, name, domain, code, kind, before, after in session.execute(query)
        if acc and code and kind
    ]
