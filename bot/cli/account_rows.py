"""The ``accounts list`` table: contract objects (``usecases.accounts.account_list``) as rows."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from billing.money import Money


def money_text(values: list[dict[str, str]]) -> str:
    if not values:
        return "—"
    return ", ".join(Money.from_json(v).format() for v in values)


def _unresolved(row: dict[str, Any]) -> str:
    coupons = row.get("unresolved_coupons") or []
    return f" (before coupon {', '.join(coupons)}: unresolved)" if coupons else ""


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
            money_text(row["mrr"]) + _unresolved(row),
            status,
            overdue,
            row.get("plan_name") or row["plan"] or "—",
            row["renewal_date"] or "—",
        )
    return table
