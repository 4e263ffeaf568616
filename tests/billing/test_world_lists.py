"""Every workspace list against the shared world's truth.json ``workspace`` section.

Periods come from truth's ``windows`` (each acceptable variant is tried); rows
flagged ``"definite": false`` or named under ``ambiguous`` sit on a period
boundary and may be present or absent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from typing import Any

import pytest

from billing import (
    cancellations,
    changes,
    failed_payments,
    renewals,
    trials,
)
from billing.facts import Fact, Kind, iter_workspace_facts
from billing.json_values import money_json
from billing.ledger import Ledger
from billing.models import Event
from billing.money import money_list_json
from billing.movements import monthly_movements
from billing.periods import Period, next_n_days
from billing.risk import risk_reason
from billing.timeline import Timelines, account_timelines
from sync.readers import read_event
from tests.billing.fact_lists import amounts
from tests.support.world import as_of, load_json, load_world_ledger, truth

NOW = as_of()
WORKSPACE = truth()["workspace"]
WINDOWS: dict[str, Any] = WORKSPACE["windows"]


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@cache
def ledger() -> Ledger:
    return load_world_ledger()


@cache
def timelines() -> Timelines:
    return account_timelines(ledger(), NOW)


@cache
def events() -> tuple[Event, ...]:
    return tuple(read_event(e) for e in load_json("events.json"))


@cache
def all_facts() -> tuple[Fact, ...]:
    return tuple(iter_workspace_facts(ledger(), NOW, timelines=timelines()))


def facts(kind: str) -> list[Fact]:
    """The ``kind`` facts sync stores for the world: what production's answers read."""
    return [f for f in all_facts() if f.kind == kind]


def name_of(fact: Fact) -> str:
    return ledger().accounts[fact.account_id or ""].name


def variants(window: str) -> list[Period]:
    return [Period(instant(a), instant(b), window) for a, b in WINDOWS[window]["variants"]]


def expected(section: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(accounts that must appear, accounts that may appear)."""
    rows = section["rows"]
    must = {r["account"] for r in rows if r.get("definite", True)}
    may = {r["account"] for r in rows if not r.get("definite", True)}
    return must, may | set(section.get("ambiguous", []))


def items_by_key(section: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {it[key]: it for r in section["rows"] for it in r.get("items", [r])}


def assert_accounts(got: Iterable[str], section: dict[str, Any], label: str) -> None:
    must, may = expected(section)
    names = set(got)
    assert must <= names, f"{label}: missing {sorted(must - names)}"
    assert names <= must | may, f"{label}: unexpected {sorted(names - must - may)}"


def windowed(name: str) -> list[tuple[str, Period]]:
    return [(w, p) for w in WORKSPACE[name] for p in variants(w)]


# ---- movements --------------------------------------------------------------------------


def test_movements_per_month_match_truth():
    reports = {r.period.label: r for r in monthly_movements(ledger(), NOW, months=12)}
    assert set(reports) == set(WORKSPACE["movements"])
    for label, want in WORKSPACE["movements"].items():
        got = reports[label].to_json()
        assert got["period"] == want["period"], label
        assert got["mrr_at_start"] == want["mrr_at_start"], label
        for kind in ("new", "expansion", "contraction", "churn", "reactivation"):
            mine = sorted(
                (m["account"]["name"], m["from"]["amount"], m["to"]["amount"]) for m in got[kind]
            )
            theirs = sorted(
                (m["account"], m["from"]["amount"], m["to"]["amount"]) for m in want[kind]
            )
            assert mine == theirs, f"{label} {kind}"
            assert got["totals"][kind] == want["totals"][kind], f"{label} {kind} total"
        for rate in reports[label].churn_rates():
            fraction = want["churn_rate"][rate.currency]["fraction"]
            assert f"{rate.fraction.numerator}/{rate.fraction.denominator}" == fraction
        assert reports[label].reconciles()


def test_month_end_of_movements_is_the_mrr_trend():
    reports = monthly_movements(ledger(), NOW, months=12)
    trend = {p["month"]: p["mrr"] for p in WORKSPACE["mrr_trend"]}
    for report in reports:
        assert [m.to_json() for m in report.mrr_at_end] == trend[report.period.label]


# ---- windowed lists ---------------------------------------------------------------------


@pytest.mark.parametrize(("window", "period"), windowed("cancellations"))
def test_cancellations(window: str, period: Period):
    section = WORKSPACE["cancellations"][window]
    rows = cancellations.cancellations(ledger(), period, NOW)
    assert_accounts((r.account.name for r in rows), section, window)
    want = items_by_key(section, "subscription")
    for row in rows:
        item = want[row.subscription_id]
        data = row.to_json()
        for key in ("plan", "mrr_lost", "canceled_at", "ended_at", "kind"):
            assert data[key] == item[key], (window, key)


@pytest.mark.parametrize(("window", "period"), windowed("downgrades"))
def test_downgrades(window: str, period: Period):
    check_changes("downgrades", window, changes.downgrades(ledger(), period, NOW, timelines()))


@pytest.mark.parametrize(("window", "period"), windowed("upgrades"))
def test_upgrades(window: str, period: Period):
    check_changes("upgrades", window, changes.upgrades(ledger(), period, NOW, timelines()))


def check_changes(name: str, window: str, rows: list[changes.SubscriptionChange]) -> None:
    section = WORKSPACE[name][window]
    assert_accounts((r.account.name for r in rows), section, f"{name} {window}")
    want = items_by_key(section, "subscription")
    for row in rows:
        data, item = row.to_json(), want[row.subscription_id]
        for key in ("at", "kind", "mrr_before", "mrr_after"):
            assert data[key] == item[key], (name, window, key)


@pytest.mark.parametrize(("window", "period"), windowed("new_customers"))
def test_new_customers(window: str, period: Period):
    section = WORKSPACE["new_customers"][window]
    rows = [f for f in facts(Kind.FIRST_PAYING) if f.at is not None and period.contains(f.at)]
    assert_accounts((name_of(f) for f in rows), section, window)
    want = {r["account"]: r["items"][0] for r in section["rows"]}
    mrr = {f.account_id: [] for f in rows}
    for fact in facts(Kind.ACCOUNT_MRR):
        if fact.account_id in mrr and (money := fact.money()) is not None:
            mrr[fact.account_id].append(money.to_json())
    for row in rows:
        item = want[name_of(row)]
        assert row.at is not None
        # truth stamps the moment the first payment cleared (start + 2 s)
        assert abs((row.at - instant(item["first_paying_at"])).total_seconds()) <= 5
        assert mrr[row.account_id] == item["mrr"]


@pytest.mark.parametrize(("window", "period"), windowed("failed_payments"))
@pytest.mark.parametrize("with_events", [True, False], ids=["events", "invoices-only"])
def test_failed_payments(window: str, period: Period, with_events: bool):
    section = WORKSPACE["failed_payments"][window]
    rows = failed_payments.failed_payments(ledger(), period, events() if with_events else ())
    assert_accounts((r.account.name for r in rows), section, window)
    want = items_by_key(section, "invoice")
    for row in rows:
        item = want[row.invoice_id]
        data = row.to_json()
        assert data["amount"] == item["amount"]
        assert data["status"] == item["status"]
        assert data["subscription"] == item["subscription"]
        assert data["failed_attempts"] == item["failed_attempts"]
        first = instant(item["first_failed_at"])
        assert abs((row.first_failed_at - first).total_seconds()) <= 1
        if with_events:
            assert data["last_failed_at"] == item["last_failed_at"]


@pytest.mark.parametrize("window", list(WORKSPACE["renewals"]))
def test_renewals(window: str):
    section = WORKSPACE["renewals"][window]
    days = int(window.split("_")[1])
    rows = renewals.renewals(ledger(), next_n_days(NOW, days))
    assert_accounts((r.account.name for r in rows), section, window)
    want = items_by_key(section, "subscription")
    for row in rows:
        data, item = row.to_json(), want[row.subscription_id]
        for key in ("date", "status", "plan", "amount"):
            assert data[key] == item[key], (window, key)


@pytest.mark.parametrize("window", list(WORKSPACE["arr_at_risk"]))
def test_arr_at_risk(window: str):
    want = WORKSPACE["arr_at_risk"][window]
    churn = amounts(facts(Kind.SCHEDULED_CANCELLATION), factor=12)
    assert money_list_json(churn) == want["scheduled_churn_arr"]
    by_sub = {r["subscription"]: r for r in want["rows"]}
    for period in variants(window):
        rows = [
            (f, reason)
            for f in facts(Kind.RISK)
            if (
                reason := risk_reason(
                    f.payload["status"], f.failure_instants(), period.start, period.end
                )
            )
        ]
        assert_accounts((name_of(f) for f, _ in rows), want, window)
        assert money_list_json(amounts([f for f, _ in rows])) == want["arr_at_risk"]
        for fact, reason in rows:
            item = by_sub[fact.object_id]
            assert (fact.payload["status"], reason, money_json(fact.money())) == (
                item["status"],
                item["reason"],
                item["arr"],
            )


# ---- lists as of now --------------------------------------------------------------------


def test_scheduled_cancellations():
    want = WORKSPACE["scheduled_cancellations"]
    rows = cancellations.scheduled_cancellations(ledger(), NOW)
    assert sorted(r.account.name for r in rows) == sorted(want["accounts"])
    by_sub = {r["subscription"]: r for r in want["rows"]}
    for row in rows:
        data, item = row.to_json(), by_sub[row.subscription_id]
        for key in ("ends_on", "mrr", "requested_at", "kind"):
            assert data[key] == item[key], key
    churn = amounts(facts(Kind.SCHEDULED_CANCELLATION), factor=12)
    assert money_list_json(churn) == want["arr"]


def test_trials():
    want = WORKSPACE["trials"]
    rows = trials.trials(ledger(), NOW)
    assert [r.account.name for r in rows] == [r["account"] for r in want["rows"]]
    for row, item in zip(rows, want["rows"], strict=True):
        data = row.to_json()
        for key in ("subscription", "trial_end", "days_left", "plan", "ends_within_3_days"):
            assert data[key] == item[key], key


def test_upsell_candidates():
    want = WORKSPACE["upsell_candidates"]
    rows = sorted(facts(Kind.UPSELL), key=lambda f: (-(f.amount or 0), name_of(f).lower()))
    assert [name_of(f) for f in rows] == [r["account"] for r in want["rows"]]
    for row, item in zip(rows, want["rows"], strict=True):
        assert row.payload["mrr"] == item["mrr"]
        assert row.payload["tenure_days"] == item["tenure_days"]
        assert row.payload["expansions"] == item["expansions"]


def test_every_row_serialises_with_account_refs():
    period = variants("last_90_days")[0]
    lists: list[Callable[[], list[Any]]] = [
        lambda: cancellations.cancellations(ledger(), period, NOW),
        lambda: changes.subscription_changes(ledger(), period, NOW, timelines()),
        lambda: failed_payments.failed_payments(ledger(), period, events()),
        lambda: renewals.renewals(ledger(), next_n_days(NOW, 30)),
    ]
    for make in lists:
        for row in make():
            data = row.to_json()
            assert set(data["account"]) == {"id", "name", "domain"}
