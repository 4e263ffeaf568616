"""Rows a test workspace needs, written straight through the models."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from storage.db import Database
from storage.figures import replace_account_figures
from storage.models import AccountRow, CustomerMatch, CustomerRow, StripeConnection
from storage.workspaces import ensure_workspace


def seed_connection(
    db: Database,
    team: str,
    now: datetime,
    *,
    last4: str = "4242",
    name: str = "Acme Billing",
    error: str | None = None,
) -> None:
    with db.session() as session:
        ensure_workspace(session, team, now)
        session.add(
            StripeConnection(
                workspace_id=team,
                stripe_account_id="acct_" + team,
                stripe_account_name=name,
                mode="test",
                key_kind="restricted",
                key_encrypted=b"not-a-real-token",
                key_last4=last4,
                status="error" if error else "connected",
                error_text=error,
                last_sync_at=now - timedelta(hours=2),
                last_sync_duration_ms=4200,
                record_counts={
                    "products": 3,
                    "prices": 5,
                    "customers": 12,
                    "subscriptions": 9,
                    "invoices": 40,
                },
                match_counts={"matched": 10, "unmatched": 1, "ambiguous": 1},
                connected_at=now - timedelta(days=3),
                updated_at=now,
            )
        )


def money(amount: str, currency: str = "USD") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


def seed_figures(db: Database, team: str, now: datetime, accounts: list[dict[str, Any]]) -> None:
    """Accounts plus their stored figures (``accounts list --json`` objects)."""
    with db.session() as session:
        ensure_workspace(session, team, now)
        figures = []
        for spec in accounts:
            session.add(
                AccountRow(
                    workspace_id=team,
                    id=spec["id"],
                    name=spec["name"],
                    domain=spec.get("domain"),
                    aliases=[],
                    source="import",
                    created_at=now,
                )
            )
            figures.append(
                {
                    "account": {
                        "id": spec["id"],
                        "name": spec["name"],
                        "domain": spec.get("domain"),
                    },
                    "mrr": [money(spec.get("mrr", "0.00"))],
                    "arr": [money(str(Decimal(spec.get("mrr", "0")) * 12))],
                    "overdue": [money(spec["overdue"])] if spec.get("overdue") else [],
                    "payment_status": spec.get("status", "paid"),
                    "lifecycle": "customer",
                    "mrr_history": [],
                }
            )
        session.flush()
        replace_account_figures(session, team, figures, now)


def seed_review(db: Database, team: str, now: datetime) -> None:
    """One unmatched and one ambiguous customer."""
    with db.session() as session:
        ensure_workspace(session, team, now)
        for cid, name, outcome, reason, candidates in (
            ("cus_A1", "Jane Doe", "unmatched", "personal email domain gmail.com", []),
            (
                "cus_B2",
                "Globex",
                "ambiguous",
                "domain globex.com claimed by 2 accounts",
                ["Globex Corp", "Globex Ltd"],
            ),
        ):
            session.add(
                CustomerRow(
                    workspace_id=team,
                    id=cid,
                    name=name,
                    email=f"x@{cid}.test",
                    metadata_={},
                    deleted=False,
                )
            )
            session.add(
                CustomerMatch(
                    workspace_id=team,
                    customer_id=cid,
                    account_id=None,
                    outcome=outcome,
                    via=None,
                    reason=reason,
                    candidates=candidates,
                )
            )
