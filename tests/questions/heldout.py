"""The held-out question tables (tests/data/heldout): their worlds, and what a parse misses.

``sets.json`` lists each set: its JSONL file, the account list it is asked about
(``worlds.json``) and the as-of date. A line is a question (``q``) or, with ``first``,
a follow-up ``q`` replying to ``first`` in a thread; ``intent`` and ``account`` are what
it must be understood as, and ``expect`` the entities it must hold:

- ``period`` ``[start, end]`` (ISO), ``no_period``, ``at`` (ISO), ``limit``;
- ``min_days``/``max_days`` (int), ``min_amount``/``max_amount`` (major units, string),
  ``currency``;
- ``candidates`` (names offered when ambiguous), ``suggest`` (an intent among the
  suggestions), ``granularity``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from questions import follow_up, parse
from questions.accounts import AccountIndex
from questions.query import AccountRef, Query

HELD_OUT = Path(__file__).resolve().parents[1] / "data" / "heldout"


@dataclass(frozen=True)
class HeldOutSet:
    """One blind set: its questions and follow-ups, asked of a world as of ``as_of``."""

    name: str
    world: str
    as_of: date
    lines: tuple[dict[str, Any], ...]

    @property
    def cases(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if "first" not in line]

    @property
    def follow_ups(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if "first" in line]


@cache
def world_accounts(world: str) -> tuple[AccountRef, ...]:
    """The account list of a held-out world (ids ``<prefix>-00``, ``<prefix>-01``, ...)."""
    spec = json.loads((HELD_OUT / "worlds.json").read_text())[world]
    return tuple(
        AccountRef(
            id=f"{spec['id_prefix']}-{i:02d}",
            name=row["name"],
            domain=row.get("domain"),
            aliases=tuple(row.get("aliases", ())),
        )
        for i, row in enumerate(spec["accounts"])
    )


@cache
def world_index(world: str) -> AccountIndex:
    return AccountIndex(world_accounts(world))


@cache
def held_out_sets() -> tuple[HeldOutSet, ...]:
    manifest = json.loads((HELD_OUT / "sets.json").read_text())
    out = []
    for entry in manifest["sets"]:
        text = (HELD_OUT / entry["file"]).read_text()
        lines = tuple(json.loads(line) for line in text.splitlines() if line.strip())
        out.append(
            HeldOutSet(entry["name"], entry["world"], date.fromisoformat(entry["as_of"]), lines)
        )
    return tuple(out)


def held_out(name: str) -> HeldOutSet:
    return next(held for held in held_out_sets() if held.name == name)


def understood(held: HeldOutSet, line: dict[str, Any], question: str | None = None) -> Query:
    """How ``line`` is read (a follow-up after its first question); ``question`` replaces
    the line's own text when given."""
    index = world_index(held.world)
    text = line["q"] if question is None else question
    if "first" in line:
        return follow_up(parse(line["first"], index, held.as_of), text, index, held.as_of)
    return parse(text, index, held.as_of)


def problems(query: Query, line: dict[str, Any]) -> list[str]:
    """Each expectation of ``line`` that ``query`` fails, as a short message."""
    intent, account, expect = line["intent"], line["account"], line["expect"]
    out: list[str] = []
    if query.intent.value != intent:
        out.append(f"intent {query.intent.value} != {intent}")
    got_account = query.account.name if query.account else None
    if got_account != account:
        out.append(f"account {got_account!r} != {account!r}")
    if "candidates" in expect:
        names = sorted(a.name for a in query.account_candidates)
        if names != sorted(expect["candidates"]):
            out.append(f"candidates {names} != {sorted(expect['candidates'])}")
    if "period" in expect:
        got = (
            [query.period.start.isoformat(), query.period.end.isoformat()] if query.period else None
        )
        if got != expect["period"]:
            out.append(f"period {got} != {expect['period']}")
    if expect.get("no_period") and query.period is not None:
        out.append(f"unexpected period {query.period}")
    if "at" in expect and (query.at is None or query.at.isoformat() != expect["at"]):
        out.append(f"at {query.at} != {expect['at']}")
    if "limit" in expect and query.limit != expect["limit"]:
        out.append(f"limit {query.limit} != {expect['limit']}")
    for key in ("min_days", "max_days"):
        if key in expect and getattr(query.filters, key) != expect[key]:
            out.append(f"{key} {getattr(query.filters, key)} != {expect[key]}")
    for key in ("min_amount", "max_amount"):
        if key in expect and getattr(query.filters, key) != Decimal(expect[key]):
            out.append(f"{key} {getattr(query.filters, key)} != {expect[key]}")
    if "currency" in expect and query.filters.currency != expect["currency"]:
        out.append(f"currency {query.filters.currency} != {expect['currency']}")
    if "suggest" in expect and expect["suggest"] not in {s.value for s in query.suggestions}:
        out.append(f"suggestions {[s.value for s in query.suggestions]} lack {expect['suggest']}")
    if "granularity" in expect and query.granularity != expect["granularity"]:
        out.append(f"granularity {query.granularity} != {expect['granularity']}")
    return out
