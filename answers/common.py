"""Helpers shared by the intent modules: account references, FX totals, links."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select

from answers.model import Context
from billing.facts import Fact
from billing.fx import convert_total
from billing.models import Account
from billing.money import Money, sum_by_currency
from questions.filters import Filters
from questions.plans import plan_key
from storage.fact_pages import Page
from storage.fx import rates_on
from storage.models import CustomerMatch, StripeConnection
from storage.queries import account_plans, account_refs


def plan_ok(filters: Filters, label: str | None) -> bool:
    """Whether a plan label is the plan the question names (any, when it names none)."""
    if filters.plan is None:
        return True
    return label is not None and plan_key(filters.plan) in plan_key(label)


def with_plan(ctx: Context, account_ids: Iterable[str]) -> set[str]:
    """The accounts (of ``account_ids``) on the plan the question names."""
    ids = set(account_ids)
    if ctx.query.filters.plan is None:
        return ids
    plans = account_plans(ctx.session, ctx.workspace_id, ids)
    return {a for a in ids if plan_ok(ctx.query.filters, plans.get(a))}


def money_filtered(filters: Filters) -> bool:
    """Whether ``filters`` narrow amounts (a bound or a currency)."""
    return bool({"amount", "currency"} & set(filters.stated()))


def row_filtered(filters: Filters) -> bool:
    """Whether ``filters`` narrow the facts of a list (amounts, currency or plan)."""
    return money_filtered(filters) or filters.plan is not None


def money_passes(filters: Filters, money: Money | None) -> bool:
    """Whether one amount is in the asked currency and within the asked bounds."""
    if money is None:
        return not money_filtered(filters)
    if filters.currency is not None and money.currency != filters.currency:
        return False
    return filters.amount_ok(money.major)


def any_money_passes(filters: Filters, amounts: Iterable[Money]) -> bool:
    """Whether one of several amounts (an account's, per currency) passes ``filters``."""
    return any(money_passes(filters, m) for m in amounts) if money_filtered(filters) else True


def minor_bounds(filters: Filters, currency: str) -> tuple[int | None, int | None]:
    """The amount bounds in ``currency``'s minor units, inclusive (a strict bound moves by
    one minor unit)."""
    low = high = None
    if filters.min_amount is not None:
        low = Money.from_decimal(filters.min_amount, currency).amount
        low += 1 if filters.min_amount_strict else 0
    if filters.max_amount is not None:
        high = Money.from_decimal(filters.max_amount, currency).amount
        high -= 1 if filters.max_amount_strict else 0
    return low, high


def filtered_page(
    ctx: Context,
    read: Callable[[int | None], Page],
    money_of: Callable[[Fact], Money | None] = Fact.money,
) -> Page:
    """``read(limit)`` with the question's amount, currency and plan filters applied: every
    match is read, kept when it passes, then counted and summed here."""
    filters = ctx.query.filters
    if not row_filtered(filters):
        return read(ctx.row_limit)
    every = read(None).facts
    plans: dict[str, str | None] = {}
    if filters.plan is not None:
        # facts that do not name their plan take their account's
        unnamed = {f.account_id for f in every if "plan" not in f.payload and f.account_id}
        plans = account_plans(ctx.session, ctx.workspace_id, unnamed) if unnamed else {}
    kept = [
        fact
        for fact in every
        if money_passes(filters, money_of(fact))
        and plan_ok(filters, fact.payload.get("plan", plans.get(fact.account_id or "")))
    ]
    totals = sum_by_currency(m for fact in kept if (m := fact.money()) is not None)
    shown = kept if ctx.row_limit is None else kept[: ctx.row_limit]
    return Page(shown, len(kept), [m for m in totals if m.amount])


def refs(ctx: Context, account_ids: Iterable[str | None]) -> dict[str, Account]:
    """Accounts by id; an id no longer in the account list still gets a name."""
    ids = {a for a in account_ids if a}
    found = account_refs(ctx.session, ctx.workspace_id, ids)
    return {a: found.get(a) or Account(id=a, name=a) for a in ids}


def mark_cut(ctx: Context, result: dict[str, Any], total: int) -> None:
    """Flag a list cut to ``ctx.row_limit`` rows as the dispatcher would: ``truncated`` and
    the ``total_count`` of every row (call it once the result holds everything else)."""
    if ctx.row_limit is not None and total > ctx.row_limit:
        result["truncated"] = True
        result.setdefault("total_count", total)


def totals_json(amounts: Iterable[Money]) -> list[dict[str, str]]:
    return [m.to_json() for m in sum_by_currency(amounts) if m.amount]


def fx_fields(ctx: Context, amounts: Iterable[Money]) -> dict[str, Any]:
    """A converted total when every rate is known; otherwise the missing rates, named.

    Nothing is added for a single currency that is already the reporting one.
    """
    parts = [m for m in sum_by_currency(amounts) if m.amount]
    if not parts:
        return {}
    rates = rates_on(ctx.session, ctx.workspace_id, ctx.as_of.date())
    if len(parts) == 1 and parts[0].currency == rates.reporting:
        return {}
    conversion = convert_total(parts, rates)
    if conversion.total is not None:
        return {
            "converted_total": conversion.total.to_json(),
            "reporting_currency": rates.reporting,
        }
    return {"reporting_currency": rates.reporting, "missing_rates": list(conversion.missing)}


def fx_text(fields: dict[str, Any]) -> str:
    if "converted_total" in fields:
        total = Money.from_decimal(
            fields["converted_total"]["amount"], fields["converted_total"]["currency"]
        )
        return f" (≈ {total.format()} in total)"
    if fields.get("missing_rates"):
        return (
            f" (no total in {fields['reporting_currency']}: no FX rate for "
            + ", ".join(fields["missing_rates"])
            + ")"
        )
    return ""


def dashboard_links(ctx: Context, account_ids: Iterable[str]) -> dict[str, str]:
    """Each account's Stripe Dashboard customer page (its first matched customer)."""
    ids = sorted(set(account_ids))
    if not ids:
        return {}
    mode = ctx.session.scalar(
        select(StripeConnection.mode).where(StripeConnection.workspace_id == ctx.workspace_id)
    )
    base = "https://dashboard.stripe.com/" + ("test/" if mode == "test" else "")
    found: list[tuple[str, str]] = []
    for chunk in range(0, len(ids), 500):
        # no ORDER BY: sorting in SQL makes SQLite walk the primary key over every
        # customer of the workspace instead of the account index
        rows = ctx.session.execute(
            select(CustomerMatch.customer_id, CustomerMatch.account_id).where(
                CustomerMatch.workspace_id == ctx.workspace_id,
                CustomerMatch.account_id.in_(ids[chunk : chunk + 500]),
            )
        )
        found.extend((customer_id, account_id) for customer_id, account_id in rows if account_id)
    out: dict[str, str] = {}
    for customer_id, account_id in sorted(found):
        if account_id and account_id not in out:
            out[account_id] = f"{base}customers/{customer_id}"
    return out
