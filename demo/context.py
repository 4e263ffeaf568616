"""Shared state while one demo world is generated: clock, ids, catalogue objects.

Times: ``ago(days)`` is that many days before as_of (on the hour);
``start_of((months, days))`` is a subscription start at a seeded office hour.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from demo.catalog import PriceDef
from demo.ids import IdMaker, unix

Obj = dict[str, Any]


@dataclass
class Timeline:
    """One recorded change of an object, later turned into an event."""

    at: int
    kind: str
    previous: Obj | None = None
    snapshot: Obj | None = None  # None: the object's final state


@dataclass
class WorldContext:
    rng: random.Random
    ids: IdMaker
    as_of: datetime
    account: Obj = field(default_factory=dict)
    price_defs: dict[str, PriceDef] = field(default_factory=dict)
    prices: dict[str, Obj] = field(default_factory=dict)  # key -> price JSON (with tiers)
    product_ids: dict[str, str] = field(default_factory=dict)
    product_names: dict[str, str] = field(default_factory=dict)
    coupons: dict[str, Obj] = field(default_factory=dict)
    customers: dict[str, Obj] = field(default_factory=dict)  # key -> customer JSON
    invoice_counters: dict[str, int] = field(default_factory=dict)

    @property
    def now(self) -> int:
        return unix(self.as_of)

    @property
    def window_start(self) -> int:
        """Start of the 12-month backfill window (SPEC §5)."""
        return unix(self.as_of - relativedelta(months=12))

    def ago(self, days: float) -> int:
        hour = self.as_of.replace(minute=0, second=0, microsecond=0)
        return unix(hour - timedelta(days=days))

    def start_of(self, start: tuple[int, int]) -> int:
        months, days = start
        midnight = self.as_of.replace(hour=0, minute=0, second=0, microsecond=0)
        moment = midnight - relativedelta(months=months) - timedelta(days=days)
        return unix(moment + timedelta(hours=self.rng.randint(8, 17)))

    def next_number(self, customer_key: str) -> str:
        count = self.invoice_counters.get(customer_key, 0) + 1
        self.invoice_counters[customer_key] = count
        return f"{self.customers[customer_key]['invoice_prefix']}-{count:04d}"


def add_interval(moment: int, interval: str, count: int, times: int) -> int:
    """``moment`` plus ``times`` billing intervals, clamped like Stripe (Jan 31 -> Feb 28)."""
    base = datetime.fromtimestamp(moment, tz=UTC)
    if interval == "year":
        shifted = base + relativedelta(years=count * times)
    elif interval == "month":
        shifted = base + relativedelta(months=count * times)
    elif interval == "week":
        shifted = base + timedelta(weeks=count * times)
    else:
        shifted = base + timedelta(days=count * times)
    return unix(shifted)
