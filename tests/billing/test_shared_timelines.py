"""Figures read off shared timelines (sync step 6) equal figures rebuilt from the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest

from billing.figures import account_figures
from billing.timeline import account_timelines
from tests.support.world import as_of, load_world_ledger


@pytest.mark.parametrize(("days_back", "window_days"), [(0, 0), (40, 0), (200, 0), (0, 150)])
def test_history_from_timelines_matches_history_from_billed_lines(
    days_back: int, window_days: int
) -> None:
    """Also with a window starting after the oldest month end (timelines start there)."""
    now = as_of() - timedelta(days=days_back)
    ledger, fresh = load_world_ledger(), load_world_ledger()
    assert ledger is not fresh
    for one in (ledger, fresh):
        one.window_start = one.window_start + timedelta(days=window_days)
    timelines = account_timelines(ledger, now)
    assert ledger.accounts
    for account_id in ledger.accounts:
        rebuilt = account_figures(fresh, account_id, now)
        shared = account_figures(ledger, account_id, now, timelines[account_id])
        assert shared == rebuilt, account_id
        assert any(amounts for _, amounts in rebuilt.mrr_history) or not rebuilt.mrr
