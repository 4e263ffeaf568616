"""The same ingest as the API backfill, from a folder of Stripe-shaped JSON files.

One JSON array per resource, newest first (the layout of a Stripe export and
of the demo world): ``account.json``, ``products.json``, ``prices.json``,
``coupons.json``, ``customers.json``, ``customers_deleted.json``,
``subscriptions.json``, ``invoices.json`` (an invoice with more than 10 lines
may keep them all in ``_all_lines``), ``events.json``, ``discounts.json`` (every
discount, expired ones included: invoices name them by id). Missing files are
empty.
The window applies as for the API (``sync.backfill`` filters both sources).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from billing.failed_payments import PAYMENT_FAILED
from core.settings import Settings, load_settings
from storage.db import Database
from sync.backfill import Progress, SyncReport, run_backfill
from sync.event_fetch import StripeReader
from sync.sources import Obj, Pages

PAGE = 500


class FileSource:
    """Backfill objects read from a folder (see the module docstring)."""

    kind = "file"
    request_count = 0

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise FileNotFoundError(f"no such folder: {self.folder}")
        self._cache: dict[str, list[Obj]] = {}
        self._discounts: dict[str, Obj] | None = None

    def _load(self, resource: str) -> list[Obj]:
        if resource not in self._cache:
            path = self.folder / f"{resource}.json"
            data: Any = json.loads(path.read_text()) if path.exists() else []
            if isinstance(data, dict) and "data" in data:  # a saved list response
                data = data["data"]
            if not isinstance(data, list):
                raise ValueError(f"{path.name}: expected a JSON array of Stripe objects")
            self._cache[resource] = data
        return self._cache[resource]

    def _pages(self, resource: str) -> Pages:
        objs = self._load(resource)
        for start in range(0, len(objs), PAGE):
            yield objs[start : start + PAGE]

    def account(self) -> Obj | None:
        path = self.folder / "account.json"
        return json.loads(path.read_text()) if path.exists() else None

    def total(self, resource: str) -> int | None:
        return len(self._load(resource))

    def products(self) -> Pages:
        return self._pages("products")

    def prices(self) -> Pages:
        return self._pages("prices")

    def coupons(self) -> list[Obj]:
        return list(self._load("coupons"))

    def reader(self) -> StripeReader | None:
        return None  # the files hold what they hold

    def customers(self) -> Pages:
        return self._pages("customers")

    def deleted_customers(self) -> list[Obj]:
        return list(self._load("customers_deleted"))

    def subscriptions(self, window_start: datetime) -> Pages:
        return self._pages("subscriptions")

    def subscription_items(self, sub: Obj) -> list[Obj] | None:
        return sub.get("_all_items")

    def invoices(self, window_start: datetime) -> Pages:
        return self._pages("invoices")

    def invoice_lines(self, invoice: Obj) -> list[Obj] | None:
        return invoice.get("_all_lines")

    def discount(self, discount_id: str) -> Obj | None:
        if self._discounts is None:
            found = self._load("discounts")
            self._discounts = {d["id"]: d for d in found if isinstance(d, dict) and "id" in d}
        return self._discounts.get(discount_id)

    def payment_failed_events(self, since: datetime) -> list[Obj]:
        start = int(since.timestamp())
        return [
            e
            for e in self._load("events")
            if e.get("type") == PAYMENT_FAILED and int(e.get("created") or 0) >= start
        ]

    def newest_event(self) -> Obj | None:
        events = self._load("events")
        return max(events, key=lambda e: int(e.get("created") or 0)) if events else None


def ingest_folder(
    db: Database,
    workspace_id: str,
    folder: Path,
    now: datetime,
    progress: Progress | None = None,
    *,
    settings: Settings | None = None,
    since: Any = None,
) -> SyncReport:
    """Run the six backfill steps from ``folder`` (window as for the API)."""
    return run_backfill(
        db, workspace_id, FileSource(folder), settings or load_settings(), now, since, progress
    )
