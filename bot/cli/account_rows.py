"""The ``accounts list`` contract objects (SPEC §10b) and their table rendering."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from billing.figures import AccountFigures
from billing.models import Account
from billing.money import Money

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


def contract_object(data: dict[str, Any], account: Account) -> dict[str, Any]:
    """Exactly the contract fields of stored figures (history points as ``{month, mrr}``)."""
    out = {name: data.get(name) for name in CONTRACT_FIELDS}
    out["account"] = account.ref()
    out["mrr_history"] = [
        {"month": point["month"], "mrr": point["mrr"]} for point in data.get("mrr_history") or ()
    ]
    return out


def account_rows(
    accounts: list[Account],
    figures: dict[str, dict[str, Any]],
    customers_of: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """One contract object per account (exactly ``CONTRACT_FIELDS``), by name (then id)."""
    rows = []
    for account in sorted(accounts, key=lambda a: (a.name.casefold(), a.id)):
        data = figures.get(account.id)
        if data is None:
            data = AccountFigures.empty(account, customers_of.get(account.id, [])).to_json()
        rows.append(contract_object(data, account))
    return rows


def money_text(values: list[dict[str, str]]) -> str:
    if not values:
        return "—"
    return ", ".join(Money.from_decimal(v["amount"], v["currency"]).format() for v in values)


def accounts_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    for column in ("Account", "Domain", "Customers", "MRR", "Status", "Overdue", "Plan", "Renews"):
        table.add_column(column, overflow="fold")
    for row in rows:
        overdue = money_text(row["overdue"])
        if row["overdue"]:
            overdue += f" ({row['max_days_overdue']} d)"
        status = row["payment_status"] + (" · cancelling" if row["scheduled_to_cancel"] else "")
        table.add_row(
            row["account"]["name"],
            row["account"]["domain"] or "—",
            str(len(row["stripe_customer_ids"])),
            money_text(row["mrr"]),
            status,
            overdue,
            row["plan"] or "—",
            row["renewal_date"] or "—",
        )
    return table
