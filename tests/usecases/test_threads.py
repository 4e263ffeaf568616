"""Thread contexts through the query's JSON: the stored query comes back equal, or as nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from questions import parse
from storage.db import Database
from storage.thread_context import save_thread_query
from tests.questions.invented_world import AS_OF, invented_index
from usecases.threads import ThreadContexts, stored_query

NOW = datetime(2027, 2, 15, 12, 0, tzinfo=UTC)


def test_a_stored_query_comes_back_equal_until_it_expires(db: Database) -> None:
    clock = [NOW]
    contexts = ThreadContexts(db, timedelta(hours=1), clock=lambda: clock[0])
    query = parse("Zorblax invoices over $1,500 last month vs this month", invented_index(), AS_OF)
    contexts.put("T1", "C1", "1.1", query)
    assert contexts.get("T1", "C1", "1.1") == query
    assert contexts.get("T2", "C1", "1.1") is None
    clock[0] = NOW + timedelta(hours=1)
    assert contexts.get("T1", "C1", "1.1") is None
    contexts.put("T2", "C1", "1.1", query)
    contexts.forget_team("T2")
    assert contexts.get("T2", "C1", "1.1") is None


@pytest.mark.parametrize(
    "data", [{}, {"measure": "vibes", "as_of": "2027-02-15"}, {"measure": "mrr", "as_of": "x"}, []]
)
def test_a_stored_value_that_no_longer_fits_the_type_reads_as_no_context(
    db: Database, data: object
) -> None:
    assert stored_query(data) is None
    if isinstance(data, dict):
        with db.session() as session:
            save_thread_query(session, "T1", "C1", "1.1", data, NOW, timedelta(days=1))
        assert ThreadContexts(db, clock=lambda: NOW).get("T1", "C1", "1.1") is None
    assert stored_query({"measure": "mrr", "as_of": date(2027, 2, 15).isoformat()}) is not None
