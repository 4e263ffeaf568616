"""A rich progress bar for the six sync steps, shown only on a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from bot.cli.context import console, interactive

STEPS = ("Products", "Prices", "Customers", "Subscriptions", "Invoices", "Account billing")


class StepCallback(Protocol):
    def __call__(self, step: int, name: str, done: int, total: int | None) -> None: ...


def _silent(step: int, name: str, done: int, total: int | None) -> None:
    """No progress output when not attached to a terminal."""


@contextmanager
def sync_progress() -> Iterator[StepCallback]:
    """Yields a callback ``(step 1..6, name, done, total)`` driving one bar per step."""
    if not interactive():
        yield _silent
        return
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bars:
        tasks: dict[int, TaskID] = {}

        def update(step: int, name: str, done: int, total: int | None) -> None:
            if step not in tasks:
                label = f"{step}/6 {STEPS[step - 1] if 0 < step <= 6 else name}"
                tasks[step] = bars.add_task(label, total=total)
            bars.update(tasks[step], completed=done, total=total)

        yield update
