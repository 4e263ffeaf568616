"""``revbot ask --chart FILE.png`` writes the very PNG the Slack bot uploads for the question."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.bot.cli.helpers import run_cli
from tests.bot.slack.conftest import MEMBER, NOW, TEAM, SlackApp
from tests.bot.slack.world import sync_world

QUESTION = "MRR trend over the last 12 months"


def test_cli_chart_file_equals_the_slack_upload(
    stripe_app: SlackApp,
    stripe_server: Any,
    revbot_env: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sync_world(stripe_app.db, TEAM, stripe_server)
    stripe_app.http.dm(QUESTION, user=MEMBER, team=TEAM)
    stripe_app.server.wait_for("files.completeUploadExternal")
    [upload] = stripe_app.server.calls_to("upload")

    monkeypatch.setenv("REVBOT_NOW", NOW.isoformat())  # the Slack app's clock
    target = revbot_env / "trend.png"
    result = run_cli("ask", "--workspace", TEAM, "--chart", str(target), QUESTION)
    assert result.exit_code == 0, result.stderr
    assert "Month-end MRR" in result.stdout
    assert target.read_bytes() == upload.raw


def test_cli_chart_refuses_answers_without_a_trend_and_stdin_batches(
    stripe_app: SlackApp, stripe_server: Any, revbot_env: Path
) -> None:
    sync_world(stripe_app.db, TEAM, stripe_server)
    target = revbot_env / "none.png"
    result = run_cli("ask", "--workspace", TEAM, "--chart", str(target), "who is overdue?")
    assert result.exit_code == 1
    assert "no trend to draw" in result.stderr and "MRR trend" in result.stderr
    assert not target.exists()
    batch = run_cli("ask", "--workspace", TEAM, "--chart", str(target), "-", input=QUESTION)
    assert batch.exit_code != 0 and "--chart" in batch.stderr
