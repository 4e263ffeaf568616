"""Time zones by name: a workspace's zone, with UTC for an unset or unknown name."""

from __future__ import annotations

from zoneinfo import ZoneInfo

UTC_ZONE = ZoneInfo("UTC")


def zone_named(name: str | None) -> ZoneInfo:
    """``ZoneInfo(name)``, or UTC when ``name`` is empty or not a known zone."""
    if not name:
        return UTC_ZONE
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return UTC_ZONE


def is_known_zone(name: str) -> bool:
    """Whether ``name`` is a zone the tz database knows (``Europe/Paris``)."""
    try:
        ZoneInfo(name)
    except (KeyError, ValueError):
        return False
    return True
