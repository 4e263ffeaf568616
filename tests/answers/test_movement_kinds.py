"""One kind of MRR movement asked alone lists that kind only: upgrades (subscriptions moved
up) and expansions (account MRR that grew, a discount ending included) match the sample
world's truth for every window asked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from answers import answer
from questions import parse
from storage.db import Database
from tests.support.world import truth


def _upgrades(window: str) -> list[str]:
    return sorted(truth()["workspace"]["upgrades"][window]["accounts"])


def _expansions(month: str) -> list[str]:
    return sorted(m["account"] for m in truth()["workspace"]["movements"][month]["expansion"])


ASKED = [
    ("who upgraded in the last 30 days", "upgrade", lambda: _upgrades("last_30_days")),
    ("who upgraded last month", "upgrade", lambda: _upgrades("last_month")),
    ("upgrades in Q3 2026", "upgrade", lambda: _upgrades("quarter:2026-Q3")),
    ("upgrades since june", "upgrade", lambda: _upgrades("since:2026-06")),
    ("which accounts expanded in October", "expansion", lambda: _expansions("2026-10")),
    ("expansion in january", "expansion", lambda: _expansions("2027-01")),
]


@pytest.mark.parametrize(("question", "kind", "expected"), ASKED)
def test_one_kind_of_movement_is_listed_alone(
    world_db: Database,
    world_ws: str,
    world_now: datetime,
    world_index: Any,
    question: str,
    kind: str,
    expected: Any,
) -> None:
    query = parse(question, world_index, world_now, "UTC")
    assert query.intent.value == "mrr_movements" and query.filters.movement == kind
    with world_db.session() as session:
        rows = answer(session, world_ws, query, world_now).result["rows"]
    assert sorted(r["account"]["name"] for r in rows) == expected()


def test_naming_two_kinds_is_the_breakdown(world_index: Any, world_now: datetime) -> None:
    query = parse("new vs churned mrr in december", world_index, world_now, "UTC")
    assert query.intent.value == "mrr_movements" and query.filters.movement is None
    assert parse("net new MRR last month", world_index, world_now).filters.movement is None
