"""What a Monday Brief is made of: the data read for it, and the assembled sections.

:class:`BriefInputs` is everything :mod:`briefs.service` reads from storage (the
answer layer's results, MRR points, the connection's freshness);
:func:`briefs.assemble.assemble` turns it into a :class:`Brief` without any I/O.
Amounts stay :class:`~billing.money.Money` (never floats); instants are aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from billing.json_values import iso_instant
from billing.money import Money

# Section keys, in the order the brief shows them (SPEC §10).
SECTION_KEYS = (
    "overdue",
    "failed_payments",
    "cancellations",
    "scheduled_cancellations",
    "downgrades",
    "upsell",
    "renewals",
    "trials",
    "new_customers",
)


def money_json(amounts: tuple[Money, ...] | list[Money]) -> list[dict[str, str]]:
    return [m.to_json() for m in amounts]


@dataclass(frozen=True)
class BriefInputs:
    """Data already read for one workspace's brief at ``as_of``.

    ``results`` maps a section key to the answer layer's structured result (the
    ``result`` object of ``revbot ask --json``); ``mrr_points`` are workspace MRR
    values, oldest first, the last one at ``as_of``.
    """

    workspace_id: str
    as_of: datetime
    tz: tzinfo
    has_data: bool
    stale: bool = False
    last_sync_at: datetime | None = None
    sync_error: str | None = None
    mrr_points: tuple[tuple[datetime, tuple[Money, ...]], ...] = ()
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    week_start: datetime | None = None
    horizon_end: datetime | None = None


@dataclass(frozen=True)
class AccountLink:
    """An account as the brief names it, with its Stripe Dashboard page when known."""

    id: str | None
    name: str
    domain: str | None = None
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "domain": self.domain, "url": self.url}


@dataclass(frozen=True)
class BriefRow:
    """One line of a section: an account, its amounts and a human detail ("35 days overdue")."""

    account: AccountLink
    amounts: tuple[Money, ...]
    detail: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "account": self.account.to_json(),
            "amounts": money_json(self.amounts),
            "detail": self.detail,
            **{k: v for k, v in self.data.items() if k not in ("account", "amounts", "detail")},
        }


@dataclass(frozen=True)
class Section:
    """A titled list of rows; ``count`` may exceed ``len(rows)`` when the source capped them."""

    key: str
    title: str
    summary: str
    rows: tuple[BriefRow, ...]
    count: int
    totals: tuple[Money, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "summary": self.summary,
            "count": self.count,
            "total": money_json(self.totals),
            "rows": [r.to_json() for r in self.rows],
        }


@dataclass(frozen=True)
class TrendPoint:
    """Workspace MRR per currency on one (local) day."""

    day: date
    mrr: tuple[Money, ...]

    def to_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "mrr": money_json(self.mrr)}


@dataclass(frozen=True)
class CurrencyChange:
    """MRR in one currency now, a week ago, and the difference (with a percent when defined)."""

    now: Money
    week_ago: Money
    change: Money
    percent: str | None  # "-5.5", one decimal; None when there was no MRR a week ago
    spark: str  # the 4-week trend as block characters, oldest first

    def to_json(self) -> dict[str, Any]:
        return {
            "mrr": self.now.to_json(),
            "mrr_week_ago": self.week_ago.to_json(),
            "change": self.change.to_json(),
            "change_percent": self.percent,
            "arr": self.now.times(12).to_json(),
            "arr_change": self.change.times(12).to_json(),
        }


@dataclass(frozen=True)
class Headline:
    """MRR and ARR with their change over the week and a 4-week trend."""

    mrr: tuple[Money, ...]
    arr: tuple[Money, ...]
    changes: tuple[CurrencyChange, ...]
    trend: tuple[TrendPoint, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "mrr": money_json(self.mrr),
            "arr": money_json(self.arr),
            "by_currency": [c.to_json() for c in self.changes],
            "trend": [p.to_json() for p in self.trend],
        }


@dataclass(frozen=True)
class Freshness:
    """Why the figures may not be trusted (stale or never synced), in plain words."""

    stale: bool
    message: str
    last_sync_at: datetime | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "stale": self.stale,
            "message": self.message,
            "last_sync_at": iso_instant(self.last_sync_at),
            "error": self.error,
        }


@dataclass(frozen=True)
class Brief:
    """One workspace's Monday Brief: a headline and the non-empty sections."""

    workspace_id: str
    as_of: datetime
    timezone: str
    week: str  # ISO week of as_of in the workspace zone, "2027-W07"
    title: str
    period_label: str
    has_data: bool
    headline: Headline | None
    sections: tuple[Section, ...]
    notice: Freshness | None = None

    @property
    def stale(self) -> bool:
        return self.notice is not None and self.notice.stale

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace_id,
            "as_of": iso_instant(self.as_of),
            "timezone": self.timezone,
            "week": self.week,
            "title": self.title,
            "period": self.period_label,
            "has_data": self.has_data,
            "stale": self.stale,
            "notice": self.notice.to_json() if self.notice else None,
            "headline": self.headline.to_json() if self.headline else None,
            "sections": [s.to_json() for s in self.sections],
        }
