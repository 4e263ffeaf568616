"""The resync progress message, updated in place through the six backfill steps."""

from __future__ import annotations

from bot.blocks.common import Block, context, section

STEPS = ("Products", "Prices", "Customers", "Subscriptions", "Invoices", "Account billing")


def progress_text(step: int, name: str, done: int, total: int | None) -> str:
    count = f" ({done:,}/{total:,})" if total else (f" ({done:,})" if done else "")
    return f"Syncing from Stripe — step {step} of {len(STEPS)}: {name}{count}"


def progress_blocks(
    step: int, name: str, done: int, total: int | None, started: str
) -> list[Block]:
    """One line per step: done, current (with its count) or waiting."""
    lines = []
    for number, label in enumerate(STEPS, start=1):
        if number < step:
            lines.append(f":white_check_mark: {number}. {label}")
        elif number == step:
            count = f" — {done:,}/{total:,}" if total else (f" — {done:,}" if done else "")
            lines.append(f":arrows_counterclockwise: *{number}. {name or label}*{count}")
        else:
            lines.append(f":white_small_square: {number}. {label}")
    return [
        section(f"*Syncing from Stripe* — step {step} of {len(STEPS)}\n" + "\n".join(lines)),
        context(f"Started {started}"),
    ]


def finished_blocks(summary_line: str, started: str) -> list[Block]:
    lines = "\n".join(f":white_check_mark: {n}. {label}" for n, label in enumerate(STEPS, 1))
    return [section(f"*Sync complete* — {summary_line}\n{lines}"), context(f"Started {started}")]


def failed_blocks(message: str, step: int) -> list[Block]:
    return [section(f":warning: *Sync failed at step {step} of {len(STEPS)}:* {message}")]
