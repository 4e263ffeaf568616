"""The demo world's Events list: the last 30 days of changes, newest first.

Each recorded ``Timeline`` entry becomes an event wrapping the object as it
was then (a snapshot) or as it is now (``snapshot=None``). For every object
the newest event carries its final state, so replaying the events over the
listed objects never leaves an older state on top.
"""

from __future__ import annotations

from typing import Any

from demo.context import Timeline, WorldContext
from demo.shapes import event_obj
from demo.simulate import SubResult

Obj = dict[str, Any]
WINDOW_DAYS = 30


def build_events(ctx: WorldContext, customers: list[Obj], results: list[SubResult]) -> list[Obj]:
    since = ctx.now - WINDOW_DAYS * 86400
    pending: list[tuple[int, int, str, Obj, Obj | None]] = []

    def add(entry: Timeline, final: Obj) -> None:
        if since <= entry.at <= ctx.now:
            obj = entry.snapshot if entry.snapshot is not None else final
            pending.append((entry.at, len(pending), entry.kind, obj, entry.previous))

    for customer in customers:
        add(Timeline(customer["created"], "customer.created"), customer)
    for result in results:
        if not result.included:
            continue
        for entry in result.timeline:
            add(entry, result.subscription)
        for invoice in result.invoices:
            for entry in result.invoice_timelines[invoice["id"]]:
                add(entry, invoice)
    pending.sort(key=lambda p: (p[0], p[1]))
    events = [
        event_obj(ctx.ids.new("evt"), kind, at, obj, previous)
        for at, _, kind, obj, previous in pending
    ]
    events.reverse()
    return events
