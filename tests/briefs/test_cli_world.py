"""``revbot brief --preview [--json]`` over the shared sample world, checked against truth.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.bot.cli.helpers import run_cli, run_json
from tests.support.paths import WORLD

TRUTH = json.loads((WORLD / "truth.json").read_text())["workspace"]
NOW = "2027-02-15T12:00:00Z"


@pytest.fixture
def world(revbot_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REVBOT_NOW", NOW)
    for args in (
        ("accounts", "import", str(WORLD / "accounts.csv")),
        ("sync", "--from-folder", str(WORLD / "stripe")),
    ):
        result = run_cli(*args)
        assert result.exit_code == 0, result.stdout + result.stderr
    return revbot_env


def names(section: dict[str, Any]) -> list[str]:
    return [row["account"]["name"] for row in section["rows"]]


def test_preview_json_holds_the_worlds_facts(world: Path) -> None:
    brief = run_json("brief", "--preview", "--json", "--as-of", "2027-02-15")
    assert brief["has_data"] is True and brief["stale"] is False and brief["week"] == "2027-W07"
    assert brief["headline"]["mrr"] == TRUTH["mrr_total"]
    assert brief["headline"]["arr"] == TRUTH["arr_total"]
    sections = {s["key"]: s for s in brief["sections"]}

    overdue = sections["overdue"]
    assert sorted(names(overdue)) == sorted(TRUTH["overdue_accounts"]["accounts"])
    truth_days = {r["account"]: r["max_days_overdue"] for r in TRUTH["overdue_accounts"]["rows"]}
    assert {r["account"]["name"]: r["max_days_overdue"] for r in overdue["rows"]} == truth_days
    largest = [max(float(m["amount"]) for m in r["amounts"]) for r in overdue["rows"]]
    assert largest == sorted(largest, reverse=True)  # top by amount

    failed = TRUTH["failed_payments"]["last_7_days"]
    assert sorted(set(names(sections["failed_payments"]))) == sorted(failed["accounts"])
    invoices = {i["invoice"] for r in failed["rows"] for i in r["items"]}
    assert {r["invoice"] for r in sections["failed_payments"]["rows"]} == invoices

    scheduled = TRUTH["scheduled_cancellations"]
    assert sorted(names(sections["scheduled_cancellations"])) == sorted(scheduled["accounts"])
    ends = {r["account"]: r["ends_on"] for r in scheduled["rows"]}
    assert {
        r["account"]["name"]: r["ends_on"] for r in sections["scheduled_cancellations"]["rows"]
    } == ends

    renewals = TRUTH["renewals"]["next_14_days"]
    assert sorted(set(names(sections["renewals"]))) == sorted(renewals["accounts"])
    assert sections["renewals"]["count"] == sum(len(r["items"]) for r in renewals["rows"])

    assert sorted(names(sections["trials"])) == sorted(TRUTH["trials"]["accounts"])
    assert sorted(names(sections["upsell"])) == sorted(TRUTH["upsell_candidates"]["accounts"])
    assert names(sections["downgrades"]) == TRUTH["downgrades"]["last_7_days"]["accounts"]
    assert names(sections["new_customers"]) == TRUTH["new_customers"]["last_7_days"]["accounts"]
    # nothing was cancelled in the last 7 days: the section is omitted, not shown empty
    assert TRUTH["cancellations"]["last_7_days"]["accounts"] == []
    assert "cancellations" not in sections


def test_preview_text_and_stale_and_empty_workspaces(
    world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_cli("brief", "--preview")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("Monday Brief — week of Feb 15")
    mosaic = next(
        r for r in TRUTH["overdue_accounts"]["rows"] if r["account"] == "Mosaic Marketing"
    )
    assert f"Mosaic Marketing — $1,800.00 · {mosaic['max_days_overdue']} days overdue" in text
    assert "Juniper Health — $1,800.00 · growth_monthly, ends Feb 28 (in 13 days)" in text
    assert "Payments that failed this week — 3 failed payments" in text
    assert "…and 5 more" in text  # 15 renewals, 10 listed
    assert "out of date" not in text

    # Two days later without a sync, the brief says the data is stale.
    monkeypatch.setenv("REVBOT_NOW", "2027-02-17T12:00:00Z")
    stale = run_json("brief", "--preview", "--json")
    assert stale["stale"] is True and "out of date" in stale["notice"]["message"]
    assert stale["headline"]["mrr"] == TRUTH["mrr_total"]  # labelled, not zeroed

    empty = run_json("brief", "--preview", "--json", "--workspace", "T0EMPTY")
    assert empty["has_data"] is False and empty["sections"] == [] and empty["headline"] is None
    printed = run_cli("brief", "--preview", "--workspace", "T0EMPTY").stdout
    assert "No billing data" in printed
    # Read in a terminal, the brief names CLI commands, never slash commands.
    assert "`revbot connect --key rk_…`" in printed and "`revbot sync`" in printed
    assert "/revbot" not in printed
    assert "/revbot" not in json.dumps(empty)
    # Printing is the CLI's only mode: --preview may be left out.
    assert run_cli("brief", "--workspace", "T0EMPTY").stdout == printed


def test_brief_takes_a_valid_date_only(revbot_env: Path) -> None:
    bad = run_cli("brief", "--preview", "--as-of", "15/02/2027")
    assert bad.exit_code != 0 and "--as-of" in bad.stderr
