"""Every blind set (tests/data/blind) answered right over its world: intent, account and
every fact, checked by the shared questions' fact rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from storage.db import Database
from tests.answers.blind.sets import BlindSet, blind_sets, misses
from tests.answers.blind.worlds import load_world
from tests.answers.conftest import fresh_workspace_id, remove_workspace

SETS = blind_sets()


@pytest.fixture(scope="module")
def worlds(migrated_database: Database) -> Iterator[dict[str, tuple[str, datetime]]]:
    """Each world synced once for the module, in a workspace of its own."""
    loaded: dict[str, tuple[str, datetime]] = {}
    for name in sorted({blind.world for blind in SETS}):
        workspace = fresh_workspace_id("TBLIND")
        loaded[name] = (workspace, load_world(migrated_database, workspace, name))
    yield loaded
    for workspace, _ in loaded.values():
        remove_workspace(migrated_database, workspace)


@pytest.mark.parametrize("blind", SETS, ids=[blind.name for blind in SETS])
def test_blind_set(
    migrated_database: Database, worlds: dict[str, tuple[str, datetime]], blind: BlindSet
) -> None:
    workspace, now = worlds[blind.world]
    assert misses(migrated_database, workspace, now, blind.questions) == {}


def test_blind_sets_are_large_and_span_the_intents() -> None:
    questions = [q for blind in SETS for q in blind.questions]
    assert len(questions) >= 250
    assert len({q["intent"] for q in questions}) >= 20
    assert len({q["id"] for q in questions}) == len(questions)
