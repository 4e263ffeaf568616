"""The answer-facts table: precomputed rows questions read (see ``billing.facts``).

Kept apart from ``storage.models`` so the question engine owns its schema;
:mod:`storage.schema` imports it, so Alembic, the purge and the test fixtures
always include the table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class AnswerFact(Base):
    """One fact of a workspace: kind, account, instant(s), amounts and a JSON payload."""

    __tablename__ = "answer_facts"
    __table_args__ = (
        Index("ix_answer_facts_kind_at", "workspace_id", "kind", "at"),
        Index("ix_answer_facts_kind_account", "workspace_id", "kind", "account_id"),
        Index("ix_answer_facts_kind_amount", "workspace_id", "kind", "currency", "amount"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("workspaces.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime | None]
    until: Mapped[datetime | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    amount: Mapped[int | None] = mapped_column(BigInteger)
    amount2: Mapped[int | None] = mapped_column(BigInteger)
    object_id: Mapped[str | None] = mapped_column(String(64))
    # Ties in instant or amount are listed by account name, account and object: an order
    # that does not depend on which recompute (full or per account) wrote the row last.
    sort_key: Mapped[str | None] = mapped_column(String(400))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def tie_break() -> tuple[Any, Any]:
    """How facts equal in instant (or amount) list: by account name, account and object
    (the sort key), then row order, which only separates rows of one account and object
    and so is the same whether a full or a per-account recompute wrote them."""
    return AnswerFact.sort_key, AnswerFact.id
