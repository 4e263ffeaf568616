"""Stripe list semantics over a world: filters, newest-first order, cursors.

Filtered lists are cached per (resource, filters) so paging a 120k-object list
costs a bisect per page, not a scan (the bench pages 1,200 invoice pages).
"""

from __future__ import annotations

import bisect
import json
import threading
from collections.abc import Callable
from typing import Any

from testkit.stripe_server.world import Obj, StripeWorld, invoice_lines_of, subscription_items_of


class ListError(ValueError):
    """A bad list request; ``param`` names the offending parameter."""

    def __init__(self, message: str, param: str | None = None, code: str = "parameter_invalid"):
        super().__init__(message)
        self.param = param
        self.code = code


def _int(value: Any, param: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ListError(f"Invalid integer: {value}", param) from None


def range_matcher(value: Any, param: str) -> Callable[[int | None], bool]:
    """``created[gte]=…``-style filters (or a bare integer meaning equality)."""
    if not isinstance(value, dict):
        exact = _int(value, param)
        return lambda v: v == exact
    bounds = {}
    for op, raw in value.items():
        if op not in {"gt", "gte", "lt", "lte"}:
            raise ListError(f"Received unknown parameter: {param}[{op}]", f"{param}[{op}]")
        bounds[op] = _int(raw, f"{param}[{op}]")

    def match(v: int | None) -> bool:
        if v is None:
            return False
        return (
            ("gt" not in bounds or v > bounds["gt"])
            and ("gte" not in bounds or v >= bounds["gte"])
            and ("lt" not in bounds or v < bounds["lt"])
            and ("lte" not in bounds or v <= bounds["lte"])
        )

    return match


def _bool(value: Any, param: str) -> bool:
    if value in ("true", True):
        return True
    if value in ("false", False):
        return False
    raise ListError(f"Invalid boolean: {value}", param)


def item_periods(sub: Obj, key: str) -> list[int]:
    """Item period bounds, or the subscription's own (pre-2025 shape)."""
    values = [i[key] for i in subscription_items_of(sub) if i.get(key) is not None]
    if not values and sub.get(key) is not None:
        values = [sub[key]]
    return values


def _sub_status(value: Any) -> Callable[[Obj], bool]:
    if value == "all":
        return lambda s: True
    if value == "ended":
        return lambda s: s.get("status") in {"canceled", "incomplete_expired"}
    return lambda s: s.get("status") == value


def _price_ids(sub: Obj) -> set[str]:
    out = set()
    for item in subscription_items_of(sub):
        price = item.get("price") or item.get("plan") or {}
        out.add(price.get("id") if isinstance(price, dict) else price)
    return out


def _id_of(value: Any) -> Any:
    return value.get("id") if isinstance(value, dict) else value


def _invoice_subscription(inv: Obj) -> Any:
    parent = inv.get("parent") or {}
    details = parent.get("subscription_details") if isinstance(parent, dict) else None
    if isinstance(details, dict) and details.get("subscription"):
        return _id_of(details["subscription"])
    return _id_of(inv.get("subscription"))


PAGING = frozenset({"limit", "starting_after", "ending_before", "expand"})


def build_filters(kind: str, params: dict[str, Any]) -> list[Callable[[Obj], bool]]:
    """Predicates for the filters a list request carries (pagination excluded)."""
    preds: list[Callable[[Obj], bool]] = []
    for name, value in params.items():
        if name in PAGING or (kind == "subscription_items" and name == "subscription"):
            continue
        preds.append(_filter(kind, name, value))
    if kind == "subscriptions" and "status" not in params:
        preds.append(lambda s: s.get("status") != "canceled")
    return preds


def _filter(kind: str, name: str, value: Any) -> Callable[[Obj], bool]:
    if name in {"created", "due_date"}:
        m = range_matcher(value, name)
        return lambda o: m(o.get(name))
    if name == "current_period_end":
        m = range_matcher(value, name)
        return lambda s: m(min(item_periods(s, "current_period_end"), default=None))
    if name == "current_period_start":
        m = range_matcher(value, name)
        return lambda s: m(max(item_periods(s, "current_period_start"), default=None))
    if name == "active":
        flag = _bool(value, name)
        return lambda o: bool(o.get("active", True)) == flag
    if name == "status" and kind == "subscriptions":
        return _sub_status(value)
    if name in {"status", "currency", "collection_method", "type", "email"}:
        return lambda o: o.get(name) == value
    if name in {"customer", "product"}:
        return lambda o: _id_of(o.get(name)) == value
    if name == "subscription":
        return lambda o: _invoice_subscription(o) == value
    if name == "price":
        return lambda s: value in _price_ids(s)
    if name == "types":
        wanted = set(value if isinstance(value, list) else [value])
        return lambda o: o.get("type") in wanted
    raise ListError(
        f"The test server does not implement the declared parameter: {name}", name, "unsupported"
    )


class Lister:
    """Answers list requests over one world (thread-safe, cached)."""

    def __init__(self, world: StripeWorld) -> None:
        self.world = world
        self._lock = threading.Lock()
        self._ordered: dict[str, tuple[list[Obj], dict[str, int]]] = {}
        self._filtered: dict[tuple[str, str], tuple[list[Obj], list[int]]] = {}

    def invalidate(self) -> None:
        with self._lock:
            self._ordered.clear()
            self._filtered.clear()

    def _ordered_list(self, kind: str, parent: Obj | None) -> tuple[list[Obj], dict[str, int]]:
        if kind == "invoice_lines":
            objs = invoice_lines_of(parent or {})
        elif kind == "subscription_items":
            objs = subscription_items_of(parent or {})
        else:
            key = kind
            if key in self._ordered:
                return self._ordered[key]
            raw = self.world.resource(kind)
            order = sorted(range(len(raw)), key=lambda i: (-int(raw[i].get("created") or 0), i))
            objs = [raw[i] for i in order]
            result = (objs, {o["id"]: n for n, o in enumerate(objs)})
            self._ordered[key] = result
            return result
        return objs, {o["id"]: n for n, o in enumerate(objs)}

    def page(
        self, kind: str, params: dict[str, Any], parent: Obj | None = None
    ) -> tuple[list[Obj], bool]:
        """One page (objects, has_more) of ``kind`` under ``params``."""
        limit = _int(params.get("limit", 10), "limit")
        if not 1 <= limit <= 100:
            raise ListError(
                "This value must be greater than or equal to 1 and less than or equal to 100.",
                "limit",
            )
        filters_key = json.dumps(
            {k: v for k, v in params.items() if k not in PAGING},
            sort_keys=True,
        )
        with self._lock:
            ordered, positions = self._ordered_list(kind, parent)
            cache_key = (kind + (f":{parent['id']}" if parent else ""), filters_key)
            cached = self._filtered.get(cache_key) if parent is None else None
            if cached is None:
                preds = build_filters(kind, params)
                objs = [o for o in ordered if all(p(o) for p in preds)]
                cached = (objs, [positions[o["id"]] for o in objs])
                if parent is None:
                    self._filtered[cache_key] = cached
        objs, pos = cached
        after, before = params.get("starting_after"), params.get("ending_before")
        if after is not None and before is not None:
            raise ListError(
                "You may only specify one of these parameters: ending_before, starting_after.",
                "starting_after",
            )
        if before is not None:
            if before not in positions:
                raise ListError(f"No such object: '{before}'", "ending_before", "resource_missing")
            end = bisect.bisect_left(pos, positions[before])
            start = max(0, end - limit)
            return objs[start:end], start > 0
        start = 0
        if after is not None:
            if after not in positions:
                raise ListError(f"No such object: '{after}'", "starting_after", "resource_missing")
            start = bisect.bisect_right(pos, positions[after])
        chunk = objs[start : start + limit]
        return chunk, start + limit < len(objs)
