"""Monthly normalisation factors for recurring prices (SPEC §7).

A price billed every ``interval_count`` × ``interval`` is turned into a
monthly figure by multiplying its per-period amount by an exact Fraction:
day × 365/12, week × 52/12, month × 1, year ÷ 12, each ÷ ``interval_count``.
"""

from __future__ import annotations

from fractions import Fraction

from billing.models import Recurring

# Periods per month for one unit of each interval.
_PER_MONTH: dict[str, Fraction] = {
    "day": Fraction(365, 12),
    "week": Fraction(52, 12),
    "month": Fraction(1),
    "year": Fraction(1, 12),
}


def monthly_factor(interval: str, interval_count: int = 1) -> Fraction:
    """How many billing periods of ``interval_count`` × ``interval`` fit in a month."""
    try:
        base = _PER_MONTH[interval]
    except KeyError as exc:
        raise ValueError(f"unknown recurring interval {interval!r}") from exc
    if interval_count < 1:
        raise ValueError(f"interval_count must be >= 1, got {interval_count}")
    return base / interval_count


def recurring_factor(recurring: Recurring | None) -> Fraction:
    """The monthly factor of a price's ``recurring``; one-off prices have none (0)."""
    if recurring is None:
        return Fraction(0)
    return monthly_factor(recurring.interval, recurring.interval_count)
