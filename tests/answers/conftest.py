"""Fixtures: the shared sample world stored once per test module, ready for questions.

Storing the world takes far longer than answering over it, so each module stores
it once, in a workspace of its own (a fresh id), and removes that workspace when
the module ends. The tables are not emptied: other workspaces' rows never show
through, which is exactly what workspace scoping promises. Tests here must not
use the ``db`` fixture (it empties every table, the module's world included).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import delete

from billing.ledger import Ledger
from questions.accounts import index_for
from storage.db import Database
from storage.models import Workspace
from storage.schema import metadata
from testkit.ledger_db import store_ledger
from tests.questions.world_accounts import world_accounts
from tests.support.paths import QUESTIONS as SHARED_QUESTIONS
from tests.support.world import as_of, load_world_ledger

QUESTIONS = SHARED_QUESTIONS / "questions.jsonl"


def shared_questions() -> list[dict[str, Any]]:
    return [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]


def fresh_workspace_id(prefix: str = "T") -> str:
    """A workspace id no other test uses (rows of earlier tests may still be stored)."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def remove_workspace(database: Database, workspace_id: str) -> None:
    """Delete every row of ``workspace_id``, the workspace itself last."""
    with database.session() as session:
        for table in reversed(metadata.sorted_tables):
            if table.name != Workspace.__tablename__ and "workspace_id" in table.c:
                session.execute(delete(table).where(table.c.workspace_id == workspace_id))
        session.execute(delete(Workspace).where(Workspace.id == workspace_id))


def world_ledger() -> Ledger:
    """The sample world with the question engine's aliases on its accounts."""
    ledger = load_world_ledger()
    for ref in world_accounts():
        if ref.id in ledger.accounts:
            acc = ledger.accounts[ref.id]
            ledger.accounts[ref.id] = type(acc)(
                id=acc.id,
                name=acc.name,
                domain=acc.domain,
                external_id=acc.external_id,
                aliases=ref.aliases,
                owner=acc.owner,
            )
    return ledger


@pytest.fixture(scope="module")
def stored_ledger(migrated_database: Database) -> Iterator[Any]:
    """``store(ledger, now, prefix)`` -> a fresh workspace holding ``ledger``; every
    workspace stored this way is removed when the module ends."""
    stored: list[str] = []

    def store(ledger: Ledger, now: datetime, prefix: str = "T") -> str:
        workspace_id = fresh_workspace_id(prefix)
        stored.append(workspace_id)
        with migrated_database.session() as session:
            store_ledger(session, workspace_id, ledger, now)
        return workspace_id

    yield store
    for workspace_id in stored:
        remove_workspace(migrated_database, workspace_id)


@pytest.fixture(scope="module")
def world_ws(stored_ledger: Any) -> str:
    """The workspace id holding the sample world (synced as of the world's now)."""
    workspace_id: str = stored_ledger(world_ledger(), as_of(), "TWORLD")
    return workspace_id


@pytest.fixture(scope="module")
def world_db(migrated_database: Database, world_ws: str) -> Database:
    """The test database, with the sample world stored in workspace ``world_ws``."""
    return migrated_database


@pytest.fixture
def world_now() -> datetime:
    return as_of()


@pytest.fixture
def world_index() -> Any:
    return index_for(world_accounts())
