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
