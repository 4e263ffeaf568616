"""Per-intent answers over a small hand-built world (queries built directly, no parser)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

from answers import Answer, NoDataError, answer
from questions.query import AccountRef, Filters, Intent, Period, Query
from storage.db import Database
from storage.fx import set_rate
from tests.answers.conftest import fresh_workspace_id
from tests.answers.small_world import AS_OF, query, small_ledger

Ask = Callable[..., Answer]


def ask(database: Database, q: Query, workspace: str) -> Answer:
    with database.session() as session:
        return answer(session, workspace, q, AS_OF)


@pytest.fixture(scope="module")
def small_ws(stored_ledger: Any) -> str:
    """The small world, stored once for the module (tests here only read it)."""
    workspace_id: str = stored_ledger(small_ledger(), AS_OF, "TSMALL")
    return workspace_id


@pytest.fixture
def ask_small(migrated_database: Database, small_ws: str) -> Ask:
    """Answer a query over the small world."""
    return lambda q: ask(migrated_database, q, small_ws)


def names(result: dict[str, Any]) -> list[str]:
    return [r["account"]["name"] for r in result["rows"]]


def money(amount: str, currency: str = "USD") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


def test_overdue_accounts_with_days_and_totals(ask_small: Ask) -> None:
    result = ask_small(query(Intent.OVERDUE_ACCOUNTS))
    assert names(result.result) == ["Alpha", "Beta"]
    alpha, beta = result.result["rows"]
    assert alpha["max_days_overdue"] == 44 and alpha["overdue"] == [money("300.00")]
    assert beta["max_days_overdue"] == 10 and beta["overdue"] == [money("50.00", "EUR")]
    assert result.result["total"] == [money("50.00", "EUR"), money("300.00")]
    assert "$300.00" in result.text and "€50.00" in result.text and "44 days" in result.text


def test_overdue_filters_days_and_amount(ask_small: Ask) -> None:
    more_than_30 = ask_small(query(Intent.OVERDUE_ACCOUNTS, filters=Filters(min_days=30)))
    assert names(more_than_30.result) == ["Alpha"]
    exactly_44 = Filters(min_days=44, min_days_strict=True)
    assert names(ask_small(query(Intent.OVERDUE_ACCOUNTS, filters=exactly_44)).result) == []
    at_least_44 = Filters(min_days=44, min_days_strict=False)
    assert names(ask_small(query(Intent.OVERDUE_ACCOUNTS, filters=at_least_44)).result) == ["Alpha"]
    over_100_eur = Filters(min_amount=Decimal(40), currency="EUR")
    assert names(ask_small(query(Intent.OVERDUE_ACCOUNTS, filters=over_100_eur)).result) == ["Beta"]


def test_failed_payments_in_period(ask_small: Ask) -> None:
    july = ask_small(query(Intent.FAILED_PAYMENTS, period=("2026-07-01", "2026-07-15")))
    assert names(july.result) == ["Beta"]
    june = ask_small(query(Intent.FAILED_PAYMENTS, period=("2026-06-01", "2026-06-30")))
    assert june.result["rows"] == [] and "No failed payments" in june.text


def test_mrr_total_names_missing_rate_then_converts(
    migrated_database: Database, stored_ledger: Any
) -> None:
    # a copy of its own: the rate it stores must not reach the module's other tests
    ws = stored_ledger(small_ledger(), AS_OF, "TFX")
    result = ask(migrated_database, query(Intent.MRR_TOTAL), ws)
    assert result.result["mrr"] == [money("50.00", "EUR"), money("300.00")]
    assert result.result["arr"] == [money("600.00", "EUR"), money("3600.00")]
    assert result.result["missing_rates"] == ["EUR"] and "converted_total" not in result.result
    assert "no FX rate for EUR" in result.text
    with migrated_database.session() as session:
        set_rate(session, ws, "EUR", Decimal("1.10"), AS_OF.date(), AS_OF)
    converted = ask(migrated_database, query(Intent.MRR_TOTAL), ws)
    assert converted.result["converted_total"] == money("355.00")
    assert "missing_rates" not in converted.result and "$355.00" in converted.text


def test_mrr_total_at_a_past_month_end(ask_small: Ask) -> None:
    march = ask_small(query(Intent.MRR_TOTAL, at_day="2026-03-31"))
    assert march.result["mrr"] == [money("50.00", "EUR"), money("500.00")]


def test_mrr_trend_months(ask_small: Ask) -> None:
    result = ask_small(query(Intent.MRR_TREND, period=("2026-04-01", "2026-06-30")))
    months = {r["month"]: r["mrr"] for r in result.result["rows"]}
    assert list(months) == ["2026-04", "2026-05", "2026-06"]
    assert money("400.00") in months["2026-04"] and money("500.00") in months["2026-05"]
    assert money("300.00") in months["2026-06"]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (("2026-04-01", "2026-04-30"), [("Delta", "churn", "100.00")]),
        (("2026-05-01", "2026-05-31"), [("Alpha", "expansion", "100.00")]),
        (("2026-06-01", "2026-06-30"), [("Gamma", "contraction", "200.00")]),
    ],
)
def test_mrr_movements(ask_small: Ask, period: tuple[str, str], expected: list[Any]) -> None:
    result = ask_small(query(Intent.MRR_MOVEMENTS, period=period))
    got = [(r["account"]["name"], r["kind"], r["amount"]["amount"]) for r in result.result["rows"]]
    assert got == expected


def test_churn_rate_is_churned_over_opening_mrr(ask_small: Ask) -> None:
    result = ask_small(query(Intent.CHURN_RATE, period=("2026-04-01", "2026-04-30")))
    usd = next(r for r in result.result["churn_rate"] if r["currency"] == "USD")
    assert usd["churned_mrr"] == money("100.00") and usd["mrr_at_start"] == money("500.00")
    assert usd["percent"] == 20.0 and "20.00%" in result.text


def test_new_customers_in_january(ask_small: Ask) -> None:
    result = ask_small(query(Intent.NEW_CUSTOMERS, period=("2026-01-01", "2026-01-31")))
    assert sorted(names(result.result)) == ["Alpha", "Beta", "Delta", "Gamma"]


def test_top_accounts_rank_in_reporting_currency(ask_small: Ask) -> None:
    result = ask_small(query(Intent.TOP_ACCOUNTS, limit=1))
    assert names(result.result) == ["Alpha"] and result.result["currency"] == "USD"
    assert result.result["other_currencies"] == ["EUR"]
    eur = ask_small(query(Intent.TOP_ACCOUNTS, filters=Filters(currency="EUR")))
    assert names(eur.result) == ["Beta"]


def test_cancellations_and_downgrades(ask_small: Ask) -> None:
    canceled = ask_small(query(Intent.CANCELLATIONS, period=("2026-04-01", "2026-04-30")))
    assert names(canceled.result) == ["Delta"]
    assert canceled.result["rows"][0]["mrr_lost"] == money("100.00")
    down = ask_small(query(Intent.DOWNGRADES, period=("2026-06-01", "2026-06-30")))
    assert names(down.result) == ["Gamma"]
    assert down.result["rows"][0]["mrr_before"] == money("300.00")


def test_account_summary_and_lifetime_revenue(ask_small: Ask) -> None:
    summary = ask_small(query(Intent.ACCOUNT_SUMMARY, account="Alpha"))
    assert summary.result["mrr"] == [money("200.00")]
    assert summary.result["payment_status"] == "overdue"
    lifetime = ask_small(query(Intent.LIFETIME_REVENUE, account="Alpha"))
    assert lifetime.result["lifetime_revenue"] == [money("1000.00")]
    assert "since Jan 1" in lifetime.text


def test_account_invoices_newest_first(ask_small: Ask) -> None:
    result = ask_small(query(Intent.ACCOUNT_INVOICES, account="Beta", limit=3))
    rows = result.result["rows"]
    assert [r["created"] for r in rows] == ["2026-07-05", "2026-06-05", "2026-05-05"]
    assert rows[0]["status"] == "open" and result.result["total_count"] == 7


def test_payment_status_explains(ask_small: Ask) -> None:
    result = ask_small(query(Intent.PAYMENT_STATUS, account="Beta"))
    assert result.result["payment_status"] == "failed"
    assert "failed payment" in result.text


def test_account_links_to_stripe_dashboard(ask_small: Ask) -> None:
    result = ask_small(query(Intent.OVERDUE_ACCOUNTS))
    assert result.links["acct_alpha"] == "https://dashboard.stripe.com/test/customers/cus_alpha"


def test_ambiguous_and_unknown_accounts(ask_small: Ask) -> None:
    candidates = (AccountRef("acct_alpha", "Alpha"), AccountRef("acct_gamma", "Gamma"))
    ambiguous = Query.of(
        Intent.ACCOUNT_SUMMARY, AS_OF.date(), account_candidates=candidates, account_text="a"
    )
    result = ask_small(ambiguous)
    assert result.text == "Did you mean Alpha or Gamma?"
    assert [c["name"] for c in result.result["candidates"]] == ["Alpha", "Gamma"]
    missing = Query.of(Intent.ACCOUNT_SUMMARY, AS_OF.date(), account_text="Zorblax")
    assert ask_small(missing).text == "No account matches 'Zorblax'."


def test_naming_two_accounts_asks_which_one(ask_small: Ask) -> None:
    candidates = (AccountRef("acct_alpha", "Alpha"), AccountRef("acct_gamma", "Gamma"))
    both = Query.of(
        Intent.ACCOUNT_SUMMARY,
        AS_OF.date(),
        account_candidates=candidates,
        account_text="Alpha / Gamma",
        account_how="several",
    )
    result = ask_small(both)
    assert result.text == "Which one: Alpha or Gamma?"
    assert [c["name"] for c in result.result["candidates"]] == ["Alpha", "Gamma"]


def test_help_and_unknown_need_no_data(migrated_database: Database) -> None:
    empty = fresh_workspace_id()
    helped = ask(migrated_database, Query.of(Intent.HELP, AS_OF.date()), empty)
    assert len(helped.result["topics"]) >= 4 and "overdue" in helped.text
    unknown = ask(migrated_database, Query.of(Intent.UNKNOWN, AS_OF.date()), empty)
    assert unknown.result["suggestions"] and "didn't understand" in unknown.text


def test_no_synced_data_raises(migrated_database: Database) -> None:
    with pytest.raises(NoDataError):
        ask(migrated_database, query(Intent.MRR_TOTAL), fresh_workspace_id())


def test_workspaces_never_mix(
    migrated_database: Database, stored_ledger: Any, ask_small: Ask
) -> None:
    other = small_ledger()
    for acc_id, acc in list(other.accounts.items()):
        other.accounts[acc_id] = type(acc)(id=acc.id, name="Other " + acc.name)
    theirs_ws = stored_ledger(other, AS_OF, "TOTHER")
    mine = ask_small(query(Intent.OVERDUE_ACCOUNTS))
    theirs = ask(migrated_database, query(Intent.OVERDUE_ACCOUNTS), theirs_ws)
    assert names(mine.result) == ["Alpha", "Beta"]
    assert names(theirs.result) == ["Other Alpha", "Other Beta"]


def _last_months(n: int) -> Period:
    """The parser's reading of "over the last N months" at AS_OF (2026-07-15)."""
    day = AS_OF.date()
    return Period(day - relativedelta(months=n), day, f"the last {n} months")


@pytest.mark.parametrize("n", [1, 3, 6])
def test_trend_over_the_last_n_months_has_n_points(ask_small: Ask, n: int) -> None:
    workspace = ask_small(Query.of(Intent.MRR_TREND, AS_OF.date(), period=_last_months(n)))
    months = [r["month"] for r in workspace.result["rows"]]
    assert (
        months == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"][-n:]
    )
    alpha = ask_small(
        Query.of(
            Intent.ACCOUNT_MRR_TREND,
            AS_OF.date(),
            account=AccountRef("acct_alpha", "Alpha"),
            period=_last_months(n),
        )
    )
    assert [r["month"] for r in alpha.result["rows"]] == months


def test_trend_since_a_date_keeps_its_first_month(ask_small: Ask) -> None:
    since = Period(date(2026, 4, 10), AS_OF.date(), "since April 10")
    result = ask_small(Query.of(Intent.MRR_TREND, AS_OF.date(), period=since))
    assert [r["month"] for r in result.result["rows"]] == [
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
    ]


def test_mrr_total_counts_paying_accounts(ask_small: Ask) -> None:
    total = ask_small(query(Intent.MRR_TOTAL))
    ranking = ask_small(query(Intent.TOP_ACCOUNTS, limit=100)).result
    paying = {r["account"]["name"] for r in ranking["rows"]}
    for rows in ranking["other_rankings"].values():
        paying |= {r["account"]["name"] for r in rows}
    assert total.result["paying_accounts"] == total.result["count"] == len(paying) > 0
    assert f"{len(paying)} paying account" in total.text
    past = ask_small(query(Intent.MRR_TOTAL, at_day="2026-03-31"))
    assert "paying_accounts" not in past.result


def test_account_invoices_by_status(ask_small: Ask) -> None:
    every = ask_small(query(Intent.ACCOUNT_INVOICES, account="Beta", limit=100)).result["rows"]
    opened = ask_small(
        query(Intent.ACCOUNT_INVOICES, account="Beta", filters=Filters(status="open"))
    )
    expected = [r["invoice"] for r in every if r["status"] == "open"]
    assert [r["invoice"] for r in opened.result["rows"]] == expected != []
    assert opened.result["total_count"] == len(expected)
    assert "open invoices" in opened.text
    void = ask_small(query(Intent.ACCOUNT_INVOICES, account="Beta", filters=Filters(status="void")))
    assert void.result["rows"] == [] and void.text == "Beta has no void invoices."
