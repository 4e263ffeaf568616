"""Table tests for subscription MRR (SPEC §7 "MRR of a subscription", §7b "Discounts")."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from billing.intervals import monthly_factor
from billing.models import Subscription, TransformQuantity
from billing.money import Money
from billing.mrr import item_amount, nominal_mrr, subscription_mrr, transformed_quantity
from tests.billing.build import NOW, T0, coupon, discount, dt, item, price, sub, tier


def usd(cents: int) -> Money:
    return Money(cents, "USD")


@pytest.mark.parametrize(
    ("interval", "count", "factor"),
    [
        ("day", 1, Fraction(365, 12)),
        ("day", 30, Fraction(365, 360)),
        ("week", 1, Fraction(52, 12)),
        ("week", 2, Fraction(52, 24)),
        ("month", 1, Fraction(1)),
        ("month", 3, Fraction(1, 3)),
        ("month", 6, Fraction(1, 6)),
        ("year", 1, Fraction(1, 12)),
        ("year", 2, Fraction(1, 24)),
    ],
)
def test_monthly_factor_every_interval_with_interval_count(
    interval: str, count: int, factor: Fraction
) -> None:
    assert monthly_factor(interval, count) == factor


def test_unknown_interval_is_rejected() -> None:
    with pytest.raises(ValueError):
        monthly_factor("fortnight")


@pytest.mark.parametrize(
    ("status", "paused", "expected"),
    [
        ("active", False, 5000),
        ("past_due", False, 5000),
        ("active", True, 0),  # pause_collection set
        ("trialing", False, 0),
        ("incomplete", False, 0),
        ("incomplete_expired", False, 0),
        ("unpaid", False, 0),
        ("canceled", False, 0),
        ("paused", False, 0),
    ],
)
def test_counted_statuses(status: str, paused: bool, expected: int) -> None:
    s = sub(item(price(5000)), status=status, paused=paused)
    assert subscription_mrr(s, NOW) == usd(expected)
    assert nominal_mrr(s, NOW) == usd(5000)  # nominal ignores status


@pytest.mark.parametrize(
    ("unit", "quantity", "interval", "count", "expected"),
    [
        ("1999.5", 10, "month", 1, 19995),  # unit_amount_decimal fraction, exact product
        ("1999.5", 1, "month", 1, 2000),  # 1999.5 cents rounds half up
        ("2399940", 1, "year", 1, 199995),  # yearly 23,999.40 -> 1,999.95 a month
        ("15000", 1, "week", 1, 65000),  # 150/week x 52/12
        ("36000", 1, "day", 30, 36500),  # 360 per 30 days x 365/360
        ("1200000", 1, "month", 3, 400000),  # quarterly
        ("540000", 1, "month", 6, 90000),  # semiannual
        ("1000", 3, "day", 1, 91250),  # daily x 365/12
    ],
)
def test_per_unit_amounts_normalised(
    unit: str, quantity: int, interval: str, count: int, expected: int
) -> None:
    s = sub(item(price(unit, interval=interval, count=count), quantity))
    assert subscription_mrr(s, NOW) == usd(expected)


@pytest.mark.parametrize(
    ("quantity", "rounding", "billed"),
    [(11, "up", 3), (11, "down", 2), (10, "up", 2), (10, "down", 2), (1, "down", 0)],
)
def test_transform_quantity_rounds_up_or_down(quantity: int, rounding: str, billed: int) -> None:
    p = price(10000, transform=TransformQuantity(5, rounding))
    assert transformed_quantity(p, quantity) == billed
    assert item_amount(p, quantity) == Decimal(10000 * billed)


VOLUME = (tier(10, 3000), tier(50, 2500, flat=1000), tier(None, 2000))
GRADUATED = (tier(10, 2000, flat=10000), tier(50, 1500), tier(None, 1000))


@pytest.mark.parametrize(
    ("mode", "tiers", "quantity", "expected"),
    [
        ("volume", VOLUME, 10, 30000),  # boundary belongs to the lower tier
        ("volume", VOLUME, 24, 24 * 2500 + 1000),  # flat amount of the holding tier
        ("volume", VOLUME, 51, 51 * 2000),
        ("graduated", GRADUATED, 5, 10000 + 5 * 2000),
        ("graduated", GRADUATED, 33, 10000 + 10 * 2000 + 23 * 1500),  # 64,500
        ("graduated", GRADUATED, 60, 10000 + 20000 + 40 * 1500 + 10 * 1000),
        ("graduated", GRADUATED, 0, 0),
    ],
)
def test_tiered_volume_and_graduated_with_flat_amounts(
    mode: str, tiers: tuple, quantity: int, expected: int
) -> None:
    p = price(None, scheme="tiered", mode=mode, tiers=tiers)
    assert item_amount(p, quantity) == Decimal(expected)


def test_metered_items_contribute_zero() -> None:
    metered = item(price(2, id="price_m", usage="metered"), 1, id="si_m")
    licensed = item(price(10000), 1, id="si_l")
    assert subscription_mrr(sub(metered), NOW) == usd(0)
    assert subscription_mrr(sub(licensed, metered), NOW) == usd(10000)


def _with(*discounts_: object, item_level: bool = False, **kw: object) -> Subscription:
    p = price(
        kw.pop("unit", 10000),
        interval=str(kw.pop("interval", "month")),
        count=int(kw.pop("count", 1)),
    )  # type: ignore[arg-type]
    if item_level:
        return sub(item(p, discounts=tuple(discounts_)))  # type: ignore[arg-type]
    return sub(item(p), discounts=tuple(discounts_))  # type: ignore[arg-type]


@pytest.mark.parametrize("item_level", [False, True])
@pytest.mark.parametrize(
    ("c", "end", "expected"),
    [
        (coupon("forever", percent=20), None, 8000),
        (coupon("repeating", percent=25), dt("2027-03-01"), 7500),
        (coupon("repeating", percent=25), dt("2027-01-01"), 10000),  # ended discount
        (coupon("repeating", percent=25), NOW, 10000),  # end is exclusive
        (coupon("once", percent=50), None, 10000),  # once never reduces MRR
        (coupon("forever", amount=1500, currency="USD"), None, 8500),
        (coupon("forever", amount=50000, currency="USD"), None, 0),  # never below 0
        (coupon("forever", percent=100), None, 0),
    ],
)
def test_discounts_item_and_subscription_level(
    item_level: bool, c: object, end: object, expected: int
) -> None:
    d = discount(c, end=end, item="si_1" if item_level else None)  # type: ignore[arg-type]
    assert subscription_mrr(_with(d, item_level=item_level), NOW) == usd(expected)


def test_discount_not_started_yet_does_not_apply() -> None:
    d = discount(coupon("forever", percent=20), start=dt("2027-03-01"))
    assert subscription_mrr(_with(d), NOW) == usd(10000)


def test_amount_off_is_per_billing_period() -> None:
    # $150 off a quarterly $12,000 price: 4,000 - 50 a month.
    d = discount(coupon("repeating", amount=15000, currency="USD"), end=dt("2027-06-01"))
    s = _with(d, unit=1200000, count=3)
    assert subscription_mrr(s, NOW) == usd(395000)
    # Yearly: 120 off 1,200 a year -> 100 - 10 a month.
    d2 = discount(coupon("forever", amount=12000, currency="USD"))
    assert subscription_mrr(_with(d2, unit=120000, interval="year"), NOW) == usd(9000)


def test_item_discount_applies_to_its_item_only() -> None:
    d = discount(coupon("forever", percent=10), item="si_b")
    s = sub(
        item(price(10000), id="si_a"),
        item(price(30000, id="price_b"), id="si_b", discounts=(d,)),
    )
    assert subscription_mrr(s, NOW) == usd(10000 + 27000)


def test_item_then_subscription_discount() -> None:
    item_d = discount(coupon("forever", percent=10), id="di_i", item="si_1")
    sub_d = discount(coupon("forever", percent=20), id="di_s")
    s = sub(item(price(10000), discounts=(item_d,)), discounts=(sub_d,))
    assert subscription_mrr(s, NOW) == usd(7200)


def test_zero_decimal_currency_jpy() -> None:
    s = sub(item(price(120000, currency="JPY", interval="year")), currency="JPY")
    mrr = subscription_mrr(s, NOW)
    assert mrr == Money(10000, "JPY")
    assert mrr.to_json() == {"amount": "10000", "currency": "JPY"}


def test_subscription_ended_before_at_is_zero() -> None:
    s = sub(item(price(10000)), ended_at=T0)
    assert subscription_mrr(s, NOW) == usd(0)


def test_scheduled_to_cancel_keeps_mrr_until_it_ends() -> None:
    s = sub(item(price(10000)), cancel_at=dt("2027-03-01"), cancel_at_period_end=True)
    assert subscription_mrr(s, NOW) == usd(10000)


def test_tiered_price_embedded_without_tiers_is_completed_from_catalogue() -> None:
    full = price(None, id="price_t", scheme="tiered", mode="volume", tiers=VOLUME)
    bare = price(None, id="price_t", scheme="tiered", mode="volume")
    s = sub(item(bare, 24))
    assert subscription_mrr(s, NOW) == usd(0)
    assert subscription_mrr(s, NOW, {"price_t": full}) == usd(61000)
