"""Sweeps that vary what the held-out sets fix: every account of every test world in
common templates, and every held-out question wrapped in Slack chatter and markup.

They check that understanding comes from vocabulary and grammar: a name, a
greeting or a mention around a question must not change what it asks.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date

import pytest

from demo import accounts_csv
from questions import parse
from questions.accounts import AccountIndex
from questions.query import AccountRef
from tests.answers.blind.rename import rename_pairs, rename_text
from tests.questions.heldout import held_out, problems, understood, world_accounts, world_index
from tests.questions.world_accounts import world_accounts as sample_accounts
from tests.support.paths import WORLD

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
    "sample": sample_accounts,
    **{
        name: (lambda name=name: world_accounts(name))
        for name in ("invented", "heldout", "heldout2", "heldout3")
    },
}


def _renamed(source: str, rename: str) -> tuple[AccountRef, ...]:
    """A client list renamed by a blind-set map (tests/data/blind/renames): names that share
    words with the grammar (weekdays, months, seasons, 'last', 'top', 'open', numbers)."""
    pairs = rename_pairs(rename)
    rows = csv.DictReader(io.StringIO(rename_text(source, pairs)))
    return tuple(
        AccountRef(
            id=f"{rename}-{n:02d}",
            name=row["name"],
            domain=row["domain"] or None,
            aliases=tuple(a for a in (row.get("aliases") or "").split(";") if a),
        )
        for n, row in enumerate(rows)
    )


WORLDS["renamed-k"] = lambda: _renamed((WORLD / "accounts.csv").read_text(), "k")
WORLDS["renamed-l"] = lambda: _renamed(accounts_csv(), "l")
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
    misses = []
    for name in ("held-out 3", "held-out 4", "held-out 5", "held-out 6"):
        held = held_out(name)
        for line in held.cases:
            if line["intent"] in ("help", "unknown"):
                continue  # chatter alone may change those on purpose
            found = problems(understood(held, line, wrapper.format(q=line["q"])), line)
            if found:
                misses.append((line["q"], found))
    assert misses == []


TYPO_AS_OF = date(2026, 8, 19)  # a Wednesday
TYPOS: list[tuple[str, str, tuple[str, str] | None]] = [
    ("overdeu accounts", "overdue_accounts", None),
    ("over due invoices", "overdue_accounts", None),
    ("whos overdeu", "overdue_accounts", None),
    ("delinqent accounts", "overdue_accounts", None),
    ("pastdue accounts", "overdue_accounts", None),
    ("chrun rate last month", "churn_rate", ("2026-07-01", "2026-07-31")),
    ("churn rate lst month", "churn_rate", ("2026-07-01", "2026-07-31")),
    ("cancellatoins last month", "cancellations", ("2026-07-01", "2026-07-31")),
    ("subscriptons cancelled last month", "cancellations", ("2026-07-01", "2026-07-31")),
    ("renewels next 30 days", "renewals", ("2026-08-19", "2026-09-18")),
    ("renewals nxt 30 days", "renewals", ("2026-08-19", "2026-09-18")),
    ("renwals coming up", "renewals", None),
    ("trails ending soon", "trials", None),
    ("trial acounts", "trials", None),
    ("who should we upsel", "upsell_candidates", None),
    ("downgardes last month", "downgrades", ("2026-07-01", "2026-07-31")),
    ("contarctions in Q1", "downgrades", ("2026-01-01", "2026-03-31")),
    ("faild payments this week", "failed_payments", ("2026-08-17", "2026-08-19")),
    ("failed payments lsat week", "failed_payments", ("2026-08-10", "2026-08-16")),
    ("declnied cards", "failed_payments", None),
    ("mrr trnd", "mrr_trend", None),
    ("reveune trend", "mrr_trend", None),
    ("arr at rsik", "arr_at_risk", None),
    ("mothly recurring revenue", "mrr_total", None),
    ("annaul recurring revenue", "mrr_total", None),
    ("top 5 custmers", "top_accounts", None),
    ("biggest custoemrs", "top_accounts", None),
    ("new custmers this month", "new_customers", ("2026-08-01", "2026-08-19")),
    ("new customers this mnth", "new_customers", ("2026-08-01", "2026-08-19")),
    ("schedduled cancellations", "scheduled_cancellations", None),
    ("mrr movments last month", "mrr_movements", ("2026-07-01", "2026-07-31")),
    ("expantion last month", "mrr_movements", ("2026-07-01", "2026-07-31")),
    ("hlep", "help", None),
    ("waht can you do", "help", None),
]


@pytest.mark.parametrize(("question", "intent", "period"), TYPOS)
def test_misspelt_cue_and_time_words(
    question: str, intent: str, period: tuple[str, str] | None
) -> None:
    got = parse(question, world_index("invented"), TYPO_AS_OF)
    assert got.intent.value == intent
    if period is not None:
        assert got.period is not None
        assert (got.period.start.isoformat(), got.period.end.isoformat()) == period


@pytest.mark.parametrize(
    ("question", "status"),
    [
        ("Lumen Labs open invoices", "open"),
        ("unpaid bills for Pixel Forge", "open"),
        ("Nova invoices that are still outstanding", "open"),
        ("paid invoices of Zeta", "paid"),
        ("Zeta invoices", None),
    ],
)
def test_invoice_status_words_filter_an_accounts_invoices(
    question: str, status: str | None
) -> None:
    got = parse(question, world_index("heldout3"), held_out("held-out 3").as_of)
    assert got.intent.value == "account_invoices" and got.account is not None
    assert got.filters.status == status


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        ("how is Foobar Industries doing", "Foobar Industries"),
        ("who is Foobar Industries?", "Foobar Industries"),
        ("invoices for Acme Widgets", "Acme Widgets"),
    ],
)
def test_an_unknown_account_is_named_back_not_guessed(question: str, typed: str) -> None:
    got = parse(question, world_index("heldout3"), held_out("held-out 3").as_of)
    assert got.account is None and not got.account_candidates
    assert got.account_text == typed
