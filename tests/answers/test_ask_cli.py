"""``revbot ask`` end to end (in-process) over the sample world."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from bot.cli.ask_command import ask
from core.settings import get_settings
from storage.db import Database
from storage.leases import acquire_lease, heartbeat, release_lease
from storage.workspaces import ensure_workspace
from tests.answers.conftest import fresh_workspace_id
from tests.conftest import _TEST_FERNET_KEY as TEST_FERNET_KEY

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)  # REVBOT_NOW below
app = typer.Typer()


@app.callback()
def _root() -> None:
    """Test root so ``ask`` is a subcommand as in ``revbot``."""


app.command("ask")(ask)


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, ["ask", *args], input=stdin, catch_exceptions=False)


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI's environment against the test database, its tables left as they are (the
    ``revbot_env`` fixture empties them, and with them this module's world)."""
    monkeypatch.setenv("REVBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("REVBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REVBOT_ENCRYPTION_KEY", TEST_FERNET_KEY)
    monkeypatch.setenv("REVBOT_NOW", "2027-02-15T12:00:00Z")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


Ask = Callable[..., Any]


@pytest.fixture
def ask_world(world_ws: str, cli_env: Path) -> Ask:
    """``revbot ask`` against the workspace holding the sample world."""

    def ask_it(*args: str, stdin: str | None = None) -> Any:
        return run("--workspace", world_ws, *args, stdin=stdin)

    return ask_it


def test_text_answer(ask_world: Ask) -> None:
    result = ask_world("who is overdue more than 40 days?")
    assert result.exit_code == 0, result.stderr
    assert "Sterling Wealth" in result.stdout and "Evergreen Pediatrics" in result.stdout
    assert "Mosaic Marketing" not in result.stdout


def test_json_answer_schema(ask_world: Ask) -> None:
    result = ask_world("--json", "--as-of", "2027-02-15", "top 3 accounts by MRR")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"question", "intent", "as_of", "entities", "result", "text", "reader"}
    assert data["reader"] == "rules"
    assert data["intent"] == "top_accounts" and data["as_of"] == "2027-02-15"
    assert data["entities"]["limit"] == 3
    names = [r["account"]["name"] for r in data["result"]["rows"]]
    assert names == ["Canopy Health", "Lumen Legal", "Driftwood Coffee Roasters"]


def test_stdin_lines_give_one_json_object_each(ask_world: Ask) -> None:
    result = ask_world("--json", "-", stdin="MRR today?\n\ntell me a joke\nhelp\n")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["intent"] for x in lines] == ["mrr_total", "unknown", "help"]


def test_unknown_question_exits_zero(ask_world: Ask) -> None:
    result = ask_world("--json", "what is the airspeed of an unladen swallow")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["intent"] == "unknown"


def test_no_data_synced_is_an_error(cli_env: Path) -> None:
    result = run("--workspace", fresh_workspace_id(), "who is overdue?")
    assert result.exit_code != 0
    assert "no billing data synced" in result.stderr


def test_a_question_during_the_first_sync_says_it_is_running(
    cli_env: Path, migrated_database: Database
) -> None:
    workspace = fresh_workspace_id()
    with migrated_database.session() as session:  # connected, its first sync at step 4
        ensure_workspace(session, workspace, NOW)
    lease = acquire_lease(migrated_database, workspace, "worker", NOW - timedelta(minutes=2), 900)
    heartbeat(migrated_database, lease, NOW, 900, step=4)
    try:
        result = run("--workspace", workspace, "who is overdue?")
    finally:
        release_lease(migrated_database, lease)
    assert result.exit_code != 0
    assert "first sync is still running (step 4 of 6, started 11:58)" in result.stderr


def test_bad_as_of_is_an_error(ask_world: Ask) -> None:
    result = ask_world("--as-of", "15/02/2027", "who is overdue?")
    assert result.exit_code != 0
    assert "--as-of" in result.stderr


def test_other_workspace_sees_nothing(ask_world: Ask) -> None:
    result = run("--workspace", "T0OTHER", "who is overdue?")
    assert result.exit_code != 0


def test_json_comparison_shows_both_points_and_the_change(ask_world: Ask) -> None:
    result = ask_world("--json", "how did mrr change from end of Q3 to end of Q4?")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["intent"] == "mrr_total"
    assert data["entities"]["time"]["kind"] == "comparison"
    assert [s["at"] for s in data["entities"]["comparison"]] == ["2026-09-30", "2026-12-31"]
    comparison = data["result"]["comparison"]
    usd = {m["currency"]: m["amount"] for m in comparison["before"]["mrr"]}["USD"]
    assert (usd, comparison["after"]["mrr"][-1]["amount"]) == ("69550.00", "71594.95")
    assert {"amount": "2044.95", "currency": "USD"} in comparison["change"]["mrr"]
    assert comparison["change"]["percent"]["USD"] == 2.94


def test_json_filter_shows_what_was_understood(ask_world: Ask) -> None:
    result = ask_world("--json", "overdue invoices over USD 5,000, more than a month late")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    filters = data["entities"]["filters"]
    assert filters["min_amount"] == {"amount": "5000.00", "currency": "USD"}
    assert (filters["min_days"], filters["min_days_strict"]) == (30, True)
    assert [r["account"]["name"] for r in data["result"]["rows"]] == ["Sterling Wealth"]
