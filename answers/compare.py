"""Comparisons: both sides and the change, absolute and in percent (per currency).

MRR (or ARR) is compared at two points in time, for the workspace or one account
("MRR now vs three months ago", "Acme: end of September vs today"). Measures over a
period (failed payments, cancellations, new customers, downgrades, movements, churn,
ARR at risk) are answered for each period and compared by count and total.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from answers.format import human_date, money_text
from answers.model import Answer, Context
from answers.points import account_mrr_on, is_now, month_of_point, workspace_mrr_on
from billing.money import Money, sum_by_currency
from questions.query import AccountRef, Measure, Side

# Where each period answer keeps its money total.
TOTAL_KEYS = ("total", "mrr_lost", "new_mrr", "churned_mrr", "arr_at_risk")


def change_of(before: list[Money], after: list[Money]) -> dict[str, Any]:
    """``after - before`` per currency, and the change in percent where ``before`` is not 0."""
    was = {m.currency: m.amount for m in before}
    now = {m.currency: m.amount for m in after}
    codes = sorted(set(was) | set(now))
    amounts = [Money(now.get(c, 0) - was.get(c, 0), c) for c in codes]
    percent = {
        c: round(float(Decimal(now.get(c, 0) - was[c]) / Decimal(was[c]) * 100), 2)
        for c in codes
        if was.get(c)
    }
    return {"amount": [m.to_json() for m in amounts], "percent": percent}


def _signed(money: Money) -> str:
    return ("+" if money.amount > 0 else "") + money.format()


def change_text(before: list[Money], after: list[Money]) -> str:
    """ "$69,550.00 → $71,594.95 (+$2,044.95, +2.94%)" per currency, joined with " · "."""
    was = {m.currency: m for m in before}
    now = {m.currency: m for m in after}
    parts = []
    for code in sorted(set(was) | set(now)):
        a, b = was.get(code, Money.zero(code)), now.get(code, Money.zero(code))
        delta = Money(b.amount - a.amount, code)
        if not delta.amount:
            parts.append(f"{a.format()} → {b.format()} (no change)")
            continue
        pct = f", {delta.amount / a.amount * 100:+.2f}%" if a.amount else ""
        parts.append(f"{a.format()} → {b.format()} ({_signed(delta)}{pct})")
    return " · ".join(parts) or "0 → 0"


def over_period(
    ctx: Context, mrr_on: Callable[[date], list[Money]]
) -> tuple[dict[str, Any], str] | None:
    """How MRR moved over the question's period: the MRR when it opened (the end of the
    day before it) and when it closed (today at the latest), the change, and a line."""
    period = ctx.query.period
    if period is None:
        return None
    opening = period.start - timedelta(days=1)
    closing = min(period.end, ctx.as_of.date())
    before, after = mrr_on(opening), mrr_on(closing)
    change = change_of(before, after)
    block = {
        "from": {
            "at": opening.isoformat(),
            "mrr": [m.to_json() for m in before],
            "arr": [m.times(12).to_json() for m in before],
        },
        "to": {
            "at": closing.isoformat(),
            "mrr": [m.to_json() for m in after],
            "arr": [m.times(12).to_json() for m in after],
        },
        "mrr": change["amount"],
        "percent": change["percent"],
    }
    label = period.label
    if not re.match(r"(?:since|the|this|last|next|between|end|start)\b", label):
        label = f"over {label}"
    return block, f"{label}: {change_text(before, after)}"


def _side_label(ctx: Context, side: Side) -> str:
    if is_now(ctx, side.end):
        return "now"
    return f"{human_date(side.end, ctx.as_of.date())}"


def _point(ctx: Context, side: Side, mrr: list[Money]) -> dict[str, Any]:
    point: dict[str, Any] = {
        "label": side.label,
        "at": side.end.isoformat(),
        "mrr": [m.to_json() for m in mrr],
        "arr": [m.times(12).to_json() for m in mrr],
    }
    month = month_of_point(ctx, side.end)
    if month is not None:
        point["month"] = month
    return point


def mrr_comparison(ctx: Context, account: AccountRef | None = None) -> Answer:
    """MRR (ARR when asked) at both points of the question, and the change."""
    versus = ctx.query.versus
    assert versus is not None  # dispatched only for comparisons

    def mrr_on(day: date) -> list[Money]:
        return account_mrr_on(ctx, account, day) if account else workspace_mrr_on(ctx, day)

    before, after = mrr_on(versus.before.end), mrr_on(versus.after.end)
    arr = ctx.query.measure is Measure.ARR
    change = change_of(before, after)
    change_arr = change_of([m.times(12) for m in before], [m.times(12) for m in after])
    result: dict[str, Any] = {
        "comparison": {
            "before": _point(ctx, versus.before, before),
            "after": _point(ctx, versus.after, after),
            "change": {
                "mrr": change["amount"],
                "arr": change_arr["amount"],
                "percent": change["percent"],
            },
        },
        "at": versus.after.end.isoformat(),
        "mrr": [m.to_json() for m in after],
        "arr": [m.times(12).to_json() for m in after],
    }
    if account is not None:
        result["account"] = account.to_json()
    what = "ARR" if arr else "MRR"
    scale = 12 if arr else 1
    shown_before = [m.times(scale) for m in before]
    shown_after = [m.times(scale) for m in after]
    who = f"{account.name} {what}" if account else what
    headline = (
        f"{who}, {_side_label(ctx, versus.before)} vs {_side_label(ctx, versus.after)}: "
        f"{change_text(shown_before, shown_after)}"
    )
    return Answer(ctx.query, result, headline)


SingleAnswer = Callable[[Context], Answer]


def _summary(answer: Answer, side: Side) -> dict[str, Any]:
    result = answer.result
    total_key = next((k for k in TOTAL_KEYS if k in result), None)
    summary: dict[str, Any] = {
        "label": side.label,
        "period": {"start": side.start.isoformat(), "end": side.end.isoformat()},
        "count": result.get("count", len(result.get("rows", []))),
        "total": result.get(total_key, []) if total_key else [],
        "rows": result.get("rows", []),
    }
    for key in ("churn_rate", "overall_percent", "totals", "mrr_at_start"):
        if key in result:
            summary[key] = result[key]
    return summary


def _monies(values: list[dict[str, str]]) -> list[Money]:
    return sum_by_currency(Money.from_json(v) for v in values)


def period_comparison(ctx: Context, single: SingleAnswer, what: str) -> Answer:
    """A period measure answered for each side's period, then compared."""
    versus = ctx.query.versus
    assert versus is not None  # dispatched only for comparisons
    sides = []
    for side in (versus.before, versus.after):
        period = replace(ctx.query.period or versus.span(), start=side.start, end=side.end)
        period = replace(period, label=side.label)
        query = replace(ctx.query, versus=None, period=period, at=None)
        sides.append(_summary(single(replace(ctx, query=query)), side))
    before, after = sides
    change = change_of(_monies(before["total"]), _monies(after["total"]))
    result: dict[str, Any] = {
        "comparison": {
            "before": before,
            "after": after,
            "change": {
                "count": after["count"] - before["count"],
                "total": change["amount"],
                "percent": change["percent"],
            },
        },
        "rows": [{**row, "side": "after"} for row in after["rows"]]
        + [{**row, "side": "before"} for row in before["rows"]],
        "count": after["count"],
    }
    headline = (
        f"{what}: {after['count']} {after['label']} "
        f"({money_text(_monies(after['total']))}) vs {before['count']} {before['label']} "
        f"({money_text(_monies(before['total']))}); change {after['count'] - before['count']:+d}"
    )
    if before["total"] or after["total"]:
        headline += f", {change_text(_monies(before['total']), _monies(after['total']))}"
    for key, label in (("overall_percent", "churn"),):
        if key in after and key in before:
            headline += f"; {label} {before[key]:.2f}% → {after[key]:.2f}%"
    return Answer(ctx.query, result, headline + ".")
