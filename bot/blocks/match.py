"""``/revbot match``: one section per customer with an account picker (static_select)."""

from __future__ import annotations

from collections.abc import Sequence

from billing.models import Account
from bot.blocks.common import Block, context, escape, option, section
from storage.accounts import ReviewItem

MATCH_ACTION = "match_pick"
BLOCK_PREFIX = "match:"
MAX_ROWS = 20
MAX_OPTIONS = 100  # Slack's limit for a static_select


def account_picker(choices: Sequence[Account]) -> Block:
    return {
        "type": "static_select",
        "action_id": MATCH_ACTION,
        "placeholder": {"type": "plain_text", "text": "Choose an account"},
        "options": [option(c.name, c.id) for c in choices[:MAX_OPTIONS]],
    }


def row_text(row: ReviewItem) -> str:
    who = escape(row.name or row.customer_id)
    email = f" · {escape(row.email)}" if row.email else ""
    kind = (
        ":grey_question: unmatched"
        if row.outcome == "unmatched"
        else ":twisted_rightwards_arrows: ambiguous"
    )
    names = [str(c.get("name") or c.get("id")) for c in row.candidates]
    candidates = f"\nCandidates: {escape(', '.join(names))}" if names else ""
    return f"*{who}*{email} (`{row.customer_id}`)\n{kind} — {escape(row.reason)}{candidates}"


def match_blocks(rows: Sequence[ReviewItem], choices: Sequence[Account]) -> list[Block]:
    blocks: list[Block] = [
        section(
            f"*{len(rows)} Stripe customers need an account.* Pick one for each; "
            "the mapping survives every resync."
        )
    ]
    for row in rows[:MAX_ROWS]:
        accessory = account_picker(choices) if choices else None
        blocks.append(
            section(row_text(row), accessory=accessory, block_id=BLOCK_PREFIX + row.customer_id)
        )
    if len(rows) > MAX_ROWS:
        blocks.append(
            context(
                f"…and {len(rows) - MAX_ROWS} more — run `/revbot match` again after mapping these."
            )
        )
    if len(choices) > MAX_OPTIONS:
        blocks.append(
            context(
                f"The picker lists the first {MAX_OPTIONS} accounts by name; "
                "map the rest from the command line on revbot's server: "
                "`revbot accounts match CUSTOMER ACCOUNT`."
            )
        )
    if not choices:
        blocks.append(
            context(
                "No accounts exist yet — import a client list from the command line on "
                "revbot's server: `revbot accounts import clients.csv`."
            )
        )
    return blocks


def mapped_blocks(customer: str, account: str) -> list[Block]:
    return [section(f":white_check_mark: `{escape(customer)}` now belongs to *{escape(account)}*.")]
