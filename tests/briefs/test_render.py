"""Rendering: valid Block Kit within Slack's limits, escaping, plain text, 10k rows."""

from __future__ import annotations

import json
import time

from briefs.assemble import assemble
from briefs.render import MAX_BLOCKS, ROWS_SHOWN, SECTION_CHARS, mrkdwn, render
from tests.bot.slack.blockkit import all_text, assert_valid_blocks
from tests.briefs.build import acct, empty_results, inputs, money

ROWS = 10_000


def big_results(name: str = "Company") -> dict[str, dict]:  # type: ignore[type-arg]
    results = empty_results()
    results["overdue"] = {
        "rows": [
            {
                "account": acct(n, f"{name} {n}"),
                "overdue": [money(f"{n + 1}.00")],
                "max_days_overdue": n % 90,
                "invoices": [{"invoice": f"in_{n}"}],
            }
            for n in range(ROWS)
        ],
        "total": [money("50005000.00")],
    }
    results["renewals"] = {
        "rows": [
            {
                "account": acct(n, f"{name} {n}"),
                "plan": "Scale",
                "date": "2027-02-20",
                "status": "active",
                "amount": money("10.00"),
            }
            for n in range(ROWS)
        ],
        "count": ROWS,
        "total": [money("100000.00")],
    }
    results["upsell"] = {
        "rows": [
            {"account": acct(n, f"{name} {n}"), "mrr": [money("5.00")], "tenure_days": 400}
            for n in range(ROWS)
        ]
    }
    return results


def test_ten_thousand_rows_render_within_limits_quickly() -> None:
    links = {f"acct_{n}": f"https://dashboard.stripe.com/customers/cus_{n}" for n in range(ROWS)}
    # CPU time, not wall time: the suite shares 2 cores with other work.
    started = time.process_time()
    brief = assemble(inputs(big_results(), links=links))
    rendered = render(brief)
    elapsed = time.process_time() - started
    assert_valid_blocks(rendered.blocks)
    assert len(rendered.blocks) <= MAX_BLOCKS
    sections = [b for b in rendered.blocks if b["type"] == "section" and "text" in b]
    assert all(len(b["text"]["text"]) <= SECTION_CHARS for b in sections)
    overdue = next(b["text"]["text"] for b in sections if "Overdue invoices" in b["text"]["text"])
    assert overdue.count("\n• ") == ROWS_SHOWN
    assert overdue.endswith(f"…and {ROWS - ROWS_SHOWN} more")
    assert "<https://dashboard.stripe.com/customers/cus_9999|Company 9999>" in overdue  # largest
    assert f"…and {ROWS - ROWS_SHOWN} more" in rendered.text
    assert elapsed < 5  # generous for CI; bench/brief.py measures the real figure


def test_long_names_are_cut_to_fit_one_section() -> None:
    rendered = render(assemble(inputs(big_results(name="N" * 290))))
    assert_valid_blocks(rendered.blocks)
    texts = [b["text"]["text"] for b in rendered.blocks if b["type"] == "section" and "text" in b]
    assert all(len(t) <= SECTION_CHARS for t in texts)
    overdue = next(t for t in texts if "Overdue invoices" in t)
    shown = overdue.count("\n• ")
    assert 0 < shown < ROWS_SHOWN  # fewer rows fit, and the rest is counted
    assert overdue.endswith(f"…and {ROWS - shown} more")


def test_hostile_names_are_escaped_for_json_and_mrkdwn() -> None:
    results = empty_results()
    evil = 'Acme <!channel> & "Sons" \\ {{ x }} </script>'
    results["trials"] = {
        "rows": [
            {
                "account": acct(1, evil),
                "plan": "<b>Pro</b>",
                "trial_end": "2027-02-17",
                "mrr_after_trial": money("1.00"),
            }
        ]
    }
    rendered = render(assemble(inputs(results, links={"acct_1": "https://x.example/?a=1&b=2"})))
    assert_valid_blocks(rendered.blocks)
    text = all_text(rendered.blocks)
    assert "<!channel>" not in text and '&lt;!channel&gt; &amp; "Sons" \\ {{ x }}' in text
    assert "&lt;b&gt;Pro&lt;/b&gt;" in text
    assert "<https://x.example/?a=1&amp;b=2|Acme" in text
    assert evil in rendered.text  # plain text keeps the name as is
    json.dumps(rendered.blocks)  # still serialisable


def test_quiet_week_and_stale_notice_blocks() -> None:
    quiet = render(assemble(inputs(empty_results())))
    assert_valid_blocks(quiet.blocks)
    assert "Nothing needs attention this week" in all_text(quiet.blocks)
    assert "MRR $1,250.00" in quiet.text and "▼ $50.00 (3.8%) vs last week" in quiet.text
    assert quiet.blocks[0]["type"] == "header"
    stale = render(assemble(inputs(empty_results(), stale=True, error="boom")))
    assert_valid_blocks(stale.blocks)
    assert ":warning: Billing data may be out of date" in all_text(stale.blocks)
    assert "Nothing needs attention" not in stale.text


def test_mrkdwn_escape() -> None:
    assert mrkdwn("a<b>&c") == "a&lt;b&gt;&amp;c"
