"""Counts in words: the noun agrees with its number; machine keys never reach a person."""

from __future__ import annotations

import pytest

from bot.wording import counted, counts_text
from storage.status import RECORD_KINDS


@pytest.mark.parametrize(
    ("count", "key", "text"),
    [
        (1, "customers_deleted", "1 deleted customer"),
        (2, "customers_deleted", "2 deleted customers"),
        (0, "invoices", "0 invoices"),
        (1, "invoices", "1 invoice"),
        (1204, "prices", "1,204 prices"),
        (1, "subscriptions_outside_window", "1 subscription outside the window"),
        (3, "late_fees", "3 late fees"),  # an unknown key still reads as words
    ],
)
def test_a_count_reads_as_words(count: int, key: str, text: str) -> None:
    assert counted(count, key) == text


def test_counts_follow_the_keys_asked_for_in_order() -> None:
    records = {"invoices": 1, "products": 2, "customers_deleted": 1}
    assert counts_text(records) == "1 invoice, 2 products, 1 deleted customer"
    assert counts_text(records, RECORD_KINDS, " · ") == (
        "2 products · 0 prices · 0 customers · 0 subscriptions · 1 invoice"
    )
