"""The one clock honours REVBOT_NOW and always returns aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.clock import ClockError, as_of_instant, now, parse_instant


def test_now_is_fixed_by_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVBOT_NOW", "2027-02-15T12:00:00Z")
    assert now() == datetime(2027, 2, 15, 12, tzinfo=UTC)


def test_now_without_env_is_aware_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVBOT_NOW", raising=False)
    assert now().tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-02-15", datetime(2027, 2, 15, tzinfo=UTC)),
        ("2027-02-15T12:00:00", datetime(2027, 2, 15, 12, tzinfo=UTC)),
        ("2027-02-15T13:00:00+01:00", datetime(2027, 2, 15, 12, tzinfo=UTC)),
    ],
)
def test_parse_instant(text: str, expected: datetime) -> None:
    assert parse_instant(text) == expected


def test_parse_instant_rejects_garbage_naming_the_source() -> None:
    with pytest.raises(ClockError, match="--as-of"):
        parse_instant("soon", name="--as-of")


def test_as_of_today_means_now_and_past_day_means_its_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REVBOT_NOW", "2027-02-15T12:00:00Z")
    assert as_of_instant(date(2027, 2, 15)) == datetime(2027, 2, 15, 12, tzinfo=UTC)
    assert as_of_instant(date(2027, 1, 31)) == datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC)


def test_a_running_clock_starts_at_the_instant_and_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.clock as clock

    ticks = iter([100.0, 103.5])
    monkeypatch.setattr(clock._time, "monotonic", lambda: next(ticks))
    monkeypatch.setattr(clock, "_started", {})
    monkeypatch.setenv("REVBOT_NOW", "2026-11-16T08:59:00Z+running")
    start = datetime(2026, 11, 16, 8, 59, tzinfo=UTC)
    assert now() == start  # the first read anchors the clock
    assert now() == datetime(2026, 11, 16, 8, 59, 3, 500000, tzinfo=UTC)
    # a frozen value stays frozen beside it
    monkeypatch.setenv("REVBOT_NOW", "2026-11-16T08:59:00Z")
    assert now() == start == now()


def test_running_clock_values_parse_and_garbage_is_named() -> None:
    from core.clock import parse_clock

    assert parse_clock("2027-02-15+running") == (datetime(2027, 2, 15, tzinfo=UTC), True)
    assert parse_clock("2027-02-15T13:00:00+01:00+RUNNING") == (
        datetime(2027, 2, 15, 12, tzinfo=UTC),
        True,
    )
    assert parse_clock("2027-02-15T12:00:00Z") == (datetime(2027, 2, 15, 12, tzinfo=UTC), False)
    for bad in ("+running", "soon+running", "2027-02-15+walking"):
        with pytest.raises(ClockError, match=r"REVBOT_NOW.*\+running"):
            parse_clock(bad)


def test_wall_now_ignores_revbot_now(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.clock import wall_now

    monkeypatch.setenv("REVBOT_NOW", "2001-01-01T00:00:00Z")
    assert wall_now().year >= 2026 and wall_now().tzinfo is UTC
