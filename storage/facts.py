"""Writing and reading back a workspace's answer facts (``billing.facts``).

A full recompute (sync step 6) replaces the whole set inside its transaction,
an incremental one only the facts of the accounts it recomputed; either way
the workspace's own facts (window, month-end workspace MRR, movement months)
are then rebuilt from the accounts' stored rows (:func:`refresh_workspace_facts`),
so both paths store the same rows. A question sees either the previous
complete set or the new one, never a mix.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from billing.facts import ACCOUNT_KINDS, WORKSPACE_KINDS, Fact, Kind, workspace_level_facts
from storage.bulk import execute_insert
from storage.fact_models import AnswerFact
from storage.figures import MonthCurrency, point_sums
from storage.models import AccountRow

BATCH = 5000
CHUNK = 500  # account ids per IN list
SORT_KEY_LENGTH = 400
# Rows go to the driver as tuples (``storage.bulk``): SQLAlchemy's per-row bind
# processing cost several times the insert itself at 250k facts.
FACTS: Table = AnswerFact.__table__  # type: ignore[assignment]


def sort_key(fact: Fact, names: Mapping[str, str]) -> str | None:
    """How ties list: account name (ignoring case), account id, object id."""
    if fact.account_id is None:
        return fact.object_id
    name = names.get(fact.account_id, "").casefold()
    return f"{name}\x1f{fact.account_id}\x1f{fact.object_id or ''}"[:SORT_KEY_LENGTH]


def _row(workspace_id: str, fact: Fact, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "kind": fact.kind,
        "account_id": fact.account_id,
        "at": fact.at,
        "until": fact.until,
        "currency": fact.currency,
        "amount": fact.amount,
        "amount2": fact.amount2,
        "object_id": fact.object_id,
        "sort_key": sort_key(fact, names),
        "payload": fact.payload,
    }


def account_names(session: Session, workspace_id: str) -> dict[str, str]:
    """Every account's name by id (what fact sort keys are made of)."""
    query = select(AccountRow.id, AccountRow.name).where(AccountRow.workspace_id == workspace_id)
    return {account_id: name for account_id, name in session.execute(query)}


def _insert(
    session: Session, workspace_id: str, facts: Iterable[Fact], names: Mapping[str, str]
) -> int:
    """Insert ``facts`` a batch at a time, in order (row ids keep the order of ``facts``)."""
    count = 0
    batch: list[dict[str, Any]] = []
    for fact in facts:
        batch.append(_row(workspace_id, fact, names))
        if len(batch) >= BATCH:
            execute_insert(session, FACTS, batch)
            count += len(batch)
            batch = []
    if batch:
        execute_insert(session, FACTS, batch)
        count += len(batch)
    return count


def replace_workspace_facts(
    session: Session,
    workspace_id: str,
    facts: Iterable[Fact],
    names: Mapping[str, str] | None = None,
) -> int:
    """Swap the workspace's facts for ``facts``; returns how many were written.

    ``facts`` may be a generator: rows are written a batch at a time, so the
    whole set is never held. ``names`` (account names by id, for sort keys) are
    read from the accounts table when not given.
    """
    if names is None:
        names = account_names(session, workspace_id)
    session.execute(delete(FACTS).where(FACTS.c.workspace_id == workspace_id))
    return _insert(session, workspace_id, facts, names)


def replace_account_facts(
    session: Session,
    workspace_id: str,
    facts: Iterable[Fact],
    names: Mapping[str, str],
    accounts: Collection[str] | None = None,
) -> int:
    """Swap the facts of ``accounts`` (every account's when None) for ``facts``.

    ``facts`` must be those accounts' facts only (``billing.facts.iter_account_facts``);
    the workspace's own facts are left to :func:`refresh_workspace_facts`.
    """
    scope = (FACTS.c.workspace_id == workspace_id, FACTS.c.kind.in_(ACCOUNT_KINDS))
    if accounts is None:
        session.execute(delete(FACTS).where(*scope))
    else:
        ids = sorted(set(accounts))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            session.execute(delete(FACTS).where(*scope, FACTS.c.account_id.in_(chunk)))
    return _insert(session, workspace_id, facts, names)


def refresh_workspace_facts(
    session: Session,
    workspace_id: str,
    window_start: datetime,
    now: datetime,
    change: Mapping[MonthCurrency, int] | None = None,
) -> None:
    """Rebuild the workspace's own facts from its accounts' stored rows: month-end
    workspace MRR is the sum of their month-end points, the movement months run from
    the earliest of their MRR steps.

    ``change`` is how a per-account recompute moved that sum, by (month, currency):
    added to the stored workspace points instead of summing every account again.
    """
    if change is None:
        sums = point_sums(session, workspace_id)
    else:
        sums = _stored_points(session, workspace_id)
        for key, delta in change.items():
            sums[key] = sums.get(key, 0) + delta
    first_step = session.scalar(
        select(func.min(FACTS.c.at)).where(
            FACTS.c.workspace_id == workspace_id, FACTS.c.kind == Kind.MRR_STEP
        )
    )
    session.execute(
        delete(FACTS).where(
            FACTS.c.workspace_id == workspace_id, FACTS.c.kind.in_(sorted(WORKSPACE_KINDS))
        )
    )
    points = [(month, code, total) for (month, code), total in sums.items()]
    _insert(session, workspace_id, workspace_level_facts(window_start, now, points, first_step), {})


def _stored_points(session: Session, workspace_id: str) -> dict[MonthCurrency, int]:
    query = select(FACTS.c.object_id, FACTS.c.currency, FACTS.c.amount).where(
        FACTS.c.workspace_id == workspace_id, FACTS.c.kind == Kind.WORKSPACE_POINT
    )
    return {(str(m), str(c)): int(a or 0) for m, c, a in session.execute(query)}
