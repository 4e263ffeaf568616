"""Trend charts: a PNG with one panel per currency, or, where uploads are not allowed, a sparkline.

Points come from a trend answer's result: month-end MRR per ``YYYY-MM``, one
or more currencies. Currencies never share an axis (there is no rate between
them): each gets its own panel, its symbol on the axis, and a y-range fitted
to its own movement rather than pinned at 0, so a drop from $73.75k to
$66.86k is visible next to a flat £6.25k. Amounts stay Money until the
plotting call, which needs floats for pixels only.

Rendering uses matplotlib's object API (``Figure`` + its Agg canvas), never
pyplot's global figure registry, so concurrent answers in the threaded server
cannot draw into each other's figures. Slack's upload and ``revbot ask --chart``
both call :func:`trend_chart`, so they produce the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from billing.money import Money

TREND_INTENTS = frozenset({"mrr_trend", "account_mrr_trend"})
SPARKS = "▁▂▃▄▅▆▇█"
CHART_FILENAME = "mrr-trend.png"
# A series that moves less than this share of its size is drawn in a band this wide, so
# a flat line sits mid-panel and a one-dollar wobble does not fill the panel like a cliff.
MIN_SPAN_SHARE = 0.1
PAD_SHARE = 0.15  # headroom above and below the line, as a share of the shown span
PANEL_HEIGHT = 2.3  # inches per currency
WIDTH = 8.0
ZERO_CENTS = re.compile(r"\.0+\b")  # "$66,860.00" -> "$66,860", "1,000.00 CHF" -> "1,000 CHF"


@dataclass(frozen=True)
class TrendPoint:
    month: str  # YYYY-MM
    value: Money


@dataclass(frozen=True)
class Chart:
    """A rendered trend chart: its title (the upload's title) and PNG bytes."""

    title: str
    png: bytes
    filename: str = CHART_FILENAME


def month_label(month: str) -> str:
    """ "2027-02" -> "Feb 2027"."""
    year, number = (int(p) for p in month.split("-"))
    return f"{date(year, number, 1):%b %Y}"


def _money(value: Any) -> Money | None:
    if isinstance(value, dict) and "amount" in value and "currency" in value:
        return Money.from_decimal(Decimal(str(value["amount"])), str(value["currency"]))
    return None


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    for key in ("rows", "points", "months", "history", "mrr_history"):
        rows = result.get(key)
        if isinstance(rows, list) and rows and isinstance(rows[0], dict) and "month" in rows[0]:
            return rows
    return []


def trend_series(result: dict[str, Any]) -> dict[str, list[TrendPoint]]:
    """Per currency, the month-end points of a trend result (empty when none)."""
    series: dict[str, list[TrendPoint]] = {}
    for row in _rows(result):
        values = row.get("mrr", row.get("amount", row.get("value")))
        items: Iterable[Any] = values if isinstance(values, list) else [values]
        for item in items:
            money = _money(item)
            if money is not None:
                series.setdefault(money.currency, []).append(TrendPoint(str(row["month"]), money))
    return series


def chart_title(result: dict[str, Any]) -> str:
    """ "Month-end MRR", or "Month-end MRR — Acme Robotics" for one account's trend."""
    account = result.get("account")
    name = account.get("name") if isinstance(account, dict) else None
    return f"Month-end MRR — {name}" if name else "Month-end MRR"


def trend_chart(result: dict[str, Any]) -> Chart | None:
    """The chart of a trend answer's result, or None when it holds no points."""
    series = trend_series(result)
    if not series:
        return None
    title = chart_title(result)
    return Chart(title, render_png(series, title))


def sparkline(points: Sequence[TrendPoint]) -> str:
    """ "`▁▂▄▆█` Jan 2027 $1,200.00 → May 2027 $2,400.00": a text chart for when images
    can't be uploaded."""
    if not points:
        return ""
    amounts = [p.value.amount for p in points]
    low, high = min(amounts), max(amounts)
    span = high - low
    bars = "".join(
        SPARKS[0 if span == 0 else (a - low) * (len(SPARKS) - 1) // span] for a in amounts
    )
    first, last = points[0], points[-1]
    return (
        f"`{bars}` {month_label(first.month)} {first.value.format()} → "
        f"{month_label(last.month)} {last.value.format()}"
    )


def y_range(values: Sequence[float]) -> tuple[float, float]:
    """Axis limits that show a series' movement: fitted to its own low and high (not
    from 0), padded, never below 0 for a series that never is."""
    low, high = min(values), max(values)
    span = high - low
    least = max(abs(low), abs(high)) * MIN_SPAN_SHARE or 1.0
    if span < least:
        middle = (low + high) / 2
        low, high, span = middle - least / 2, middle + least / 2, least
    bottom, top = low - span * PAD_SHARE, high + span * PAD_SHARE
    if min(values) >= 0 > bottom:
        bottom = 0.0
    return bottom, top


def build_figure(series: dict[str, list[TrendPoint]], title: str) -> Figure:
    """One panel per currency (sorted by code), sharing the month axis."""
    currencies = sorted(series)
    months = sorted({p.month for points in series.values() for p in points})
    column = {month: i for i, month in enumerate(months)}
    figure = Figure(
        figsize=(WIDTH, 1.2 + PANEL_HEIGHT * len(currencies)), dpi=100, layout="constrained"
    )
    panels = figure.subplots(len(currencies), 1, sharex=True, squeeze=False)[:, 0]
    for number, (axes, currency) in enumerate(zip(panels, currencies, strict=True)):
        points = series[currency]
        ys = [float(p.value.major) for p in points]  # plotting needs floats
        xs = [column[p.month] for p in points]
        axes.plot(xs, ys, marker="o", linewidth=2, color=f"C{number}")
        axes.set_ylim(*y_range(ys))
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10]))
        axes.yaxis.set_major_formatter(FuncFormatter(axis_formatter(currency)))
        axes.set_ylabel(f"MRR ({currency})")
        axes.set_title(plain(panel_title(currency, points)), loc="left", fontsize=10)
        axes.grid(True, alpha=0.3)
    panels[-1].set_xticks(range(len(months)), [month_label(m) for m in months])
    panels[-1].tick_params(axis="x", labelrotation=45)
    figure.suptitle(plain(title), fontweight="bold")
    return figure


def panel_title(currency: str, points: Sequence[TrendPoint]) -> str:
    """ "USD: $46,450 in Jan 2026 → $66,860 in Dec 2026"."""
    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"{currency}: {_short(first.value)} in {month_label(first.month)}"
    return (
        f"{currency}: {_short(first.value)} in {month_label(first.month)} → "
        f"{_short(last.value)} in {month_label(last.month)}"
    )


def render_png(series: dict[str, list[TrendPoint]], title: str) -> bytes:
    """The PNG bytes of :func:`build_figure` (deterministic for the same input)."""
    buffer = io.BytesIO()
    build_figure(series, title).savefig(buffer, format="png")
    return buffer.getvalue()


def _short(money: Money) -> str:
    """ "$66,860" for whole amounts, "$66,860.50" otherwise."""
    return ZERO_CENTS.sub("", money.format())


def plain(text: str) -> str:
    """Text matplotlib shows as written: two "$" would otherwise start math mode."""
    return text.replace("$", r"\$")


def axis_formatter(currency: str) -> Callable[[float, int], str]:
    """Tick labels in ``currency`` with its symbol: "$66,000", "€7,900", "¥12,000"."""

    def label(value: float, _position: int) -> str:
        return plain(_short(Money.from_decimal(Decimal(str(round(value, 2))), currency)))

    return label
