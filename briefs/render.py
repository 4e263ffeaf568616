"""Render a :class:`~briefs.models.Brief` into Block Kit and plain text with Jinja2.

Python lays out a small view (lines cut to Slack's limits, amounts with
currency symbols, user text escaped for mrkdwn); the templates in
``briefs/templates`` place it. In the Block Kit template every expression is
emitted as a JSON value (the environment's ``finalize`` json-encodes it), so
no account name or plan can break the JSON; mrkdwn text is escaped for Slack
(``&``, ``<``, ``>``) before it gets there.

Limits (Slack): at most 50 blocks, 3,000 characters per section text, 10
fields per section; longer lists end with "…and N more".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from answers.format import money_text
from briefs.models import Brief, BriefRow, CurrencyChange, Section
from briefs.surface import SLACK, Surface

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_BLOCKS = 50
SECTION_CHARS = 3000
MAX_FIELDS = 10
FIELD_CHARS = 2000
HEADER_CHARS = 150
ROWS_SHOWN = 10  # rows listed per section before "…and N more"
QUIET = "Nothing needs attention this week: no overdue invoices, failures or changes to report."


def mrkdwn(text: str) -> str:
    """Escape the three characters Slack's mrkdwn gives meaning to."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _json_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@cache
def _environments() -> tuple[Environment, Environment]:
    loader = FileSystemLoader(TEMPLATES)
    blocks = Environment(
        loader=loader, autoescape=False, finalize=_json_value, undefined=StrictUndefined
    )
    text = Environment(loader=loader, autoescape=False, undefined=StrictUndefined)
    return blocks, text


@dataclass(frozen=True)
class SectionView:
    title: str
    summary: str
    text: str = ""  # Block Kit: the whole mrkdwn section text
    lines: list[str] = field(default_factory=list)  # plain text: the rows shown
    more: int = 0


@dataclass(frozen=True)
class View:
    title: str
    context: str
    notice: str | None
    headline: str | None
    fields: list[str]
    trend: str | None
    sections: list[SectionView]
    quiet: str | None
    footer: str


@dataclass(frozen=True)
class Rendered:
    text: str
    blocks: list[dict[str, Any]]


def render(brief: Brief) -> Rendered:
    return Rendered(render_text(brief), render_blocks(brief))


def render_blocks(brief: Brief) -> list[dict[str, Any]]:
    """The brief as Block Kit blocks (within Slack's limits)."""
    template = _environments()[0].get_template("brief.blocks.json.j2")
    blocks: list[dict[str, Any]] = json.loads(template.render(view=_view(brief, slack=True)))
    if len(blocks) > MAX_BLOCKS:  # never with today's sections; kept as a guard
        blocks = [*blocks[: MAX_BLOCKS - 1], blocks[-1]]
    return blocks


def render_text(brief: Brief, surface: Surface = SLACK) -> str:
    """The brief as plain text (the fallback text of a Slack message, or the CLI's preview)."""
    template = _environments()[1].get_template("brief.txt.j2")
    return template.render(view=_view(brief, slack=False, surface=surface)).strip() + "\n"


# -- the view ---------------------------------------------------------------------


def _view(brief: Brief, *, slack: bool, surface: Surface = SLACK) -> View:
    esc = mrkdwn if slack else _same
    has_headline = brief.headline is not None and bool(brief.headline.mrr)
    quiet = brief.has_data and not brief.sections and not brief.stale
    return View(
        title=_cut(brief.title, HEADER_CHARS),
        context=esc(f"{brief.period_label} · times in {brief.timezone}"),
        notice=(f":warning: {esc(brief.notice.message)}" if slack else brief.notice.message)
        if brief.notice
        else None,
        headline=_headline(brief, slack) if brief.headline else None,
        fields=_fields(brief.headline.changes, slack) if has_headline and brief.headline else [],
        trend=_trend(brief) if has_headline else None,
        sections=[_section(s, slack) for s in brief.sections],
        quiet=QUIET if quiet else None,
        footer=surface.footer(),
    )


def _same(text: str) -> str:
    return text


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bold(text: str, slack: bool) -> str:
    return f"*{text}*" if slack else text


def _headline(brief: Brief, slack: bool) -> str:
    assert brief.headline is not None
    head = brief.headline
    return (
        f"{_bold('MRR', slack)} {money_text(head.mrr)} · {_bold('ARR', slack)} "
        f"{money_text(head.arr)}"
    )


def _change_text(change: CurrencyChange) -> str:
    if change.change.amount == 0:
        return "no change vs last week"
    arrow = "▲" if change.change.amount > 0 else "▼"
    amount = change.change.format().lstrip("-")
    percent = f" ({change.percent.lstrip('-')}%)" if change.percent is not None else ""
    return f"{arrow} {amount}{percent} vs last week"


def _fields(changes: tuple[CurrencyChange, ...], slack: bool) -> list[str]:
    lines = [
        f"{_bold(c.now.currency, slack)} {c.now.format()} — {_change_text(c)}" for c in changes
    ]
    if len(lines) > MAX_FIELDS:
        lines = [*lines[: MAX_FIELDS - 1], f"…and {len(lines) - MAX_FIELDS + 1} more currencies"]
    return [_cut(line, FIELD_CHARS) for line in lines]


def _trend(brief: Brief) -> str | None:
    head = brief.headline
    if head is None or len(head.trend) < 2:
        return None
    parts = [f"{c.now.currency} {c.spark}" for c in head.changes if c.spark]
    weeks = len(head.trend) - 1
    return f"{weeks}-week MRR trend: " + " · ".join(parts) if parts else None


def _row_text(row: BriefRow, slack: bool) -> str:
    amounts = money_text(row.amounts) if row.amounts else ""
    tail = f" — {amounts}" if amounts else ""
    if not slack:
        return f"{row.account.name}{tail} · {row.detail}"
    name = mrkdwn(row.account.name)
    label = f"<{mrkdwn(row.account.url)}|{name}>" if row.account.url else f"*{name}*"
    return f"{label}{tail} · {mrkdwn(row.detail)}"


def _section(section: Section, slack: bool) -> SectionView:
    head = f"{_bold(mrkdwn(section.title) if slack else section.title, slack)} — "
    head += mrkdwn(section.summary) if slack else section.summary
    lines, more = _fit(head, [_row_text(r, slack) for r in section.rows[:ROWS_SHOWN]])
    more += section.count - min(len(section.rows), ROWS_SHOWN)
    text = "\n".join([head, *(f"• {line}" for line in lines)])
    if more:
        text += f"\n…and {more} more"
    return SectionView(section.title, section.summary, text, lines, more)


def _fit(head: str, lines: list[str]) -> tuple[list[str], int]:
    """As many lines as fit in one section with room for the "…and N more" line."""
    budget = SECTION_CHARS - len(head) - len("\n…and 100000 more")
    kept: list[str] = []
    for line in lines:
        line = _cut(line, SECTION_CHARS // 4)
        cost = len(line) + 3  # "\n• "
        if cost > budget:
            break
        kept.append(line)
        budget -= cost
    return kept, len(lines) - len(kept)
