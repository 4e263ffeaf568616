"""Trend charts: a panel per currency with its symbol, a y-range showing the movement,
month labels that read as months, deterministic PNGs from the Figure API (no pyplot)."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from matplotlib.text import Text

from billing.money import Money
from bot.charts import (
    TrendPoint,
    build_figure,
    chart_title,
    month_label,
    render_png,
    sparkline,
    trend_chart,
    trend_series,
    y_range,
)

ROOT = Path(__file__).resolve().parents[2]
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
# The three-currency workspace: USD peaks at $73,750 in August and drops to
# $66,860; EUR and GBP are an order of magnitude smaller, GBP flat for months.
USD = [46450, 55150, 62650, 67650, 68350, 69550, 70750, 73750, 72810, 69110, 66860, 66860]
EUR = [2300, 3400, 3400, 3400, 4500, 4500, 7900, 7900, 7900, 7900, 7900, 7900]
GBP = [6250] * 12


def _result(**currencies: list[int]) -> dict[str, object]:
    rows = []
    for i, month in enumerate(MONTHS):
        mrr = [
            {"amount": f"{values[i]}.00", "currency": code}
            for code, values in sorted(currencies.items())
            if i < len(values) and values[i] is not None
        ]
        rows.append({"month": month, "mrr": mrr})
    return {"rows": rows}


def _shown(text: str) -> str:
    """The text matplotlib draws for ``text``: math mode would eat a pair of "$"."""
    shown, is_math = Text(text=text)._preprocess_math(text)
    assert not is_math, f"{text!r} would be drawn as math"
    return str(shown)


def _tick_texts(axes: object, values: list[float]) -> list[str]:
    formatter = axes.yaxis.get_major_formatter()  # type: ignore[attr-defined]
    return [_shown(formatter(v, 0)) for v in values]


def test_three_currencies_get_one_panel_each_with_their_symbol() -> None:
    series = trend_series(_result(USD=USD, EUR=EUR, GBP=GBP))
    figure = build_figure(series, "Month-end MRR")
    panels = figure.axes
    assert [a.get_ylabel() for a in panels] == ["MRR (EUR)", "MRR (GBP)", "MRR (USD)"]
    for axes, symbol in zip(panels, "€£$", strict=True):
        ticks = [t for t in axes.get_yticks() if axes.get_ylim()[0] <= t <= axes.get_ylim()[1]]
        assert ticks, "no y ticks inside the panel"
        assert all(text.startswith(symbol) for text in _tick_texts(axes, list(ticks)))
    eur, _gbp, usd = panels
    assert _shown(usd.get_title(loc="left")) == "USD: $46,450 in Jan 2026 → $66,860 in Dec 2026"
    assert _shown(eur.get_title(loc="left")).startswith("EUR: €2,300 in Jan 2026")


def test_each_panel_shows_its_own_movement_not_a_range_from_zero() -> None:
    figure = build_figure(trend_series(_result(USD=USD, EUR=EUR, GBP=GBP)), "MRR")
    eur, gbp, usd = figure.axes
    low, high = usd.get_ylim()
    assert 0 < low < min(USD) and high > max(USD)
    # The August peak to November drop takes at least twice the height it would on an
    # axis from 0 (where it was lost in the chart).
    drop = 73750 - 66860
    assert drop / (high - low) > 2 * drop / high
    low, high = gbp.get_ylim()
    assert low < 6250 < high and low > 0  # a flat series sits inside a band, off the floor
    low, high = eur.get_ylim()
    assert low < min(EUR) and max(EUR) < high < 2 * max(EUR)


def test_month_labels_read_as_months_on_the_shared_axis() -> None:
    assert month_label("2026-07") == "Jul 2026"
    assert month_label("2027-01") == "Jan 2027"
    figure = build_figure(trend_series(_result(USD=USD, EUR=EUR)), "MRR")
    bottom = figure.axes[-1]
    assert [t.get_text() for t in bottom.get_xticklabels()] == [
        "Jan 2026",
        "Feb 2026",
        "Mar 2026",
        "Apr 2026",
        "May 2026",
        "Jun 2026",
        "Jul 2026",
        "Aug 2026",
        "Sep 2026",
        "Oct 2026",
        "Nov 2026",
        "Dec 2026",
    ]
    assert figure.axes[0].get_shared_x_axes().joined(figure.axes[0], bottom)


def test_a_currency_that_starts_later_is_drawn_under_its_own_months() -> None:
    late = [None] * 6 + [900, 950, 990, 1000, 1000, 1100]
    figure = build_figure(trend_series(_result(USD=USD, JPY=late)), "MRR")  # type: ignore[arg-type]
    jpy = figure.axes[0]
    xs = list(jpy.get_lines()[0].get_xdata())
    assert xs == [6, 7, 8, 9, 10, 11]  # Jul 2026 … Dec 2026 on the shared axis
    assert _tick_texts(jpy, [1000.0]) == ["¥1,000"]


@given(
    st.lists(
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=24,
    )
)
def test_y_range_holds_every_value_with_room_and_no_invented_negatives(
    values: list[float],
) -> None:
    low, high = y_range(values)
    assert low < min(values) or low == 0 == min(values)
    assert high > max(values)
    if min(values) >= 0:
        assert low >= 0


def test_pngs_are_identical_across_threads_and_pyplot_is_never_used() -> None:
    series = trend_series(_result(USD=USD, EUR=EUR, GBP=GBP))
    expected = render_png(series, "Month-end MRR")
    assert expected.startswith(b"\x89PNG")
    with ThreadPoolExecutor(max_workers=4) as pool:
        rendered = list(pool.map(lambda _: render_png(series, "Month-end MRR"), range(8)))
    assert all(png == expected for png in rendered)
    probe = (
        "import sys\n"
        "from bot.charts import trend_chart\n"
        "rows = [{'month': '2026-0%d' % m, 'mrr': [{'amount': '1.00', 'currency': 'USD'}]}"
        " for m in range(1, 4)]\n"
        "assert trend_chart({'rows': rows}) is not None\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, timeout=120)


def test_trend_chart_titles_an_account_and_skips_results_without_points() -> None:
    account = {"id": "acc_1", "name": "Acme Robotics", "domain": "acme.com"}
    result = {**_result(USD=USD), "account": account}
    chart = trend_chart(result)
    assert chart is not None
    assert chart.title == chart_title(result) == "Month-end MRR — Acme Robotics"
    assert chart.png == render_png(trend_series(result), chart.title)
    assert trend_chart({"rows": [{"name": "not a trend"}]}) is None
    assert trend_chart({}) is None


def test_sparkline_names_months_and_amounts() -> None:
    points = [TrendPoint(m, Money(v * 100, "USD")) for m, v in zip(MONTHS, USD, strict=True)]
    line = sparkline(points)
    assert line.startswith("`▁")
    assert "Jan 2026 $46,450.00 → Dec 2026 $66,860.00" in line
    assert "█" in line  # the August peak
