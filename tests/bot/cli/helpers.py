"""Run the ``revbot`` CLI in-process and capture its output."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from bot.cli.main import app


def run_cli(*args: str, input: str | None = None) -> Any:
    """Invoke ``revbot ARGS``; returns the click Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def run_json(*args: str) -> Any:
    result = run_cli(*args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)
