"""The connection card (SPEC §9) as Block Kit, shared by ``/revbot status`` and the App Home."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.blocks.common import Block, actions, button, context, escape, fields, section
from bot.blocks.format import relative, short_time
from bot.wording import counted, counts_text, unresolved_coupon_text
from storage.status import MATCH_KINDS, RECORD_KINDS, ConnectionCard

STEP_COUNT = 6


def card_state(card: ConnectionCard) -> str:
    """One line: OK, the error, disconnected, or running."""
    if card.status == "not_connected":
        return ":white_circle: Not connected"
    if card.status == "disconnected":
        return ":double_vertical_bar: Disconnected — data kept, frozen"
    if card.sync_running:
        return f":arrows_counterclockwise: Syncing (step {card.sync_step or 1} of {STEP_COUNT})"
    if card.error:
        return f":warning: {escape(card.error)}"
    if card.stale:
        return ":hourglass: OK, but stale (nothing from Stripe for 24 h)"
    return ":large_green_circle: OK"


def _freshness_fields(card: ConnectionCard, tz: tzinfo, now: datetime) -> list[tuple[str, str]]:
    """The last backfill (when a catch-up came after it) and the last applied event."""
    out: list[tuple[str, str]] = []
    if card.last_sync_kind == "catchup" and card.last_backfill_at:
        at = card.last_backfill_at
        out.append(("Last backfill", f"{short_time(at, tz, now)} ({relative(at, now)})"))
    if card.last_event_at:
        at, source = (
            card.last_event_at,
            "webhook" if card.last_event_source == "webhook" else "catch-up",
        )
        kind = escape(card.last_event_type or "event")
        out.append(("Last event", f"{short_time(at, tz, now)} · `{kind}` ({source})"))
    return out


def card_blocks(
    card: ConnectionCard, tz: tzinfo, now: datetime, *, admin: bool, buttons: bool = True
) -> list[Block]:
    """The card's sections; admins also get Re-sync / Configure webhooks / Disconnect."""
    if card.status == "not_connected":
        intro: list[Block] = [
            section(
                "*Stripe:* not connected.\n"
                "An admin can connect a restricted read-only key with `/revbot connect`."
            )
        ]
        if admin and buttons:
            intro.append(actions(button("Connect Stripe", "home_connect", style="primary")))
        return intro
    account = escape(card.stripe_account_name or card.stripe_account_id or "Stripe account")
    last_sync = (
        f"{short_time(card.last_sync_at, tz, now)} ({relative(card.last_sync_at, now)})"
        if card.last_sync_at
        else "never"
    )
    if card.last_sync_at and card.last_sync_kind == "catchup":
        applied = counted(card.last_catchup_events or 0, "events")
        last_sync += f" · events catch-up, {applied} applied"
    records = counts_text(card.records, RECORD_KINDS, " · ")
    if card.backfill_records != card.records and card.last_backfill_at:
        # Webhooks and catch-ups since the backfill added or removed records: show both.
        records += "\n_at the last backfill:_ " + counts_text(
            card.backfill_records, RECORD_KINDS, " · "
        )
    matching = " · ".join(f"{card.matching.get(k, 0):,} {k}" for k in MATCH_KINDS if k != "deleted")
    blocks: list[Block] = [
        section(f"*Stripe:* {account}"),
        *fields(
            [
                ("Mode", card.mode or "—"),
                ("Key", f"…{card.key_last4}" if card.key_last4 else "none stored"),
                ("Last sync", last_sync),
                ("State", card_state(card)),
                *_freshness_fields(card, tz, now),
            ]
        ),
        section(f"*Records synced:* {records}\n*Customers:* {matching}"),
    ]
    for coupon in card.unresolved_coupons:
        blocks.append(context(f":warning: Not exact: {escape(unresolved_coupon_text(coupon))}"))
    if card.error and card.error_detail and card.error_detail != card.error:
        blocks.append(context(f"Details for support: `{escape(card.error_detail[:500])}`"))
    if admin and buttons:
        blocks.append(
            actions(
                button("Re-sync", "home_resync", style="primary"),
                button("Configure webhooks", "home_webhooks"),
                button("Disconnect", "home_disconnect", style="danger"),
                block_id="connection_actions",
            )
        )
    return blocks
