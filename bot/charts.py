"""Trend charts: a PNG (matplotlib, Agg backend) or, where uploads are not allowed, a sparkline.

Points come from a trend answer's result: month-end MRR per ``YYYY-MM`` in
one currency. Amounts stay Money until the plotting call, which needs floats
for pixels only.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: render to memory only

from matplotlib import pyplot as plt
from matplotlib.ticker import FuncFormatter

from billing.money import Money

TREND_INTENTS = frozenset({"mrr_trend", "account_mrr_trend"})
SPARKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class TrendPoint:
    month: str  # YYYY-MM
    value: Money


def month_label(month: str) -> str:
    """ "2027-02" -> "Feb 27"."""
    year, number = (int(p) for p in month.split("-"))
    return f"{date(year, number, 1):%b} {year % 100:02d}"


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


def sparkline(points: Sequence[TrendPoint]) -> str:
    """ "▁▂▄▆█ $1,200.00 → $2,400.00": a text chart for when images can't be uploaded."""
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


def render_png(series: dict[str, list[TrendPoint]], title: str) -> bytes:
    """A line chart, one line per currency, with month labels and currency-formatted axis."""
    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=100)
    try:
        currencies = sorted(series)
        for currency in currencies:
            points = series[currency]
            xs = list(range(len(points)))
            ys = [float(p.value.major) for p in points]  # plotting needs floats
            axes.plot(xs, ys, marker="o", linewidth=2, label=currency)
            axes.set_xticks(xs, [month_label(p.month) for p in points], rotation=45, ha="right")
        if len(currencies) == 1:
            sample = series[currencies[0]][0].value
            axes.yaxis.set_major_formatter(FuncFormatter(_axis_formatter(sample.currency)))
        else:
            axes.legend()
        axes.set_title(title)
        axes.grid(True, alpha=0.3)
        axes.set_ylim(bottom=0)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


def _axis_formatter(currency: str) -> Any:
    def label(value: float, _position: int) -> str:
        money = Money.from_decimal(Decimal(str(round(value, 2))), currency)
        text = money.format()
        return text[:-3] if text.endswith(".00") else text

    return label
