"""Hand-built brief inputs in the answer layer's result shapes (for pure assembly tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from billing.money import Money
from briefs.models import BriefInputs

NOW = datetime(2027, 2, 15, 14, 0, tzinfo=UTC)  # Monday 09:00 in New York


def money(amount: str, currency: str = "USD") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


def acct(n: int, name: str | None = None) -> dict[str, Any]:
    return {"id": f"acct_{n}", "name": name or f"Company {n}", "domain": f"c{n}.example"}


def mrr_series(
    *values: str, currency: str = "USD"
) -> tuple[tuple[datetime, tuple[Money, ...]], ...]:
    """Weekly points ending at NOW (oldest first)."""
    count = len(values)
    return tuple(
        (NOW - timedelta(weeks=count - 1 - i), (Money.from_decimal(v, currency),) if v else ())
        for i, v in enumerate(values)
    )


def inputs(
    results: dict[str, dict[str, Any]] | None = None,
    *,
    points: tuple[tuple[datetime, tuple[Money, ...]], ...] | None = None,
    stale: bool = False,
    has_data: bool = True,
    last_sync_at: datetime | None = NOW,
    error: str | None = None,
    links: dict[str, str] | None = None,
    zone: str = "America/New_York",
) -> BriefInputs:
    return BriefInputs(
        workspace_id="T1",
        as_of=NOW,
        tz=ZoneInfo(zone),
        has_data=has_data,
        stale=stale,
        last_sync_at=last_sync_at,
        sync_error=error,
        mrr_points=mrr_series("1000", "1100", "1200", "1300", "1250") if points is None else points,
        results=results or {},
        links=links or {},
        week_start=NOW - timedelta(days=7),
    )


def empty_results() -> dict[str, dict[str, Any]]:
    """Every section present in the answers, each with no rows."""
    keys = (
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
    return {k: {"rows": [], "count": 0} for k in keys}
