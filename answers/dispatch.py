"""``answer``: a typed query in, an :class:`Answer` out (structured result, text, blocks)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from answers import account, compare, lifecycle, payments, workspace
from answers.blocks import answer_blocks
from answers.common import dashboard_links
from answers.guidance import (
    ambiguous_answer,
    help_answer,
    missing_account_answer,
    say_what_was_not_honoured,
    unknown_answer,
)
from answers.model import Answer, Context, workspace_tz
from questions.query import AccountRef, Intent, Query
from storage import queries
from storage.models import Workspace


class NoDataError(Exception):
    """The workspace has nothing synced, so no figure can be answered."""


WorkspaceAnswer = Callable[[Context], Answer]
AccountAnswer = Callable[[Context, AccountRef], Answer]

WORKSPACE: dict[Intent, WorkspaceAnswer] = {
    Intent.OVERDUE_ACCOUNTS: payments.overdue_accounts,
    Intent.FAILED_PAYMENTS: payments.failed_payments,
    Intent.ARR_AT_RISK: payments.arr_at_risk,
    Intent.MRR_TOTAL: workspace.mrr_total,
    Intent.MRR_TREND: workspace.mrr_trend,
    Intent.MRR_MOVEMENTS: workspace.mrr_movements,
    Intent.CHURN_RATE: workspace.churn_rate,
    Intent.TOP_ACCOUNTS: workspace.top_accounts,
    Intent.LIFETIME_REVENUE: workspace.lifetime_ranking,
    Intent.CANCELLATIONS: lifecycle.cancellations,
    Intent.SCHEDULED_CANCELLATIONS: lifecycle.scheduled_cancellations,
    Intent.DOWNGRADES: lifecycle.downgrades,
    Intent.UPSELL_CANDIDATES: lifecycle.upsell_candidates,
    Intent.RENEWALS: lifecycle.renewals,
    Intent.TRIALS: lifecycle.trials,
    Intent.NEW_CUSTOMERS: workspace.new_customers,
}
ACCOUNT: dict[Intent, AccountAnswer] = {
    Intent.ACCOUNT_SUMMARY: account.account_summary,
    Intent.ACCOUNT_MRR_TREND: account.account_mrr_trend,
    Intent.ACCOUNT_INVOICES: account.account_invoices,
    Intent.PAYMENT_STATUS: account.payment_status,
    Intent.LIFETIME_REVENUE: account.lifetime_revenue,
}


def has_data(session: Session, workspace_id: str) -> bool:
    return queries.window(session, workspace_id) is not None


def answer(session: Session, workspace_id: str, query: Query, as_of: datetime) -> Answer:
    """Answer ``query`` for one workspace at ``as_of`` (aware UTC).

    Raises :class:`NoDataError` when nothing has been synced for the workspace.
    """
    result = _answer(session, workspace_id, query, as_of)
    say_what_was_not_honoured(result)
    _say_where_data_starts(session, workspace_id, result)
    _cap_rows(result)
    if result.query.intent not in (Intent.HELP, Intent.UNKNOWN):
        ids = _account_ids(result.result)
        result.links = dashboard_links_for(session, workspace_id, query, as_of, ids)
    result.blocks = answer_blocks(result)
    return result


def _say_where_data_starts(session: Session, workspace_id: str, result: Answer) -> None:
    """A period opening before the synced window (the last N months) is only partly known:
    say so, rather than let "churn in 2026" read as a quiet year."""
    period = result.query.period
    if period is None or result.query.intent in (Intent.HELP, Intent.UNKNOWN):
        return
    window = queries.window(session, workspace_id)
    if window is None:
        return
    start = window.start.date()
    if period.start < start <= period.end:
        result.result["data_starts"] = start.isoformat()
        result.text += (
            f"\nNote: synced data starts {start:%b} {start.day}, {start.year}; "
            "nothing before it is counted."
        )


def _answer(session: Session, workspace_id: str, query: Query, as_of: datetime) -> Answer:
    if query.intent is Intent.HELP:
        return help_answer(query)
    if query.intent is Intent.UNKNOWN:
        return unknown_answer(query)
    window = queries.window(session, workspace_id)
    if window is None:
        raise NoDataError("no billing data synced for this workspace yet")
    workspace = session.get(Workspace, workspace_id)
    ctx = Context(
        session,
        workspace_id,
        as_of,
        workspace_tz(workspace.timezone if workspace else None),
        window,
        query,
        row_limit=ROW_LIMIT,
    )
    if query.intent in ACCOUNT:
        if query.account is not None:
            if query.versus is not None and query.intent is Intent.ACCOUNT_SUMMARY:
                return compare.mrr_comparison(ctx, query.account)
            return ACCOUNT[query.intent](ctx, query.account)
        if query.is_ambiguous:
            return ambiguous_answer(query)
        if query.intent not in WORKSPACE or query.account_text:
            return missing_account_answer(query)
    if query.versus is not None:
        if query.intent is Intent.MRR_TOTAL:
            return compare.mrr_comparison(ctx)
        if query.intent in COMPARED:
            return compare.period_comparison(ctx, WORKSPACE[query.intent], COMPARED[query.intent])
    return WORKSPACE[query.intent](ctx)


# Period answers a comparison runs once per side, with the name its text gives them.
COMPARED: dict[Intent, str] = {
    Intent.FAILED_PAYMENTS: "Failed payments",
    Intent.CANCELLATIONS: "Cancellations",
    Intent.NEW_CUSTOMERS: "New customers",
    Intent.DOWNGRADES: "Downgrades",
    Intent.MRR_MOVEMENTS: "MRR movements",
    Intent.CHURN_RATE: "Churned accounts",
    Intent.ARR_AT_RISK: "Subscriptions at risk",
}


# Rows beyond this are counted, not listed (Slack shows far fewer anyway).
ROW_LIMIT = 200


def _cap_rows(result: Answer) -> None:
    rows = result.result.get("rows")
    if isinstance(rows, list) and len(rows) > ROW_LIMIT:
        result.result["rows"] = rows[:ROW_LIMIT]
        result.result["truncated"] = True
        result.result.setdefault("total_count", len(rows))


def _account_ids(result: dict[str, object]) -> set[str]:
    found: set[str] = set()
    account = result.get("account")
    if isinstance(account, dict) and isinstance(account.get("id"), str):
        found.add(account["id"])
    rows = result.get("rows")
    if isinstance(rows, list):
        for row in rows:
            ref = row.get("account") if isinstance(row, dict) else None
            if isinstance(ref, dict) and isinstance(ref.get("id"), str):
                found.add(ref["id"])
    return found


def dashboard_links_for(
    session: Session, workspace_id: str, query: Query, as_of: datetime, ids: set[str]
) -> dict[str, str]:
    window = queries.window(session, workspace_id)
    if window is None or not ids:
        return {}
    ctx = Context(session, workspace_id, as_of, workspace_tz(None), window, query)
    return dashboard_links(ctx, ids)
