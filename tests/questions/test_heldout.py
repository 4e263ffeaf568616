"""The held-out question tables (tests/data/heldout, JSONL): one runner for every set.

``python -m tests.questions.test_heldout`` prints each set's pass rate and its misses.
"""

from __future__ import annotations

from typing import Any

import pytest

from questions.query import Intent
from tests.questions.heldout import (
    HeldOutSet,
    held_out,
    held_out_sets,
    problems,
    understood,
    world_accounts,
)
from tests.questions.world_accounts import world_accounts as sample_accounts

SETS = held_out_sets()


def _params(kind: str) -> list[Any]:
    return [
        pytest.param(held, line, id=f"{held.name}-{n}")
        for held in SETS
        for n, line in enumerate(getattr(held, kind))
    ]


@pytest.mark.parametrize(("held", "line"), _params("cases"))
def test_heldout_case(held: HeldOutSet, line: dict[str, Any]) -> None:
    assert problems(understood(held, line), line) == []


@pytest.mark.parametrize(("held", "line"), _params("follow_ups"))
def test_heldout_follow_up(held: HeldOutSet, line: dict[str, Any]) -> None:
    assert problems(understood(held, line), line) == []


def _names(world: str) -> set[str]:
    return {a.name for a in world_accounts(world)}


def test_third_heldout_set_is_large_covers_every_intent_and_uses_new_names() -> None:
    third = held_out("held-out 3")
    assert len(third.cases) >= 250
    assert {i.value for i in Intent} <= {line["intent"] for line in third.cases}
    others = _names("heldout") | _names("heldout2") | _names("invented")
    others |= {a.name for a in sample_accounts()}
    assert not _names("heldout3") & others


def test_heldout_set_is_large_covers_every_intent_and_uses_new_names() -> None:
    first = held_out("held-out")
    assert len(first.lines) >= 250
    assert {i.value for i in Intent} <= {line["intent"] for line in first.cases}
    names = _names("heldout")
    assert not names & _names("invented")
    assert not names & {a.name for a in sample_accounts()}
    assert not _names("heldout2") & (names | _names("invented"))


def main() -> None:
    """Print the pass rates and every miss."""
    for held in SETS:
        misses = [
            (line.get("first", "") + " >> " + line["q"] if "first" in line else line["q"], found)
            for line in held.lines
            if (found := problems(understood(held, line), line))
        ]
        for question, found in misses:
            print(f"MISS {question!r}: {'; '.join(found)}")
        passed = len(held.lines) - len(misses)
        print(f"{held.name}: {passed}/{len(held.lines)} = {100 * passed / len(held.lines):.1f}%")


if __name__ == "__main__":
    main()
