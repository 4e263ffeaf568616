"""Matching the customers an event batch created or changed, inside that batch (SPEC §6).

A full sync re-matches every customer (:func:`sync.accounts.rematch_workspace`);
a webhook batch or a catch-up page re-matches only the customers its events
wrote, with the same rules, so a new customer belongs to its account before the
batch's signals are derived (its ``new_customer`` alert names the account) and
its figures are recomputed with the account's. Outcomes are the ones a full
re-match would store:

- with an imported client list, each customer is matched on its own against
  the list (manual mapping, metadata, domain, name);
- with automatic accounts, an account depends on every customer of its email
  domain (its name is the most common one), so the domain accounts of the
  customers' old and new domains are derived again from all their customers;
  an account left without customers goes, and customers manually mapped to an
  account that came or went are matched again.

Returns the accounts whose figures change: those the customers left and joined,
and automatic accounts created, renamed or removed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from billing.models import Customer
from storage import accounts as store
from storage.models import CustomerMatch
from storage.workspaces import get_workspace
from sync.matching import (
    MatchOutcome,
    auto_account_id,
    auto_accounts,
    company_domain,
    match_auto,
    match_customers,
)


def rematch_customers(
    session: Session,
    workspace_id: str,
    customer_ids: Collection[str],
    metadata_key: str,
    now: datetime,
) -> set[str]:
    """Re-match ``customer_ids`` (those stored) and store what changed; the accounts
    whose figures change."""
    if not customer_ids:
        return set()
    customers = store.load_customers(session, workspace_id, ids=customer_ids)
    if not customers:
        return set()
    workspace = get_workspace(session, workspace_id)
    personal = bool(workspace.match_personal_emails) if workspace is not None else False
    if store.has_imported_accounts(session, workspace_id):
        manual = store.manual_mappings(session, workspace_id, customers=[c.id for c in customers])
        accounts = store.list_accounts(session, workspace_id)
        outcomes = match_customers(customers, accounts, manual, metadata_key, personal)
        affected: set[str] = set()
    else:
        outcomes, affected = _rematch_auto(session, workspace_id, customers, now)
    return affected | _save_changes(session, workspace_id, outcomes)


def _save_changes(session: Session, workspace_id: str, outcomes: list[MatchOutcome]) -> set[str]:
    """Store the outcomes that differ from the stored ones; the accounts involved."""
    stored = store.match_outcomes(session, workspace_id, [o.customer_id for o in outcomes])
    changed = [o for o in outcomes if not _same(stored.get(o.customer_id), o)]
    if not changed:
        return set()
    store.update_match_outcomes(session, workspace_id, changed)
    store.record_match_counts(session, workspace_id, store.match_counts(session, workspace_id))
    affected = {o.account_id for o in changed if o.account_id}
    for outcome in changed:
        old = stored.get(outcome.customer_id)
        if old is not None and old.account_id:
            affected.add(old.account_id)
    return affected


def _same(row: CustomerMatch | None, outcome: MatchOutcome) -> bool:
    if row is None:
        return False
    return (row.account_id, row.outcome, row.via, row.reason, tuple(row.candidates or ())) == (
        outcome.account_id,
        outcome.outcome,
        outcome.via,
        outcome.reason,
        outcome.candidates,
    )


def _raw_domains(domain: str) -> set[str]:
    """Stored ``email_domain`` values that read as ``domain`` once normalised."""
    forms = {domain}
    if domain.startswith("xn--") or ".xn--" in domain:
        with contextlib.suppress(UnicodeError):
            forms.add(domain.encode("ascii").decode("idna"))
    return {f + tail for f in forms for tail in ("", ".", ">", ".>")}


def _rematch_auto(
    session: Session, workspace_id: str, touched: list[Customer], now: datetime
) -> tuple[list[MatchOutcome], set[str]]:
    """Automatic accounts: derive again those the touched customers left or join."""
    ids = {c.id for c in touched}
    before = store.match_outcomes(session, workspace_id, ids)
    left = {row.account_id for row in before.values() if row.account_id}
    domains = {d for d in (company_domain(c) for c in touched) if d}
    domains |= {a.domain for a in store.get_accounts(session, workspace_id, left) if a.domain}
    raw = {form for d in domains for form in _raw_domains(d)}
    members = [
        c
        for c in store.load_customers(session, workspace_id, email_domains=raw)
        if company_domain(c) in domains and c.id not in ids
    ]
    candidates = left | {auto_account_id(c) for c in touched}
    candidates |= {auto_account_id(c) for c in members}
    candidates |= {_personal_id(c) for c in touched}
    derived = [a for a in auto_accounts([*members, *touched]) if a.id in candidates]
    existing = {a.id: a for a in store.get_accounts(session, workspace_id, candidates)}
    store.update_accounts(session, workspace_id, derived, candidates, "auto", now)
    kept = {a.id for a in derived}
    came, went = kept - set(existing), set(existing) - kept
    changed = {a.id for a in derived if existing.get(a.id) != a}  # new or renamed
    # Customers manually mapped to an account that came or went are placed again.
    remapped = store.manual_mappings(session, workspace_id, accounts=came | went)
    again = ids | set(remapped)
    customers = store.load_customers(session, workspace_id, ids=again)
    manual = store.manual_mappings(session, workspace_id, customers=again)
    needed = set(manual.values()) | {auto_account_id(c) for c in customers}
    known = store.get_accounts(session, workspace_id, needed)
    return match_auto(customers, known, manual), went | changed


def _personal_id(customer: Customer) -> str:
    """The id of the customer's own automatic account (as if it had no company domain)."""
    return auto_account_id(Customer(id=customer.id, name=None, email=None))
