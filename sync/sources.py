"""Where backfill objects come from: the Stripe API, or a folder of Stripe-shaped files.

Both implement ``Source``, so the ingest code (``sync.backfill``) is one code
path. ``ApiSource`` lists with ``limit=100``, expands what lists can expand
(price tiers, subscription and item discounts, invoice and line discounts),
pages an invoice's lines or a subscription's items only when the embedded list
says ``has_more`` (on the fetching side), and fetches every list ahead in
background threads so the database writes overlap the network. A long
invoice list is split into created-time slices listed in parallel under the
shared rate limit (latency would otherwise cap one cursor below the rate
limit).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from typing import Any, Protocol

from sync.client import PAGE_SIZE, StripeReadClient
from sync.event_fetch import StripeReader

Obj = dict[str, Any]
Pages = Iterator[list[Obj]]
# Discounts as objects (4 levels at most, Stripe's limit). A discount's coupon is an id
# unless expanded: invoice- and subscription-level ones are expanded too (a deleted
# coupon no longer lists); item and line ones would sit 6 levels deep, so they are
# joined by id to the listed coupons (``sync.coupons`` expands what is still missing).
INVOICE_EXPAND = ("data.discounts", "data.discounts.source.coupon", "data.lines.data.discounts")
SUBSCRIPTION_EXPAND = (
    "data.discounts",
    "data.discounts.source.coupon",
    "data.items.data.discounts",
)


class Source(Protocol):
    """The objects of one Stripe account, page by page, newest first."""

    kind: str  # "backfill" (API) or "file"

    @property
    def request_count(self) -> int: ...

    def total(self, resource: str) -> int | None: ...

    def products(self) -> Pages: ...

    def prices(self) -> Pages: ...

    def coupons(self) -> list[Obj]: ...

    def reader(self) -> StripeReader | None:
        """The read-only client behind the source, for what lists cannot expand (None:
        a folder, which holds what it holds)."""
        ...

    def customers(self) -> Pages: ...

    def deleted_customers(self) -> list[Obj]: ...

    def subscriptions(self, window_start: datetime) -> Pages: ...

    def subscription_items(self, sub: Obj) -> list[Obj] | None: ...

    def invoices(self, window_start: datetime) -> Pages: ...

    def invoice_lines(self, invoice: Obj) -> list[Obj] | None: ...

    def newest_event(self) -> Obj | None: ...

    def discount(self, discount_id: str) -> Obj | None:
        """A discount an invoice names only by id, when the source holds it apart."""
        ...


_DONE = object()
Idle = Callable[[], None]
# While the consumer waits this long for a page, it calls its idle hook (the backfill
# renews its lease there, so a slow Stripe never lets it expire).
IDLE_EVERY = 0.25
# Where a source keeps the full list of an invoice's lines / a subscription's items when
# the embedded list was cut (the file layout's names; the API source fills them ahead).
ALL_LINES = "_all_lines"
ALL_ITEMS = "_all_items"


class Prefetcher:
    """Page producers running in threads from construction on, through one bounded queue.

    Iterating yields pages as they arrive (once); an exception in a producer is
    re-raised in the consumer; ``close`` stops the producers (also when the
    consumer leaves early). ``idle`` is called in the consumer every
    ``IDLE_EVERY`` seconds it waits for a page.
    """

    def __init__(
        self, producers: list[Callable[[], Pages]], depth: int = 4, idle: Idle | None = None
    ) -> None:
        self._idle = idle
        self._pages: queue.Queue[Any] = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(p,), daemon=True) for p in producers
        ]
        for thread in self._threads:
            thread.start()

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._pages.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, producer: Callable[[], Pages]) -> None:
        try:
            for page in producer():
                if not self._put(page):
                    return
            self._put(_DONE)
        except BaseException as exc:  # handed to the consumer
            self._put(exc)

    def __iter__(self) -> Pages:
        remaining = len(self._threads)
        try:
            while remaining:
                try:
                    item = self._pages.get(timeout=IDLE_EVERY)
                except queue.Empty:
                    if self._idle is not None:
                        self._idle()
                    continue
                if item is _DONE:
                    remaining -= 1
                elif isinstance(item, BaseException):
                    raise item
                else:
                    yield item
        finally:
            self.close()

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)


def prefetch(
    producers: list[Callable[[], Pages]], depth: int = 4, idle: Idle | None = None
) -> Pages:
    """Run page producers in threads, yielding pages as they arrive (see ``Prefetcher``)."""
    yield from Prefetcher(producers, depth, idle)


def _unix_seconds(value: datetime) -> int:
    return int(value.timestamp())


class ApiSource:
    """Backfill objects read from the Stripe API through a ``StripeReadClient``.

    ``begin`` starts every list at once, each in its own threads with its own
    bounded queue, so while the backfill writes one step the rate limit is
    spent on the next ones (one cursor alone is held back by latency).
    Invoice lines and subscription items beyond the embedded ones are paged
    on the fetching side, so the writer never waits on the network for them.
    """

    kind = "backfill"

    def __init__(
        self,
        client: StripeReadClient,
        *,
        prefetch_pages: int = 4,
        invoice_streams: int = 2,
        split_min_pages: int = 20,
        lookahead_pages: int = 64,
    ) -> None:
        self.client = client
        self.prefetch_pages = prefetch_pages
        self.invoice_streams = max(1, invoice_streams)
        self.split_min_pages = split_min_pages
        self.lookahead_pages = max(prefetch_pages, lookahead_pages)
        self._streams: dict[str, Prefetcher] = {}
        self._window: datetime | None = None
        self._idle: Idle | None = None

    @property
    def request_count(self) -> int:
        return self.client.request_count

    def total(self, resource: str) -> int | None:
        return None  # Stripe lists carry no total_count

    # -- streams ---------------------------------------------------------------------
    def begin(self, window_start: datetime, idle: Idle | None = None) -> None:
        """Start fetching every list of a backfill of ``window_start`` (see the class);
        ``idle`` is called while the backfill waits for a page (``Prefetcher``)."""
        self._idle = idle
        if self.prefetch_pages <= 0:
            return
        self.close()
        self._window = window_start
        ahead = self.lookahead_pages
        # The first steps are consumed at once; later ones buffer while they wait.
        self._streams = {
            "products": Prefetcher([self._product_pages], self.prefetch_pages, idle),
            "prices": Prefetcher([self._price_pages], self.prefetch_pages, idle),
            "coupons": Prefetcher([self._coupon_pages], ahead, idle),
            "customers": Prefetcher([self._customer_pages], ahead, idle),
            "subscriptions": Prefetcher(
                [partial(self._subscription_pages, window_start)], ahead, idle
            ),
            "invoices": Prefetcher(
                [partial(self._invoice_pages, _unix_seconds(window_start))], ahead, idle
            ),
        }

    def close(self) -> None:
        """Stop whatever is still fetching (the backfill ended or failed)."""
        streams, self._streams = self._streams, {}
        for stream in streams.values():
            stream.close()

    def _stream(self, name: str, window: datetime | None, make: Callable[[], Pages]) -> Pages:
        begun = self._streams.pop(name, None)
        if begun is not None and (window is None or window == self._window):
            return iter(begun)
        if begun is not None:
            begun.close()
        if self.prefetch_pages <= 0:
            return make()
        return prefetch([make], self.prefetch_pages, self._idle)

    def _pages(self, path: str, params: Obj) -> Pages:
        return self.client.list_pages(path, params)

    # -- lists -----------------------------------------------------------------------
    def _product_pages(self) -> Pages:
        return self._pages("/v1/products", {})

    def _price_pages(self) -> Pages:
        # Tiers are "includable": only present when expanded.
        return self._pages("/v1/prices", {"expand": ["data.tiers"]})

    def _customer_pages(self) -> Pages:
        return self._pages("/v1/customers", {})

    def products(self) -> Pages:
        return self._stream("products", None, self._product_pages)

    def prices(self) -> Pages:
        return self._stream("prices", None, self._price_pages)

    def _coupon_pages(self) -> Pages:
        return self._pages("/v1/coupons", {})

    def coupons(self) -> list[Obj]:
        return [c for page in self._stream("coupons", None, self._coupon_pages) for c in page]

    def reader(self) -> StripeReader | None:
        return self.client

    def customers(self) -> Pages:
        return self._stream("customers", None, self._customer_pages)

    def deleted_customers(self) -> list[Obj]:
        return []  # the API never lists them; unlisted customers are marked instead

    def subscriptions(self, window_start: datetime) -> Pages:
        return self._stream(
            "subscriptions", window_start, partial(self._subscription_pages, window_start)
        )

    def _subscription_pages(self, window_start: datetime) -> Pages:
        # One list covers both halves of the window rule: a subscription created in
        # the window, or still running / ended inside it, has its (minimum item)
        # current_period_end at or after the window start.
        params: Obj = {
            "status": "all",
            "current_period_end": {"gte": _unix_seconds(window_start)},
            "expand": list(SUBSCRIPTION_EXPAND),
        }
        for page in self._pages("/v1/subscriptions", params):
            for sub in page:
                items = self._rest_of_items(sub)
                if items is not None:
                    sub[ALL_ITEMS] = items
            yield page

    def subscription_items(self, sub: Obj) -> list[Obj] | None:
        if ALL_ITEMS in sub:
            return list(sub[ALL_ITEMS])
        return self._rest_of_items(sub)

    def _rest_of_items(self, sub: Obj) -> list[Obj] | None:
        embedded = sub.get("items") or {}
        if not isinstance(embedded, dict) or not embedded.get("has_more"):
            return None
        data = list(embedded.get("data") or [])
        params: Obj = {"subscription": sub["id"], "expand": ["data.discounts"]}
        if data:
            params["starting_after"] = data[-1]["id"]
        return data + list(self.client.list_all("/v1/subscription_items", params))

    def invoices(self, window_start: datetime) -> Pages:
        return self._stream(
            "invoices", window_start, partial(self._invoice_pages, _unix_seconds(window_start))
        )

    def _invoice_pages(self, start: int) -> Pages:
        # Expanded discounts carry expired ones too: history applies them (SPEC §7).
        path = "/v1/invoices"
        base: Obj = {"created": {"gte": start}, "expand": list(INVOICE_EXPAND)}
        first = self.client.get(path, {**base, "limit": PAGE_SIZE})
        data = list(first.get("data") or [])
        yield self._with_lines(data)
        if not first.get("has_more") or not data:
            return
        newest, oldest = int(data[0]["created"]), int(data[-1]["created"])
        estimated_pages = (newest - start) / max(1, newest - oldest)
        cursor = data[-1]["id"]
        rest: Obj = {**base, "starting_after": cursor}
        producers: list[Callable[[], Pages]]
        if self.invoice_streams == 1 or estimated_pages < self.split_min_pages or oldest <= start:
            producers = [partial(self._invoice_slice, path, rest)]
        else:
            producers = self._slices(path, start, oldest, cursor)
        if self.prefetch_pages <= 0 and len(producers) == 1:
            yield from producers[0]()
            return
        yield from prefetch(producers, self.prefetch_pages)

    def _invoice_slice(self, path: str, params: Obj) -> Pages:
        for page in self._pages(path, params):
            yield self._with_lines(page)

    def _slices(self, path: str, start: int, oldest: int, cursor: str) -> list[Callable[[], Pages]]:
        """Disjoint created-time slices of what is left after the first page."""
        k = self.invoice_streams
        bounds = [start + (oldest - start) * j // k for j in range(k)] + [oldest + 1]
        expand = list(INVOICE_EXPAND)
        head: Obj = {"created": {"gte": bounds[-2]}, "starting_after": cursor, "expand": expand}
        producers: list[Callable[[], Pages]] = [partial(self._invoice_slice, path, head)]
        for j in range(k - 1):
            window: Obj = {"created": {"gte": bounds[j], "lt": bounds[j + 1]}, "expand": expand}
            producers.append(partial(self._invoice_slice, path, window))
        return producers

    def _with_lines(self, page: list[Obj]) -> list[Obj]:
        """The page, each invoice whose embedded lines were cut given all of them."""
        for invoice in page:
            lines = self._rest_of_lines(invoice)
            if lines is not None:
                invoice[ALL_LINES] = lines
        return page

    def invoice_lines(self, invoice: Obj) -> list[Obj] | None:
        if ALL_LINES in invoice:
            return list(invoice[ALL_LINES])
        return self._rest_of_lines(invoice)

    def _rest_of_lines(self, invoice: Obj) -> list[Obj] | None:
        embedded = invoice.get("lines") or {}
        if not isinstance(embedded, dict) or not embedded.get("has_more"):
            return None
        data = list(embedded.get("data") or [])
        params: Obj = {"expand": ["data.discounts"]}
        if data:
            params["starting_after"] = data[-1]["id"]
        return data + list(self.client.list_all(f"/v1/invoices/{invoice['id']}/lines", params))

    def discount(self, discount_id: str) -> Obj | None:
        return None  # the API embeds discounts in the invoices that name them

    def newest_event(self) -> Obj | None:
        data = self.client.get("/v1/events", {"limit": 1}).get("data") or []
        return data[0] if data else None
