"""What an answer is, and what every intent module is handed to build one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from billing.periods import Period as Span
from billing.periods import midnight
from questions.query import Period, Query
from storage.queries import Window


@dataclass
class Answer:
    """A structured ``result`` (SPEC §8), its plain ``text`` and Block Kit ``blocks``.

    ``links`` maps account ids to their Stripe Dashboard customer page; ``reader``
    names who understood the question: ``rules`` (revbot's grammar) or ``llm`` (the
    optional LLM reader, usecases/reading.py) — the figures are revbot's either way.
    """

    query: Query
    result: dict[str, Any]
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    reader: str = "rules"

    @property
    def intent(self) -> str:
        return self.query.intent.value


@dataclass(frozen=True)
class Context:
    """The database, workspace and clock an answer is computed against."""

    session: Session
    workspace_id: str
    as_of: datetime
    tz: tzinfo
    window: Window
    query: Query
    # Rows an answer lists (None: all); the count and totals always cover every row.
    row_limit: int | None = None

    def span(self, period: Period | None) -> Span | None:
        """A question's inclusive local dates as a UTC ``[start, end)``, ending at as_of."""
        if period is None:
            return None
        start = midnight(period.start, self.tz)
        end = midnight(period.end + timedelta(days=1), self.tz)
        if start <= self.as_of < end:
            end = self.as_of
        return Span(start, max(start, end), period.label)

    def forward_span(self, period: Period | None, default_days: int) -> Span:
        """A forward-looking window from as_of (renewals, trials)."""
        if period is None:
            return Span(self.as_of, self.as_of + timedelta(days=default_days), "")
        start = max(self.as_of, midnight(period.start, self.tz))
        end = midnight(period.end + timedelta(days=1), self.tz)
        return Span(start, max(start, end), period.label)


def workspace_tz(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name) if name else UTC
    except (KeyError, ValueError):  # an unknown zone name falls back to UTC
        return UTC
