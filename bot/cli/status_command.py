"""``revbot status``: the connection card as text (or JSON)."""

from __future__ import annotations

from bot.cli.context import (
    JsonOption,
    WorkspaceOption,
    console,
    open_backend,
    print_json,
    shown_workspace,
)
from bot.wording import counts_text, unresolved_coupon_text
from storage.status import MATCH_KINDS, RECORD_KINDS, ConnectionCard
from usecases import overview


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
    if card.last_sync_at:
        took = (
            f" (took {card.last_sync_duration_ms / 1000:.1f} s)"
            if card.last_sync_duration_ms is not None
            else ""
        )
        when = card.last_sync_at.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(f"Last sync:       {when}{took}")
    else:
        lines.append("Last sync:       never — run `revbot sync`")
    lines.append("Records synced:  " + counts_text(card.records, RECORD_KINDS, " · "))
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
            "State:           OK" + (" (stale: last sync over 24 h ago)" if card.stale else "")
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
