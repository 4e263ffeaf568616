"""The ``revbot ask --json`` object (SPEC §8): question, intent, as_of, entities, result, text,
and ``reader`` (``rules`` or ``llm``: who understood the question)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from answers.model import Answer


def ask_json(question: str, answer: Answer, as_of: datetime) -> dict[str, Any]:
    return {
        "question": question,
        "intent": answer.intent,
        "as_of": as_of.date().isoformat(),
        "entities": answer.query.to_json(),
        "result": answer.result,
        "text": answer.text,
        "reader": answer.reader,
    }
