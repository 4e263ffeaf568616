"""``/revbot help``: what the bot answers and which subcommands exist."""

from __future__ import annotations

from bot.blocks.common import Block, context, header, section

EXAMPLES = (
    "which accounts are overdue?",
    "what's Acme's MRR?",
    "MRR trend over the last 12 months",
    "who is quietly cancelling?",
    "ARR at risk this month",
    "upsell candidates",
    "renewals in the next 30 days",
)

SUBCOMMANDS = (
    ("help", "this message"),
    ("ask QUESTION", "ask a billing question"),
    ("status", "the Stripe connection card"),
    ("connect", "connect or rotate the Stripe key (admins)"),
    ("resync [full]", "sync from Stripe now (admins)"),
    ("webhooks", "set up Stripe webhooks (admins)"),
    ("match", "map unmatched Stripe customers to accounts (admins)"),
    ("alerts #channel", "where payment alerts go (admins)"),
    ("brief [preview|settings]", "the Monday Brief"),
    ("fx", "reporting currency and exchange rates"),
    ("admins [add|remove @user]", "who can administer revbot"),
    ("disconnect", "stop syncing, keep data (admins)"),
    ("purge", "delete this workspace's billing data (admins)"),
)


def help_text() -> str:
    lines = ["revbot answers questions about your Stripe billing data. Try:"]
    lines += [f"• {q}" for q in EXAMPLES]
    lines.append("Commands: " + ", ".join(f"/revbot {name}" for name, _ in SUBCOMMANDS))
    return "\n".join(lines)


def help_blocks() -> list[Block]:
    examples = "\n".join(f"• _{q}_" for q in EXAMPLES)
    commands = "\n".join(f"`/revbot {name}` — {what}" for name, what in SUBCOMMANDS)
    return [
        header("revbot help"),
        section("Ask me in a DM, @mention me in a channel, or use `/revbot ask`.\n" + examples),
        section(commands),
        context("revbot only ever reads Stripe; it never changes anything there."),
    ]
