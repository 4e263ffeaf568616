"""The brief settings modal's submission: channel, weekday and time."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.modals import (
    BRIEF_SETTINGS,
    CHANNEL_ACTION,
    CHANNEL_BLOCK,
    DAY_ACTION,
    DAY_BLOCK,
    TIME_ACTION,
    TIME_BLOCK,
    WEEKDAYS,
    ZONE_ACTION,
    ZONE_BLOCK,
    result_modal,
)
from bot.listeners.runtime import Runtime
from bot.listeners.views.submission import admin_submission, reject, value
from core.zones import is_known_zone
from usecases import briefing

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@admin_submission
def on_brief_settings(
    ack: Ack, runtime: Runtime, team: str, user: str, view: dict[str, Any], client: WebClient
) -> None:
    channel = str(value(view, CHANNEL_BLOCK, CHANNEL_ACTION).get("selected_conversation") or "")
    day = str((value(view, DAY_BLOCK, DAY_ACTION).get("selected_option") or {}).get("value", "0"))
    at = str(value(view, TIME_BLOCK, TIME_ACTION).get("selected_time") or "")
    if not channel:
        reject(ack, CHANNEL_BLOCK, "Pick a channel.")
        return
    if not TIME.match(at):
        reject(ack, TIME_BLOCK, "Pick a time (HH:MM).")
        return
    zone = str(value(view, ZONE_BLOCK, ZONE_ACTION).get("value") or "").strip() or None
    if zone is not None and not is_known_zone(zone):
        reject(ack, ZONE_BLOCK, "Unknown time zone (e.g. Europe/Paris).")
        return
    weekday = int(day) if day.isdigit() and int(day) < 7 else 0
    briefing.save_settings(runtime.backend, team, channel, weekday, at, user, zone=zone)
    where = f" ({zone})" if zone else ""
    text = f"The brief goes to <#{channel}> every {WEEKDAYS[weekday]} at {at}{where}."
    ack(response_action="update", view=result_modal("Monday Brief", text))


def register(app: App) -> None:
    app.view(BRIEF_SETTINGS)(on_brief_settings)
