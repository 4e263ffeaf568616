"""``revbot manifest [--http URL]``: print the Slack app manifest for Socket Mode or HTTP mode."""

from __future__ import annotations

import sys

import typer

from bot.cli.context import fail
from bot.manifest import ManifestError, manifest_yaml


def manifest(
    http: str | None = typer.Option(
        None,
        "--http",
        metavar="URL",
        help="revbot's public https:// address: print the HTTP-mode manifest (OAuth, many "
        "workspaces) with its request and redirect URLs filled in.",
    ),
) -> None:
    """Print the Slack app manifest to paste into "Create New App → From a manifest"."""
    try:
        text = manifest_yaml(http)
    except ManifestError as exc:
        fail(str(exc))
    sys.stdout.write(text)
