"""Sweeps that vary what the held-out sets fix: every account of every test world in
common templates, and every held-out question wrapped in Slack chatter and markup.

They check that understanding comes from vocabulary and grammar: a name, a
greeting or a mention around a question must not change what it asks.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from bot.questions import parse
from bot.questions.accounts import AccountIndex
from bot.questions.query import AccountRef
from tests.bot.questions import cases_heldout3, cases_heldout4, cases_heldout5
from tests.bot.questions.cases_heldout import heldout_accounts
from tests.bot.questions.cases_heldout2 import heldout2_accounts
from tests.bot.questions.cases_heldout3 import heldout3_accounts, heldout3_index
from tests.bot.questions.invented_world import invented_accounts, invented_index
from tests.bot.questions.test_heldout import problems
from tests.bot.questions.world_accounts import world_accounts

AS_OF = date(2026, 6, 10)
TEMPLATES = [
    ("how is {name} doing", "account_summary"),
    ("{name}", "account_summary"),
    ("what's {name}'s MRR", "account_summary"),
    ("tell me about {domain}", "account_summary"),
    ("{name} invoices", "account_invoices"),
    ("show me {name}'s invoices", "account_invoices"),
    ("{name} mrr trend", "account_mrr_trend"),
    ("{lower} mrr over the last 6 months", "account_mrr_trend"),
    ("is {name} overdue?", "payment_status"),
    ("has {name} paid", "payment_status"),
    ("payment status of {name}", "payment_status"),
    ("lifetime revenue for {name}", "lifetime_revenue"),
    ("how much has {name} paid us in total", "lifetime_revenue"),
]
WORLDS = {
    "sample": world_accounts,
    "invented": invented_accounts,
    "heldout": heldout_accounts,
    "heldout2": heldout2_accounts,
    "heldout3": heldout3_accounts,
}
WRAPPERS = [
    "<@U0BOT> {q}",
    "hey revbot, {q}",
    "quick q: {q} thx",
    "{q} 🙏",
    "<@U0BOT> can you tell me {q}?",
    "{q} pls",
    "Hi! {q}",
]


def _unique_domains(accounts: tuple[AccountRef, ...]) -> set[str]:
    counts = Counter(a.domain for a in accounts if a.domain)
    return {d for d, n in counts.items() if n == 1}


@pytest.mark.parametrize("world", sorted(WORLDS))
def test_every_account_in_every_template(world: str) -> None:
    accounts = WORLDS[world]()
    index = AccountIndex(accounts)
    unique = _unique_domains(accounts)
    misses = []
    for account in accounts:
        for template, intent in TEMPLATES:
            if "{domain}" in template and account.domain not in unique:
                continue  # a shared domain is rightly ambiguous
            q = template.format(
                name=account.name, lower=account.name.lower(), domain=account.domain
            )
            got = parse(q, index, AS_OF)
            if got.intent.value != intent or got.account is None or got.account.id != account.id:
                misses.append((q, got.intent.value, got.account.name if got.account else None))
    assert misses == []


@pytest.mark.parametrize("wrapper", WRAPPERS)
def test_slack_chatter_around_a_question_changes_nothing(wrapper: str) -> None:
    sets = [
        (cases_heldout3.CASES, heldout3_index(), cases_heldout3.AS_OF),
        (cases_heldout4.CASES, invented_index(), cases_heldout4.AS_OF),
        (cases_heldout5.CASES, heldout3_index(), cases_heldout5.AS_OF),
    ]
    misses = []
    for cases, index, as_of in sets:
        for question, intent, account, expect in cases:
            if intent in ("help", "unknown"):
                continue  # chatter alone may change those on purpose
            found = problems(
                parse(wrapper.format(q=question), index, as_of), intent, account, expect
            )
            if found:
                misses.append((question, found))
    assert misses == []
