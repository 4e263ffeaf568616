"""Accounts, customer match outcomes and manual mappings of one workspace (SPEC §6).

Persistence only: the matching rules live in :mod:`sync.matching` and the
orchestration (import a list, re-match a workspace) in :mod:`sync.accounts`.
Every function takes the ``workspace_id`` and touches only that workspace's rows.

- Accounts: :func:`replace_accounts` makes the workspace's accounts exactly the
  given list (ids kept stay attached to their mappings; ``created_at`` is kept).
- Match outcomes are recomputed on every sync and stored in one go
  (:func:`save_match_outcomes` replaces the whole set).
- Manual mappings are an admin's decisions: only :func:`set_manual_mapping` and
  :func:`clear_manual_mapping` change them, so they survive every resync.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Table, delete, func, or_, select
from sqlalchemy.orm import Session

from billing.models import Account, Customer
from storage.bulk import execute_insert
from storage.connections import get_connection
from storage.models import AccountRow, CustomerMatch, CustomerRow, ManualMapping
from storage.status import MATCH_KINDS

# Outcomes an admin can act on (``accounts list --unmatched``; Slack ``/revbot match``).
_ACCOUNTS: Table = AccountRow.__table__  # type: ignore[assignment]
REVIEW_OUTCOMES = ("unmatched", "ambiguous", "skipped")
# Every customer with no account: those to review, and those deleted in Stripe (which
# match nothing, so there is nothing to map, but a user looking for one must find it).
WITHOUT_ACCOUNT = (*REVIEW_OUTCOMES, "deleted")
CHUNK = 500  # ids per IN list


class MappingError(ValueError):
    """A manual mapping names a customer or account the workspace does not have."""


class MatchRecord(Protocol):
    """What :func:`save_match_outcomes` stores (``sync.matching.MatchOutcome``)."""

    @property
    def customer_id(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def account_id(self) -> str | None: ...
    @property
    def via(self) -> str | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def candidates(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class ReplaceSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class ReviewItem:
    """A customer without an account: unmatched, ambiguous or skipped (or deleted)."""

    customer_id: str
    name: str | None
    email: str | None
    outcome: str
    reason: str
    via: str | None = None
    candidates: tuple[dict[str, str | None], ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "name": self.name,
            "email": self.email,
            "outcome": self.outcome,
            "via": self.via,
            "reason": self.reason,
            "candidates": list(self.candidates),
        }


# --- accounts ---------------------------------------------------------------------------


def _to_domain(row: AccountRow) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        domain=row.domain,
        external_id=row.external_id,
        aliases=tuple(str(a) for a in row.aliases or ()),
        owner=row.owner,
    )


def list_accounts(session: Session, workspace_id: str, source: str | None = None) -> list[Account]:
    """The workspace's accounts by name (``source``: ``import`` or ``auto`` to filter)."""
    query = select(AccountRow).where(AccountRow.workspace_id == workspace_id)
    if source is not None:
        query = query.where(AccountRow.source == source)
    rows = session.scalars(query).all()
    return sorted((_to_domain(r) for r in rows), key=lambda a: (a.name.casefold(), a.id))


def get_account(session: Session, workspace_id: str, account_id: str) -> Account | None:
    row = session.get(AccountRow, (workspace_id, account_id))
    return _to_domain(row) if row is not None else None


def get_accounts(session: Session, workspace_id: str, ids: Collection[str]) -> list[Account]:
    """The accounts among ``ids`` that exist, by name (then id)."""
    wanted = sorted(set(ids))
    rows: list[AccountRow] = []
    for start in range(0, len(wanted), CHUNK):
        query = select(AccountRow).where(
            AccountRow.workspace_id == workspace_id,
            AccountRow.id.in_(wanted[start : start + CHUNK]),
        )
        rows.extend(session.scalars(query))
    return sorted((_to_domain(r) for r in rows), key=lambda a: (a.name.casefold(), a.id))


def account_source_counts(session: Session, workspace_id: str) -> dict[str, int]:
    """How many accounts each source holds: ``{"import": 60}`` or ``{"auto": 12}``."""
    query = (
        select(AccountRow.source, func.count())
        .where(AccountRow.workspace_id == workspace_id)
        .group_by(AccountRow.source)
    )
    return {source: int(count) for source, count in session.execute(query)}


def has_imported_accounts(session: Session, workspace_id: str) -> bool:
    return account_source_counts(session, workspace_id).get("import", 0) > 0


def replace_accounts(
    session: Session,
    workspace_id: str,
    accounts: Sequence[Account],
    source: str,
    now: datetime,
) -> ReplaceSummary:
    """Make the workspace's accounts exactly ``accounts`` (all tagged ``source``).

    Accounts are upserted by id; those absent from ``accounts`` are deleted,
    whatever their source (an imported list replaces automatic accounts).
    """
    existing = {
        row.id: row
        for row in session.scalars(
            select(AccountRow).where(AccountRow.workspace_id == workspace_id)
        )
    }
    wanted = {a.id for a in accounts}
    gone = [account_id for account_id in existing if account_id not in wanted]
    return _write_accounts(session, workspace_id, existing, accounts, gone, source, now)


def update_accounts(
    session: Session,
    workspace_id: str,
    accounts: Sequence[Account],
    remove: Collection[str],
    source: str,
    now: datetime,
) -> ReplaceSummary:
    """Upsert ``accounts`` (tagged ``source``) and delete those of ``remove`` that are
    not among them; the workspace's other accounts stay as they are."""
    wanted = {a.id for a in accounts}
    ids = sorted(wanted | set(remove))
    existing: dict[str, AccountRow] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(AccountRow).where(
            AccountRow.workspace_id == workspace_id,
            AccountRow.id.in_(ids[start : start + CHUNK]),
        )
        existing.update((row.id, row) for row in session.scalars(query))
    gone = [a for a in sorted(set(remove)) if a in existing and a not in wanted]
    return _write_accounts(session, workspace_id, existing, accounts, gone, source, now)


def _write_accounts(
    session: Session,
    workspace_id: str,
    existing: dict[str, AccountRow],
    accounts: Sequence[Account],
    gone: Sequence[str],
    source: str,
    now: datetime,
) -> ReplaceSummary:
    created = updated = unchanged = 0
    new_rows: list[dict[str, Any]] = []
    for account in {a.id: a for a in accounts}.values():
        values = {
            "name": account.name,
            "domain": account.domain,
            "external_id": account.external_id,
            "aliases": list(account.aliases),
            "owner": account.owner,
            "source": source,
        }
        row = existing.get(account.id)
        if row is None:
            new_rows.append({"workspace_id": workspace_id, "id": account.id, "created_at": now})
            new_rows[-1].update(values)
            created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            updated += 1
        else:
            unchanged += 1
    for account_id in gone:
        session.delete(existing[account_id])
    session.flush()
    # New accounts go to the driver as tuples: a first sync creates thousands at once.
    execute_insert(session, _ACCOUNTS, new_rows)
    return ReplaceSummary(created, updated, unchanged, len(gone))


# --- customers ---------------------------------------------------------------------------


def load_customers(
    session: Session,
    workspace_id: str,
    ids: Collection[str] | None = None,
    email_domains: Collection[str] | None = None,
) -> list[Customer]:
    """The workspace's synced Stripe customers (deleted ones included), by id; only
    those among ``ids`` or whose stored email domain is one of ``email_domains`` when
    either is given."""
    query = select(CustomerRow).where(CustomerRow.workspace_id == workspace_id)
    if ids is not None or email_domains is not None:
        query = query.where(
            or_(
                CustomerRow.id.in_(sorted(set(ids or ()))),
                CustomerRow.email_domain.in_(sorted(set(email_domains or ()))),
            )
        )
    rows = session.scalars(query.order_by(CustomerRow.id))
    return [
        Customer(
            id=row.id,
            name=row.name,
            email=row.email,
            metadata={str(k): str(v) for k, v in (row.metadata_ or {}).items()},
            created=row.created,
            currency=row.currency,
            deleted=bool(row.deleted),
            description=row.description,
        )
        for row in rows
    ]


def stored_customer_ids(session: Session, workspace_id: str, ids: Collection[str]) -> set[str]:
    """Which of ``ids`` are stored customers (deleted ones included)."""
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        query = select(CustomerRow.id).where(
            CustomerRow.workspace_id == workspace_id,
            CustomerRow.id.in_(wanted[start : start + CHUNK]),
        )
        found.update(session.scalars(query))
    return found


def customer_exists(session: Session, workspace_id: str, customer_id: str) -> bool:
    return session.get(CustomerRow, (workspace_id, customer_id)) is not None


# --- match outcomes ----------------------------------------------------------------------


def _match_row(workspace_id: str, o: MatchRecord) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "customer_id": o.customer_id,
        "account_id": o.account_id,
        "outcome": o.outcome,
        "via": o.via,
        "reason": o.reason,
        "candidates": list(o.candidates),
    }


def save_match_outcomes(
    session: Session, workspace_id: str, outcomes: Iterable[MatchRecord]
) -> dict[str, int]:
    """Replace the workspace's match outcomes with ``outcomes``; returns counts."""
    rows = [_match_row(workspace_id, o) for o in outcomes]
    session.execute(delete(CustomerMatch).where(CustomerMatch.workspace_id == workspace_id))
    execute_insert(session, CustomerMatch.__table__, rows)  # type: ignore[arg-type]
    counts = dict.fromkeys(MATCH_KINDS, 0)
    for row in rows:
        outcome = str(row["outcome"])
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def update_match_outcomes(
    session: Session, workspace_id: str, outcomes: Sequence[MatchRecord]
) -> None:
    """Replace the stored outcomes of these customers only (the others keep theirs)."""
    ids = sorted({o.customer_id for o in outcomes})
    for start in range(0, len(ids), CHUNK):
        session.execute(
            delete(CustomerMatch).where(
                CustomerMatch.workspace_id == workspace_id,
                CustomerMatch.customer_id.in_(ids[start : start + CHUNK]),
            )
        )
    rows = [_match_row(workspace_id, o) for o in outcomes]
    execute_insert(session, CustomerMatch.__table__, rows)  # type: ignore[arg-type]


def match_outcomes(
    session: Session, workspace_id: str, customer_ids: Collection[str]
) -> dict[str, CustomerMatch]:
    """The stored outcomes of these customers, by customer id."""
    wanted = sorted(set(customer_ids))
    out: dict[str, CustomerMatch] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(CustomerMatch).where(
            CustomerMatch.workspace_id == workspace_id,
            CustomerMatch.customer_id.in_(wanted[start : start + CHUNK]),
        )
        out.update((row.customer_id, row) for row in session.scalars(query))
    return out


def customer_accounts(
    session: Session, workspace_id: str, accounts: Collection[str] | None = None
) -> dict[str, str]:
    """Matched customers -> account id: the mapping the billing ledger uses (of the
    customers of ``accounts`` only, when given)."""
    query = select(CustomerMatch.customer_id, CustomerMatch.account_id).where(
        CustomerMatch.workspace_id == workspace_id,
        CustomerMatch.outcome == "matched",
        CustomerMatch.account_id.is_not(None),
    )
    if accounts is None:
        return {customer_id: str(account_id) for customer_id, account_id in session.execute(query)}
    wanted = sorted(set(accounts))
    out: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = query.where(CustomerMatch.account_id.in_(wanted[start : start + CHUNK]))
        out.update((customer, str(account)) for customer, account in session.execute(chunk))
    return out


def accounts_of_customers(
    session: Session, workspace_id: str, customer_ids: Collection[str]
) -> set[str]:
    """The accounts these customers are matched to."""
    return set(match_accounts(session, workspace_id, customer_ids).values())


def match_accounts(
    session: Session, workspace_id: str, customer_ids: Collection[str]
) -> dict[str, str]:
    """Customer -> account of those of ``customer_ids`` that are matched."""
    return {
        customer_id: row.account_id
        for customer_id, row in match_outcomes(session, workspace_id, customer_ids).items()
        if row.outcome == "matched" and row.account_id
    }


def match_counts(session: Session, workspace_id: str) -> dict[str, int]:
    """Customers per outcome (matched / unmatched / ambiguous / skipped / deleted)."""
    query = (
        select(CustomerMatch.outcome, func.count())
        .where(CustomerMatch.workspace_id == workspace_id)
        .group_by(CustomerMatch.outcome)
    )
    counts = dict.fromkeys(MATCH_KINDS, 0)
    for outcome, count in session.execute(query):
        counts[outcome] = int(count)
    return counts


def record_match_counts(session: Session, workspace_id: str, counts: dict[str, int]) -> None:
    """Show the counts on the workspace's connection card (when it has a connection)."""
    connection = get_connection(session, workspace_id)
    if connection is not None:
        connection.match_counts = dict(counts)


def match_outcome(session: Session, workspace_id: str, customer_id: str) -> CustomerMatch | None:
    return session.get(CustomerMatch, (workspace_id, customer_id))


def review_list(
    session: Session, workspace_id: str, outcomes: Sequence[str] = REVIEW_OUTCOMES
) -> list[ReviewItem]:
    """Customers with no account (by default unmatched, ambiguous and skipped), by name.

    Ambiguous ones carry their candidate accounts as ``{id, name, domain}``.
    """
    query = (
        select(CustomerMatch, CustomerRow.name, CustomerRow.email)
        .join(
            CustomerRow,
            (CustomerRow.workspace_id == CustomerMatch.workspace_id)
            & (CustomerRow.id == CustomerMatch.customer_id),
            isouter=True,
        )
        .where(CustomerMatch.workspace_id == workspace_id, CustomerMatch.outcome.in_(outcomes))
    )
    accounts = {a.id: a for a in list_accounts(session, workspace_id)}
    items = []
    for match, name, email in session.execute(query):
        candidates = tuple(
            accounts[c].ref() if c in accounts else {"id": c, "name": None, "domain": None}
            for c in match.candidates or ()
        )
        items.append(
            ReviewItem(
                customer_id=match.customer_id,
                name=name,
                email=email,
                outcome=match.outcome,
                reason=match.reason,
                via=match.via,
                candidates=candidates,
            )
        )
    return sorted(items, key=lambda i: ((i.name or "").casefold(), i.customer_id))


def unmatched(session: Session, workspace_id: str) -> list[ReviewItem]:
    """Unmatched, ambiguous and skipped customers with reasons and candidates."""
    return review_list(session, workspace_id)


# --- manual mappings ---------------------------------------------------------------------


def manual_mappings(
    session: Session,
    workspace_id: str,
    customers: Collection[str] | None = None,
    accounts: Collection[str] | None = None,
) -> dict[str, str]:
    """Manual mappings (customer -> account): all, or those of ``customers`` or to
    ``accounts`` when either is given."""
    query = select(ManualMapping.customer_id, ManualMapping.account_id).where(
        ManualMapping.workspace_id == workspace_id
    )
    if customers is not None or accounts is not None:
        query = query.where(
            or_(
                ManualMapping.customer_id.in_(sorted(set(customers or ()))),
                ManualMapping.account_id.in_(sorted(set(accounts or ()))),
            )
        )
    return {customer_id: account_id for customer_id, account_id in session.execute(query)}


def set_manual_mapping(
    session: Session,
    workspace_id: str,
    customer_id: str,
    account_id: str,
    *,
    actor: str,
    now: datetime,
) -> None:
    """Map a customer to an account for good (``actor`` is kept as its author). Re-match afterwards.

    Raises :class:`MappingError` when the workspace has no such customer or account.
    """
    if not customer_exists(session, workspace_id, customer_id):
        raise MappingError(f"no Stripe customer {customer_id} in this workspace")
    account = get_account(session, workspace_id, account_id)
    if account is None:
        raise MappingError(f"no account {account_id} in this workspace")
    row = session.get(ManualMapping, (workspace_id, customer_id))
    if row is None:
        session.add(
            ManualMapping(
                workspace_id=workspace_id,
                customer_id=customer_id,
                account_id=account_id,
                created_by=actor,
                created_at=now,
            )
        )
    else:
        row.account_id, row.created_by, row.created_at = account_id, actor, now
    session.flush()


def clear_manual_mapping(session: Session, workspace_id: str, customer_id: str) -> bool:
    """Forget a manual mapping; False when there was none. Re-match afterwards."""
    row = session.get(ManualMapping, (workspace_id, customer_id))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
