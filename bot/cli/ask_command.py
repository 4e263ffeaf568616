"""``revbot ask``: answer one question (or one per stdin line with ``-``) as text or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from answers.output import ask_json
from bot.charts import trend_chart
from bot.cli.context import (
    JsonOption,
    WorkspaceOption,
    fail,
    open_backend,
    parse_as_of,
    print_json,
    shown_workspace,
)
from usecases import asking
from usecases.errors import FirstSyncRunning, NoData

AsOfOption = typer.Option(
    None, "--as-of", metavar="YYYY-MM-DD", help="Answer as of this date (default: now)."
)
ChartOption = typer.Option(
    None,
    "--chart",
    metavar="FILE.png",
    dir_okay=False,
    help="Also write a trend answer's chart to this PNG file (the image the Slack bot uploads).",
)


def ask(
    question: str = typer.Argument(
        ..., help='The question, or "-" to read one per line from stdin.'
    ),
    as_json: bool = JsonOption,
    as_of: str | None = AsOfOption,
    workspace: str | None = WorkspaceOption,
    chart: Path | None = ChartOption,
) -> None:
    """Ask a question about your billing data: "who is overdue?", "MRR trend", …"""
    instant = parse_as_of(as_of)
    if chart is not None and question == "-":
        fail("--chart takes one question, not - (one per line)")
    questions = _questions(question)
    backend = open_backend()
    shown = shown_workspace(backend, workspace)
    try:
        asking.ensure_data(backend, shown)
        for text in questions:
            answer = asking.ask(backend, shown, text, instant)
            if as_json and question == "-":
                data = ask_json(text, answer, instant)
                sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            elif as_json:
                print_json(ask_json(text, answer, instant))
            else:
                sys.stdout.write(answer.text + "\n")
            if chart is not None:
                write_chart(chart, answer.result)
    except FirstSyncRunning as exc:
        fail(str(exc))
    except NoData:
        fail(
            f"no billing data synced for workspace {shown!r}: connect Stripe with "
            "`revbot connect --key rk_…` and run `revbot sync` (or try `revbot demo`)"
        )


def write_chart(path: Path, result: dict[str, Any]) -> None:
    """Write the chart of a trend answer to ``path``; a non-trend answer has none (an error)."""
    drawn = trend_chart(result)
    if drawn is None:
        fail('--chart: this answer has no trend to draw; ask a trend question such as "MRR trend"')
    try:
        path.write_bytes(drawn.png)
    except OSError as exc:
        fail(f"--chart: cannot write {path}: {exc.strerror or exc}")


def _questions(question: str) -> list[str]:
    if question != "-":
        if not question.strip():
            fail("the question is empty")
        return [question]
    lines = [line.strip() for line in sys.stdin.read().splitlines()]
    return [line for line in lines if line]
