"""Read what a Monday Brief needs, through the answer layer and storage queries.

Every section is the answer layer's own result for the matching question over
the brief's week ("failed payments since last Monday", "renewals in the next
14 days", …), so the brief, ``revbot ask`` and Slack answers agree. Each is one
or two indexed reads over precomputed facts, which keeps a 10k-account brief
well under a second (SPEC §13).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from answers import lifecycle, payments, workspace
from answers.common import dashboard_links, refs, totals_json
from answers.model import Answer, Context, workspace_tz
from billing.facts import Kind
from billing.json_values import account_ref, iso_date
from billing.money import Money
from briefs.assemble import assemble
from briefs.models import Brief, BriefInputs
from briefs.surface import SLACK, Surface
from questions.query import Filters, Intent, Period, Query
from storage import queries
from storage.status import connection_card
from storage.workspaces import get_workspace

WEEK_DAYS = 7
HORIZON_DAYS = 14  # renewals and trials ending
TREND_WEEKS = 4
LISTED = 200  # renewals listed (all are counted and summed)

WEEK_LABEL = "this week"
HORIZON_LABEL = f"the next {HORIZON_DAYS} days"


def overdue_answer(ctx: Context) -> Answer:
    """Every overdue account (the "who is overdue?" rows, without a filter)."""
    rows = payments.overdue_rows(ctx, Filters())
    total = [Money.from_json(m) for r in rows for m in r["overdue"]]
    return Answer(ctx.query, {"rows": rows, "count": len(rows), "total": totals_json(total)}, "")


def renewals_answer(ctx: Context) -> Answer:
    """Renewals in the horizon: the count and totals of all, the soonest listed.

    Same rows as ``lifecycle.renewals``, but counted and summed in SQL: a busy week
    renews thousands of subscriptions, and only the first few are shown.
    """
    span = ctx.forward_span(ctx.query.period, HORIZON_DAYS)
    count, totals = queries.totals_between(
        ctx.session, ctx.workspace_id, Kind.RENEWAL, span.start, span.end
    )
    facts = queries.facts_between(
        ctx.session, ctx.workspace_id, Kind.RENEWAL, span.start, span.end, limit=LISTED
    )
    accounts = refs(ctx, (f.account_id for f in facts))
    rows = [
        {
            "account": account_ref(accounts[f.account_id or ""]),
            "subscription": f.object_id,
            "date": iso_date(f.at),
            "status": f.payload.get("status"),
            "plan": f.payload.get("plan"),
            "amount": m.to_json() if (m := f.money()) else None,
        }
        for f in facts
    ]
    result = {"rows": rows, "count": count, "total": totals_json(totals), "period": span.to_json()}
    return Answer(ctx.query, result, "")


# section key -> (intent, answer function, looks forward?)
SectionReader = tuple[Intent, Callable[[Context], Answer], bool | None]
SECTIONS: dict[str, SectionReader] = {
    "overdue": (Intent.OVERDUE_ACCOUNTS, overdue_answer, None),
    "failed_payments": (Intent.FAILED_PAYMENTS, payments.failed_payments, False),
    "cancellations": (Intent.CANCELLATIONS, lifecycle.cancellations, False),
    "scheduled_cancellations": (
        Intent.SCHEDULED_CANCELLATIONS,
        lifecycle.scheduled_cancellations,
        None,
    ),
    "downgrades": (Intent.DOWNGRADES, lifecycle.downgrades, False),
    "upsell": (Intent.UPSELL_CANDIDATES, lifecycle.upsell_candidates, None),
    "renewals": (Intent.RENEWALS, renewals_answer, True),
    "trials": (Intent.TRIALS, lifecycle.trials, True),
    "new_customers": (Intent.NEW_CUSTOMERS, workspace.new_customers, False),
}


def week_period(today: date) -> Period:
    """Local dates from a week before ``today`` up to it (the span ends at as_of)."""
    return Period(today - timedelta(days=WEEK_DAYS), today, WEEK_LABEL)


def horizon_period(today: date) -> Period:
    return Period(today, today + timedelta(days=HORIZON_DAYS), HORIZON_LABEL)


def read_inputs(
    session: Session, workspace_id: str, as_of: datetime, now: datetime | None = None
) -> BriefInputs:
    """Everything :func:`briefs.assemble.assemble` needs for ``workspace_id`` at ``as_of``.

    ``now`` (default ``as_of``) is the clock instant freshness is judged against.
    """
    ws = get_workspace(session, workspace_id)
    tz = workspace_tz(ws.timezone if ws else None)
    card = connection_card(session, workspace_id, now or as_of)
    window = queries.window(session, workspace_id)
    if window is None:
        return BriefInputs(
            workspace_id, as_of, tz, False, card.stale, card.last_sync_at, card.error
        )
    today = as_of.astimezone(tz).date()
    week, horizon = week_period(today), horizon_period(today)

    def context(intent: Intent, period: Period | None) -> Context:
        query = Query.of(intent, today, period=period)
        return Context(session, workspace_id, as_of, tz, window, query)

    results = {}
    for key, (intent, read, forward) in SECTIONS.items():
        period = None if forward is None else (horizon if forward else week)
        results[key] = read(context(intent, period)).result
    ids = {
        row["account"]["id"]
        for result in results.values()
        for row in result.get("rows", [])
        if isinstance(row.get("account"), dict) and row["account"].get("id")
    }
    links = dashboard_links(context(Intent.OVERDUE_ACCOUNTS, None), ids)
    points = mrr_points(session, context(Intent.MRR_TOTAL, None))
    start = context(Intent.FAILED_PAYMENTS, week).span(week)
    return BriefInputs(
        workspace_id,
        as_of,
        tz,
        True,
        card.stale,
        card.last_sync_at,
        card.error,
        mrr_points=points,
        results=results,
        links=links,
        week_start=start.start if start else None,
        horizon_end=context(Intent.RENEWALS, horizon).forward_span(horizon, HORIZON_DAYS).end,
    )


def mrr_points(session: Session, ctx: Context) -> tuple[tuple[datetime, tuple[Money, ...]], ...]:
    """Workspace MRR 4, 3, 2 and 1 weeks ago and now (the MRR answer's figure).

    The past points walk back from MRR at as_of through the few MRR steps of the
    last four weeks (each step holds the value before and after), instead of
    one full MRR rebuild per week.
    """
    current = workspace.mrr_total(ctx).result["mrr"]
    now_values = tuple(Money.from_json(m) for m in current)
    instants = [ctx.as_of - timedelta(weeks=w) for w in range(TREND_WEEKS, 0, -1)]
    base = {m.currency: m.amount for m in queries.mrr_at(session, ctx.workspace_id, ctx.as_of)}
    after = timedelta(microseconds=1)  # steps in (instant, as_of]
    steps = queries.facts_between(
        session, ctx.workspace_id, Kind.MRR_STEP, instants[0] + after, ctx.as_of + after
    )
    past = []
    for instant in instants:
        values = dict(base)
        for step in steps:
            if step.at is not None and step.at > instant and step.currency:
                delta = (step.amount or 0) - (step.amount2 or 0)
                values[step.currency] = values.get(step.currency, 0) - delta
        past.append((instant, tuple(Money(v, c) for c, v in sorted(values.items()) if v)))
    return (*past, (ctx.as_of, now_values))


def build_brief(
    session: Session,
    workspace_id: str,
    as_of: datetime,
    now: datetime | None = None,
    surface: Surface = SLACK,
) -> Brief:
    """Read and assemble the brief of ``workspace_id`` at ``as_of``, to be read on ``surface``."""
    return assemble(read_inputs(session, workspace_id, as_of, now), surface)
