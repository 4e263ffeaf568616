"""Writing and reading back a workspace's answer facts (``billing.facts``).

Sync step 6 replaces the whole set inside its transaction, so a question sees
either the previous complete set or the new one, never a mix.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, delete
from sqlalchemy.orm import Session

from billing.facts import Fact
from storage.bulk import execute_insert
from storage.fact_models import AnswerFact

BATCH = 5000
# Rows go to the driver as tuples (``storage.bulk``): SQLAlchemy's per-row bind
# processing cost several times the insert itself at 250k facts.
FACTS: Table = AnswerFact.__table__  # type: ignore[assignment]


def _row(workspace_id: str, fact: Fact) -> dict[str, Any]:
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
        "payload": fact.payload,
    }


def replace_workspace_facts(session: Session, workspace_id: str, facts: Iterable[Fact]) -> int:
    """Swap the workspace's facts for ``facts``; returns how many were written.

    ``facts`` may be a generator: rows are written a batch at a time, in order
    (row ids keep the order of ``facts``), so the whole set is never held.
    """
    session.execute(delete(FACTS).where(FACTS.c.workspace_id == workspace_id))
    count = 0
    batch: list[dict[str, Any]] = []
    for fact in facts:
        batch.append(_row(workspace_id, fact))
        if len(batch) >= BATCH:
            execute_insert(session, FACTS, batch)
            count += len(batch)
            batch = []
    if batch:
        execute_insert(session, FACTS, batch)
        count += len(batch)
    return count


def to_fact(row: AnswerFact) -> Fact:
    """A stored row back as a :class:`Fact`."""
    return Fact(
        kind=row.kind,
        account_id=row.account_id,
        at=row.at,
        until=row.until,
        currency=row.currency,
        amount=row.amount,
        amount2=row.amount2,
        object_id=row.object_id,
        payload=dict(row.payload or {}),
    )
