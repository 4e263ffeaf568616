"""Reading the brief from storage: trend points agree with MRR at each instant; tenancy."""

from __future__ import annotations

from datetime import datetime

from briefs.service import build_brief, read_inputs
from storage import queries
from storage.db import Database
from storage.workspaces import ensure_workspace
from testkit.ledger_db import store_ledger
from tests.support.world import as_of, load_world_ledger


def test_trend_points_equal_mrr_at_each_week_and_sections_stay_in_their_workspace(
    db: Database,
) -> None:
    now: datetime = as_of()
    with db.session() as session:
        store_ledger(session, "A", load_world_ledger(), now)
        ensure_workspace(session, "B", now).timezone = "Asia/Tokyo"
    with db.session() as session:
        inputs = read_inputs(session, "A", now)
        assert len(inputs.mrr_points) == 5
        for instant, values in inputs.mrr_points[:-1]:
            assert list(values) == queries.mrr_at(session, "A", instant)
        assert list(inputs.mrr_points[-1][1]) == queries.currency_totals(
            session, "A", "account_mrr"
        )
        assert inputs.results["renewals"]["count"] >= len(inputs.results["renewals"]["rows"])
        other = build_brief(session, "B", now)
    assert not other.has_data and other.sections == () and other.timezone == "Asia/Tokyo"
