"""``revbot fx``: rates are stored per workspace, dated, validated, and listed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from storage.db import Database
from storage.fx import rates_on
from tests.bot.cli.helpers import run_cli, run_json


def test_set_and_list_rates(revbot_env: Path, db: Database) -> None:
    assert run_cli("fx", "set", "EUR", "1.08", "--date", "2027-01-01").exit_code == 0
    assert run_cli("fx", "set", "gbp", "1.27", "--date", "2027-01-01").exit_code == 0
    listed = run_json("fx", "list", "--json")
    assert listed["reporting_currency"] == "USD"
    assert {(r["currency"], r["rate"]) for r in listed["rates"]} == {
        ("EUR", "1.08"),
        ("GBP", "1.27"),
    }


def test_dated_rates_pick_the_newest_effective(revbot_env: Path, db: Database) -> None:
    run_cli("fx", "set", "EUR", "1.05", "--date", "2026-06-01")
    run_cli("fx", "set", "EUR", "1.10", "--date", "2027-01-01")
    with db.session() as session:
        assert rates_on(session, "local", date(2026, 12, 31)).rate("EUR") == Decimal("1.05")
        assert rates_on(session, "local", date(2027, 2, 1)).rate("EUR") == Decimal("1.10")
        assert rates_on(session, "local", date(2026, 1, 1)).rate("EUR") is None


def test_rates_are_per_workspace(revbot_env: Path, db: Database) -> None:
    run_cli("fx", "set", "EUR", "1.08", "--workspace", "T1")
    assert run_json("fx", "list", "--json", "--workspace", "T2")["rates"] == []


def test_bad_input_exits_non_zero_with_reason(revbot_env: Path, db: Database) -> None:
    for args, reason in [
        (("fx", "set", "EUR", "abc"), "rate"),
        (("fx", "set", "EUR", "-1"), "rate"),
        (("fx", "set", "EURO", "1.1"), "currency"),
        (("fx", "set", "USD", "1.1"), "reporting currency"),
    ]:
        result = run_cli(*args)
        assert result.exit_code != 0
        assert reason in result.stderr
