"""Answers about money owed: overdue accounts, failed payments, ARR at risk."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, NamedTuple

from answers.common import (
    any_money_passes,
    filtered_page,
    fx_fields,
    fx_text,
    mark_cut,
    money_passes,
    plan_ok,
    refs,
    totals_json,
    with_plan,
)
from answers.format import TEXT_ROWS, money_text, period_text, plural, when, with_list
from answers.model import Answer, Context
from billing.facts import Fact, Kind
from billing.json_values import account_ref, instant_from_iso, iso_instant
from billing.models import Account
from billing.money import Money, sum_by_currency
from billing.periods import Period as Span
from billing.periods import this_month
from billing.risk import risk_reason
from questions.query import Filters
from storage import fact_pages, failure_reads

SECONDS_PER_DAY = 86400


def days_since(start: datetime, now: datetime) -> int:
    return max(0, int((now - start).total_seconds() // SECONDS_PER_DAY))


class _Owing(NamedTuple):
    """One account's overdue invoices at as_of, before its invoices are read."""

    account: Account
    days: int
    amounts: list[Money]


def _owing(ctx: Context, filters: Filters) -> list[_Owing]:
    """Accounts with overdue invoices that pass ``filters``, most days overdue first.

    Counted and summed per account in SQL; the most days overdue are those of the
    account's earliest overdue instant.
    """
    groups = fact_pages.sums_by_account(
        ctx.session, ctx.workspace_id, Kind.OVERDUE, fact_pages.until_instant(ctx.as_of)
    )
    by_account: dict[str, list[fact_pages.AccountSums]] = {}
    for group in groups:
        by_account.setdefault(group.account_id, []).append(group)
    any_days = filters.min_days is not None or filters.max_days is not None
    out: list[_Owing] = []
    for account_id, items in by_account.items():
        days = max(days_since(g.first_at, ctx.as_of) if g.first_at else 0 for g in items)
        if any_days and not filters.days_ok(days):
            continue
        sums = {g.currency: g.total for g in items if g.currency and g.total is not None}
        amounts = [Money(sums[code], code) for code in sorted(sums)]
        if any_money_passes(filters, amounts):
            first = items[0]
            account = Account(id=account_id, name=first.name or account_id, domain=first.domain)
            out.append(_Owing(account, days, amounts))
    if filters.plan is not None:
        on_plan = with_plan(ctx, (o.account.id for o in out))
        out = [o for o in out if o.account.id in on_plan]
    out.sort(key=lambda o: (-o.days, o.account.name.lower()))
    return out


def _overdue_row(owing: _Owing, facts: list[Fact], now: datetime) -> dict[str, Any]:
    invoices = [_overdue_invoice(f, now) for f in facts]
    invoices.sort(key=lambda i: -i["days_overdue"])
    return {
        "account": account_ref(owing.account),
        "overdue": [m.to_json() for m in owing.amounts],
        "max_days_overdue": owing.days,
        "invoices": invoices,
    }


def overdue_page(ctx: Context, filters: Filters) -> tuple[list[dict[str, Any]], list[_Owing]]:
    """The listed rows (``ctx.row_limit`` at most) and every overdue account passing
    ``filters`` (for the count and totals), most days overdue first."""
    owing = _owing(ctx, filters)
    shown = owing if ctx.row_limit is None else owing[: ctx.row_limit]
    ids = [o.account.id for o in shown]
    details: dict[str, list[Fact]] = defaultdict(list)
    for fact in fact_pages.account_facts_until(
        ctx.session, ctx.workspace_id, Kind.OVERDUE, ids, ctx.as_of
    ):
        details[fact.account_id or ""].append(fact)
    rows = [_overdue_row(o, details[o.account.id], ctx.as_of) for o in shown]
    return rows, owing


def overdue_rows(ctx: Context, filters: Filters) -> list[dict[str, Any]]:
    """One row per account with overdue invoices at as_of, most days overdue first."""
    return overdue_page(ctx, filters)[0]


def _overdue_invoice(fact: Fact, now: datetime) -> dict[str, Any]:
    money = fact.money()
    return {
        "invoice": fact.object_id,
        "number": fact.payload.get("number"),
        "amount_remaining": money.to_json() if money else None,
        "days_overdue": days_since(fact.at, now) if fact.at else 0,
        "collection_method": fact.payload.get("collection_method"),
        "due_date": fact.payload.get("due_date"),
        "subscription": fact.payload.get("subscription"),
    }


def _money_of(row: dict[str, Any], key: str) -> list[Money]:
    return [Money.from_json(m) for m in row[key]]


def overdue_accounts(ctx: Context) -> Answer:
    rows, owing = overdue_page(ctx, ctx.query.filters)
    totals = [m for o in owing for m in o.amounts]
    fx = fx_fields(ctx, totals)
    result: dict[str, Any] = {
        "rows": rows,
        "count": len(owing),
        "total": totals_json(totals),
        "filters": ctx.query.filters.to_json(),
        **fx,
    }
    mark_cut(ctx, result, len(owing))
    if not rows:
        text = "No account has an overdue invoice" + (
            " matching that filter." if not ctx.query.filters.is_empty() else "."
        )
        return Answer(ctx.query, result, text)
    lines = [
        f"{r['account']['name']} — {money_text(_money_of(r, 'overdue'))}, "
        f"{plural(r['max_days_overdue'], 'day')} overdue"
        for r in rows[:TEXT_ROWS]
    ]
    headline = (
        f"{plural(len(owing), 'account')} with overdue invoices, "
        f"{money_text(sum_by_currency(totals))} in total{fx_text(fx)}:"
    )
    text = with_list(headline, lines, total=len(owing))
    others = _uncompared_currencies(ctx)
    if others:
        # "who owes > £1k": only GBP debts can be held to a pound bound without converting
        result["not_compared"] = others
        text += (
            f"\nNote: only {ctx.query.filters.currency} amounts were held to that bound; "
            f"overdue amounts in {', '.join(others)} were not converted to compare."
        )
    return Answer(ctx.query, result, text)


def _uncompared_currencies(ctx: Context) -> list[str]:
    """Currencies owed that an amount bound in another currency left out of the list."""
    filters = ctx.query.filters
    if filters.currency is None or (filters.min_amount is None and filters.max_amount is None):
        return []
    _, everyone = overdue_page(ctx, Filters())
    owed = {m.currency for o in everyone for m in o.amounts}
    return sorted(owed - {filters.currency})


def _default_month(ctx: Context) -> Span:
    return ctx.span(ctx.query.period) or this_month(ctx.as_of, ctx.tz)


def failed_payments(ctx: Context) -> Answer:
    span = _default_month(ctx)
    page = filtered_page(
        ctx,
        lambda limit: failure_reads.failed_payment_page(
            ctx.session, ctx.workspace_id, span.start, span.end, limit
        ),
    )
    accounts = refs(ctx, (f.account_id for f in page.facts))
    rows: list[dict[str, Any]] = []
    for fact in page.facts:
        money = fact.money()
        rows.append(
            {
                "account": account_ref(accounts[fact.account_id or ""]),
                "invoice": fact.object_id,
                "number": fact.payload.get("number"),
                "amount": money.to_json() if money else None,
                "failed_attempts": fact.payload.get("failed_attempts"),
                "first_failed_at": iso_instant(fact.at),
                "last_failed_at": iso_instant(fact.until),
                "status": fact.payload.get("status"),
                "recovered": fact.payload.get("status") == "paid",
            }
        )
    result = {
        "rows": rows,
        "count": page.count,
        "total": totals_json(page.totals),
        "period": span.to_json(),
    }
    mark_cut(ctx, result, page.count)
    label = period_text(ctx.query.period_label)
    if not rows:
        return Answer(ctx.query, result, f"No failed payments{label}.")
    lines = [
        f"{r['account']['name']} — {money_text([Money.from_json(r['amount'])])}, failed "
        f"{when(instant_from_iso(r['last_failed_at']), ctx.tz, ctx.as_of)}"
        + (" (since paid)" if r["recovered"] else "")
        for r in rows[:TEXT_ROWS]
    ]
    headline = f"{plural(page.count, 'failed payment')}{label}, {money_text(page.totals)}:"
    return Answer(ctx.query, result, with_list(headline, lines, total=page.count))


def _risk_rows(ctx: Context, span: Span) -> tuple[list[dict[str, Any]], list[Money]]:
    """The listed at-risk subscriptions (largest ARR first, then by account name) and the
    ARR of every one."""
    candidates = [
        c
        for c in failure_reads.risk_candidates(ctx.session, ctx.workspace_id, span.start, span.end)
        if c.money() is not None and money_passes(ctx.query.filters, c.money())
    ]
    if ctx.query.filters.plan is not None:
        named = fact_pages.facts_by_id(ctx.session, (c.row_id for c in candidates))
        candidates = [
            c for c in candidates if plan_ok(ctx.query.filters, named[c.row_id].payload.get("plan"))
        ]
    at_risk = [m for c in candidates if (m := c.money()) is not None]
    candidates.sort(key=lambda c: (-_arr(c).major, (c.name or c.account_id or "").lower()))
    shown = candidates if ctx.row_limit is None else candidates[: ctx.row_limit]
    full = fact_pages.facts_by_id(ctx.session, (c.row_id for c in shown))
    accounts = refs(ctx, (c.account_id for c in shown))
    rows: list[dict[str, Any]] = []
    for light in shown:
        fact = full[light.row_id]
        status = fact.payload.get("status")
        rows.append(
            {
                "account": account_ref(accounts[fact.account_id or ""]),
                "subscription": fact.object_id,
                "status": status,
                "reason": risk_reason(status, fact.failure_instants(), span.start, span.end),
                "plan": fact.payload.get("plan"),
                "arr": _arr(light).to_json(),
            }
        )
    return rows, at_risk


def _arr(light: fact_pages.LightFact) -> Money:
    money = light.money()
    assert money is not None  # candidates without an amount are left out
    return money


def arr_at_risk(ctx: Context) -> Answer:
    span = _default_month(ctx)
    rows, at_risk = _risk_rows(ctx, span)
    scheduled, churn = fact_pages.count_and_totals(
        ctx.session,
        ctx.workspace_id,
        Kind.SCHEDULED_CANCELLATION,
        fact_pages.from_instant(ctx.as_of),
        factor=12,
    )
    fx = fx_fields(ctx, at_risk)
    result = {
        "rows": rows,
        "count": len(at_risk),
        "arr_at_risk": totals_json(at_risk),
        "scheduled_churn_arr": totals_json(churn),
        "period": span.to_json(),
        **fx,
    }
    mark_cut(ctx, result, len(at_risk))
    label = period_text(ctx.query.period_label)
    sched = f" Scheduled churn (apart): {money_text(churn)} ARR." if scheduled else ""
    if not rows:
        return Answer(ctx.query, result, f"No ARR at risk from payment failures{label}.{sched}")
    lines = [
        f"{r['account']['name']} — {Money.from_json(r['arr']).format()} ARR "
        f"({r['reason'].replace('_', ' ')})"
        for r in rows[:TEXT_ROWS]
    ]
    headline = (
        f"ARR at risk{label}: {money_text(sum_by_currency(at_risk))}{fx_text(fx)} "
        f"across {plural(len(at_risk), 'subscription')}.{sched}"
    )
    return Answer(ctx.query, result, with_list(headline, lines, total=len(at_risk)))
