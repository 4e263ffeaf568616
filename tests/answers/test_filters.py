"""Filters stated in a question are applied to the answer (sample world, checked against
its truth): plans, currencies and amounts on lists that did not take them before."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from answers import answer
from questions import parse
from storage.db import Database
from tests.support.world import truth


def ask(db: Database, ws: str, now: datetime, index: Any, question: str) -> dict[str, Any]:
    with db.session() as session:
        return answer(session, ws, parse(question, index, now, "UTC"), now).result


def test_accounts_on_a_plan_are_listed_by_mrr(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    result = ask(world_db, world_ws, world_now, world_index, "customers on the starter plan")
    names = {r["account"]["name"] for r in result["rows"]}
    names |= {r["account"]["name"] for rows in result["other_rankings"].values() for r in rows}
    expected = {
        name
        for name, figures in truth()["accounts"].items()
        if figures["mrr"] and "starter" in (figures["plan"] or "").lower()
    }
    assert names == expected and len(expected) >= 5


def test_renewals_of_one_plan(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    result = ask(
        world_db, world_ws, world_now, world_index, "renewals on growth_monthly next 30 days"
    )
    rows = truth()["workspace"]["renewals"]["next_30_days"]["rows"]
    expected = {
        r["account"] for r in rows for i in r["items"] if "growth_monthly" in (i.get("plan") or "")
    }
    assert {r["account"]["name"] for r in result["rows"]} == expected
    assert all("growth_monthly" in r["plan"] for r in result["rows"])


def test_failed_payments_over_an_amount_in_a_currency(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    result = ask(
        world_db, world_ws, world_now, world_index, "failed payments over $1k in the last 30 days"
    )
    rows = truth()["workspace"]["failed_payments"]["last_30_days"]["rows"]
    expected = {
        r["account"]
        for r in rows
        for i in r["items"]
        if i["amount"]["currency"] == "USD" and float(i["amount"]["amount"]) > 1000
    }
    assert {r["account"]["name"] for r in result["rows"]} == expected
    assert result["count"] == len(result["rows"])


def test_overdue_in_one_currency(
    world_db: Database, world_ws: str, world_now: datetime, world_index: Any
) -> None:
    result = ask(world_db, world_ws, world_now, world_index, "overdue accounts in euros")
    expected = {
        r["account"]
        for r in truth()["workspace"]["overdue_accounts"]["rows"]
        if any(m["currency"] == "EUR" for m in r["overdue"])
    }
    assert {r["account"]["name"] for r in result["rows"]} == expected == {"Café Lumière"}
