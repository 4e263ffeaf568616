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
from billing.models import Account
from billing.timeline import account_timelines
from core.settings import get_settings
from storage.accounts import customer_accounts, get_accounts, list_accounts
from storage.connections import get_connection
from storage.facts import refresh_workspace_facts, replace_account_facts
from storage.figures import point_sums, replace_account_figures
from storage.ledger_reads import load_ledger
from storage.ledger_scope import CustomerScope
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


# Customers per working set of a full recompute: the ledger of one chunk of accounts
# (their customers' objects) is built, turned into rows and dropped before the next, so
# memory depends on the chunk, not on the Stripe account (SPEC §13: 30k customers in the
# budget of 10k). It also bounds the ids bound in one statement.
CUSTOMERS_PER_CHUNK = 1000


def recompute_accounts(
    session: Session,
    workspace_id: str,
    now: datetime,
    window_start: datetime,
    account_ids: Collection[str] | None = None,
    *,
    chunk: int | None = None,
) -> int:
    """Recompute the figures and facts of ``account_ids`` (every account when None).

    Every account's rows are replaced a few accounts at a time (about ``chunk``
    customers, by default ``CUSTOMERS_PER_CHUNK``), each from a ledger of just those
    accounts' customers (an account's figures and facts read only its own customers' objects:
    ``billing.facts.iter_account_facts``), all in the caller's transaction. An id
    whose account no longer exists loses its rows. Returns how many accounts were recomputed.
    """
    if account_ids is None:
        accounts = list_accounts(session, workspace_id)
        # Every account's rows go first: accounts gone since the last run lose theirs.
        replace_account_figures(session, workspace_id, (), now, None)
        replace_account_facts(session, workspace_id, (), {}, None)
        names = {account.id: account.name for account in accounts}
        mapping = customer_accounts(session, workspace_id)
        for part in _chunks(accounts, mapping, chunk or CUSTOMERS_PER_CHUNK):
            _recompute_chunk(session, workspace_id, now, window_start, part, names)
        refresh_workspace_facts(session, workspace_id, window_start, now, None)
        return len(accounts)
    accounts = get_accounts(session, workspace_id, account_ids)
    before = point_sums(session, workspace_id, account_ids)
    # Rows of these accounts (and of ids no longer an account) are replaced.
    replace_account_figures(session, workspace_id, (), now, account_ids)
    replace_account_facts(session, workspace_id, (), {}, account_ids)
    names = {account.id: account.name for account in accounts}
    _recompute_chunk(session, workspace_id, now, window_start, accounts, names)
    after = point_sums(session, workspace_id, account_ids)
    change = {k: after.get(k, 0) - before.get(k, 0) for k in set(before) | set(after)}
    refresh_workspace_facts(session, workspace_id, window_start, now, change)
    return len(accounts)


def _chunks(
    accounts: list[Account], mapping: dict[str, str], customers: int
) -> Iterator[list[Account]]:
    """``accounts`` in order, cut where a chunk's customers reach ``customers``."""
    per_account: dict[str, int] = {}
    for account_id in mapping.values():
        per_account[account_id] = per_account.get(account_id, 0) + 1
    part: list[Account] = []
    held = 0
    for account in accounts:
        part.append(account)
        held += per_account.get(account.id, 0)
        if held >= customers:
            yield part
            part, held = [], 0
    if part:
        yield part


def _recompute_chunk(
    session: Session,
    workspace_id: str,
    now: datetime,
    window_start: datetime,
    accounts: list[Account],
    names: dict[str, str],
) -> None:
    """Write the figures and facts of ``accounts`` (their old rows already deleted)."""
    if not accounts:
        return
    by_id = {account.id: account for account in accounts}
    mapping = customer_accounts(session, workspace_id, by_id)
    with gc_paused():
        ledger = load_ledger(
            session,
            workspace_id,
            window_start,
            accounts=by_id,
            customer_accounts=mapping,
            lean=True,
            scope=CustomerScope(workspace_id, mapping),
        )
        # Every subscription's MRR step function, built once: month-end history
        # (figures) and changes, steps and movements (facts) are all read off it.
        # What each timeline was built from (MRR per subscription and instant, billed
        # lines) is not asked again: it is better not kept.
        timelines = account_timelines(ledger, now, forget=True)
        # Both are generators: each row is written as it is computed, never all held.
        figures = (
            account_figures(ledger, account_id, now, timelines.get(account_id, [])).to_json()
            for account_id in by_id
        )
        # Old rows are gone: an empty id list deletes nothing more.
        replace_account_figures(session, workspace_id, figures, now, ())
        facts = iter_account_facts(ledger, now, timelines=timelines)
        replace_account_facts(session, workspace_id, facts, names, ())
        del ledger, timelines


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
