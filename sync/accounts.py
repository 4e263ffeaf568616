"""Entry points for accounts and matching: import a client list, re-match a workspace.

Used by ``revbot accounts import|list|match``, ``/revbot match`` and sync step 6.

Import semantics (decided here): the imported file **is** the client list.
Each row keeps the id of the existing account it corresponds to — same
external_id first, else same name (ignoring case and spacing) — so manual
mappings and figures stay attached; accounts absent from the file are removed,
and automatic accounts give way to the list. Manual mappings are never deleted
(one pointing at a removed account is ignored by matching until the account
returns). After an import, :func:`rematch_workspace` (called by
:func:`import_accounts`) recomputes every customer's outcome.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from billing.models import Account
from storage import accounts as store
from storage.workspaces import ensure_workspace, get_workspace
from sync.accounts_csv import AccountRow
from sync.matching import auto_accounts, count_outcomes, match_auto, match_customers
from sync.matching_keys import name_key


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int
    removed: int
    match_counts: dict[str, int]

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _new_id(row: AccountRow, taken: set[str]) -> str:
    basis = (
        "external_id:" + row.external_id.casefold()
        if row.external_id
        else "name:" + name_key(row.name)
    )
    candidate = "acc_" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
    suffix = 2
    unique = candidate
    while unique in taken:
        unique, suffix = f"{candidate}_{suffix}", suffix + 1
    return unique


def plan_import(rows: Sequence[AccountRow], existing: Sequence[Account]) -> list[Account]:
    """The accounts an import produces, reusing ids of the existing accounts they continue."""
    by_external = {a.external_id.casefold(): a for a in existing if a.external_id}
    by_name = {name_key(a.name): a for a in existing}
    used: set[str] = set()
    ids: list[str | None] = [None] * len(rows)
    # Same external_id first (a renamed client keeps its id), then same name.
    for index, row in enumerate(rows):
        match = by_external.get(row.external_id.casefold()) if row.external_id else None
        if match is not None and match.id not in used:
            used.add(match.id)
            ids[index] = match.id
    for index, row in enumerate(rows):
        match = by_name.get(name_key(row.name))
        if ids[index] is None and match is not None and match.id not in used:
            used.add(match.id)
            ids[index] = match.id
    taken = used | {a.id for a in existing}
    accounts = []
    for row, account_id in zip(rows, ids, strict=True):
        if account_id is None:
            account_id = _new_id(row, taken)
            taken.add(account_id)
        accounts.append(
            Account(
                id=account_id,
                name=row.name,
                domain=row.domain,
                external_id=row.external_id,
                aliases=row.aliases,
                owner=row.owner,
            )
        )
    return accounts


def import_accounts(
    session: Session,
    workspace_id: str,
    rows: Sequence[AccountRow],
    *,
    now: datetime,
    metadata_key: str = "client_id",
) -> ImportSummary:
    """Replace the workspace's client list with ``rows`` and re-match its customers.

    ``rows`` come from a successful :func:`sync.accounts_csv.parse_accounts_csv`;
    refuse the import when the parse has errors (a bad file imports nothing).
    """
    if not rows:
        raise ValueError("no accounts to import")
    ensure_workspace(session, workspace_id, now)
    planned = plan_import(rows, store.list_accounts(session, workspace_id))
    summary = store.replace_accounts(session, workspace_id, planned, "import", now)
    counts = rematch_workspace(session, workspace_id, metadata_key, now)
    return ImportSummary(
        summary.created, summary.updated, summary.unchanged, summary.removed, counts
    )


def rematch_workspace(
    session: Session,
    workspace_id: str,
    metadata_key: str,
    now: datetime,
    match_personal_emails: bool | None = None,
) -> dict[str, int]:
    """Re-match every customer of the workspace and store the outcomes; returns counts.

    With an imported list, customers are matched against it (SPEC §6 order);
    without one, automatic accounts are (re)created from the customers and kept
    in sync. ``match_personal_emails`` defaults to the workspace setting.
    """
    workspace = ensure_workspace(session, workspace_id, now)
    if match_personal_emails is None:
        match_personal_emails = bool(workspace.match_personal_emails)
    customers = store.load_customers(session, workspace_id)
    manual = store.manual_mappings(session, workspace_id)
    if store.has_imported_accounts(session, workspace_id):
        accounts = store.list_accounts(session, workspace_id)
        outcomes = match_customers(customers, accounts, manual, metadata_key, match_personal_emails)
    else:
        accounts = auto_accounts(customers)
        store.replace_accounts(session, workspace_id, accounts, "auto", now)
        outcomes = match_auto(customers, accounts, manual)
    store.save_match_outcomes(session, workspace_id, outcomes)
    counts = count_outcomes(outcomes)
    store.record_match_counts(session, workspace_id, counts)
    return counts


def find_account(session: Session, workspace_id: str, text: str) -> Account | None:
    """An account by id, name or alias (ignoring case and spacing), or unique domain."""
    accounts = store.list_accounts(session, workspace_id)
    wanted = text.strip()
    for account in accounts:
        if account.id == wanted:
            return account
    key = name_key(wanted)
    named = [a for a in accounts if key in {name_key(n) for n in (a.name, *a.aliases)}]
    if len(named) == 1:
        return named[0]
    domain = [a for a in accounts if a.domain and a.domain == wanted.lower()]
    return domain[0] if len(domain) == 1 else None


def map_customer(
    session: Session,
    workspace_id: str,
    customer_id: str,
    account_id: str | None,
    *,
    actor: str,
    now: datetime,
    metadata_key: str = "client_id",
) -> dict[str, int]:
    """Set (``account_id``) or clear (None) a manual mapping, then re-match; returns counts.

    Raises :class:`storage.accounts.MappingError` for an unknown customer/account.
    """
    if get_workspace(session, workspace_id) is None:
        raise store.MappingError(f"no workspace {workspace_id}")
    if account_id is None:
        store.clear_manual_mapping(session, workspace_id, customer_id)
    else:
        store.set_manual_mapping(
            session, workspace_id, customer_id, account_id, actor=actor, now=now
        )
    return rematch_workspace(session, workspace_id, metadata_key, now)
