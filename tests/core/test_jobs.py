"""Interval jobs: run at once, keep running after a failure, never overlap."""

from __future__ import annotations

import logging
import threading

import pytest

from core.jobs import start_interval_job


def test_runs_at_start_and_survives_a_failing_run(caplog: pytest.LogCaptureFixture) -> None:
    runs: list[int] = []
    second = threading.Event()

    def run() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("first run fails")
        second.set()

    scheduler = start_interval_job(run, "test-job", 0.05, "test job")
    try:
        assert second.wait(5), "the job stopped after its first (failing) run"
    finally:
        scheduler.shutdown(wait=True)
    assert runs[:2] == [0, 1]
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert failures and "test job failed" in failures[0].getMessage()
