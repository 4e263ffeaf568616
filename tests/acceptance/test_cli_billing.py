"""Acceptance: billing figures, status card, FX and the demo through the CLI (SPEC §7, §7b, §10b).

After the same flow as ``test_cli_foundation`` (shared world served in both API
shapes), ``revbot accounts list --json`` must report every account's figures
exactly as truth.json does, to the cent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.settings import get_settings
from demo import generate_world
from tests.acceptance.expected import invoice_in_window, subscription_in_window, truth, world
from tests.acceptance.flow import GOOD_KEY, NOW, Flow
from tests.bot.cli.helpers import run_cli

MONEY_FIELDS = ("mrr", "arr", "overdue", "lifetime_revenue")
PLAIN_FIELDS = (
    "payment_status",
    "max_days_overdue",
    "last_invoice_date",
    "plan",
    "renewal_date",
    "lifecycle",
    "scheduled_to_cancel",
)
ACCOUNT_NAMES = sorted(truth()["accounts"])


@pytest.fixture(scope="module")
def listed(flow: Flow) -> dict[str, dict[str, Any]]:
    """``accounts list --json`` of the flow, by account name (run once per shape)."""
    rows = flow.json("accounts", "list", "--json")
    return {row["account"]["name"]: row for row in rows}


def _by_currency(values: list[dict[str, str]]) -> dict[str, str]:
    currencies = [v["currency"] for v in values]
    assert len(currencies) == len(set(currencies)), f"one Money per currency: {values}"
    return {v["currency"]: v["amount"] for v in values}


def _history(points: list[dict[str, Any]]) -> list[tuple[str, dict[str, str]]]:
    return [(p["month"], _by_currency(p["mrr"])) for p in points]


# --- every account, every figure ---------------------------------------------------------------


def test_every_account_of_truth_is_listed(listed: dict[str, dict[str, Any]]) -> None:
    assert sorted(listed) == ACCOUNT_NAMES


@pytest.mark.parametrize("name", ACCOUNT_NAMES)
def test_account_figures_match_truth(listed: dict[str, dict[str, Any]], name: str) -> None:
    want = truth()["accounts"][name]
    got = listed[name]
    mismatches: dict[str, Any] = {}
    for field in MONEY_FIELDS:
        if _by_currency(got[field]) != _by_currency(want[field]):
            mismatches[field] = (got[field], want[field])
    for field in PLAIN_FIELDS:
        if got[field] != want[field]:
            mismatches[field] = (got[field], want[field])
    assert len(got["mrr_history"]) == 12
    history_got, history_want = _history(got["mrr_history"]), _history(want["mrr_history"])
    if history_got != history_want:
        mismatches["mrr_history"] = [
            (g, w) for g, w in zip(history_got, history_want, strict=True) if g != w
        ]
    assert not mismatches, f"{name}: field: (got, want): {mismatches}"


def test_accounts_billed_in_several_currencies_report_each_currency(
    listed: dict[str, dict[str, Any]],
) -> None:
    several = {
        name: facts
        for name, facts in truth()["accounts"].items()
        if any(len(facts[f]) > 1 for f in MONEY_FIELDS)
    }
    assert several, "truth.json has an account billed in several currencies"
    for name, facts in several.items():
        for field in MONEY_FIELDS:
            assert _by_currency(listed[name][field]) == _by_currency(facts[field]), (name, field)
        currencies = {c for p in facts["mrr_history"] for c in _by_currency(p["mrr"])}
        seen = {c for p in listed[name]["mrr_history"] for c in _by_currency(p["mrr"])}
        assert seen == currencies and len(currencies) >= 1


# --- status, fx --------------------------------------------------------------------------------


def test_status_text_shows_the_connection_card(flow: Flow) -> None:
    result = flow.cli("status")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    account = json.loads((flow.world_folder / "account.json").read_text())
    name = (account.get("business_profile") or {}).get("name") or account["id"]
    subs = sum(subscription_in_window(s) for s in world("subscriptions"))
    invoices = sum(invoice_in_window(i) for i in world("invoices"))
    assert f"Stripe:          {name} (test mode)" in lines
    assert f"Key:             …{GOOD_KEY[-4:]}" in lines
    assert any(
        re.fullmatch(r"Last sync: +2027-02-15 12:0\d UTC \(took \d+\.\d s\)", x) for x in lines
    )
    assert (
        f"Records synced:  {len(world('products'))} products · {len(world('prices'))} prices · "
        f"{len(world('customers'))} customers · {subs} subscriptions · {invoices} invoices"
    ) in lines
    assert (
        "Customers:       60 matched · 1 unmatched · 1 ambiguous · 2 skipped · 1 deleted" in lines
    )
    assert "State:           OK" in lines
    assert GOOD_KEY not in result.stdout


def test_fx_rates_are_set_listed_and_refused_when_bad(
    flow: Flow, listed: dict[str, dict[str, Any]]
) -> None:
    today = NOW[:10]
    result = flow.cli("fx", "set", "EUR", "1.08")
    assert result.exit_code == 0, result.stderr
    assert f"1 EUR = 1.08 USD from {today}" in result.stdout
    assert flow.cli("fx", "set", "gbp", "1.27", "--date", "2027-01-01").exit_code == 0
    rates = flow.json("fx", "list", "--json")
    assert rates["reporting_currency"] == "USD"
    assert [(r["currency"], str(r["rate"]), r["date"]) for r in rates["rates"]] == [
        ("EUR", "1.08", today),
        ("GBP", "1.27", "2027-01-01"),
    ]
    for bad in (["USD", "1"], ["EUR", "-1"], ["EUR", "abc"], ["EURO", "1"]):
        refused = flow.cli("fx", "set", *bad)
        assert refused.exit_code != 0 and refused.stderr.startswith("error: "), bad
    assert flow.json("fx", "list", "--json") == rates
    # Rates convert totals; per-account figures stay per currency.
    after = {row["account"]["name"]: row for row in flow.json("accounts", "list", "--json")}
    assert after == listed


# --- demo ----------------------------------------------------------------------------------------


@pytest.fixture
def offline_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Only a data directory: the embedded database, and a Stripe base nothing listens on."""
    import os

    for name in list(os.environ):
        if name.startswith("REVBOT_") and name != "REVBOT_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("REVBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REVBOT_NOW", NOW)
    monkeypatch.setenv("REVBOT_STRIPE_API_BASE", "http://127.0.0.1:9")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_demo_runs_offline_and_prints_counts_accounts_and_headlines(offline_env: Path) -> None:
    result = run_cli("demo")
    assert result.exit_code == 0, result.stdout + result.stderr
    out = result.stdout
    demo = generate_world(datetime.fromisoformat(NOW.replace("Z", "+00:00")).astimezone(UTC))
    synced = re.search(
        r"synced in [\d.]+ s: (\d+) products, (\d+) prices, (\d+) customers, "
        r"(\d+) subscriptions, (\d+) invoices",
        out,
    )
    assert synced, out
    products, prices, customers, subs, invoices = map(int, synced.groups())
    assert (products, prices, customers) == (
        len(demo["products"]),
        len(demo["prices"]),
        len(demo["customers"]),
    )
    assert 0 < subs <= len(demo["subscriptions"]) and 0 < invoices <= len(demo["invoices"])
    assert re.search(r"customers: \d+ matched, \d+ unmatched", out)
    accounts = re.search(r"(\d+) accounts", out)
    assert accounts and int(accounts.group(1)) > 0
    for label in ("Headline figures", "MRR:", "ARR:", "Overdue:", "ARR at risk", "Top accounts"):
        assert label in out
    assert re.search(r"MRR: +\S*\d", out)
    assert "Example questions" in out
    # The embedded database lives in the data directory.
    assert any(offline_env.iterdir())
