"""A newcomer's first hour with the CLI (issue 12): after ``revbot demo`` the examples that
name no workspace read the demo until their own Stripe account is in; output fits a pipe;
the Plan column reads as a product; counts agree with their nouns; help shows commands in
panels without Python types; ``--version`` exists.
"""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import typer

from bot.cli.main import app
from core.settings import get_settings
from demo import generate_world
from tests.bot.cli.helpers import run_cli, run_json

NOW = "2026-11-20T10:00:00Z"
NOTE = "shows the demo data (workspace 'demo')"
QUESTION = "who is overdue more than 30 days?"


@pytest.fixture
def after_demo(revbot_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REVBOT_NOW", NOW)
    result = run_cli("demo")
    assert result.exit_code == 0, result.stderr
    return revbot_env


def test_after_the_demo_commands_without_a_workspace_read_the_demo(after_demo: Path) -> None:
    asked = run_cli("ask", QUESTION)
    assert asked.exit_code == 0, asked.stderr
    assert asked.stdout == run_cli("ask", "--workspace", "demo", QUESTION).stdout
    assert "overdue" in asked.stdout
    # Said once, on stderr, so a pipe still gets only the answer.
    assert asked.stderr.count(NOTE) == 1 and NOTE not in asked.stdout
    assert run_json("accounts", "list", "--json") == run_json(
        "accounts", "list", "--json", "--workspace", "demo"
    )
    brief = run_cli("brief")
    assert brief.exit_code == 0 and "Monday Brief" in brief.stdout and NOTE in brief.stderr
    assert "No billing data" not in brief.stdout
    # A workspace named explicitly is never swapped for the demo.
    local = run_cli("ask", "--workspace", "local", QUESTION)
    assert local.exit_code == 1 and NOTE not in local.stderr
    assert "`revbot connect --key rk_…`" in local.stderr and "/revbot" not in local.stderr


def test_once_their_own_data_is_in_commands_read_it(after_demo: Path) -> None:
    clients = after_demo / "clients.csv"
    clients.write_text("name,domain\nAcme Robotics,acmerobotics.com\n")
    imported = run_cli("accounts", "import", str(clients))
    assert imported.exit_code == 0 and "imported 1 account " in imported.stdout
    rows = run_json("accounts", "list", "--json")
    assert [row["account"]["name"] for row in rows] == ["Acme Robotics"]
    asked = run_cli("ask", QUESTION)
    assert NOTE not in asked.stderr
    assert asked.exit_code == 1 and "workspace 'local'" in asked.stderr


def _product_names() -> dict[str, str]:
    """Price lookup key -> its product's name, from the same demo world."""
    world = generate_world(datetime.fromisoformat(NOW.replace("Z", "+00:00")).astimezone(UTC))
    products = {p["id"]: p["name"] for p in world["products"]}
    return {p["lookup_key"]: products[p["product"]] for p in world["prices"] if p.get("lookup_key")}


def _table_rows(text: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in text.splitlines()
        if line.startswith("│")
    ]


def test_the_account_table_fits_a_pipe_and_names_plans_by_product(after_demo: Path) -> None:
    data = run_json("accounts", "list", "--json")
    table = run_cli("accounts", "list").stdout
    rows = _table_rows(table)
    # One line per account: nothing folded onto a second line, no cell cut mid-word.
    assert [row[0] for row in rows] == [item["account"]["name"] for item in data]
    assert [row[1] for row in rows] == [item["account"]["domain"] or "—" for item in data]
    names = _product_names()
    labelled = [item for item in data if item["plan"]]
    assert any(item["plan"] in names for item in labelled)  # the demo's prices have lookup keys
    for row, item in zip(rows, data, strict=True):
        if item["plan"] in names:
            assert row[6] == names[item["plan"]], (row, item["plan"])
            assert item["plan"] not in table
    assert data[0]["plan"] is None or "plan_name" not in data[0]  # the JSON contract is unchanged


def test_counts_agree_with_their_nouns(after_demo: Path) -> None:
    review = run_json("accounts", "list", "--unmatched", "--json")
    text = run_cli("accounts", "list", "--unmatched").stdout
    noun = "customer" if len(review) == 1 else "customers"
    assert f"{len(review)} {noun} without an account" in text
    assert not re.search(r"\b1 (customers|accounts|events|invoices)\b", text)


def _commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in getattr(group, "commands", {}).items():
        found += _commands(command, (*path, name))
    return found


def test_help_shows_no_python_types_and_groups_commands() -> None:
    commands = _commands(typer.main.get_command(app))
    assert ("ask",) in commands and ("fx", "set") in commands and len(commands) > 15
    for path in commands:
        shown = run_cli(*path, "--help")
        assert shown.exit_code == 0, path
        noise = re.findall(r"<(?:bool|str|int|path|float)>|\{[a-z_]+\}", shown.stdout)
        assert not noise, (path, noise)
    assert "Usage: revbot ask [OPTIONS] QUESTION" in run_cli("ask", "--help").stdout
    top = run_cli("--help").stdout
    panels = ["Try it", "Your Stripe data", "Answers", "Run the Slack app"]
    assert [top.index(panel) for panel in panels] == sorted(top.index(p) for p in panels)
    assert top.index("demo") < top.index("connect") < top.index("ask") < top.index("serve")


def test_version() -> None:
    shown = run_cli("--version")
    assert shown.exit_code == 0 and shown.stdout == f"revbot {version('revbot')}\n"


def test_connect_to_an_unreachable_stripe_says_why_while_it_waits(
    revbot_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("REVBOT_STRIPE_API_BASE", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("REVBOT_STRIPE_MAX_RETRIES", "2")
    get_settings.cache_clear()
    result = run_cli("connect", "--key", "rk_test_" + "x" * 24)
    assert result.exit_code == 1
    retries = [line for line in result.stderr.splitlines() if "retry" in line]
    assert retries == [
        line for line in retries if "Stripe did not answer (connection refused)" in line
    ]
    assert [line.split("retry ")[1].split(" in")[0] for line in retries] == ["1 of 2", "2 of 2"]
    error = result.stderr.splitlines()[-1]
    assert error.startswith(f"error: Could not reach Stripe at 127.0.0.1:{port} (connection")
    assert "nothing was stored" in error and "will retry" not in error
    assert run_json("status", "--json", "--workspace", "local")["status"] == "not_connected"


def test_the_help_answer_is_plain_text_in_a_terminal(after_demo: Path) -> None:
    shown = run_cli("ask", "help").stdout
    assert "Payments: “who is overdue" in shown
    assert "*" not in shown  # no Slack markup printed as is
