"""Answers about subscriptions coming and going: cancellations, downgrades, renewals, trials,
upsell candidates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from answers.common import (
    filtered_page,
    fx_fields,
    fx_text,
    mark_cut,
    money_passes,
    plan_ok,
    refs,
    totals_json,
)
from answers.format import TEXT_ROWS, money_text, period_text, plural, when, with_list
from answers.model import Answer, Context
from billing.facts import Fact, Kind
from billing.json_values import account_ref, iso_date, iso_instant, money_json
from billing.money import Money
from billing.periods import Period as Span
from billing.periods import last_n_days
from storage import fact_pages, queries

LOOKBACK_DAYS = 30
LISTED = 200
RENEWAL_DAYS = 30
SECONDS_PER_DAY = 86400
ENDING_SOON = timedelta(days=3)


def _lookback(ctx: Context) -> Span:
    return ctx.span(ctx.query.period) or last_n_days(ctx.as_of, LOOKBACK_DAYS, ctx.tz)


def _rows(ctx: Context, facts: list[Fact], build: Any) -> list[dict[str, Any]]:
    accounts = refs(ctx, (f.account_id for f in facts))
    return [{"account": account_ref(accounts[f.account_id or ""]), **build(f)} for f in facts]


def cancellations(ctx: Context) -> Answer:
    span = _lookback(ctx)
    page = filtered_page(ctx, lambda limit: _newest_first(ctx, Kind.CANCELLATION, span, limit))
    facts = page.facts
    rows = _rows(
        ctx,
        facts,
        lambda f: {
            "subscription": f.object_id,
            "plan": f.payload.get("plan"),
            "mrr_lost": money_json(f.money()),
            "canceled_at": f.payload.get("canceled_at"),
            "ended_at": iso_instant(f.at),
            "kind": f.payload.get("kind"),
        },
    )
    lost = page.totals
    result = {
        "rows": rows,
        "count": page.count,
        "mrr_lost": totals_json(lost),
        "period": span.to_json(),
    }
    mark_cut(ctx, result, page.count)
    label = period_text(ctx.query.period_label)
    if not rows:
        return Answer(ctx.query, result, f"No cancellations{label}.")
    lines = [
        f"{r['account']['name']} — {_money_text(f)} MRR ({r['plan'] or 'subscription'}) ended "
        f"{when(f.at or span.start, ctx.tz, ctx.as_of)}"
        for r, f in zip(rows[:TEXT_ROWS], facts[:TEXT_ROWS], strict=True)
    ]
    headline = f"{plural(page.count, 'cancellation')}{label}, {money_text(lost)} MRR lost:"
    return Answer(ctx.query, result, with_list(headline, lines, total=page.count))


def _newest_first(ctx: Context, kind: str, span: Span, limit: int | None) -> fact_pages.Page:
    """Facts of ``kind`` in ``span``, newest first (the first ``limit`` loaded, all counted)."""
    return fact_pages.page(
        ctx.session,
        ctx.workspace_id,
        kind,
        *fact_pages.between(span.start, span.end),
        order=fact_pages.by_instant(descending=True),
        limit=limit,
    )


def _money_text(fact: Fact) -> str:
    money = fact.money()
    return money.format() if money else "—"


def scheduled_cancellations(ctx: Context) -> Answer:
    page = filtered_page(
        ctx,
        lambda limit: fact_pages.page(
            ctx.session,
            ctx.workspace_id,
            Kind.SCHEDULED_CANCELLATION,
            fact_pages.from_instant(ctx.as_of),
            order=fact_pages.by_instant(),
            limit=limit,
        ),
    )
    facts = page.facts
    rows = _rows(
        ctx,
        facts,
        lambda f: {
            "subscription": f.object_id,
            "plan": f.payload.get("plan"),
            "ends_on": iso_date(f.at),
            "mrr": money_json(f.money()),
            "arr": m.times(12).to_json() if (m := f.money()) else None,
            "requested_at": f.payload.get("requested_at"),
            "kind": f.payload.get("kind"),
        },
    )
    mrr = page.totals
    fx = fx_fields(ctx, mrr)
    result = {
        "rows": rows,
        "count": page.count,
        "mrr": totals_json(mrr),
        "arr": totals_json(m.times(12) for m in mrr),
        **fx,
    }
    mark_cut(ctx, result, page.count)
    if not rows:
        return Answer(ctx.query, result, "No subscriptions are scheduled to cancel.")
    lines = [
        f"{r['account']['name']} — {_money_text(f)} MRR, "
        f"ends {when(f.at or ctx.as_of, ctx.tz, ctx.as_of)}"
        for r, f in zip(rows[:TEXT_ROWS], facts[:TEXT_ROWS], strict=True)
    ]
    headline = (
        f"{plural(page.count, 'subscription')} scheduled to cancel, "
        f"{money_text(mrr)} MRR{fx_text(fx)}:"
    )
    return Answer(ctx.query, result, with_list(headline, lines, total=page.count))


def downgrades(ctx: Context) -> Answer:
    """Subscriptions whose MRR fell to a still-positive value in the period."""
    return _plan_changes(ctx, Kind.DOWNGRADE, "downgrade")


def upgrades(ctx: Context) -> Answer:
    """Subscriptions whose MRR rose in the period (a new price or quantity, SPEC §7
    ``subscription_upgraded``; a discount ending is an expansion, not an upgrade)."""
    return _plan_changes(ctx, Kind.UPGRADE, "upgrade")


def _plan_changes(ctx: Context, kind: str, noun: str) -> Answer:
    span = _lookback(ctx)
    page = filtered_page(ctx, lambda limit: _newest_first(ctx, kind, span, limit), money_of=_size)
    facts = page.facts
    rows = _rows(
        ctx,
        facts,
        lambda f: {
            "subscription": f.object_id,
            "plan": f.payload.get("plan"),
            "at": iso_instant(f.at),
            "kind": f.payload.get("kind"),
            "mrr_before": Money(f.amount2 or 0, f.currency or "USD").to_json(),
            "mrr_after": money_json(f.money()),
            "change": Money((f.amount or 0) - (f.amount2 or 0), f.currency or "USD").to_json(),
        },
    )
    result = {"rows": rows, "count": page.count, "period": span.to_json()}
    mark_cut(ctx, result, page.count)
    label = period_text(ctx.query.period_label)
    if not rows:
        return Answer(ctx.query, result, f"No {noun}s{label}.")
    lines = [
        f"{r['account']['name']} — {Money(f.amount2 or 0, f.currency or 'USD').format()} → "
        f"{_money_text(f)} MRR, {when(f.at or span.start, ctx.tz, ctx.as_of)}"
        for r, f in zip(rows[:TEXT_ROWS], facts[:TEXT_ROWS], strict=True)
    ]
    headline = f"{plural(page.count, noun)}{label}:"
    return Answer(ctx.query, result, with_list(headline, lines, total=page.count))


def _size(fact: Fact) -> Money | None:
    """How much MRR a plan change moved (positive, up or down)."""
    if fact.currency is None or fact.amount is None:
        return None
    return Money(abs(fact.amount - (fact.amount2 or 0)), fact.currency)


def upsell_candidates(ctx: Context) -> Answer:
    asked = ctx.query.limit or None  # a limit of 0 lists everything, as no limit does
    listed = min((n for n in (asked, ctx.row_limit) if n is not None), default=None)
    page = filtered_page(
        ctx,
        lambda limit: fact_pages.page(
            ctx.session,
            ctx.workspace_id,
            Kind.UPSELL,
            order=fact_pages.by_amount_desc(),
            limit=listed if limit is not None else None,
        ),
    )
    facts = page.facts if listed is None else page.facts[:listed]
    count = page.count if asked is None else min(asked, page.count)
    rows = _rows(
        ctx,
        facts,
        lambda f: {
            "mrr": f.payload.get("mrr", []),
            "tenure_days": f.payload.get("tenure_days"),
            "expansions": f.payload.get("expansions", []),
            "last_expansion": iso_date(f.at),
        },
    )
    result = {"rows": rows, "count": count}
    mark_cut(ctx, result, count)
    if not rows:
        return Answer(ctx.query, result, "No upsell candidates right now.")
    lines = [
        f"{r['account']['name']} — {_money_text(f)} MRR, customer for {r['tenure_days']} days, "
        f"last grew {when(f.at or ctx.as_of, ctx.tz, ctx.as_of)}"
        for r, f in zip(rows[:TEXT_ROWS], facts[:TEXT_ROWS], strict=True)
    ]
    headline = f"{plural(count, 'upsell candidate')} (paying, grown before, quiet for 6 months):"
    return Answer(ctx.query, result, with_list(headline, lines, total=count))


def renewals(ctx: Context) -> Answer:
    span = ctx.forward_span(ctx.query.period, RENEWAL_DAYS)
    # totals cover all; only the soonest are listed
    page = filtered_page(
        ctx,
        lambda limit: fact_pages.page(
            ctx.session,
            ctx.workspace_id,
            Kind.RENEWAL,
            *fact_pages.between(span.start, span.end),
            order=fact_pages.by_instant(),
            limit=LISTED if limit is not None else None,
        ),
    )
    facts = page.facts
    rows = _rows(
        ctx,
        facts,
        lambda f: {
            "subscription": f.object_id,
            "date": iso_date(f.at),
            "status": f.payload.get("status"),
            "plan": f.payload.get("plan"),
            "amount": money_json(f.money()),
        },
    )
    amounts = page.totals
    fx = fx_fields(ctx, amounts)
    result = {
        "rows": rows,
        "count": page.count,
        "total": totals_json(amounts),
        "period": span.to_json(),
        **fx,
    }
    label = period_text(ctx.query.period_label or f"next {RENEWAL_DAYS} days")
    if not rows:
        return Answer(ctx.query, result, f"No renewals{label}.")
    lines = [
        f"{r['account']['name']} — {_money_text(f)} "
        f"on {when(f.at or span.start, ctx.tz, ctx.as_of)}"
        for r, f in zip(rows[:TEXT_ROWS], facts[:TEXT_ROWS], strict=True)
    ]
    total = money_text(amounts)
    headline = f"{plural(page.count, 'renewal')}{label}, {total}{fx_text(fx)}:"
    # "…and N more" counts the listed renewals only, as it always has
    return Answer(ctx.query, result, with_list(headline, lines, total=len(rows)))


def trials(ctx: Context) -> Answer:
    facts = queries.facts_from(ctx.session, ctx.workspace_id, Kind.TRIAL, ctx.as_of)
    if ctx.query.period is not None:
        # "trials ending next week": trial ends inside the period
        span = ctx.forward_span(ctx.query.period, RENEWAL_DAYS)
        facts = [f for f in facts if f.at is not None and span.start <= f.at < span.end]
    facts = [
        f
        for f in facts
        if money_passes(ctx.query.filters, f.money())
        and plan_ok(ctx.query.filters, f.payload.get("plan"))
    ]

    def build(f: Fact) -> dict[str, Any]:
        left = int(((f.at or ctx.as_of) - ctx.as_of).total_seconds() // SECONDS_PER_DAY)
        return {
            "subscription": f.object_id,
            "trial_end": iso_date(f.at),
            "days_left": max(left, 0),
            "plan": f.payload.get("plan"),
            "mrr_after_trial": money_json(f.money()),
            "ends_within_3_days": f.at is not None and f.at - ctx.as_of <= ENDING_SOON,
        }

    rows = _rows(ctx, facts, build)
    result = {"rows": rows, "count": len(rows)}
    if not rows:
        return Answer(ctx.query, result, "No trials in progress.")
    lines = [
        f"{r['account']['name']} — {r['plan'] or 'trial'}, ends "
        f"{when(f.at or ctx.as_of, ctx.tz, ctx.as_of)}"
        for r, f in zip(rows[:TEXT_ROWS], facts[:TEXT_ROWS], strict=True)
    ]
    headline = f"{plural(len(rows), 'trial')} in progress:"
    return Answer(ctx.query, result, with_list(headline, lines, total=len(rows)))
