"""Block Kit validation with slack_sdk's own models (the limits Slack enforces)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View


def assert_valid_blocks(blocks: list[dict[str, Any]]) -> None:
    assert blocks, "no blocks"
    assert len(blocks) <= 50
    parsed = Block.parse_all(blocks)
    assert len(parsed) == len(blocks), "a block type slack_sdk does not know"
    for block in parsed:
        block.validate_json()


def assert_valid_view(view: dict[str, Any]) -> None:
    model = View(**view)
    model.validate_json()
    assert len(view["blocks"]) <= 100
    for block in Block.parse_all(view["blocks"]):
        block.validate_json()


def all_text(blocks: list[dict[str, Any]]) -> str:
    """Every text string inside the blocks, joined (for content assertions)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)
