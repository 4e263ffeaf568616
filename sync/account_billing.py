"""Step 6 of the backfill ("Account billing"): match customers, compute figures.

Re-matching, per-account figures, their month-end history and the workspace
facts that questions read are all replaced inside the caller's transaction, so
readers see either the previous complete state or the new one.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session

from billing.facts import iter_workspace_facts
from billing.figures import account_figures
from billing.timeline import account_timelines
from core.settings import get_settings
from storage.accounts import customer_accounts, list_accounts
from storage.facts import replace_workspace_facts
from storage.figures import replace_account_figures
from storage.stripe_objects import load_ledger
from sync.accounts import rematch_workspace


def run_account_billing(
    session: Session, workspace_id: str, now: datetime, window_start: datetime
) -> dict[str, int]:
    """Re-match every customer and recompute every account's figures and facts.

    Returns the match counts (matched / unmatched / ambiguous / skipped / deleted).
    """
    counts = rematch_workspace(session, workspace_id, get_settings().match_metadata_key, now)
    accounts = {account.id: account for account in list_accounts(session, workspace_id)}
    with gc_paused():
        ledger = load_ledger(
            session,
            workspace_id,
            window_start,
            accounts=accounts,
            customer_accounts=customer_accounts(session, workspace_id),
            lean=True,
        )
        # Every subscription's MRR step function, built once: month-end history
        # (figures) and changes, steps and movements (facts) are all read off it.
        # What each timeline was built from (MRR per subscription and instant, billed
        # lines) is not asked again: at 10k accounts it is ~60 MB better not kept.
        timelines = account_timelines(ledger, now, forget=True)
        # Both are generators: each row is written as it is computed, never all held.
        figures = (
            account_figures(ledger, account_id, now, timelines.get(account_id, [])).to_json()
            for account_id in accounts
        )
        replace_account_figures(session, workspace_id, figures, now)
        facts = iter_workspace_facts(ledger, now, timelines=timelines)
        replace_workspace_facts(session, workspace_id, facts)
    return counts


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
    from storage.connections import get_connection

    connection = get_connection(session, workspace_id)
    if connection is None or connection.window_start is None or connection.last_sync_at is None:
        return False
    run_account_billing(session, workspace_id, now, connection.window_start)
    return True
