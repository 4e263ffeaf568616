"""The held-out question set (cases_heldout.py): a new world and new phrasings.

``problems`` lists every way a parsed query misses its expectations, so a
failing row says what went wrong; ``python -m tests.questions.test_heldout``
prints the pass rate and the misses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from questions import follow_up, parse
from questions.accounts import AccountIndex
from questions.query import Query
from tests.questions.cases_heldout import (
    ALL_CASES,
    AS_OF,
    FOLLOW_UPS,
    heldout_accounts,
    heldout_index,
)
from tests.questions.cases_heldout2 import AS_OF as AS_OF_2
from tests.questions.cases_heldout2 import CASES as CASES_2
from tests.questions.cases_heldout2 import FOLLOW_UPS as FOLLOW_UPS_2
from tests.questions.cases_heldout2 import heldout2_accounts, heldout2_index
from tests.questions.cases_heldout3 import AS_OF as AS_OF_3
from tests.questions.cases_heldout3 import CASES as CASES_3
from tests.questions.cases_heldout3 import FOLLOW_UPS as FOLLOW_UPS_3
from tests.questions.cases_heldout3 import heldout3_accounts, heldout3_index
from tests.questions.cases_heldout4 import AS_OF as AS_OF_4
from tests.questions.cases_heldout4 import CASES as CASES_4
from tests.questions.cases_heldout4 import FOLLOW_UPS as FOLLOW_UPS_4
from tests.questions.cases_heldout5 import AS_OF as AS_OF_5
from tests.questions.cases_heldout5 import CASES as CASES_5
from tests.questions.cases_heldout5 import FOLLOW_UPS as FOLLOW_UPS_5
from tests.questions.cases_heldout6 import AS_OF as AS_OF_6
from tests.questions.cases_heldout6 import CASES as CASES_6
from tests.questions.cases_heldout6 import FOLLOW_UPS as FOLLOW_UPS_6
from tests.questions.cases_heldout7 import CASES as CASES_7
from tests.questions.cases_heldout7 import FOLLOW_UPS as FOLLOW_UPS_7
from tests.questions.cases_heldout8 import AS_OF as AS_OF_8
from tests.questions.cases_heldout8 import CASES as CASES_8
from tests.questions.invented_world import invented_accounts, invented_index
from tests.questions.world_accounts import world_accounts

INDEX = heldout_index()
INDEX_2 = heldout2_index()
INDEX_3 = heldout3_index()
INDEX_4 = invented_index()


def problems(query: Query, intent: str, account: str | None, expect: dict[str, Any]) -> list[str]:
    """Each expectation ``query`` fails, as a short message."""
    out: list[str] = []
    if query.intent.value != intent:
        out.append(f"intent {query.intent.value} != {intent}")
    got_account = query.account.name if query.account else None
    if got_account != account:
        out.append(f"account {got_account!r} != {account!r}")
    if "candidates" in expect:
        names = {a.name for a in query.account_candidates}
        if names != expect["candidates"]:
            out.append(f"candidates {sorted(names)} != {sorted(expect['candidates'])}")
    if "period" in expect:
        got = (
            (query.period.start.isoformat(), query.period.end.isoformat()) if query.period else None
        )
        if got != tuple(expect["period"]):
            out.append(f"period {got} != {expect['period']}")
    if expect.get("no_period") and query.period is not None:
        out.append(f"unexpected period {query.period}")
    if "at" in expect and (query.at is None or query.at.isoformat() != expect["at"]):
        out.append(f"at {query.at} != {expect['at']}")
    if "limit" in expect and query.limit != expect["limit"]:
        out.append(f"limit {query.limit} != {expect['limit']}")
    for key in ("min_days", "max_days"):
        if key in expect and getattr(query.filters, key, None) != expect[key]:
            out.append(f"{key} {getattr(query.filters, key, None)} != {expect[key]}")
    for key in ("min_amount", "max_amount"):
        if key in expect and getattr(query.filters, key, None) != Decimal(expect[key]):
            out.append(f"{key} {getattr(query.filters, key, None)} != {expect[key]}")
    if "currency" in expect and query.filters.currency != expect["currency"]:
        out.append(f"currency {query.filters.currency} != {expect['currency']}")
    if "suggest" in expect and expect["suggest"] not in {s.value for s in query.suggestions}:
        out.append(f"suggestions {[s.value for s in query.suggestions]} lack {expect['suggest']}")
    if "granularity" in expect and query.granularity != expect["granularity"]:
        out.append(f"granularity {query.granularity} != {expect['granularity']}")
    return out


@dataclass(frozen=True)
class HeldOutSet:
    """One blind set: its questions and follow-ups, asked of ``index`` as of ``as_of``."""

    name: str
    index: AccountIndex
    as_of: date
    cases: list[Any]
    follow_ups: list[Any]


SETS = (
    HeldOutSet("held-out", INDEX, AS_OF, ALL_CASES, FOLLOW_UPS),
    HeldOutSet("held-out 2", INDEX_2, AS_OF_2, CASES_2, FOLLOW_UPS_2),
    HeldOutSet("held-out 3", INDEX_3, AS_OF_3, CASES_3, FOLLOW_UPS_3),
    HeldOutSet("held-out 4", INDEX_4, AS_OF_4, CASES_4, FOLLOW_UPS_4),
    HeldOutSet("held-out 5", INDEX_3, AS_OF_5, CASES_5, FOLLOW_UPS_5),
    HeldOutSet("held-out 6", INDEX_2, AS_OF_6, CASES_6, FOLLOW_UPS_6),
    HeldOutSet("held-out 7", INDEX_3, AS_OF_3, CASES_7, FOLLOW_UPS_7),
    HeldOutSet("held-out 8", INDEX_4, AS_OF_8, CASES_8, []),
)


def _params(kind: str) -> list[Any]:
    return [
        pytest.param(held, row, id=f"{held.name}-{n}")
        for held in SETS
        for n, row in enumerate(getattr(held, kind))
    ]


@pytest.mark.parametrize(("held", "case"), _params("cases"))
def test_heldout_case(held: HeldOutSet, case: tuple[str, str, str | None, dict]) -> None:
    question, intent, account, expect = case
    assert problems(parse(question, held.index, held.as_of), intent, account, expect) == []


@pytest.mark.parametrize(("held", "case"), _params("follow_ups"))
def test_heldout_follow_up(held: HeldOutSet, case: tuple[str, str, str, str | None, dict]) -> None:
    first, reply, intent, account, expect = case
    previous = parse(first, held.index, held.as_of)
    query = follow_up(previous, reply, held.index, held.as_of)
    assert problems(query, intent, account, expect) == []


def test_third_heldout_set_is_large_covers_every_intent_and_uses_new_names() -> None:
    from questions.query import Intent

    assert len(CASES_3) >= 250
    assert {i.value for i in Intent} <= {row[1] for row in CASES_3}
    third = {a.name for a in heldout3_accounts()}
    others = {a.name for a in heldout_accounts()} | {a.name for a in heldout2_accounts()}
    others |= {a.name for a in invented_accounts()} | {a.name for a in world_accounts()}
    assert not third & others


def test_heldout_set_is_large_covers_every_intent_and_uses_new_names() -> None:
    assert len(ALL_CASES) + len(FOLLOW_UPS) >= 250
    from questions.query import Intent

    assert {i.value for i in Intent} <= {row[1] for row in ALL_CASES}
    names = {a.name for a in heldout_accounts()}
    assert not names & {a.name for a in invented_accounts()}
    assert not names & {a.name for a in world_accounts()}
    second = {a.name for a in heldout2_accounts()}
    assert not second & (names | {a.name for a in invented_accounts()})


def _report(name: str, index: Any, as_of: Any, cases: list, follow_ups: list) -> None:
    misses = []
    for question, intent, account, expect in cases:
        found = problems(parse(question, index, as_of), intent, account, expect)
        if found:
            misses.append((question, found))
    for first, reply, intent, account, expect in follow_ups:
        query = follow_up(parse(first, index, as_of), reply, index, as_of)
        found = problems(query, intent, account, expect)
        if found:
            misses.append((f"{first} >> {reply}", found))
    total = len(cases) + len(follow_ups)
    for question, found in misses:
        print(f"MISS {question!r}: {'; '.join(found)}")
    passed = total - len(misses)
    print(f"{name}: {passed}/{total} = {100 * passed / total:.1f}%")


def main() -> None:
    """Print the pass rates and every miss."""
    for held in SETS:
        _report(held.name, held.index, held.as_of, held.cases, held.follow_ups)


if __name__ == "__main__":
    main()
