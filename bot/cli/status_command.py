"""``revbot status``: the connection card as text (or JSON)."""

from __future__ import annotations

from datetime import datetime

from bot.cli.context import (
    JsonOption,
    WorkspaceOption,
    console,
    open_backend,
    print_json,
    shown_workspace,
)
from bot.wording import counted, counts_text, unresolved_coupon_text
from storage.status import MATCH_KINDS, RECORD_KINDS, ConnectionCard
from usecases import overview


def _utc(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M UTC")


def _catchup(card: ConnectionCard) -> str:
    """ "events catch-up, 3 events applied" (what the last catch-up changed)."""
    return f"events catch-up, {counted(card.last_catchup_events or 0, 'events')} applied"


def card_lines(card: ConnectionCard) -> list[str]:
    """The card as aligned ``label: value`` lines (shared with the demo output)."""
    if card.status == "not_connected":
        return ["Stripe: not connected — run `revbot connect --key rk_…`"]
    account = card.stripe_account_name or card.stripe_account_id or "Stripe account"
    lines = [
        f"Stripe:          {account} ({card.mode} mode)",
        f"Key:             …{card.key_last4}"
        if card.key_last4
        else "Key:             (none stored)",
    ]
    took = (
        f" (took {card.last_sync_duration_ms / 1000:.1f} s)"
        if card.last_sync_duration_ms is not None
        else ""
    )
    if card.last_sync_at and card.last_sync_kind == "catchup":
        lines.append(f"Last sync:       {_utc(card.last_sync_at)} ({_catchup(card)})")
        if card.last_backfill_at:
            lines.append(f"Last backfill:   {_utc(card.last_backfill_at)}{took}")
    elif card.last_sync_at:
        lines.append(f"Last sync:       {_utc(card.last_sync_at)}{took}")
    else:
        lines.append("Last sync:       never — run `revbot sync`")
    if card.last_event_at:
        source = "webhook" if card.last_event_source == "webhook" else "catch-up"
        lines.append(
            f"Last event:      {_utc(card.last_event_at)} {card.last_event_type or 'event'} "
            f"({source})"
        )
    lines.append("Records synced:  " + counts_text(card.records, RECORD_KINDS, " · "))
    if card.backfill_records != card.records and card.last_backfill_at:
        lines.append("  at backfill:   " + counts_text(card.backfill_records, RECORD_KINDS, " · "))
    lines.append(
        "Customers:       " + " · ".join(f"{card.matching.get(k, 0)} {k}" for k in MATCH_KINDS)
    )
    for coupon in card.unresolved_coupons:
        lines.append(f"Not exact:       {unresolved_coupon_text(coupon)}")
    if card.sync_running:
        lines.append(f"Sync:            running (step {card.sync_step} of 6)")
    if card.status == "disconnected":
        lines.append("State:           disconnected (data kept, frozen)")
    elif card.error:
        lines.append(f"State:           {card.error}")
        if card.error_detail and card.error_detail != card.error:
            lines.append(f"Detail:          {card.error_detail}")
    else:
        lines.append(
            "State:           OK" + (" (stale: nothing from Stripe for 24 h)" if card.stale else "")
        )
    return lines


def status(workspace: str | None = WorkspaceOption, as_json: bool = JsonOption) -> None:
    """Show the Stripe connection card: mode, key, last sync, records, matching, errors."""
    backend = open_backend()
    card = overview.card(backend, shown_workspace(backend, workspace))
    if as_json:
        print_json(card.to_json())
        return
    for line in card_lines(card):
        console.print(line, markup=False, highlight=False)
