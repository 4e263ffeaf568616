"""Account billing: step 6 of the backfill, and the recompute after webhooks and catch-ups.

:func:`recompute_accounts` is the one computation of account figures: per
account, its figures and month-end history, and its answer facts, from a
``Ledger``; then the workspace's own facts from the accounts' stored rows. The
backfill runs it for every account after re-matching every customer
(:func:`run_account_billing`); a webhook batch or a catch-up page runs it for
the accounts it touched only (``sync.incremental``), on a ledger holding just
their customers' objects. Both write the same rows, inside the caller's
transaction, so readers see either the previous state or the new one.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session

from billing.facts import iter_account_facts
from billing.figures import account_figures
from billing.timeline import account_timelines
from core.settings import get_settings
from storage.accounts import customer_accounts, get_accounts, list_accounts
from storage.connections import get_connection
from storage.facts import refresh_workspace_facts, replace_account_facts
from storage.figures import point_sums, replace_account_figures
from storage.ledger_scope import CustomerScope
from storage.stripe_objects import load_ledger
from sync.accounts import rematch_workspace


def run_account_billing(
    session: Session, workspace_id: str, now: datetime, window_start: datetime
) -> dict[str, int]:
    """Re-match every customer and recompute every account's figures and facts.

    Returns the match counts (matched / unmatched / ambiguous / skipped / deleted).
    """
    counts = rematch_workspace(session, workspace_id, get_settings().match_metadata_key, now)
    recompute_accounts(session, workspace_id, now, window_start)
    return counts


def recompute_accounts(
    session: Session,
    workspace_id: str,
    now: datetime,
    window_start: datetime,
    account_ids: Collection[str] | None = None,
) -> int:
    """Recompute the figures and facts of ``account_ids`` (every account when None).

    An id whose account no longer exists loses its rows. Returns how many
    accounts were recomputed.
    """
    if account_ids is None:
        accounts = list_accounts(session, workspace_id)
        mapping = customer_accounts(session, workspace_id)
        scope = None
    else:
        accounts = get_accounts(session, workspace_id, account_ids)
        mapping = customer_accounts(session, workspace_id, [a.id for a in accounts])
        scope = CustomerScope(workspace_id, mapping)
    by_id = {account.id: account for account in accounts}
    before = None if account_ids is None else point_sums(session, workspace_id, account_ids)
    with gc_paused():
        ledger = load_ledger(
            session,
            workspace_id,
            window_start,
            accounts=by_id,
            customer_accounts=mapping,
            lean=True,
            scope=scope,
        )
        # Every subscription's MRR step function, built once: month-end history
        # (figures) and changes, steps and movements (facts) are all read off it.
        # What each timeline was built from (MRR per subscription and instant, billed
        # lines) is not asked again: at 10k accounts it is ~60 MB better not kept.
        timelines = account_timelines(ledger, now, forget=True)
        # Both are generators: each row is written as it is computed, never all held.
        figures = (
            account_figures(ledger, account_id, now, timelines.get(account_id, [])).to_json()
            for account_id in by_id
        )
        replace_account_figures(session, workspace_id, figures, now, account_ids)
        facts = iter_account_facts(ledger, now, timelines=timelines)
        names = {account.id: account.name for account in accounts}
        replace_account_facts(session, workspace_id, facts, names, account_ids)
    change = None
    if before is not None and account_ids is not None:
        after = point_sums(session, workspace_id, account_ids)
        change = {k: after.get(k, 0) - before.get(k, 0) for k in set(before) | set(after)}
    refresh_workspace_facts(session, workspace_id, window_start, now, change)
    return len(by_id)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a ledger's many small objects are built.

    Nothing here makes reference cycles worth collecting mid-way, and the
    collector's repeated full passes over the growing ledger cost about a
    third of the step; it resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def refresh_account_billing(session: Session, workspace_id: str, now: datetime) -> bool:
    """Recompute figures after an accounts change, if the workspace has synced data.

    Returns False when nothing has been synced yet (the next sync computes them).
    """
    connection = get_connection(session, workspace_id)
    if connection is None or connection.window_start is None or connection.last_sync_at is None:
        return False
    run_account_billing(session, workspace_id, now, connection.window_start)
    return True
