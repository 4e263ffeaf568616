"""MRR movements between two instants, from stored account MRR steps.

A whole calendar month that has ended was classified at sync time (one row per
account and currency that moved), so its answer is one indexed read. Any other
period reads the MRR steps of the accounts whose MRR changed inside it (SPEC
§13) and classifies them with the same rules (``billing.step_movements``).
"""

from __future__ import annotations

from datetime import datetime

from answers.common import refs
from answers.model import Context
from billing.models import Account
from billing.money import Money
from billing.movements import KINDS, Movement
from billing.periods import Period as Span
from billing.step_movements import POINT_BEFORE, Step, step_movements
from billing.step_movements import point_instants as step_instants
from storage import movement_reads, queries


def point_instants(span: Span, now: datetime) -> tuple[datetime, datetime]:
    """The instants whose MRR opens and closes ``span`` (closing at now at the latest)."""
    return step_instants(span.start, span.end, now)


def account_movements(
    account: Account, steps: list[Step], first_paying: datetime | None, span: Span, now: datetime
) -> list[Movement]:
    opening, closing = point_instants(span, now)
    return [
        Movement(account, kind, Money(before, code), Money(after, code))
        for code, kind, before, after in step_movements(steps, first_paying, opening, closing)
    ]


def _ordered(rows: list[Movement]) -> list[Movement]:
    """By kind, largest first, then by name (rows come in account id, currency order)."""
    rows.sort(key=lambda m: (KINDS.index(m.kind), -m.amount.amount, m.account.name.lower()))
    return rows


def _stored_movements(ctx: Context, span: Span) -> list[Movement] | None:
    """The movements of a whole month classified at sync time; None when not stored."""
    if span.end >= ctx.as_of:
        return None  # the period closes at now, not at its end
    stored = movement_reads.month_movements(ctx.session, ctx.workspace_id, span.start, span.end)
    if stored is None:
        return None
    stored.sort(key=lambda r: (r.account_id, r.currency))
    return _ordered(
        [
            Movement(
                Account(id=r.account_id, name=r.name or r.account_id, domain=r.domain),
                r.kind,
                Money(r.before, r.currency),
                Money(r.after, r.currency),
            )
            for r in stored
        ]
    )


def period_movements(ctx: Context, span: Span) -> list[Movement]:
    """Every account's movement over ``span``, ordered by kind, size, then name."""
    stored = _stored_movements(ctx, span)
    return stored if stored is not None else computed_movements(ctx, span)


def computed_movements(ctx: Context, span: Span) -> list[Movement]:
    """:func:`period_movements` classified now from the moving accounts' MRR steps."""
    opening, closing = point_instants(span, ctx.as_of)
    moving = movement_reads.moving_accounts(ctx.session, ctx.workspace_id, opening, closing)
    if not moving.steps:
        return []
    accounts = refs(ctx, moving.steps)
    rows: list[Movement] = []
    for account_id in sorted(moving.steps):
        rows.extend(
            account_movements(
                accounts[account_id],
                moving.steps[account_id],
                moving.first_paying.get(account_id),
                span,
                ctx.as_of,
            )
        )
    return _ordered(rows)


def mrr_at_opening(ctx: Context, span: Span) -> list[Money]:
    """Workspace MRR at the point that opens ``span`` (a stored month-end when it is one)."""
    opening, _ = point_instants(span, ctx.as_of)
    after = opening + POINT_BEFORE
    if after.day == 1 and after.hour == 0 and after.minute == 0 and after.second == 0:
        points = queries.workspace_points(ctx.session, ctx.workspace_id)
        month = opening.strftime("%Y-%m")
        if month in points and month != ctx.window.computed_at.strftime("%Y-%m"):
            return points[month]
    return queries.mrr_at(ctx.session, ctx.workspace_id, opening)
