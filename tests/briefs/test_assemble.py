"""Assembly (pure): each section from its answer rows, omission of empty ones, staleness."""

from __future__ import annotations

from datetime import timedelta

from billing.money import Money
from briefs.assemble import assemble, sparkline
from briefs.models import SECTION_KEYS
from tests.briefs.build import NOW, acct, empty_results, inputs, money, mrr_series


def test_empty_sections_are_all_omitted_but_the_headline_stays() -> None:
    brief = assemble(inputs(empty_results()))
    assert brief.sections == ()
    assert brief.headline is not None and brief.notice is None
    assert brief.week == "2027-W07" and brief.timezone == "America/New_York"
    assert brief.title == "Monday Brief — week of Feb 15"


def test_headline_change_over_the_week_and_four_week_trend() -> None:
    brief = assemble(inputs(empty_results()))
    head = brief.headline
    assert head is not None
    assert head.mrr == (Money(125000, "USD"),) and head.arr == (Money(1500000, "USD"),)
    [usd] = head.changes
    assert usd.week_ago == Money(130000, "USD") and usd.change == Money(-5000, "USD")
    assert usd.percent == "-3.8"  # -50 / 1300
    assert len(head.trend) == 5 and head.trend[0].day.isoformat() == "2027-01-18"
    assert usd.spark == "▁▃▅█▆"
    data = brief.to_json()["headline"]["by_currency"][0]
    assert data["arr_change"] == money("-600.00")


def test_new_currency_this_week_has_no_percent() -> None:
    points = mrr_series("", "", "", "", "90", currency="EUR")
    [eur] = assemble(inputs(empty_results(), points=points)).headline.changes  # type: ignore[union-attr]
    assert eur.change == Money(9000, "EUR") and eur.percent is None


def test_sparkline_is_flat_for_a_constant_series() -> None:
    assert sparkline([Money(5, "USD")] * 3) == "▄▄▄"


def test_overdue_top_by_amount_with_days_overdue() -> None:
    results = empty_results()
    results["overdue"] = {
        "rows": [
            {
                "account": acct(1),
                "overdue": [money("100.00")],
                "max_days_overdue": 40,
                "invoices": [{"invoice": "in_1"}],
            },
            {
                "account": acct(2),
                "overdue": [money("900.00")],
                "max_days_overdue": 3,
                "invoices": [{"invoice": "in_2"}, {"invoice": "in_3"}],
            },
            {
                "account": acct(3),
                "overdue": [money("100.00")],
                "max_days_overdue": 0,
                "invoices": [{"invoice": "in_4"}],
            },
        ],
        "count": 3,
        "total": [money("1100.00")],
    }
    section = assemble(inputs(results, links={"acct_2": "https://dash/c2"})).section("overdue")
    assert section is not None
    assert [r.account.name for r in section.rows] == ["Company 2", "Company 1", "Company 3"]
    assert section.rows[0].detail == "3 days overdue (2 invoices)"
    assert section.rows[0].account.url == "https://dash/c2"
    assert section.rows[2].detail == "overdue since today"
    assert section.summary == "3 accounts, $1,100.00 overdue"
    assert section.to_json()["rows"][1]["max_days_overdue"] == 40


def test_failed_payments_cancellations_downgrades_in_local_dates() -> None:
    results = empty_results()
    # 03:00 UTC on Feb 13 is still Feb 12 in New York
    results["failed_payments"] = {
        "rows": [
            {
                "account": acct(1),
                "amount": money("50.00"),
                "last_failed_at": "2027-02-13T03:00:00Z",
                "recovered": True,
            }
        ],
        "total": [money("50.00")],
    }
    results["cancellations"] = {
        "rows": [
            {
                "account": acct(2),
                "plan": "Pro",
                "mrr_lost": money("70.00", "EUR"),
                "ended_at": "2027-02-10T10:00:00Z",
            }
        ],
        "mrr_lost": [money("70.00", "EUR")],
    }
    results["downgrades"] = {
        "rows": [
            {
                "account": acct(3),
                "mrr_before": money("300.00"),
                "mrr_after": money("200.00"),
                "change": money("-100.00"),
                "at": "2027-02-14T10:00:00Z",
            }
        ],
    }
    brief = assemble(inputs(results))
    assert [s.key for s in brief.sections] == ["failed_payments", "cancellations", "downgrades"]
    failed, cancelled, down = brief.sections
    assert failed.rows[0].detail == "failed Feb 12 (3 days ago) — since paid"
    assert failed.summary == "1 failed payment, $50.00"
    assert cancelled.rows[0].detail == "Pro ended Feb 10 (5 days ago)"
    assert cancelled.totals == (Money(7000, "EUR"),)
    assert down.rows[0].detail == "$300.00 → $200.00 MRR, Feb 14 (yesterday)"
    assert down.totals == (Money(-10000, "USD"),)


def test_forward_sections_scheduled_renewals_trials_and_new_customers() -> None:
    results = empty_results()
    results["scheduled_cancellations"] = {
        "rows": [
            {"account": acct(1), "plan": "A", "ends_on": "2027-03-03", "mrr": money("10.00")},
            {"account": acct(2), "plan": "B", "ends_on": "2027-02-28", "mrr": money("20.00")},
        ],
        "mrr": [money("30.00")],
    }
    results["renewals"] = {
        "rows": [
            {
                "account": acct(3),
                "plan": "Scale",
                "date": "2027-02-16",
                "status": "past_due",
                "amount": money("400.00"),
            }
        ],
        "count": 250,  # more than the answer lists
        "total": [money("90000.00")],
    }
    results["trials"] = {
        "rows": [
            {
                "account": acct(4),
                "plan": "Growth",
                "trial_end": "2027-02-17",
                "mrr_after_trial": money("99.00"),
            }
        ]
    }
    results["new_customers"] = {
        "rows": [
            {
                "account": acct(5),
                "first_paying_at": "2027-02-09T10:00:00Z",
                "mrr": [money("850.00", "EUR")],
            }
        ],
        "new_mrr": [money("850.00", "EUR")],
    }
    results["upsell"] = {
        "rows": [
            {
                "account": acct(6),
                "mrr": [money("2100.00")],
                "tenure_days": 307,
                "last_expansion": "2026-07-14",
            }
        ]
    }
    brief = assemble(inputs(results))
    keys = [s.key for s in brief.sections]
    assert keys == [k for k in SECTION_KEYS if k in keys]  # the SPEC order
    scheduled = brief.section("scheduled_cancellations")
    assert scheduled is not None
    assert [r.account.name for r in scheduled.rows] == ["Company 2", "Company 1"]  # soonest first
    assert scheduled.rows[0].detail == "B, ends Feb 28 (in 13 days)"
    renewals = brief.section("renewals")
    assert renewals is not None and renewals.count == 250
    assert renewals.rows[0].detail == "Scale, renews Feb 16 (tomorrow) — past due"
    assert brief.section("trials").rows[0].detail == "Growth, ends Feb 17 (in 2 days)"  # type: ignore[union-attr]
    assert brief.section("new_customers").summary == "1 new paying customer, €850.00 new MRR"  # type: ignore[union-attr]
    upsell = brief.section("upsell")
    assert upsell is not None
    assert upsell.rows[0].detail == "customer for 307 days, last grew Jul 14, 2026"


def test_stale_data_is_announced_with_the_last_sync_and_error() -> None:
    last = NOW - timedelta(days=2, hours=3)
    brief = assemble(inputs(empty_results(), stale=True, last_sync_at=last, error="Stripe 503"))
    assert brief.stale and brief.notice is not None
    assert "out of date" in brief.notice.message
    assert "Feb 13 at 06:00 (2 days ago)" in brief.notice.message  # New York time
    assert "Stripe 503" in brief.notice.message
    assert brief.to_json()["stale"] is True


def test_stale_without_figures_shows_no_zero_headline() -> None:
    points = mrr_series("", "", "", "", "")
    brief = assemble(inputs(empty_results(), points=points, stale=True, last_sync_at=None))
    assert brief.headline is None
    assert brief.notice is not None and "never completed" in brief.notice.message


def test_no_data_gives_only_a_notice() -> None:
    brief = assemble(inputs({}, has_data=False, points=(), last_sync_at=None))
    assert not brief.has_data and brief.headline is None and brief.sections == ()
    assert brief.notice is not None and "No billing data" in brief.notice.message
