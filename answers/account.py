"""Answers about one account: summary, payment status, MRR trend, invoices, lifetime revenue."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from answers.common import money_filtered, money_passes
from answers.compare import over_period
from answers.format import (
    human_date,
    local_date,
    money_text,
    period_text,
    plural,
    relative_days,
    with_list,
)
from answers.model import Answer, Context
from answers.points import account_mrr_on, is_now, month_of_point
from answers.trend import trend_months
from billing.facts import Kind
from billing.figures import AccountFigures
from billing.json_values import iso_date
from billing.models import Account
from billing.money import Money, sum_by_currency
from questions.query import AccountRef, Measure
from storage import queries

INVOICE_LIMIT = 10


def _monies(values: list[dict[str, str]] | None) -> list[Money]:
    return [Money.from_json(v) for v in values or []]


def _figure(ctx: Context, account: AccountRef) -> dict[str, Any]:
    stored = queries.account_figure(ctx.session, ctx.workspace_id, account.id)
    if stored is not None:
        return stored
    return AccountFigures.empty(Account(account.id, account.name, account.domain)).to_json()


def _day(value: str | None, ctx: Context) -> str:
    if not value:
        return "—"
    day = date.fromisoformat(value)
    today = local_date(ctx.as_of, ctx.tz)
    return f"{human_date(day, today)} ({relative_days(day, today)})"


SUMMARY_KEYS = (
    "mrr",
    "arr",
    "payment_status",
    "payment_status_reason",
    "overdue",
    "max_days_overdue",
    "plan",
    "renewal_date",
    "scheduled_to_cancel",
    "lifecycle",
    "lifetime_revenue",
    "last_invoice_date",
    "billing_started",
    "tenure_days",
    "stripe_customer_ids",
    "owner",
    "unresolved_coupons",
)


def unresolved_note(figure: dict[str, Any]) -> str | None:
    """The figures leave out discounts whose coupon Stripe would not give: say which."""
    coupons = figure.get("unresolved_coupons") or []
    if not coupons:
        return None
    names = ", ".join(coupons)
    return (
        f"Not exact: coupon {names} could not be read from Stripe (deleted, and no list "
        "reaches it), so MRR and ARR are before its discount"
    )


def account_summary(ctx: Context, account: AccountRef) -> Answer:
    figure = _figure(ctx, account)
    result = {"account": account.to_json(), **{k: figure.get(k) for k in SUMMARY_KEYS}}
    result["window_start"] = iso_date(ctx.window.start)
    renewal = "ends" if figure.get("scheduled_to_cancel") else "renews"
    lines = [
        f"MRR {money_text(_monies(figure['mrr']))} · ARR {money_text(_monies(figure['arr']))}",
        f"Status: {figure['payment_status']}"
        + (
            f" — {money_text(_monies(figure['overdue']))} overdue "
            f"({figure['max_days_overdue']} days)"
            if figure.get("overdue")
            else ""
        ),
        f"Plan: {figure.get('plan') or '—'}; {renewal} {_day(figure.get('renewal_date'), ctx)}",
        f"Lifetime revenue since {human_date(ctx.window.start.date(), ctx.as_of.date())}: "
        f"{money_text(_monies(figure['lifetime_revenue']))}",
        f"Last invoice: {_day(figure.get('last_invoice_date'), ctx)}",
    ]
    if (note := unresolved_note(figure)) is not None:
        lines.insert(1, note)
    headline = f"{account.name}:"
    at = ctx.query.at
    if at is not None and not is_now(ctx, at):
        # "Initech's MRR at the end of July": that point first, today's figures after it
        then = account_mrr_on(ctx, account, at)
        point: dict[str, Any] = {
            "at": at.isoformat(),
            "mrr": [m.to_json() for m in then],
            "arr": [m.times(12).to_json() for m in then],
        }
        if (month := month_of_point(ctx, at)) is not None:
            point["month"] = month
        result["point"] = point
        headline = (
            f"{account.name} MRR at the end of {human_date(at, ctx.as_of.date())}: "
            f"{money_text(then)} (ARR {money_text([m.times(12) for m in then])}). Now:"
        )
    elif ctx.query.measure in (Measure.MRR, Measure.ARR):
        mrr = _monies(figure["mrr"])
        headline = (
            f"{account.name} pays {money_text(mrr)} a month "
            f"({money_text([m.times(12) for m in mrr])} a year):"
        )
    return Answer(ctx.query, result, with_list(headline, lines))


def payment_status(ctx: Context, account: AccountRef) -> Answer:
    figure = _figure(ctx, account)
    overdue = queries.account_facts(ctx.session, ctx.workspace_id, Kind.OVERDUE, [account.id])
    result = {
        "account": account.to_json(),
        "payment_status": figure["payment_status"],
        "reason": figure.get("payment_status_reason"),
        "overdue": figure.get("overdue", []),
        "max_days_overdue": figure.get("max_days_overdue", 0),
        "overdue_invoices": figure.get("overdue_invoices", []),
        "count": len(overdue),
    }
    text = payment_status_sentence(account.name, figure, local_date(ctx.as_of, ctx.tz))
    return Answer(ctx.query, result, text)


PAST_DUE_SUBSCRIPTION = re.compile(r"subscription \S+ is (past_due|unpaid)")


def payment_status_sentence(name: str, figure: dict[str, Any], today: date) -> str:
    """The status and why, in words: "Acme is overdue: invoice 0012 for $2,500.00 was due
    on Nov 14 and is 23 days late." (the stored reason is the rule that applied)."""
    status = figure["payment_status"]
    late = figure.get("overdue_invoices") or []
    if status == "paid":
        return (
            f"{name} is up to date on payments: it has a current subscription, and no "
            "payment has failed or is past due."
        )
    if status == "none":
        return f"{name} has no current subscription and owes nothing."
    if not late:
        found = PAST_DUE_SUBSCRIPTION.search(str(figure.get("payment_status_reason") or ""))
        state = "unpaid" if found and found.group(1) == "unpaid" else "past due"
        return f"{name} is overdue: Stripe marks its subscription {state}."
    automatic = status == "failed"  # failed: a charge that bounced; overdue: a due date passed
    first = next(
        (i for i in late if (i.get("collection_method") == "charge_automatically") == automatic),
        late[0],
    )
    more = len(late) - 1
    label = f"invoice {first.get('number') or first['invoice']}"
    amount = Money.from_decimal(
        first["amount_remaining"]["amount"], first["amount_remaining"]["currency"]
    ).format()
    days = plural(int(first.get("days_overdue") or 0), "day")
    if status == "failed":
        text = (
            f"{name} has a failed payment: Stripe could not collect {label} ({amount}) "
            f"automatically, and it is still open {days} later."
        )
    else:
        due = first.get("due_date")
        when = f"was due on {human_date(date.fromisoformat(due), today)}" if due else "is due"
        text = f"{name} is overdue: {label} for {amount} {when} and is {days} late."
    if more:
        total = money_text(_monies(figure.get("overdue")))
        text += f" {plural(more, 'more invoice')} {'is' if more == 1 else 'are'} overdue too"
        text += f" ({total} outstanding in all)."
    return text


def account_mrr_trend(ctx: Context, account: AccountRef) -> Answer:
    figure = queries.account_figure(ctx.session, ctx.workspace_id, account.id) or {}
    history = {p["month"]: _monies(p["mrr"]) for p in figure.get("mrr_history", [])}
    if not history:
        history = queries.account_history(ctx.session, ctx.workspace_id, account.id)
    months = trend_months(ctx.query.period, sorted(history))
    rows = [
        {"month": m, "mrr": [x.to_json() for x in history.get(m, []) if x.amount]} for m in months
    ]
    result: dict[str, Any] = {"account": account.to_json(), "rows": rows}
    lines = [f"{m}: {money_text(history.get(m, []))}" for m in months]
    headline = f"{account.name} month-end MRR:"
    moved = over_period(ctx, lambda day: account_mrr_on(ctx, account, day))
    if moved is not None:
        result["change"], summary = moved
        headline = f"{account.name} MRR {summary}. Month-end MRR:"
    return Answer(ctx.query, result, with_list(headline, lines, limit=24))


def account_invoices(ctx: Context, account: AccountRef) -> Answer:
    figure = _figure(ctx, account)
    limit = ctx.query.limit or INVOICE_LIMIT
    status = ctx.query.filters.status
    customers = figure.get("stripe_customer_ids", [])
    filters = ctx.query.filters
    span = ctx.span(ctx.query.period)
    if status is None and not money_filtered(filters) and span is None:
        invoices, total = queries.account_invoices(ctx.session, ctx.workspace_id, customers, limit)
    else:
        # "Acme's open invoices", "invoices over $1k", "what did we bill Acme in May": an
        # account has few invoices, so filter them all here.
        every, _ = queries.account_invoices(ctx.session, ctx.workspace_id, customers, 100_000)
        matching = [
            inv
            for inv in every
            if status in (None, inv.status)
            and money_passes(filters, Money(inv.amount_due, inv.currency))
            and (span is None or span.start <= inv.created < span.end)
        ]
        invoices, total = matching[:limit], len(matching)
    rows = [
        {
            "invoice": inv.id,
            "number": inv.number,
            "status": inv.status,
            "created": iso_date(inv.created),
            "due_date": iso_date(inv.due_date),
            "amount_due": Money(inv.amount_due, inv.currency).to_json(),
            "amount_paid": Money(inv.amount_paid, inv.currency).to_json(),
            "amount_remaining": Money(inv.amount_remaining, inv.currency).to_json(),
            "url": inv.hosted_invoice_url,
        }
        for inv in invoices
    ]
    result = {"account": account.to_json(), "rows": rows, "total_count": total}
    today = local_date(ctx.as_of, ctx.tz)
    lines = [
        f"{human_date(local_date(inv.created, ctx.tz), today)} — {inv.number or inv.id}: "
        f"{Money(inv.amount_due, inv.currency).format()} {inv.status}"
        + (
            f", {Money(inv.amount_remaining, inv.currency).format()} remaining"
            if inv.status == "open" and inv.amount_remaining
            else ""
        )
        for inv in invoices
    ]
    kind = f"{status} invoices" if status else "invoices"
    if not rows:
        empty = (
            f"{account.name} has no {kind}."
            if status
            else f"No invoices synced for {account.name}."
        )
        return Answer(ctx.query, result, empty)
    headline = f"{account.name}: {len(rows)} most recent of {total} {kind}"
    text = with_list(headline + ":", lines, limit=len(lines))
    return Answer(ctx.query, result, text)


def lifetime_revenue(ctx: Context, account: AccountRef) -> Answer:
    figure = _figure(ctx, account)
    span = ctx.span(ctx.query.period)
    if span is not None:
        return _paid_in(ctx, account, figure, span)
    since = human_date(ctx.window.start.date(), ctx.as_of.date())
    result = {
        "account": account.to_json(),
        "lifetime_revenue": figure.get("lifetime_revenue", []),
        "since": iso_date(ctx.window.start),
    }
    amounts = money_text(_monies(figure.get("lifetime_revenue")))
    text = f"{account.name} has paid {amounts} since {since} (the start of synced history)."
    return Answer(ctx.query, result, text)


def _paid_in(ctx: Context, account: AccountRef, figure: dict[str, Any], span: Any) -> Answer:
    """What an account paid within a period ("how much did Acme pay last month", "since
    March"): cash collected on its invoices paid in the period, per currency (SPEC §7
    lifetime revenue, over the period instead of all synced history)."""
    customers = figure.get("stripe_customer_ids", [])
    every, _ = queries.account_invoices(ctx.session, ctx.workspace_id, customers, 100_000)
    paid = [
        inv
        for inv in every
        if inv.amount_paid and span.start <= (inv.paid_at or inv.created) < span.end
    ]
    amounts = sum_by_currency(
        Money(inv.amount_paid - inv.post_payment_credit_notes_amount, inv.currency) for inv in paid
    )
    result = {
        "account": account.to_json(),
        "paid": [m.to_json() for m in amounts],
        "count": len(paid),
        "period": span.to_json(),
        "lifetime_revenue": figure.get("lifetime_revenue", []),
    }
    label = period_text(ctx.query.period_label)
    text = (
        f"{account.name} paid {money_text(amounts)}{label} across {plural(len(paid), 'invoice')}."
    )
    return Answer(ctx.query, result, text)
