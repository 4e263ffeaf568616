"""FX conversion into the reporting currency (SPEC §7: a missing rate is named, never 1)."""

from __future__ import annotations

from decimal import Decimal

from billing.fx import FxRates, convert, convert_total
from billing.money import Money


def test_converts_when_every_rate_is_known():
    rates = FxRates("USD", {"EUR": Decimal("1.08"), "JPY": Decimal("0.0067")})
    result = convert_total([Money(100000, "EUR"), Money(5000, "USD"), Money(10000, "JPY")], rates)
    # €1,000 → $1,080.00; ¥10,000 → $67.00; + $50.00
    assert result.total == Money(119700, "USD")
    assert result.missing == ()


def test_missing_rate_is_named_not_treated_as_one():
    rates = FxRates("USD", {"EUR": Decimal("1.08")})
    result = convert_total([Money(100, "EUR"), Money(100, "GBP")], rates)
    assert result.total is None
    assert result.missing == ("GBP",)
    assert result.to_json()["missing_rates"] == ["GBP"]


def test_reporting_currency_needs_no_rate_and_rounding_is_half_up():
    rates = FxRates("eur", {"usd": "0.925"})
    assert convert(Money(1000, "EUR"), rates) == Money(1000, "EUR")
    assert convert(Money(1, "USD"), rates) == Money(1, "EUR")  # 0.925 → 1
    assert convert(Money(100, "GBP"), rates) is None
