"""Block Kit for answers, within Slack's limits (SPEC §9).

At most 50 blocks, 3,000 characters per section text, 10 fields per section;
long lists are already cut to "…and N more" in the text. Every account name
links to its Stripe Dashboard customer page when one is known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from answers.model import Answer

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELDS = 10
MAX_FIELD = 2000
SUMMARY_FIELDS = ("mrr", "arr", "payment_status", "plan", "renewal_date", "lifetime_revenue")


def escape(text: str) -> str:
    """Slack mrkdwn escaping: only &, < and > are special."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, MAX_SECTION) or " "}}


def _names(answer: Answer) -> dict[str, str]:
    """Account name -> dashboard link for every account in the result."""
    out: dict[str, str] = {}
    refs: list[Any] = [answer.result.get("account")]
    rows = answer.result.get("rows")
    if isinstance(rows, list):
        refs.extend(r.get("account") for r in rows if isinstance(r, dict))
    for ref in refs:
        if isinstance(ref, dict) and ref.get("id") in answer.links and ref.get("name"):
            out[str(ref["name"])] = answer.links[str(ref["id"])]
    return out


def _linked(line: str, links: dict[str, str]) -> str:
    """A bullet line with its leading account name turned into a link."""
    body = line[2:] if line.startswith("• ") else line
    for name, url in links.items():
        if body.startswith(name + " ") or body == name or body.startswith(name + ":"):
            rest = body[len(name) :]
            link = f"<{escape(url)}|{escape(name)}>"
            return ("• " if line.startswith("• ") else "") + link + escape(rest)
    return escape(line)


def _chunks(lines: list[str]) -> list[str]:
    """Lines packed into section texts of at most MAX_SECTION characters."""
    out: list[str] = []
    current = ""
    for line in lines:
        line = cut(line, MAX_SECTION)
        if current and len(current) + 1 + len(line) > MAX_SECTION:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out


def _summary_fields(answer: Answer) -> list[dict[str, Any]]:
    fields = []
    for key in SUMMARY_FIELDS:
        value = answer.result.get(key)
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            shown = " + ".join(f"{m['amount']} {m['currency']}" for m in value)
        else:
            shown = str(value)
        label = key.replace("_", " ").capitalize()
        fields.append({"type": "mrkdwn", "text": cut(f"*{label}*\n{escape(shown)}", MAX_FIELD)})
    return fields[:MAX_FIELDS]


def answer_blocks(answer: Answer) -> list[dict[str, Any]]:
    """The Block Kit blocks of ``answer`` (validated against Slack's limits in tests)."""
    links = _names(answer)
    lines = answer.text.split("\n")
    blocks: list[dict[str, Any]] = [section(_linked(lines[0], links))]
    if answer.intent == "account_summary":
        fields = _summary_fields(answer)
        if fields:
            blocks.append({"type": "section", "fields": fields})
    for chunk in _chunks([_linked(line, links) for line in lines[1:]]):
        blocks.append(section(chunk))
    account = answer.result.get("account")
    if isinstance(account, dict) and account.get("id") in answer.links:
        url = answer.links[str(account["id"])]
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"<{escape(url)}|Open {escape(str(account['name']))} in Stripe>",
                    }
                ],
            }
        )
    if len(blocks) > MAX_BLOCKS:
        blocks = [*blocks[: MAX_BLOCKS - 1], section("…more in the full answer")]
    return blocks
