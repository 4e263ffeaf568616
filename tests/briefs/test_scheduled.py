"""The weekly send: due times in each zone, same-day catch-up, exactly once across replicas."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from briefs.scheduled import (
    CLAIM_TTL,
    EVENT_TYPE,
    Due,
    brief_metadata,
    claim,
    due_week,
    is_brief_message,
    send_due_briefs,
)
from storage.db import Database
from storage.models import BriefDelivery
from storage.workspaces import ensure_workspace

# Monday 2027-02-15; 09:00 in New York is 14:00 UTC (EST).
MONDAY_9_NY = datetime(2027, 2, 15, 14, 0, tzinfo=UTC)


class Recorder:
    """A poster that records what it was asked to post (thread-safe), and a finder that
    looks through what it posted as ``conversations.history`` would."""

    def __init__(self, error: Exception | None = None) -> None:
        self.posts: list[tuple[str, str, str]] = []
        self.metadata: list[dict[str, Any]] = []
        self.error = error
        self._lock = threading.Lock()

    def __call__(
        self,
        ws: str,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]],
        metadata: dict[str, Any],
    ) -> str:
        if self.error is not None:
            raise self.error
        assert blocks and text
        with self._lock:
            self.posts.append((ws, channel, text))
            self.metadata.append(metadata)
            return f"17000000{len(self.posts):02d}.000100"

    def find(self, ws: str, channel: str, metadata: dict[str, Any], since: datetime) -> str | None:
        with self._lock:
            for n, ((_, where, _), meta) in enumerate(zip(self.posts, self.metadata, strict=True)):
                if where == channel and is_brief_message({"metadata": meta}, metadata):
                    return f"17000000{n + 1:02d}.000100"
        return None


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


WALL = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # the machine's real time, apart from "now"


def test_a_claim_abandoned_before_posting_is_taken_over_later_that_day(db: Database) -> None:
    configure(db, "T1")
    # a replica claimed the week at 09:00 and died before posting
    assert claim(db, Due("T1", "CT1", "2027-W07"), MONDAY_9_NY, holder="dead", wall=WALL)
    poster = Recorder()

    def run(now: datetime, wall: datetime) -> list[str]:
        outcomes = send_due_briefs(db, now, poster, finder=poster.find, wall=lambda: wall)
        return [o.status for o in outcomes]

    # while the claim is fresh on the wall clock nobody else sends, whatever "now" says
    assert run(MONDAY_9_NY + 2 * CLAIM_TTL, WALL + CLAIM_TTL - timedelta(minutes=1)) == []
    # stale: taken over; the channel has no brief, so it is posted
    assert run(MONDAY_9_NY + timedelta(minutes=1), WALL + CLAIM_TTL) == ["sent"]
    assert [ws for ws, _, _ in poster.posts] == ["T1"]
    assert statuses(db) == {("T1", "2027-W07"): "sent"}
    # once sent, the week is done
    assert run(MONDAY_9_NY + timedelta(hours=1), WALL + 3 * CLAIM_TTL) == []
    assert len(poster.posts) == 1


def test_a_frozen_business_clock_does_not_keep_a_dead_claim_forever(db: Database) -> None:
    configure(db, "T1")
    assert claim(db, Due("T1", "CT1", "2027-W07"), MONDAY_9_NY, holder="dead", wall=WALL)
    poster = Recorder()
    [late] = send_due_briefs(
        db, MONDAY_9_NY, poster, finder=poster.find, wall=lambda: WALL + CLAIM_TTL
    )
    assert late.status == "sent"


def test_only_one_replica_takes_over_a_stale_claim(db: Database) -> None:
    configure(db, "T1")
    due = Due("T1", "CT1", "2027-W07")
    first = claim(db, due, MONDAY_9_NY, holder="r1", wall=WALL)
    assert first is not None and first.abandoned is None
    later = WALL + CLAIM_TTL + timedelta(minutes=1)
    taken = claim(db, due, MONDAY_9_NY, holder="r2", wall=later)
    assert taken is not None and taken.abandoned is not None
    assert (taken.abandoned.holder, taken.abandoned.claimed_at) == ("r1", WALL)
    assert claim(db, due, MONDAY_9_NY, holder="r3", wall=later) is None  # fresh again


def test_a_brief_the_dead_replica_got_into_slack_is_found_and_not_posted_again(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    configure(db, "T1")
    due = Due("T1", "CT1", "2027-W07")
    slack = Recorder()
    # replica r1 claimed and posted; Slack kept the message; r1 died before recording it
    assert claim(db, due, MONDAY_9_NY, holder="r1", wall=WALL)
    slack("T1", "CT1", "Monday Brief", [{"type": "section"}], brief_metadata(due))
    # r2, while the claim is fresh: lost; once stale: takes over, finds the message
    caplog.set_level("INFO", logger="briefs.scheduled")
    fresh = send_due_briefs(
        db, MONDAY_9_NY, slack, finder=slack.find, holder="r2", wall=lambda: WALL
    )
    assert fresh == []  # not even due: the week is freshly claimed
    assert claim(db, due, MONDAY_9_NY, holder="r2", wall=WALL) is None
    [found] = send_due_briefs(
        db, MONDAY_9_NY, slack, finder=slack.find, holder="r2", wall=lambda: WALL + CLAIM_TTL
    )
    assert found.status == "found_sent"
    assert len(slack.posts) == 1  # only the dead replica's
    assert statuses(db) == {("T1", "2027-W07"): "sent"}
    with db.session() as session:
        [row] = session.scalars(select(BriefDelivery)).all()
    assert (row.claimed_by, row.message_ts) == ("r2", "1700000001.000100")
    logged = caplog.text
    assert "replica r2 lost the claim to replica r1" in logged
    assert "replica r2 took over the claim abandoned by replica r1" in logged
    assert "recorded as sent by replica r2" in logged


def test_another_week_or_workspace_in_the_channel_is_not_this_brief(db: Database) -> None:
    configure(db, "T1")
    due = Due("T1", "CT1", "2027-W07")
    slack = Recorder()
    assert claim(db, due, MONDAY_9_NY, holder="r1", wall=WALL)
    slack(
        "T1",
        "CT1",
        "last week",
        [{"type": "section"}],
        brief_metadata(Due("T1", "CT1", "2027-W06")),
    )
    slack(
        "T2",
        "CT1",
        "other team",
        [{"type": "section"}],
        brief_metadata(Due("T2", "CT1", "2027-W07")),
    )
    [sent] = send_due_briefs(
        db, MONDAY_9_NY, slack, finder=slack.find, holder="r2", wall=lambda: WALL + CLAIM_TTL
    )
    assert sent.status == "sent" and len(slack.posts) == 3


@pytest.mark.parametrize(
    "finder_error",
    [
        SlackApiError("no", {"ok": False, "error": "not_in_channel"}),
        ConnectionResetError("reset"),
        None,  # no way to look at all
    ],
)
def test_when_slack_cannot_be_asked_the_taken_over_week_is_unknown_and_not_posted(
    db: Database, finder_error: Exception | None
) -> None:
    configure(db, "T1")
    assert claim(db, Due("T1", "CT1", "2027-W07"), MONDAY_9_NY, holder="r1", wall=WALL)
    poster = Recorder()

    def failing(ws: str, channel: str, metadata: dict[str, Any], since: datetime) -> str | None:
        assert finder_error is not None
        raise finder_error

    finder = failing if finder_error is not None else None
    [outcome] = send_due_briefs(
        db, MONDAY_9_NY, poster, finder=finder, holder="r2", wall=lambda: WALL + CLAIM_TTL
    )
    assert outcome.status == "failed_unknown" and poster.posts == []
    assert statuses(db) == {("T1", "2027-W07"): "unknown"}
    later = WALL + 5 * CLAIM_TTL
    assert send_due_briefs(db, MONDAY_9_NY, poster, finder=poster.find, wall=lambda: later) == []
    assert poster.posts == []


def test_the_brief_carries_its_delivery_in_message_metadata(db: Database) -> None:
    configure(db, "T1")
    poster = Recorder()
    [sent] = send_due_briefs(db, MONDAY_9_NY, poster)
    assert sent.status == "sent"
    assert poster.metadata == [
        {"event_type": EVENT_TYPE, "event_payload": {"workspace_id": "T1", "week": "2027-W07"}}
    ]
    with db.session() as session:
        [row] = session.scalars(select(BriefDelivery)).all()
    assert row.message_ts == "1700000001.000100" and row.claimed_by


def test_an_unknown_outcome_is_recorded_and_not_taken_over(db: Database) -> None:
    configure(db, "T1")
    send_due_briefs(db, MONDAY_9_NY, Recorder(ConnectionResetError("reset")))
    assert statuses(db) == {("T1", "2027-W07"): "unknown"}
    poster = Recorder()
    later = WALL + 3 * CLAIM_TTL
    assert send_due_briefs(db, MONDAY_9_NY, poster, finder=poster.find, wall=lambda: later) == []


def statuses(db: Database) -> dict[tuple[str, str], str]:
    with db.session() as session:
        return {(d.workspace_id, d.week): d.status for d in session.scalars(select(BriefDelivery))}
