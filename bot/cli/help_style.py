"""Help without type noise: ``QUESTION`` rather than ``{question}``, no ``<bool>`` on flags.

Typer prints each parameter's Python type in help (``<str>``, ``<bool>``) and wraps required
arguments in braces in the usage line; to a person reading ``revbot ask --help`` that is
noise. Every command and group of the CLI is built from these classes, which show an
argument by its metavar (upper case), an option that takes a value by its metavar, and a flag
by its name alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

# Typer vendors its own click, so parameters and contexts are typed loosely here.


def _no_type(ctx: Any) -> None:
    return None


def plain(params: Iterable[Any]) -> None:
    """Show ``params`` in help and usage by name or metavar, never by Python type."""
    for param in params:
        if isinstance(param, TyperArgument):
            name = param.metavar or (param.name or "").upper()
            param.metavar = name
            shown = name if param.required else f"[{name}]"
            pieces = [shown + ("..." if param.nargs != 1 else "")]
            # The usage line ("revbot ask [OPTIONS] QUESTION") and the help panel's type
            # column: Typer's own methods put the type and braces there.
            object.__setattr__(param, "get_usage_pieces", lambda ctx, p=pieces: p)
            object.__setattr__(param, "display_type_rich", _no_type)
        elif isinstance(param, TyperOption) and (param.is_flag or param.count):
            object.__setattr__(param, "display_type_rich", _no_type)
        elif isinstance(param, TyperOption) and param.metavar is None:
            param.metavar = (param.name or "").upper()  # shown in place of the type


class Command(TyperCommand):
    """A CLI command whose help shows no types."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            plain([option])
        return option


class Group(TyperGroup):
    """A CLI group (``revbot``, ``revbot fx``, …) whose help shows no types."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            plain([option])
        return option
