"""Assemble a Monday Brief from data already read (pure: no I/O, no clock).

Each section comes from the answer layer's result for the matching question
("who is overdue?", "failed payments this week", …) so the brief and the
answers never disagree; here rows are ordered, described in plain words and
summed, and empty sections are left out. Stale or missing data turns into a
notice instead of zeros (SPEC §10).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from answers.format import human_date, local_date, money_text, plural, relative_days
from billing.json_values import instant_from_iso
from billing.money import Money, sum_by_currency
from briefs.models import (
    SECTION_KEYS,
    AccountLink,
    Brief,
    BriefInputs,
    BriefRow,
    CurrencyChange,
    Freshness,
    Headline,
    Section,
    TrendPoint,
)
from briefs.surface import SLACK, Surface

SPARK = "▁▂▃▄▅▆▇█"

Json = dict[str, Any]


def assemble(inputs: BriefInputs, surface: Surface = SLACK) -> Brief:
    """The brief for ``inputs`` (sections in :data:`SECTION_KEYS` order, empty ones omitted);
    ``surface`` is where it is read, for the commands a notice names."""
    today = local_date(inputs.as_of, inputs.tz)
    if not inputs.has_data:
        notice = Freshness(True, surface.no_data(), inputs.last_sync_at, inputs.sync_error)
        return _brief(inputs, today, None, (), notice)
    sections = tuple(
        section
        for key in SECTION_KEYS
        if key in inputs.results
        and (section := BUILDERS[key](inputs, inputs.results[key], today)) is not None
    )
    return _brief(inputs, today, headline(inputs), sections, freshness(inputs))


def _brief(
    inputs: BriefInputs,
    today: date,
    head: Headline | None,
    sections: tuple[Section, ...],
    notice: Freshness | None,
) -> Brief:
    week = today.isocalendar()
    return Brief(
        workspace_id=inputs.workspace_id,
        as_of=inputs.as_of,
        timezone=getattr(inputs.tz, "key", None) or str(inputs.tz),
        week=f"{week.year}-W{week.week:02d}",
        title=f"Monday Brief — week of {human_date(_monday(today), today)}",
        period_label=_period_label(inputs, today),
        has_data=inputs.has_data,
        headline=head,
        sections=sections,
        notice=notice,
    )


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _period_label(inputs: BriefInputs, today: date) -> str:
    if inputs.week_start is None:
        return "the past week"
    start = local_date(inputs.week_start, inputs.tz)
    return f"{human_date(start, today)} – {human_date(today, today)}"


# -- freshness ----------------------------------------------------------------


def freshness(inputs: BriefInputs) -> Freshness | None:
    """A notice when the last sync failed or is older than 24 h; None when fresh."""
    if not inputs.stale:
        return None
    today = local_date(inputs.as_of, inputs.tz)
    if inputs.last_sync_at is None:
        when = "has never completed"
    else:
        day = local_date(inputs.last_sync_at, inputs.tz)
        local = inputs.last_sync_at.astimezone(inputs.tz)
        when = (
            f"last completed {human_date(day, today)} at {local:%H:%M} "
            f"({relative_days(day, today)})"
        )
    reason = f" and failed: {inputs.sync_error}" if inputs.sync_error else ""
    message = (
        f"Billing data may be out of date: the Stripe sync {when}{reason}. "
        "Figures below are as of the last successful sync."
    )
    return Freshness(True, message, inputs.last_sync_at, inputs.sync_error)


# -- headline -------------------------------------------------------------------


def headline(inputs: BriefInputs) -> Headline | None:
    """MRR/ARR now, change since a week ago and the 4-week trend (None without MRR points)."""
    if not inputs.mrr_points:
        return None
    now = inputs.mrr_points[-1][1]
    if inputs.stale and not any(m.amount for m in now):
        return None  # an empty figure from a stale sync would read as a real zero
    week_ago = inputs.mrr_points[-2][1] if len(inputs.mrr_points) > 1 else now
    codes = sorted({m.currency for _, values in inputs.mrr_points for m in values})
    changes = tuple(
        _change(code, now, week_ago, [v for _, v in inputs.mrr_points])
        for code in codes
        if _in_currency(now, code).amount or _in_currency(week_ago, code).amount
    )
    trend = tuple(
        TrendPoint(local_date(at, inputs.tz), tuple(values)) for at, values in inputs.mrr_points
    )
    mrr = tuple(m for m in now if m.amount)
    return Headline(mrr=mrr, arr=tuple(m.times(12) for m in mrr), changes=changes, trend=trend)


def _in_currency(values: Iterable[Money], code: str) -> Money:
    return next((m for m in values if m.currency == code), Money.zero(code))


def _change(
    code: str, now: tuple[Money, ...], week_ago: tuple[Money, ...], series: list[tuple[Money, ...]]
) -> CurrencyChange:
    current, before = _in_currency(now, code), _in_currency(week_ago, code)
    delta = current - before
    percent = None
    if before.amount:
        ratio = Decimal(delta.amount) * 100 / Decimal(before.amount)
        percent = str(ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN))
    return CurrencyChange(
        current, before, delta, percent, sparkline([_in_currency(v, code) for v in series])
    )


def sparkline(values: list[Money]) -> str:
    """Block characters scaled between the series' lowest and highest value."""
    amounts = [m.amount for m in values]
    if not amounts:
        return ""
    low, high = min(amounts), max(amounts)
    if high == low:
        return SPARK[3] * len(amounts)
    top = len(SPARK) - 1
    return "".join(SPARK[(a - low) * top // (high - low)] for a in amounts)


# -- sections -------------------------------------------------------------------


def _money(data: Json | None) -> Money | None:
    if not data:
        return None
    return Money.from_json(data)


def _moneys(values: Iterable[Json] | None) -> tuple[Money, ...]:
    return tuple(m for v in values or () if (m := _money(v)) is not None)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _instant_day(text: str | None, inputs: BriefInputs) -> date | None:
    if not text:
        return None
    return local_date(instant_from_iso(text), inputs.tz)


def _day_phrase(day: date | None, today: date) -> str:
    return f"{human_date(day, today)} ({relative_days(day, today)})" if day else "soon"


def _link(inputs: BriefInputs, ref: Json | None) -> AccountLink:
    ref = ref or {}
    account_id = ref.get("id")
    return AccountLink(
        id=account_id,
        name=str(ref.get("name") or account_id or "Unassigned customer"),
        domain=ref.get("domain"),
        url=inputs.links.get(account_id) if account_id else None,
    )


def _section(
    key: str,
    title: str,
    summary: str,
    rows: list[BriefRow],
    count: int | None = None,
    totals: Iterable[Money] = (),
) -> Section | None:
    if not rows:
        return None
    return Section(
        key, title, summary, tuple(rows), count if count is not None else len(rows), tuple(totals)
    )


def _row(inputs: BriefInputs, row: Json, amounts: Iterable[Money], detail: str) -> BriefRow:
    data = {k: v for k, v in row.items() if k != "account"}
    return BriefRow(_link(inputs, row.get("account")), tuple(amounts), detail, data)


def _largest(amounts: tuple[Money, ...]) -> Decimal:
    return max((m.major for m in amounts), default=Decimal(0))


def overdue(inputs: BriefInputs, result: Json, today: date) -> Section | None:
    """Accounts with overdue invoices, largest amount first, then most days overdue."""
    rows = [
        _row(inputs, r, amounts, _overdue_detail(r))
        for r in result.get("rows", [])
        if (amounts := _moneys(r.get("overdue")))
    ]
    rows.sort(key=lambda r: (-_largest(r.amounts), -int(r.data.get("max_days_overdue") or 0)))
    totals = _moneys(result.get("total")) or tuple(
        sum_by_currency(m for r in rows for m in r.amounts)
    )
    summary = f"{plural(len(rows), 'account')}, {money_text(totals)} overdue"
    return _section("overdue", "Overdue invoices", summary, rows, totals=totals)


def _overdue_detail(row: Json) -> str:
    days = int(row.get("max_days_overdue") or 0)
    invoices = len(row.get("invoices") or ())
    extra = f" ({plural(invoices, 'invoice')})" if invoices > 1 else ""
    return (f"{plural(days, 'day')} overdue" if days else "overdue since today") + extra


def failed_payments(inputs: BriefInputs, result: Json, today: date) -> Section | None:
    rows = []
    for r in result.get("rows", []):
        day = _instant_day(r.get("last_failed_at"), inputs)
        detail = f"failed {_day_phrase(day, today)}" + (
            " — since paid" if r.get("recovered") else ""
        )
        rows.append(_row(inputs, r, _moneys([r.get("amount")]), detail))
    totals = _moneys(result.get("total"))
    summary = f"{plural(len(rows), 'failed payment')}, {money_text(totals)}"
    return _section(
        "failed_payments", "Payments that failed this week", summary, rows, totals=totals
    )


def cancellations(inputs: BriefInputs, result: Json, today: date) -> Section | None:
    rows = [
        _row(
            inputs,
            r,
            _moneys([r.get("mrr_lost")]),
            f"{r.get('plan') or 'subscription'} ended "
            f"{_day_phrase(_instant_day(r.get('ended_at'), inputs), today)}",
        )
        for r in result.get("rows", [])
    ]
    totals = _moneys(result.get("mrr_lost"))
    summary = f"{plural(len(rows), 'cancellation')}, {money_text(totals)} MRR lost"
    return _section("cancellations", "Cancellations this week", summary, rows, totals=totals)


def scheduled_cancellations(inputs: BriefInputs, result: Json, today: date) -> Section | None:
    rows = [
        _row(
            inputs,
            r,
            _moneys([r.get("mrr")]),
            f"{r.get('plan') or 'subscription'}, ends {_day_phrase(_day(r.get('ends_on')), today)}",
        )
        for r in result.get("rows", [])
    ]
    rows.sort(key=lambda r: (r.data.get("ends_on") or "", -_largest(r.amounts)))
    totals = _moneys(result.get("mrr"))
    summary = f"{plural(len(rows), 'subscription')} set to cancel, {money_text(totals)} MRR"
    return _section("scheduled_cancellations", "Scheduled to cancel", summary, rows, totals=totals)


def downgrades(inputs: BriefInputs, result: Json, today: date) -> Section | None:
    rows = []
    for r in result.get("rows", []):
        before, after = _money(r.get("mrr_before")), _money(r.get("mrr_after"))
        change = _money(r.get("change"))
        detail = (
            f"{before.format() if before else '—'} → {after.format() if after else '—'} MRR, "
            f"{_day_phrase(_instant_day(r.get('at'), inputs), today)}"
        )
        rows.append(_row(inputs, r, (change,) if change else (), detail))
    totals = tuple(sum_by_currency(m for r in rows for m in r.amounts))
    summary = f"{plural(len(rows), 'downgrade')}, {money_text(totals)} MRR"
    return _section("downgrades", "Downgrades this week", summary, rows, totals=totals)


def upsell(inputs: BriefInputs, result: Json, today: date) -> Section | None:
    rows = []
    for r in result.get("rows", []):
        last = _day(r.get("last_expansion"))
        grew = f", last grew {human_date(last, today)}" if last else ""
        detail = f"customer for {plural(int(r.get('tenure_days') or 0), 'day')}{grew}"
        rows.append(_row(inputs, r, _moneys(r.get("mrr")), detail))
    summary = f"{plural(len(rows), 'account')} paying, grown before and quiet for 6 months"
    return _section("upsell", "Upsell opportunities", summary, rows)


def renewals(inputs: BriefInputs, result: Json, today: date) -> Section | None:
    rows = []
    for r in result.get("rows", []):
        status = r.get("status")
        flag = f" — {str(status).replace('_', ' ')}" if status not in (None, "active") else ""
        renews = _day_phrase(_day(r.get("date")), today)
        detail = f"{r.get('plan') or 'subscription'}, renews {renews}{flag}"
        rows.append(_row(inputs, r, _moneys([r.get("amount")]), detail))
    totals = _moneys(result.get("total"))
    count = int(result.get("count") or len(rows))
    summary = f"{plural(count, 'renewal')} in the next 14 days, {money_text(totals)}"
    return _section("renewals", "Renewals in the next 14 days", summary, rows, count, totals)


def trials(inputs: BriefInputs, result: Json, today: date) -> Section | None:
    rows = [
        _row(
            inputs,
            r,
            _moneys([r.get("mrr_after_trial")]),
            f"{r.get('plan') or 'trial'}, ends {_day_phrase(_day(r.get('trial_end')), today)}",
        )
        for r in result.get("rows", [])
    ]
    totals = tuple(sum_by_currency(m for r in rows for m in r.amounts))
    summary = f"{plural(len(rows), 'trial')} ending, {money_text(totals)} MRR if they convert"
    return _section("trials", "Trials ending", summary, rows, totals=totals)


def new_customers(inputs: BriefInputs, result: Json, today: date) -> Section | None:
    rows = [
        _row(
            inputs,
            r,
            _moneys(r.get("mrr")),
            f"first paid {_day_phrase(_instant_day(r.get('first_paying_at'), inputs), today)}",
        )
        for r in result.get("rows", [])
    ]
    totals = _moneys(result.get("new_mrr"))
    summary = f"{plural(len(rows), 'new paying customer')}, {money_text(totals)} new MRR"
    return _section("new_customers", "New customers this week", summary, rows, totals=totals)


Builder = Callable[[BriefInputs, Json, date], Section | None]

BUILDERS: dict[str, Builder] = {
    "overdue": overdue,
    "failed_payments": failed_payments,
    "cancellations": cancellations,
    "scheduled_cancellations": scheduled_cancellations,
    "downgrades": downgrades,
    "upsell": upsell,
    "renewals": renewals,
    "trials": trials,
    "new_customers": new_customers,
}
