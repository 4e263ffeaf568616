"""Renamed worlds: a world's clients under other names, so blind sets ask about new names.

A world named ``<base>~<map>`` is world ``<base>`` with ``tests/data/blind/renames/<map>.json``
applied: each ``[old, new]`` pair (longest first) replaced in every string of every Stripe
JSON file and every cell of ``accounts.csv``. Figures, dates and ids are untouched, so the
base world's truth holds under the new names.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

RENAMES = Path(__file__).resolve().parents[2] / "data" / "blind" / "renames"


def rename_pairs(name: str) -> list[tuple[str, str]]:
    """The map's pairs, longest old text first (so 'Globex Europe' goes before 'Globex')."""
    pairs = json.loads((RENAMES / f"{name}.json").read_text())["pairs"]
    return sorted(((old, new) for old, new in pairs), key=lambda p: -len(p[0]))


def rename_text(text: str, pairs: list[tuple[str, str]]) -> str:
    # One pass with placeholders, so a new name is never renamed again by a later pair.
    marks: list[str] = []
    for old, new in pairs:
        if old in text:
            text = text.replace(old, f"\x00{len(marks)}\x00")
            marks.append(new)
    for n, new in enumerate(marks):
        text = text.replace(f"\x00{n}\x00", new)
    return text


def rename_value(value: Any, pairs: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        return rename_text(value, pairs)
    if isinstance(value, list):
        return [rename_value(item, pairs) for item in value]
    if isinstance(value, dict):
        return {rename_text(k, pairs): rename_value(v, pairs) for k, v in value.items()}
    return value


def rename_folder(source: Path, target: Path, pairs: list[tuple[str, str]]) -> None:
    """Copy every ``*.json`` of ``source`` into ``target`` renamed."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.json")):
        data = rename_value(json.loads(path.read_text()), pairs)
        (target / path.name).write_text(json.dumps(data))


def rename_csv(source: Path, target: Path, pairs: list[tuple[str, str]]) -> None:
    rows = list(csv.reader(io.StringIO(source.read_text())))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [[rename_text(cell, pairs) for cell in row] for row in rows]
    )
    target.write_text(out.getvalue())
