"""``revbot ask``: answer one question (or one per stdin line with ``-``) as text or JSON."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import typer
from sqlalchemy.orm import Session

from answers import NoDataError, answer, has_data
from answers.index import account_index
from answers.output import ask_json
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


def answer_one(
    session: Session, workspace: str, question: str, as_of: datetime, tz: str
) -> tuple[str, dict[str, object]]:
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
) -> None:
    """Ask a question about your billing data: "who is overdue?", "MRR trend", …"""
    instant = parse_as_of(as_of)
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


def _questions(question: str) -> list[str]:
    if question != "-":
        if not question.strip():
            fail("the question is empty")
        return [question]
    lines = [line.strip() for line in sys.stdin.read().splitlines()]
    return [line for line in lines if line]
