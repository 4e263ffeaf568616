"""The facts sync stores for a ledger, by kind: what production's answers read."""

from __future__ import annotations

from datetime import datetime

from billing.facts import Fact, iter_workspace_facts
from billing.ledger import Ledger
from billing.money import Money, sum_by_currency
from billing.timeline import Timelines


def facts_of(
    ledger: Ledger, now: datetime, kind: str, timelines: Timelines | None = None
) -> list[Fact]:
    """The ``kind`` facts of ``ledger`` at ``now``."""
    return [f for f in iter_workspace_facts(ledger, now, timelines=timelines) if f.kind == kind]


def amounts(facts: list[Fact], factor: int = 1) -> list[Money]:
    """Σ of the facts' amounts per currency (× ``factor``), zero totals left out."""
    money = (m.times(factor) for f in facts if (m := f.money()) is not None)
    return [m for m in sum_by_currency(money) if m.amount]
