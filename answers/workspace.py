"""Workspace-wide MRR answers: totals, trend, movements, churn, top accounts, new customers."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from typing import Any

from answers.common import (
    any_money_passes,
    fx_fields,
    fx_text,
    mark_cut,
    minor_bounds,
    refs,
    totals_json,
    with_plan,
)
from answers.compare import over_period
from answers.format import TEXT_ROWS, money_text, period_text, plural, with_list
from answers.lifecycle import upgrades
from answers.model import Answer, Context
from answers.movements import mrr_at_opening, period_movements
from answers.points import workspace_mrr_now, workspace_mrr_on
from answers.trend import trend_months
from billing.facts import Kind
from billing.json_values import account_ref, iso_instant
from billing.money import Money, sum_by_currency
from billing.movements import KINDS, ChurnRate, Movement
from billing.periods import Period as Span
from billing.periods import last_month, month_of
from questions.query import Measure
from storage import queries
from storage.fx import reporting_currency

TOP_DEFAULT = 10
ROW_CAP = 200  # rows an answer lists at most (the dispatcher's cap)


def mrr_total(ctx: Context) -> Answer:
    at = ctx.query.at
    past = at is not None and at < ctx.as_of.date()
    mrr = workspace_mrr_on(ctx, at) if past and at is not None else workspace_mrr_now(ctx)
    wanted = ctx.query.filters.currency
    shown = [m for m in mrr if wanted in (None, m.currency)]
    arr = [m.times(12) for m in shown]
    fx = fx_fields(ctx, mrr)
    result: dict[str, Any] = {
        "at": at.isoformat() if past and at else ctx.as_of.date().isoformat(),
        "mrr": [m.to_json() for m in shown],
        "arr": [m.to_json() for m in arr],
        **fx,
    }
    label = f" at the end of {at:%b %-d, %Y}" if past and at else ""
    mrr_part = f"MRR{label}: {money_text(shown)}{fx_text(fx)}"
    text = (
        f"ARR{label}: {money_text(arr)} · MRR {money_text(shown)}{fx_text(fx)}"
        if ctx.query.measure is Measure.ARR
        else f"{mrr_part} · ARR {money_text(arr)}"
    )
    if not past and ctx.as_of >= ctx.window.computed_at - timedelta(days=1):
        # "how many paying customers do we have" is answered by the same snapshot.
        paying = queries.count_accounts_with(ctx.session, ctx.workspace_id, Kind.ACCOUNT_MRR)
        result["paying_accounts"] = result["count"] = paying
        text += f" · {plural(paying, 'paying account')}"
    return Answer(ctx.query, result, text)


def mrr_trend(ctx: Context) -> Answer:
    points = queries.workspace_points(ctx.session, ctx.workspace_id)
    months = trend_months(ctx.query.period, sorted(points))
    rows = [{"month": m, "mrr": [x.to_json() for x in points.get(m, [])]} for m in months]
    if ctx.query.measure is Measure.ARR:
        for row, m in zip(rows, months, strict=True):
            row["arr"] = [x.times(12).to_json() for x in points.get(m, [])]
    lines = [f"{m}: {money_text(points.get(m, []))}" for m in months]
    result: dict[str, Any] = {"rows": rows}
    headline = "Month-end MRR:"
    moved = over_period(ctx, lambda day: workspace_mrr_on(ctx, day))
    if moved is not None:
        result["change"], summary = moved
        headline = f"MRR {summary}. Month-end MRR:"
    return Answer(ctx.query, result, with_list(headline, lines, limit=24))


def _span_or_last_month(ctx: Context) -> Span:
    return ctx.span(ctx.query.period) or last_month(ctx.as_of, ctx.tz)


def _movement_json(move: Movement) -> dict[str, Any]:
    return move.to_json()


def mrr_movements(ctx: Context) -> Answer:
    if ctx.query.filters.movement == "upgrade":
        return upgrades(ctx)  # "who upgraded": plan changes up, not every expansion
    span = _span_or_last_month(ctx)
    only = ctx.query.filters.movement
    moves = [m for m in period_movements(ctx, span) if only in (None, m.kind)]
    kinds = [only] if only else list(KINDS)
    totals = {kind: totals_json(m.amount for m in moves if m.kind == kind) for kind in kinds}
    shown = _listed(ctx, moves)
    result = {
        "rows": [_movement_json(m) for m in shown],
        "count": len(moves),
        "totals": totals,
        "period": span.to_json(),
    }
    mark_cut(ctx, result, len(moves))
    label = period_text(ctx.query.period_label)
    what = f"{only} movements" if only else "MRR movements"
    if not moves:
        return Answer(ctx.query, result, f"No {what}{label}.")
    summary = ", ".join(
        f"{kind} {money_text(_money_list(totals[kind]))}" for kind in kinds if totals[kind]
    )
    lines = [
        f"{m.account.name} — {m.kind} {m.amount.format()} "
        f"({m.before.format()} → {m.after.format()})"
        for m in shown[:TEXT_ROWS]
    ]
    headline = f"{what[:1].upper()}{what[1:]}{label}: {summary}."
    return Answer(ctx.query, result, with_list(headline, lines, total=len(moves)))


def _listed(ctx: Context, moves: list[Movement]) -> list[Movement]:
    return moves if ctx.row_limit is None else moves[: ctx.row_limit]


def _money_list(values: list[dict[str, str]]) -> list[Money]:
    return [Money.from_json(v) for v in values]


def churn_rate(ctx: Context) -> Answer:
    span = _span_or_last_month(ctx)
    moves = period_movements(ctx, span)
    churned = [m for m in moves if m.kind == "churn"]
    start = {m.currency: m for m in mrr_at_opening(ctx, span)}
    lost = {m.currency: m for m in sum_by_currency(m.amount for m in churned)}
    rates = [
        ChurnRate(code, lost.get(code, Money.zero(code)), start.get(code, Money.zero(code)))
        for code in sorted(set(start) | set(lost))
    ]
    overall = _overall(ctx, rates)
    shown = _listed(ctx, churned)
    result: dict[str, Any] = {
        "rows": [_movement_json(m) for m in shown],
        "count": len(churned),
        "churned_mrr": totals_json(m.amount for m in churned),
        "mrr_at_start": [m.to_json() for m in start.values()],
        "churn_rate": [r.to_json() for r in rates],
        "period": span.to_json(),
    }
    if overall is not None:
        result["overall_percent"] = overall
    mark_cut(ctx, result, len(churned))
    label = period_text(ctx.query.period_label)
    parts = ", ".join(f"{r.currency} {r.percent:.2f}%" for r in rates if r.mrr_at_start.amount)
    headline = f"MRR churn{label}: {parts or '0.00%'}"
    if overall is not None and len(rates) > 1:
        headline += f" (overall {overall:.2f}%)"
    lines = [f"{m.account.name} — {m.amount.format()} churned" for m in shown[:TEXT_ROWS]]
    return Answer(ctx.query, result, with_list(headline + ".", lines, total=len(churned)))


def _overall(ctx: Context, rates: list[ChurnRate]) -> float | None:
    """One churn rate across currencies, only when every FX rate is known."""
    if len(rates) == 1:
        return rates[0].percent
    lost = fx_fields(ctx, [r.churned for r in rates])
    base = fx_fields(ctx, [r.mrr_at_start for r in rates])
    if "converted_total" not in base:
        return None
    denominator = Fraction(base["converted_total"]["amount"])
    if denominator <= 0:
        return None
    numerator = Fraction(lost["converted_total"]["amount"]) if "converted_total" in lost else 0
    return round(float(numerator / denominator * 100), 2)


def _primary_currency(ctx: Context, kind: str) -> tuple[str | None, list[Money]]:
    totals = queries.currency_totals(ctx.session, ctx.workspace_id, kind)
    if not totals:
        return None, totals
    wanted = ctx.query.filters.currency
    codes = [m.currency for m in totals]
    if wanted in codes:
        return wanted, totals
    reporting = reporting_currency(ctx.session, ctx.workspace_id)
    if reporting in codes:
        return reporting, totals
    return max(totals, key=lambda m: m.amount).currency, totals


def _ranked_rows(
    ctx: Context, kind: str, key: str, currency: str, limit: int | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows ``{rank, account, key: Money}`` of one currency (within the question's amount
    bounds), and their text lines."""
    low, high = minor_bounds(ctx.query.filters, currency)
    planned = ctx.query.filters.plan is not None
    ranked = queries.ranked(
        ctx.session,
        ctx.workspace_id,
        kind,
        currency,
        None if planned else limit,
        low=low,
        high=high,
        ascending=ctx.query.ascending,
    )
    if planned:
        on_plan = with_plan(ctx, (a for a, _ in ranked))
        ranked = [(a, m) for a, m in ranked if a in on_plan][:limit]
    accounts = refs(ctx, (a for a, _ in ranked))
    rows = [
        {"rank": i + 1, "account": account_ref(accounts[a]), key: m.to_json()}
        for i, (a, m) in enumerate(ranked)
    ]
    lines = [f"{accounts[a].name} — {m.format()}" for a, m in ranked]
    return rows, lines


def _ranking(ctx: Context, kind: str, key: str, what: str) -> Answer:
    """Accounts ranked per currency (SPEC §7b): the main currency in ``rows``, others apart."""
    currency, totals = _primary_currency(ctx, kind)
    bounded = bool({"amount", "plan"} & set(ctx.query.filters.stated()))
    # "who pays us over $4k a month" lists every account past the bound
    limit = ctx.query.limit or (ROW_CAP if bounded else TOP_DEFAULT)
    if currency is None:
        return Answer(ctx.query, {"rows": [], "count": 0}, f"No {what} yet.")
    rows, lines = _ranked_rows(ctx, kind, key, currency, limit)
    low, high = minor_bounds(ctx.query.filters, currency)
    # A currency asked for explicitly is the only one shown.
    others = (
        [] if ctx.query.filters.currency else [m.currency for m in totals if m.currency != currency]
    )
    result: dict[str, Any] = {
        "rows": rows,
        "currency": currency,
        "total_count": queries.count_ranked(
            ctx.session, ctx.workspace_id, kind, currency, low=low, high=high
        ),
        "limit": limit,
        "other_currencies": others,
        "other_rankings": {},
    }
    end = "Bottom" if ctx.query.ascending else "Top"
    text = with_list(f"{end} {len(rows)} by {what} in {currency}:", lines, limit)
    for other in others:
        other_rows, other_lines = _ranked_rows(ctx, kind, key, other, limit)
        result["other_rankings"][other] = other_rows
        if not other_rows:
            continue
        text += "\n\n" + with_list(f"{end} {len(other_rows)} in {other}:", other_lines, limit)
    return Answer(ctx.query, result, text)


def top_accounts(ctx: Context) -> Answer:
    return _ranking(ctx, Kind.ACCOUNT_MRR, "mrr", "MRR")


def lifetime_ranking(ctx: Context) -> Answer:
    answer = _ranking(ctx, Kind.LIFETIME, "lifetime_revenue", "lifetime revenue")
    since = ctx.window.start.date()
    answer.result["since"] = since.isoformat()
    answer.text = answer.text.replace(
        "lifetime revenue", f"lifetime revenue since {since:%b %-d, %Y}", 1
    )
    return answer


def new_customers(ctx: Context) -> Answer:
    span = ctx.span(ctx.query.period) or month_of(ctx.as_of, ctx.tz).clip(ctx.as_of)
    firsts = queries.facts_between(
        ctx.session, ctx.workspace_id, Kind.FIRST_PAYING, span.start, span.end
    )
    accounts = refs(ctx, (f.account_id for f in firsts))
    mrr = queries.account_facts(
        ctx.session, ctx.workspace_id, Kind.ACCOUNT_MRR, [f.account_id or "" for f in firsts]
    )
    now_mrr: dict[str, list[Money]] = {}
    for fact in mrr:
        if (money := fact.money()) is not None:
            now_mrr.setdefault(fact.account_id or "", []).append(money)
    on_plan = with_plan(ctx, (f.account_id or "" for f in firsts))
    moves = sorted(
        (
            f
            for f in firsts
            if any_money_passes(ctx.query.filters, now_mrr.get(f.account_id or "", []))
            and (f.account_id or "") in on_plan
        ),
        key=lambda f: accounts[f.account_id or ""].name.lower(),
    )
    amounts = [m for f in moves for m in now_mrr.get(f.account_id or "", [])]
    fx = fx_fields(ctx, amounts)
    result = {
        "rows": [
            {
                "account": account_ref(accounts[f.account_id or ""]),
                "first_paying_at": iso_instant(f.at),
                "mrr": [m.to_json() for m in now_mrr.get(f.account_id or "", [])],
            }
            for f in moves
        ],
        "count": len(moves),
        "new_mrr": totals_json(amounts),
        "period": span.to_json(),
        **fx,
    }
    label = period_text(ctx.query.period_label)
    if not moves:
        return Answer(ctx.query, result, f"No new paying customers{label}.")
    lines = [
        f"{accounts[f.account_id or ''].name} — "
        f"{money_text(now_mrr.get(f.account_id or '', []))} MRR now"
        for f in moves
    ]
    headline = (
        f"{plural(result['count'], 'new paying customer')}{label}, "
        f"{money_text(sum_by_currency(amounts))} new MRR{fx_text(fx)}:"
    )
    return Answer(ctx.query, result, with_list(headline, lines))
