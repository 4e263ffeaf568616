"""Payment status explained in sentences a person reads (not the rule that applied)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from answers.account import payment_status_sentence

TODAY = date(2026, 12, 7)


def _invoice(number: str, amount: str, days: int, method: str, due: str | None) -> dict[str, Any]:
    return {
        "invoice": f"in_{number}",
        "number": number,
        "amount_remaining": {"amount": amount, "currency": "USD"},
        "days_overdue": days,
        "collection_method": method,
        "due_date": due,
    }


@pytest.mark.parametrize(
    ("figure", "sentence"),
    [
        (
            {
                "payment_status": "paid",
                "payment_status_reason": "a subscription that has not "
                "ended, nothing failed or past due",
            },
            "Acme is up to date on payments: it has a current subscription, and no payment "
            "has failed or is past due.",
        ),
        (
            {"payment_status": "none"},
            "Acme has no current subscription and owes nothing.",
        ),
        (
            {
                "payment_status": "overdue",
                "overdue_invoices": [
                    _invoice("A-0009", "2500.00", 23, "send_invoice", "2026-11-14")
                ],
            },
            "Acme is overdue: invoice A-0009 for $2,500.00 was due on Nov 14 and is 23 days late.",
        ),
        (
            {
                "payment_status": "failed",
                "overdue": [{"amount": "5000.00", "currency": "USD"}],
                "overdue_invoices": [
                    _invoice("A-0012", "2500.00", 36, "send_invoice", "2025-11-01"),
                    _invoice("A-0013", "2500.00", 1, "charge_automatically", None),
                ],
            },
            "Acme has a failed payment: Stripe could not collect invoice A-0013 ($2,500.00) "
            "automatically, and it is still open 1 day later. 1 more invoice is overdue too "
            "($5,000.00 outstanding in all).",
        ),
        (
            {"payment_status": "overdue", "payment_status_reason": "subscription sub_1 is unpaid"},
            "Acme is overdue: Stripe marks its subscription unpaid.",
        ),
        (
            {
                "payment_status": "overdue",
                "payment_status_reason": "subscription sub_1 is past_due",
            },
            "Acme is overdue: Stripe marks its subscription past due.",
        ),
    ],
)
def test_each_status_reads_as_a_sentence(figure: dict[str, Any], sentence: str) -> None:
    text = payment_status_sentence("Acme", figure, TODAY)
    assert text == sentence
    assert "has not ended" not in text and "_" not in text  # no rule wording, no raw states
