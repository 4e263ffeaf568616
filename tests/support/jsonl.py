"""JSON Lines test data: one object per non-blank line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_jsonl(path: Path) -> tuple[dict[str, Any], ...]:
    """Every object of a JSONL file, in order (blank lines skipped)."""
    return tuple(json.loads(line) for line in path.read_text().splitlines() if line.strip())


def manifest_sets(folder: Path) -> list[tuple[dict[str, Any], tuple[dict[str, Any], ...]]]:
    """Each entry of ``folder/sets.json``'s ``sets`` with the lines of its ``file``."""
    manifest = json.loads((folder / "sets.json").read_text())
    return [(entry, read_jsonl(folder / entry["file"])) for entry in manifest["sets"]]
