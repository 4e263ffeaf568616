"""MRR at a point in time, for the workspace or one account (SPEC §7b "History").

A month's last day reads the stored month-end point (the same figure the trend and
``accounts list --json`` show); any other day reads the MRR in force at the end of
that day from the stored MRR steps. Today (or later) is the MRR now.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta

from answers.model import Context
from billing.facts import Kind
from billing.money import Money
from questions.query import AccountRef
from storage import queries


def _month_end(day: date) -> str | None:
    """``YYYY-MM`` when ``day`` is the last day of its month."""
    if day.day != monthrange(day.year, day.month)[1]:
        return None
    return f"{day.year:04d}-{day.month:02d}"


def _end_of(ctx: Context, day: date) -> datetime:
    return min(datetime.combine(day, time(23, 59, 59), tzinfo=UTC), ctx.as_of)


def is_now(ctx: Context, day: date) -> bool:
    return day >= ctx.as_of.date()


def _current_month(ctx: Context) -> str:
    return ctx.window.computed_at.strftime("%Y-%m")


def workspace_mrr_now(ctx: Context) -> list[Money]:
    if ctx.as_of < ctx.window.computed_at - timedelta(days=1):
        return queries.mrr_at(ctx.session, ctx.workspace_id, ctx.as_of)
    return queries.currency_totals(ctx.session, ctx.workspace_id, Kind.ACCOUNT_MRR)


def workspace_mrr_on(ctx: Context, day: date) -> list[Money]:
    """Workspace MRR at the end of ``day`` (now, when ``day`` is today or later).

    A month end within the history is its stored point; another day is the stored point
    of the month end before it plus the MRR steps since (a few rows, not every account's
    latest step).
    """
    if is_now(ctx, day):
        return workspace_mrr_now(ctx)
    points = queries.workspace_points(ctx.session, ctx.workspace_id)
    month = _month_end(day)
    if month is not None and _in_history(ctx, month) and month in points:
        return points[month]
    before = date(day.year, day.month, 1) - timedelta(days=1)
    base = _month_end(before)
    if base is not None and _in_history(ctx, base) and base in points:
        totals = {m.currency: m.amount for m in points[base]}
        moved = queries.mrr_change_between(
            ctx.session, ctx.workspace_id, _end_of(ctx, before), _end_of(ctx, day)
        )
        for code, delta in moved.items():
            totals[code] = totals.get(code, 0) + delta
        return [Money(totals[c], c) for c in sorted(totals) if totals[c]]
    return queries.mrr_at(ctx.session, ctx.workspace_id, _end_of(ctx, day))


def account_mrr_on(ctx: Context, account: AccountRef, day: date) -> list[Money]:
    """One account's MRR at the end of ``day`` (now, when ``day`` is today or later)."""
    if is_now(ctx, day):
        figure = queries.account_figure(ctx.session, ctx.workspace_id, account.id) or {}
        return [Money.from_json(m) for m in figure.get("mrr", [])]
    month = _month_end(day)
    if month is not None and _in_history(ctx, month):
        # months with no MRR are not stored: within the history, absent means zero
        return queries.account_history(ctx.session, ctx.workspace_id, account.id).get(month, [])
    return queries.account_mrr_at(ctx.session, ctx.workspace_id, account.id, _end_of(ctx, day))


HISTORY_MONTHS = 12


def _in_history(ctx: Context, month: str) -> bool:
    """Whether ``month`` is one of the stored month-end points before the current month."""
    current = ctx.window.computed_at
    index = current.year * 12 + current.month - 1
    first = index - HISTORY_MONTHS + 1
    first_month = f"{first // 12:04d}-{first % 12 + 1:02d}"
    return first_month <= month < _current_month(ctx)


def month_of_point(ctx: Context, day: date) -> str | None:
    """The ``YYYY-MM`` a point stands for in month-end terms (a month end, or now)."""
    if is_now(ctx, day):
        return _current_month(ctx)
    return _month_end(day)
