"""Background jobs on a timer: one APScheduler 3.x ``BackgroundScheduler`` per job.

Each job runs once at start (catching up what was missed while the process was
down), then every ``seconds``; never two runs at once, missed runs coalesced,
and a failing run is logged without stopping the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)


def start_interval_job(
    run: Callable[[], object], job_id: str, seconds: float, what: str
) -> BackgroundScheduler:
    """Start ``run`` now and every ``seconds``; ``what`` names it in the failure log."""

    def tick() -> None:
        try:
            run()
        except Exception:
            log.exception("%s failed; next run in %s s", what, seconds)

    scheduler = BackgroundScheduler(timezone=ZoneInfo("UTC"))
    scheduler.add_job(
        tick,
        "interval",
        seconds=seconds,
        id=job_id,
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    return scheduler
