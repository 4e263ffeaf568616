"""Every account of the shared sample world matches truth.json (SPEC §7, §7b, §10b)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from billing.facts import Kind
from billing.figures import AccountFigures, account_figures
from billing.ledger import Ledger
from billing.money import money_list_json
from billing.timeline import account_timelines
from billing.totals import workspace_history
from tests.billing.fact_lists import amounts, facts_of
from tests.support.world import account_id_for, as_of, load_world_ledger, truth

FIELDS = (
    "stripe_customer_ids",
    "mrr",
    "arr",
    "payment_status",
    "payment_status_reason",
    "overdue",
    "max_days_overdue",
    "overdue_invoices",
    "written_off",
    "lifetime_revenue",
    "last_invoice_date",
    "plan",
    "plan_labels",
    "renewal_date",
    "lifecycle",
    "scheduled_to_cancel",
    "billing_started",
    "tenure_days",
)
TRUTH = truth()
NAMES = sorted(TRUTH["accounts"])


@cache
def ledger() -> Ledger:
    return load_world_ledger()


@cache
def figures(name: str) -> dict[str, Any]:
    return account_figures(ledger(), account_id_for(name), as_of()).to_json()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("field", FIELDS)
def test_account_field_matches_truth(name: str, field: str) -> None:
    assert figures(name)[field] == TRUTH["accounts"][name][field]


@pytest.mark.parametrize("name", NAMES)
def test_account_history_matches_truth(name: str) -> None:
    expected = [
        {"month": p["month"], "mrr": p["mrr"]} for p in TRUTH["accounts"][name]["mrr_history"]
    ]
    got = figures(name)["mrr_history"]
    assert len(got) == 12
    for got_point, want_point in zip(got, expected, strict=True):
        assert got_point == want_point


@pytest.mark.parametrize("name", NAMES)
def test_account_json_identity_and_round_trip(name: str) -> None:
    data = figures(name)
    want = TRUTH["accounts"][name]["account"]
    assert data["account"]["name"] == want["name"]
    assert data["account"]["domain"] == want["domain"]
    assert AccountFigures.from_json(data).to_json() == data


def test_workspace_totals() -> None:
    now = as_of()
    ws = TRUTH["workspace"]
    account_mrr = facts_of(ledger(), now, Kind.ACCOUNT_MRR)  # accounts only: never unassigned
    assert money_list_json(amounts(account_mrr)) == ws["mrr_total"]
    assert money_list_json(amounts(account_mrr, factor=12)) == ws["arr_total"]


def test_workspace_mrr_trend() -> None:
    timelines = account_timelines(ledger(), as_of())
    history = workspace_history(ledger(), as_of(), timelines)
    got = [{"month": m, "mrr": money_list_json(v)} for m, v in history]
    assert got == [{"month": p["month"], "mrr": p["mrr"]} for p in TRUTH["workspace"]["mrr_trend"]]
