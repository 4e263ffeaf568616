"""A second reader for questions the rules cannot read confidently (the optional LLM).

The port :class:`OutsideReader` is what the answer use case calls: given fixed
instructions, one user message (JSON) and the reply's JSON schema, it returns the
reply's text or raises :class:`ReaderFailed`. usecases/llm_reader.py implements it
over any OpenAI-compatible chat-completions endpoint; tests may pass their own.

:func:`second_reading` shows the reader only the question, the as-of date, the
thread's previous typed query and (unless names are withheld) account names, then
checks the reply (questions/reading.py). Any failure — the service down, slow,
refusing, or a reply that is malformed, off-schema or names an unknown account —
gives None, and the rules' reading is answered instead.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any, Protocol

from questions.accounts import AccountIndex
from questions.query import Query
from questions.reading import (
    INSTRUCTIONS,
    ReadingRejected,
    names_for,
    query_from_reply,
    reading_request,
    reading_schema,
)

log = logging.getLogger(__name__)


class ReaderFailed(Exception):
    """The outside reader gave no usable reply; the message says why (no secrets, no reply
    text)."""


class OutsideReader(Protocol):
    """A reader that fills a JSON schema from instructions and one user message."""

    def complete(self, instructions: str, message: str, schema: dict[str, Any]) -> str: ...


def second_reading(
    reader: OutsideReader,
    text: str,
    today: date,
    previous: Query | None,
    index: AccountIndex,
    send_names: bool,
) -> Query | None:
    """The outside reader's query for ``text``, or None when it gave no usable one."""
    names = names_for(index, text) if send_names else None
    message = json.dumps(reading_request(text, today, previous, names), ensure_ascii=False)
    try:
        content = reader.complete(INSTRUCTIONS, message, reading_schema())
        return query_from_reply(content, index, text, today, previous, names_sent=send_names)
    except (ReaderFailed, ReadingRejected) as exc:
        log.warning("LLM reader not used (%s); answering with the rules' reading", exc)
        return None
