"""The weekly send: due times in each zone, same-day catch-up, exactly once across replicas."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from briefs.scheduled import CLAIM_TTL, Due, claim, due_week, send_due_briefs
from storage.db import Database
from storage.models import BriefDelivery
from storage.workspaces import ensure_workspace

# Monday 2027-02-15; 09:00 in New York is 14:00 UTC (EST).
MONDAY_9_NY = datetime(2027, 2, 15, 14, 0, tzinfo=UTC)


class Recorder:
    """A poster that records what it was asked to post (thread-safe)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.posts: list[tuple[str, str, str]] = []
        self.error = error
        self._lock = threading.Lock()

    def __call__(self, ws: str, channel: str, text: str, blocks: list[dict[str, Any]]) -> None:
        if self.error is not None:
            raise self.error
        assert blocks and text
        with self._lock:
            self.posts.append((ws, channel, text))


def configure(
    db: Database, ws: str, zone: str = "America/New_York", weekday: int = 0, at: str = "09:00"
) -> None:
    with db.session() as session:
        workspace = ensure_workspace(session, ws, MONDAY_9_NY)
        workspace.timezone, workspace.brief_weekday, workspace.brief_time = zone, weekday, at
        workspace.brief_channel = f"C{ws}"


def deliveries(db: Database) -> list[tuple[str, str]]:
    with db.session() as session:
        return sorted(
            (d.workspace_id, d.week) for d in session.scalars(select(BriefDelivery)).all()
        )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (MONDAY_9_NY - timedelta(minutes=1), None),  # 08:59 in New York
        (MONDAY_9_NY, "2027-W07"),
        (MONDAY_9_NY + timedelta(hours=14, minutes=59), "2027-W07"),  # 23:59 the same day
        (MONDAY_9_NY + timedelta(hours=15), None),  # Tuesday 00:00 in New York
        (datetime(2027, 2, 15, 2, 0, tzinfo=UTC), None),  # Monday in UTC, Sunday in New York
    ],
)
def test_due_in_the_workspace_zone(now: datetime, expected: str | None) -> None:
    assert due_week(0, "09:00", "America/New_York", now) == expected


def test_due_across_a_dst_change_and_other_days() -> None:
    # 2027-03-15 is a Monday after the US switch to EDT: 09:00 is 13:00 UTC.
    assert due_week(0, "09:00", "America/New_York", datetime(2027, 3, 15, 13, tzinfo=UTC))
    assert not due_week(0, "09:00", "America/New_York", datetime(2027, 3, 15, 12, 59, tzinfo=UTC))
    assert (
        due_week(2, "17:30", "Asia/Tokyo", datetime(2027, 2, 17, 8, 30, tzinfo=UTC)) == "2027-W07"
    )
    assert due_week(0, "09:00", "Not/AZone", datetime(2027, 2, 15, 9, tzinfo=UTC)) == "2027-W07"


def test_sent_once_then_never_again_that_week(db: Database) -> None:
    configure(db, "T1")
    poster = Recorder()
    assert send_due_briefs(db, MONDAY_9_NY - timedelta(minutes=5), poster) == []
    [sent] = send_due_briefs(db, MONDAY_9_NY + timedelta(minutes=1), poster)
    assert (sent.workspace_id, sent.week, sent.status) == ("T1", "2027-W07", "sent")
    # later runs, and a "restart" (a fresh call), the same day: nothing more
    for minutes in (2, 60, 600):
        assert send_due_briefs(db, MONDAY_9_NY + timedelta(minutes=minutes), poster) == []
    assert [(ws, ch) for ws, ch, _ in poster.posts] == [("T1", "CT1")]
    assert "Monday Brief" in poster.posts[0][2]
    assert deliveries(db) == [("T1", "2027-W07")]
    # the next Monday is a new week
    send_due_briefs(db, MONDAY_9_NY + timedelta(days=7), poster)
    assert deliveries(db) == [("T1", "2027-W07"), ("T1", "2027-W08")]


def test_missed_brief_is_sent_later_the_same_day_but_not_the_next(db: Database) -> None:
    configure(db, "SAME")
    poster = Recorder()
    # the service was down at 09:00 and comes back at 16:00 New York time
    [back] = send_due_briefs(db, MONDAY_9_NY + timedelta(hours=7), poster)
    assert back.status == "sent"
    configure(db, "NEXT")  # another workspace whose Monday passed while down
    # back only on Tuesday 08:00 New York: Monday's brief is not sent days late
    assert send_due_briefs(db, MONDAY_9_NY + timedelta(hours=23), poster) == []
    assert [ws for ws, _, _ in poster.posts] == ["SAME"]
    assert deliveries(db) == [("SAME", "2027-W07")]


def test_each_workspace_in_its_own_zone(db: Database) -> None:
    configure(db, "NY", zone="America/New_York")
    configure(db, "PARIS", zone="Europe/Paris")  # 09:00 Paris = 08:00 UTC
    configure(db, "TOKYO", zone="Asia/Tokyo", weekday=1)  # Tuesday 09:00 Tokyo = Monday 24:00 UTC
    poster = Recorder()
    at_8_utc = datetime(2027, 2, 15, 8, 0, tzinfo=UTC)
    assert [o.workspace_id for o in send_due_briefs(db, at_8_utc, poster)] == ["PARIS"]
    assert [o.workspace_id for o in send_due_briefs(db, MONDAY_9_NY, poster)] == ["NY"]
    tuesday_tokyo = datetime(2027, 2, 16, 0, 0, tzinfo=UTC)
    assert [o.workspace_id for o in send_due_briefs(db, tuesday_tokyo, poster)] == ["TOKYO"]


def test_two_replicas_racing_send_each_brief_exactly_once(db: Database, database_url: str) -> None:
    names = [f"T{n:02d}" for n in range(12)]
    for ws in names:
        configure(db, ws)
    other = Database.connect(database_url)  # a second replica: its own engine and pool
    poster = Recorder()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def replica(database: Database) -> None:
        barrier.wait()
        done = send_due_briefs(database, MONDAY_9_NY + timedelta(minutes=3), poster)
        outcomes.extend(o.status for o in done)

    try:
        threads = [threading.Thread(target=replica, args=(d,)) for d in (db, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        other.engine.dispose()
    assert sorted(ws for ws, _, _ in poster.posts) == names  # each once, none twice
    assert outcomes.count("sent") == len(names)
    assert set(outcomes) <= {"sent", "claimed_elsewhere"}
    assert deliveries(db) == [(ws, "2027-W07") for ws in names]


def test_slack_error_releases_the_claim_for_a_retry(db: Database) -> None:
    configure(db, "T1")
    failing = Recorder(SlackApiError("nope", {"ok": False, "error": "channel_not_found"}))
    [first] = send_due_briefs(db, MONDAY_9_NY, failing)
    assert first.status == "failed_retry" and deliveries(db) == []
    working = Recorder()
    [retry] = send_due_briefs(db, MONDAY_9_NY + timedelta(minutes=1), working)
    assert retry.status == "sent" and len(working.posts) == 1
    assert deliveries(db) == [("T1", "2027-W07")]


def test_unknown_outcome_keeps_the_claim_so_it_is_never_sent_twice(db: Database) -> None:
    configure(db, "T1")
    [first] = send_due_briefs(db, MONDAY_9_NY, Recorder(ConnectionResetError("reset")))
    assert first.status == "failed_unknown"
    assert send_due_briefs(db, MONDAY_9_NY + timedelta(minutes=1), Recorder()) == []
    assert deliveries(db) == [("T1", "2027-W07")]


def test_workspace_without_a_token_is_left_unclaimed(db: Database) -> None:
    configure(db, "T1")
    [skipped] = send_due_briefs(db, MONDAY_9_NY, Recorder(), token_for=lambda ws: None)
    assert skipped.status == "no_token" and deliveries(db) == []


def test_a_claim_abandoned_before_posting_is_taken_over_later_that_day(db: Database) -> None:
    configure(db, "T1")
    # a replica claimed the week at 09:00 and died before posting
    assert claim(db, Due("T1", "CT1", "2027-W07"), MONDAY_9_NY)
    poster = Recorder()

    def at(t: datetime) -> list[Any]:  # business date and wall clock moving together
        return send_due_briefs(db, t, poster, wall=lambda: t)

    # while the claim is fresh nobody else sends
    assert at(MONDAY_9_NY + CLAIM_TTL - timedelta(minutes=1)) == []
    [late] = at(MONDAY_9_NY + CLAIM_TTL)
    assert late.status == "sent" and [ws for ws, _, _ in poster.posts] == ["T1"]
    assert statuses(db) == {("T1", "2027-W07"): "sent"}
    # once sent, the week is done
    assert at(MONDAY_9_NY + 2 * CLAIM_TTL) == []
    assert len(poster.posts) == 1


def test_with_the_business_clock_frozen_an_abandoned_claim_still_ages_by_the_wall_clock(
    db: Database,
) -> None:
    """REVBOT_NOW fixes the business instant; claims age by real time all the same."""
    configure(db, "T1")
    frozen = MONDAY_9_NY + timedelta(minutes=1)
    wall = datetime.now(UTC)
    assert claim(db, Due("T1", "CT1", "2027-W07"), wall)
    poster = Recorder()
    fresh = send_due_briefs(db, frozen, poster, wall=lambda: wall + timedelta(minutes=1))
    assert fresh == [] and poster.posts == []
    [late] = send_due_briefs(db, frozen, poster, wall=lambda: wall + CLAIM_TTL)
    assert late.status == "sent" and len(poster.posts) == 1


def test_only_one_replica_takes_over_a_stale_claim(db: Database) -> None:
    configure(db, "T1")
    due = Due("T1", "CT1", "2027-W07")
    assert claim(db, due, MONDAY_9_NY)
    later = MONDAY_9_NY + CLAIM_TTL + timedelta(minutes=1)
    assert claim(db, due, later) is True
    assert claim(db, due, later) is False  # the renewed claim is fresh again


def test_an_unknown_outcome_is_recorded_and_not_taken_over(db: Database) -> None:
    configure(db, "T1")
    send_due_briefs(db, MONDAY_9_NY, Recorder(ConnectionResetError("reset")))
    assert statuses(db) == {("T1", "2027-W07"): "unknown"}
    assert send_due_briefs(db, MONDAY_9_NY + 3 * CLAIM_TTL, Recorder()) == []


def statuses(db: Database) -> dict[tuple[str, str], str]:
    with db.session() as session:
        return {(d.workspace_id, d.week): d.status for d in session.scalars(select(BriefDelivery))}
