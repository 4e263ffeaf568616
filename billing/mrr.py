"""MRR of one subscription (SPEC §7 "MRR of a subscription", §7b "Discounts").

Amounts are worked out exactly (Decimal per billing period, Fraction per
month) and rounded once, half up, to whole minor units per subscription: a
yearly 23,999.40 price is 1,999.95 a month, and a 1999.5-cent unit price × 10
is 199.95. Account and workspace figures add the rounded subscription figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from billing.intervals import recurring_factor
from billing.models import Discount, Price, Subscription
from billing.money import Money

COUNTED_STATUSES = frozenset({"active", "past_due"})
# Statuses of a subscription that has ended for good.
ENDED_STATUSES = frozenset({"canceled", "incomplete_expired"})


@dataclass(frozen=True, slots=True)
class PricedLine:
    """One licensed-or-metered line of a subscription: a price, a quantity, its own discounts."""

    price: Price
    quantity: int
    discounts: tuple[Discount, ...] = ()


def transformed_quantity(price: Price, quantity: int) -> int:
    """The billed quantity after ``transform_quantity`` (divide, round up or down)."""
    transform = price.transform_quantity
    if transform is None or transform.divide_by <= 1:
        return quantity
    mode = ROUND_CEILING if transform.round == "up" else ROUND_FLOOR
    return int((Decimal(quantity) / Decimal(transform.divide_by)).to_integral_value(mode))


def _tier_cost(unit: Decimal | None, flat: Decimal | None, count: int) -> Decimal:
    return (unit or Decimal(0)) * count + (flat or Decimal(0))


def _volume_amount(price: Price, quantity: int) -> Decimal:
    for tier in price.tiers:
        if tier.up_to is None or quantity <= tier.up_to:
            return _tier_cost(tier.unit_amount_decimal, tier.flat_amount_decimal, quantity)
    return Decimal(0)


def _graduated_amount(price: Price, quantity: int) -> Decimal:
    total = Decimal(0)
    lower = 0
    for tier in price.tiers:
        if quantity <= lower:
            break
        upper = quantity if tier.up_to is None else min(quantity, tier.up_to)
        total += _tier_cost(tier.unit_amount_decimal, tier.flat_amount_decimal, upper - lower)
        if tier.up_to is None:
            break
        lower = tier.up_to
    return total


def item_amount(price: Price, quantity: int) -> Decimal:
    """Undiscounted charge of one billing period in minor units (may be fractional)."""
    if price.billing_scheme == "tiered":
        if price.tiers_mode == "graduated":
            return _graduated_amount(price, quantity)
        return _volume_amount(price, quantity)
    unit = price.unit_amount_decimal or Decimal(0)
    return unit * transformed_quantity(price, quantity)


def is_licensed(price: Price) -> bool:
    """A recurring price billed up front (metered usage contributes no MRR)."""
    return price.recurring is not None and price.recurring.usage_type != "metered"


def monthly_amount(price: Price, quantity: int) -> Fraction:
    """Undiscounted monthly amount of a line in minor units (0 for metered/one-off)."""
    if not is_licensed(price):
        return Fraction(0)
    return Fraction(item_amount(price, quantity)) * recurring_factor(price.recurring)


def discount_active(discount: Discount, at: datetime) -> bool:
    """Whether a discount reduces MRR at ``at``: forever/repeating, start <= at < end."""
    duration = discount.coupon.duration
    if duration not in ("forever", "repeating"):
        return False
    if discount.start is not None and at < discount.start:
        return False
    end = discount.end
    return end is None or at < end


def _apply(
    amount: Fraction, discounts: Iterable[Discount], at: datetime, factor: Fraction, currency: str
) -> Fraction:
    """Apply active discounts in order; amount_off is per period, so × the monthly factor."""
    for discount in discounts:
        if not discount_active(discount, at):
            continue
        coupon = discount.coupon
        if coupon.percent_off is not None:
            amount -= amount * Fraction(coupon.percent_off) / 100
        elif coupon.amount_off is not None:
            if coupon.currency and coupon.currency.upper() != currency.upper():
                continue  # Stripe never applies a coupon of another currency
            amount -= Fraction(coupon.amount_off) * factor
        amount = max(amount, Fraction(0))
    return amount


def _round_half_up(value: Fraction) -> int:
    return int((value * 2 + 1) // 2) if value >= 0 else -int((-value * 2 + 1) // 2)


def lines_monthly(
    lines: Sequence[PricedLine], sub_discounts: Iterable[Discount], at: datetime, currency: str
) -> Fraction:
    """Exact monthly amount of priced lines after item- then subscription-level discounts."""
    total = Fraction(0)
    factor = Fraction(0)
    for line in lines:
        line_factor = recurring_factor(line.price.recurring)
        factor = factor or line_factor
        if not is_licensed(line.price):
            continue
        monthly = monthly_amount(line.price, line.quantity)
        total += _apply(monthly, line.discounts, at, line_factor, currency)
    return _apply(total, sub_discounts, at, factor, currency)


def lines_mrr(
    lines: Sequence[PricedLine], sub_discounts: Iterable[Discount], at: datetime, currency: str
) -> Money:
    """``lines_monthly`` rounded half up to whole minor units."""
    return Money(_round_half_up(lines_monthly(lines, sub_discounts, at, currency)), currency)


def full_price(price: Price, prices: Mapping[str, Price] | None) -> Price:
    """The catalogue price for ``price``: Stripe embeds tiered prices without their tiers."""
    if prices is None:
        return price
    known = prices.get(price.id)
    if known is None:
        return price
    if price.billing_scheme == "tiered" and not price.tiers and known.tiers:
        return known
    return price


def with_full_prices(sub: Subscription, prices: Mapping[str, Price]) -> Subscription:
    """``sub`` with item prices completed from the catalogue (tiers filled in)."""
    items = tuple(replace(i, price=full_price(i.price, prices)) for i in sub.items)
    if all(a.price is b.price for a, b in zip(items, sub.items, strict=True)):
        return sub
    return replace(sub, items=items)


def current_lines(sub: Subscription, prices: Mapping[str, Price] | None = None) -> list[PricedLine]:
    """The subscription's current items as priced lines."""
    return [PricedLine(full_price(i.price, prices), i.quantity, i.discounts) for i in sub.items]


def status_counts(sub: Subscription) -> bool:
    """Whether the current status contributes MRR: active/past_due and not paused."""
    return sub.status in COUNTED_STATUSES and sub.pause_collection is None


def nominal_mrr(
    sub: Subscription, at: datetime, prices: Mapping[str, Price] | None = None
) -> Money:
    """MRR the subscription's current items would give at ``at`` if its status counted.

    ``prices`` (e.g. ``ledger.prices``) completes tiered prices embedded without tiers.
    """
    return lines_mrr(current_lines(sub, prices), sub.discounts, at, sub.currency)


def subscription_mrr(
    sub: Subscription, at: datetime, prices: Mapping[str, Price] | None = None
) -> Money:
    """MRR of a subscription at ``at`` from its current status, items and discounts."""
    if not status_counts(sub) or (sub.ended_at is not None and sub.ended_at <= at):
        return Money.zero(sub.currency)
    return nominal_mrr(sub, at, prices)
