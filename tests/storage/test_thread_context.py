"""Thread contexts: one row per workspace + channel + thread, expiring, bounded, never shared."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from storage import thread_context
from storage.db import Database
from storage.purge import purge_billing_data
from storage.thread_context import (
    ThreadContext,
    forget_threads,
    load_thread_query,
    save_thread_query,
)

NOW = datetime(2027, 2, 15, 9, 30, tzinfo=UTC)
DAY = timedelta(days=1)


def _save(db: Database, team: str, thread: str, query: dict, at: datetime = NOW) -> None:
    with db.session() as session:
        save_thread_query(session, team, "C1", thread, query, at, DAY)


def _load(db: Database, team: str, thread: str, at: datetime = NOW) -> dict | None:
    with db.session() as session:
        return load_thread_query(session, team, "C1", thread, at)


def _count(db: Database, team: str) -> int:
    with db.session() as session:
        mine = ThreadContext.workspace_id == team
        return int(session.scalar(select(func.count()).where(mine)) or 0)


def test_the_last_question_of_a_thread_wins(db: Database) -> None:
    _save(db, "T1", "1.1", {"intent": "overdue_accounts"})
    _save(db, "T1", "1.1", {"intent": "failed_payments", "limit": 3})
    assert _load(db, "T1", "1.1") == {"intent": "failed_payments", "limit": 3}
    assert _load(db, "T1", "1.2") is None
    assert _count(db, "T1") == 1


def test_two_workspaces_with_the_same_channel_and_thread_never_see_each_other(
    db: Database,
) -> None:
    _save(db, "T1", "1.1", {"intent": "overdue_accounts"})
    assert _load(db, "T2", "1.1") is None
    _save(db, "T2", "1.1", {"intent": "mrr_total"})
    assert _load(db, "T1", "1.1") == {"intent": "overdue_accounts"}
    assert _load(db, "T2", "1.1") == {"intent": "mrr_total"}
    with db.session() as session:
        forget_threads(session, "T2")
    assert _load(db, "T2", "1.1") is None
    assert _load(db, "T1", "1.1") == {"intent": "overdue_accounts"}


def test_a_context_expires_and_expired_rows_are_deleted_on_the_next_write(db: Database) -> None:
    _save(db, "T1", "1.1", {"intent": "overdue_accounts"})
    _save(db, "T2", "1.1", {"intent": "overdue_accounts"})
    assert _load(db, "T1", "1.1", NOW + DAY - timedelta(seconds=1)) is not None
    assert _load(db, "T1", "1.1", NOW + DAY) is None
    _save(db, "T1", "1.2", {"intent": "mrr_total"}, NOW + 2 * DAY)
    assert _count(db, "T1") == 1  # the expired thread is gone
    assert _count(db, "T2") == 1  # another workspace's rows are its own business


def test_a_workspace_keeps_only_its_newest_threads(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(thread_context, "MAX_THREADS_PER_WORKSPACE", 3)
    for n in range(5):
        _save(db, "T1", f"1.{n}", {"n": n}, NOW + timedelta(minutes=n))
    _save(db, "T2", "2.0", {"n": 0})
    at = NOW + timedelta(minutes=5)
    assert [_load(db, "T1", f"1.{n}", at) for n in range(5)] == [
        None,
        None,
        {"n": 2},
        {"n": 3},
        {"n": 4},
    ]
    assert _count(db, "T2") == 1


def test_purging_billing_data_forgets_thread_contexts(db: Database) -> None:
    _save(db, "T1", "1.1", {"intent": "account_summary", "account": {"name": "Acme"}})
    with db.session() as session:
        purge_billing_data(session, "T1")
    assert _load(db, "T1", "1.1") is None
