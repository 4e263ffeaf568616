"""Blind question sets: JSONL files of questions with the facts a right answer holds.

``tests/data/blind/sets.json`` lists each set: its file, the world it is asked
about (see worlds.py) and when it was written. Each line of a set is a shared-questions
line (``id``, ``q``, ``intent``, ``account``, ``expect``), checked by
tests/answers/checker.py exactly as tests/data/shared/questions/README.md says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from answers import answer
from answers.index import account_index
from answers.output import ask_json
from questions import parse
from storage.db import Database
from tests.answers.checker import check

BLIND = Path(__file__).resolve().parents[2] / "data" / "blind"


@dataclass(frozen=True)
class BlindSet:
    name: str
    world: str
    note: str
    questions: tuple[dict[str, Any], ...]


def blind_sets() -> list[BlindSet]:
    manifest = json.loads((BLIND / "sets.json").read_text())
    out = []
    for entry in manifest["sets"]:
        lines = (BLIND / entry["file"]).read_text().splitlines()
        questions = tuple(json.loads(line) for line in lines if line.strip())
        out.append(BlindSet(entry["name"], entry["world"], entry.get("note", ""), questions))
    return out


def ask(database: Database, workspace_id: str, question: str, now: Any) -> dict[str, Any]:
    """The ``revbot ask --json`` object for ``question`` (as the CLI builds it)."""
    with database.session() as session:
        query = parse(question, account_index(session, workspace_id), now, "UTC")
        return ask_json(question, answer(session, workspace_id, query, now), now)


def misses(
    database: Database, workspace_id: str, now: Any, questions: tuple[dict[str, Any], ...]
) -> dict[str, list[str]]:
    """Each question answered wrongly, with the facts that do not hold."""
    out: dict[str, list[str]] = {}
    for spec in questions:
        problems = check(ask(database, workspace_id, spec["q"], now), spec)
        if problems:
            out[f"{spec['id']} {spec['q']}"] = problems
    return out
