"""Store a hand-built or loaded Ledger in the database as a finished sync would leave it.

Used by answer tests and the question benchmark when no file-source ingest is
wanted: accounts, customer matches, invoices, account figures and answer facts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from billing.facts import iter_workspace_facts
from billing.figures import account_figures
from billing.ledger import Ledger
from storage.facts import replace_workspace_facts
from storage.figures import replace_account_figures
from storage.models import AccountRow, CustomerMatch, InvoiceRow, StripeConnection
from storage.workspaces import ensure_workspace


def _invoice_row(workspace_id: str, inv: Any) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "id": inv.id,
        "customer_id": inv.customer_id,
        "subscription_id": inv.subscription_id,
        "status": inv.status,
        "currency": inv.currency,
        "created": inv.created,
        "collection_method": inv.collection_method,
        "number": inv.number,
        "amount_due": inv.amount_due,
        "amount_paid": inv.amount_paid,
        "amount_remaining": inv.amount_remaining,
        "post_payment_credit_notes_amount": inv.post_payment_credit_notes_amount,
        "subtotal": inv.subtotal,
        "total": inv.total,
        "tax": inv.tax,
        "due_date": inv.due_date,
        "finalized_at": inv.finalized_at,
        "paid_at": inv.paid_at,
        "attempted": inv.attempted,
        "attempt_count": inv.attempt_count,
        "hosted_invoice_url": inv.hosted_invoice_url,
        "discount_ids": list(inv.discount_ids),
        "livemode": inv.livemode,
    }


def store_ledger(
    session: Session,
    workspace_id: str,
    ledger: Ledger,
    now: datetime,
    *,
    mode: str = "test",
    figures: bool = True,
) -> None:
    """Write everything questions read for ``ledger`` at ``now`` into ``workspace_id``."""
    ensure_workspace(session, workspace_id, now)
    session.add(
        StripeConnection(
            workspace_id=workspace_id,
            mode=mode,
            key_kind="restricted",
            connected_at=now,
            updated_at=now,
            window_start=ledger.window_start,
            last_sync_at=now,
        )
    )
    session.flush()
    accounts = [
        {
            "workspace_id": workspace_id,
            "id": acc.id,
            "name": acc.name,
            "domain": acc.domain,
            "external_id": acc.external_id,
            "aliases": list(acc.aliases),
            "owner": acc.owner,
            "source": "import",
            "created_at": now,
        }
        for acc in ledger.accounts.values()
    ]
    if accounts:
        session.execute(insert(AccountRow), accounts)
    matches = [
        {
            "workspace_id": workspace_id,
            "customer_id": customer_id,
            "account_id": account_id,
            "outcome": "matched",
            "via": "domain",
            "reason": "test",
            "candidates": [],
        }
        for customer_id, account_id in ledger.customer_accounts.items()
    ]
    if matches:
        session.execute(insert(CustomerMatch), matches)
    invoices = [_invoice_row(workspace_id, inv) for inv in ledger.invoices.values()]
    for start in range(0, len(invoices), 5000):
        session.execute(insert(InvoiceRow), invoices[start : start + 5000])
    if figures:
        data = [account_figures(ledger, acc_id, now).to_json() for acc_id in ledger.accounts]
        replace_account_figures(session, workspace_id, data, now)
    replace_workspace_facts(session, workspace_id, list(iter_workspace_facts(ledger, now)))
