"""The App Home tab (SPEC §9): connection card, headline figures, next brief time."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from bot.blocks.common import Block, context, divider, fields, header, limit_blocks, section
from bot.blocks.format import money_list, relative, short_time
from bot.blocks.status import card_blocks
from storage.status import ConnectionCard
from usecases.overview import Headlines

HOME_BLOCK_LIMIT = 100


def headline_blocks(headline: Headlines | None) -> list[Block]:
    """The figures, or a note while there are none (None: they could not be read)."""
    if headline is None or not (headline.mrr or headline.arr or headline.overdue):
        return [section("No figures yet — they appear after the first sync.")]
    return fields(
        [
            ("MRR", money_list(headline.mrr)),
            ("ARR", money_list(headline.arr)),
            ("Overdue", money_list(headline.overdue, "nothing overdue")),
            ("ARR at risk (this month)", money_list(headline.arr_at_risk, "none")),
        ]
    )


def home_view(
    card: ConnectionCard,
    headline: Headlines | None,
    next_brief: datetime | None,
    tz: tzinfo,
    now: datetime,
    *,
    admin: bool,
) -> dict[str, Any]:
    """The whole Home tab view for one user (admins get the buttons)."""
    brief = (
        f"Next Monday Brief: {short_time(next_brief, tz, now)} ({relative(next_brief, now)})"
        if next_brief
        else "Monday Brief: no channel set — `/revbot brief settings`"
    )
    blocks: list[Block] = [
        header("revbot — Stripe billing"),
        *card_blocks(card, tz, now, admin=admin),
        divider(),
        header("Headline figures"),
        *headline_blocks(headline),
        divider(),
        section(brief),
        context(
            "Ask me anything in a DM: _which accounts are overdue?_, _MRR trend_, "
            "_what's Acme's MRR?_ — or type `/revbot help`."
        ),
    ]
    return {"type": "home", "blocks": limit_blocks(blocks, HOME_BLOCK_LIMIT)}
