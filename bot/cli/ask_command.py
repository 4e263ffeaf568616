"""``revbot ask``: answer one question (or one per stdin line with ``-``) as text or JSON."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from sqlalchemy.orm import Session

from answers import NoDataError, answer, has_data
from answers.index import account_index
from answers.output import ask_json
from bot.charts import trend_chart
from bot.cli.context import (
    JsonOption,
    WorkspaceOption,
    fail,
    open_database,
    parse_as_of,
    print_json,
)
from questions import parse
from storage.models import Workspace

AsOfOption = typer.Option(None, "--as-of", help="Answer as of this date (YYYY-MM-DD).")
ChartOption = typer.Option(
    None,
    "--chart",
    metavar="FILE.png",
    dir_okay=False,
    help="Also write a trend answer's chart to this PNG file (the image the Slack bot uploads).",
)


def answer_one(
    session: Session, workspace: str, question: str, as_of: datetime, tz: str
) -> tuple[str, dict[str, Any]]:
    """The plain-text answer and the ``ask --json`` object of one question."""
    query = parse(question, account_index(session, workspace), as_of, tz)
    result = answer(session, workspace, query, as_of)
    return result.text, ask_json(question, result, as_of)


def ask(
    question: str = typer.Argument(
        ..., help='The question, or "-" to read one per line from stdin.'
    ),
    as_json: bool = JsonOption,
    as_of: str | None = AsOfOption,
    workspace: str = WorkspaceOption,
    chart: Path | None = ChartOption,
) -> None:
    """Ask a question about your billing data: "who is overdue?", "MRR trend", …"""
    instant = parse_as_of(as_of)
    if chart is not None and question == "-":
        fail("--chart takes one question, not - (one per line)")
    questions = _questions(question)
    db = open_database()
    with db.session() as session:
        if not has_data(session, workspace):
            fail(f"no billing data synced for workspace {workspace!r}: run `revbot sync` first")
        ws = session.get(Workspace, workspace)
        tz = (ws.timezone if ws else None) or "UTC"
        for text in questions:
            try:
                plain, data = answer_one(session, workspace, text, instant, tz)
            except NoDataError as exc:
                fail(str(exc))
            if as_json and question == "-":
                sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            elif as_json:
                print_json(data)
            else:
                sys.stdout.write(plain + "\n")
            if chart is not None:
                write_chart(chart, data["result"])


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
