"""Client accounts (SPEC §6): the client list, customer matching and the account list.

Importing a list or mapping a customer re-matches the workspace and refreshes its
figures at once, so the next answer already counts the change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from billing.figures import AccountFigures
from billing.models import Account
from storage import accounts as account_store
from storage.figures import account_figures
from sync.account_billing import refresh_account_billing
from sync.accounts import ImportSummary, find_account, import_accounts
from sync.accounts import map_customer as set_mapping
from sync.accounts_csv import load_accounts_csv
from usecases.audit import record
from usecases.backend import Backend
from usecases.errors import UseCaseError

# The fields of an ``accounts list --json`` object, in order (SPEC §10b: a stable contract).
CONTRACT_FIELDS = (
    "account",
    "stripe_customer_ids",
    "mrr",
    "arr",
    "payment_status",
    "overdue",
    "max_days_overdue",
    "lifetime_revenue",
    "last_invoice_date",
    "plan",
    "renewal_date",
    "lifecycle",
    "scheduled_to_cancel",
    "mrr_history",
)


class BadClientList(UseCaseError):
    """The client list has problems (each with its line); nothing was imported."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} bad line(s); nothing imported")


class UnknownAccount(UseCaseError):
    """No account matches what was given (an id, name, alias or domain)."""

    def __init__(self, wanted: str) -> None:
        self.wanted = wanted
        super().__init__(f"no account matches {wanted!r}")


class MappingRefused(UseCaseError):
    """The customer or account does not exist in this workspace."""


@dataclass(frozen=True)
class Mapped:
    """A customer's manual mapping after a change (``account`` None: cleared)."""

    customer_id: str
    account: Account | None


def import_client_list(
    backend: Backend, workspace_id: str, path: Path, actor: str
) -> ImportSummary:
    """Replace the client list with the CSV at ``path``; a file with any bad line imports nothing.

    Raises ``BadClientList`` (every problem, by line), ``UseCaseError`` for an empty list,
    and ``OSError`` when the file cannot be read.
    """
    parsed = load_accounts_csv(path)
    if parsed.errors:
        raise BadClientList(tuple(parsed.errors))
    if not parsed.rows:
        raise UseCaseError(f"{path} holds no accounts")
    now = backend.now()
    with backend.db.session() as session:
        summary = import_accounts(
            session,
            workspace_id,
            parsed.rows,
            now=now,
            metadata_key=backend.settings.match_metadata_key,
        )
        record(
            session,
            workspace_id,
            actor,
            "accounts.import",
            now,
            {
                "accounts": summary.total,
                "created": summary.created,
                "updated": summary.updated,
                "removed": summary.removed,
            },
        )
        refresh_account_billing(session, workspace_id, now)
    return summary


def account_list(
    backend: Backend, workspace_id: str, *, plan_name: bool = False
) -> list[dict[str, Any]]:
    """One ``accounts list`` contract object per account (``CONTRACT_FIELDS``, and
    ``unresolved_coupons`` only where a coupon is unresolved), by name;
    with ``plan_name``, each also has the plan's product name (for tables people read)."""
    with backend.db.session() as session:
        accounts = account_store.list_accounts(session, workspace_id)
        figures = account_figures(session, workspace_id)
        mapping = account_store.customer_accounts(session, workspace_id)
    customers_of: dict[str, list[str]] = defaultdict(list)
    for customer_id, account_id in mapping.items():
        customers_of[account_id].append(customer_id)
    rows = []
    for account in sorted(accounts, key=lambda a: (a.name.casefold(), a.id)):
        data = figures.get(account.id)
        if data is None:
            data = AccountFigures.empty(account, customers_of.get(account.id, [])).to_json()
        row = _contract_object(data, account)
        if plan_name:
            row["plan_name"] = data.get("plan_name") or row["plan"]
        rows.append(row)
    return rows


def _contract_object(data: dict[str, Any], account: Account) -> dict[str, Any]:
    """Exactly the contract fields of stored figures (history points as ``{month, mrr}``),
    and ``unresolved_coupons`` where a coupon could not be resolved: the figures leave
    its discount out, and say so rather than pass for exact."""
    out = {name: data.get(name) for name in CONTRACT_FIELDS}
    out["account"] = account.ref()
    out["mrr_history"] = [
        {"month": point["month"], "mrr": point["mrr"]} for point in data.get("mrr_history") or ()
    ]
    if data.get("unresolved_coupons"):
        out["unresolved_coupons"] = list(data["unresolved_coupons"])
    return out


def customers_to_review(backend: Backend, workspace_id: str) -> list[account_store.ReviewItem]:
    """Stripe customers without an account (unmatched, ambiguous, skipped), with reasons."""
    with backend.db.session() as session:
        return account_store.unmatched(session, workspace_id)


def customers_without_account(
    backend: Backend, workspace_id: str
) -> list[account_store.ReviewItem]:
    """Every Stripe customer without an account, deleted ones included, with the reason."""
    with backend.db.session() as session:
        return account_store.review_list(session, workspace_id, account_store.WITHOUT_ACCOUNT)


def account_choices(backend: Backend, workspace_id: str) -> list[Account]:
    """Every account, by name: what an admin can map a customer to."""
    with backend.db.session() as session:
        accounts = account_store.list_accounts(session, workspace_id)
    return sorted(accounts, key=lambda a: (a.name.casefold(), a.id))


def map_customer(
    backend: Backend, workspace_id: str, customer_id: str, account: str | None, actor: str
) -> Mapped:
    """Map a Stripe customer to ``account`` (id, name, alias or domain) for good, or clear
    the mapping (``account`` None); re-match and refresh the figures. Survives resyncs."""
    now = backend.now()
    with backend.db.session() as session:
        target = None
        if account is not None:
            target = find_account(session, workspace_id, account)
            if target is None:
                raise UnknownAccount(account)
        try:
            set_mapping(
                session,
                workspace_id,
                customer_id,
                target.id if target else None,
                actor=actor,
                now=now,
                metadata_key=backend.settings.match_metadata_key,
            )
        except account_store.MappingError as exc:
            raise MappingRefused(str(exc)) from None
        if target is None:
            record(session, workspace_id, actor, "match.clear", now, {"customer_id": customer_id})
        else:
            detail = {"customer_id": customer_id, "account_id": target.id, "account": target.name}
            record(session, workspace_id, actor, "match.set", now, detail)
        refresh_account_billing(session, workspace_id, now)
    return Mapped(customer_id, target)
