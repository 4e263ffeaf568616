"""The demo agency's catalogue: products, prices and coupons (definitions only).

Amounts are integer minor units. Keys (``growth_usd`` …) are how scenarios in
``companies.py`` refer to prices; the generator gives them Stripe ids.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProductDef:
    key: str
    name: str
    description: str | None = None
    unit_label: str | None = None


@dataclass(frozen=True)
class TierDef:
    up_to: int | None  # None is "inf"
    unit_amount: int
    flat_amount: int | None = None


@dataclass(frozen=True)
class PriceDef:
    key: str
    product: str
    currency: str  # lower-case, as Stripe writes it
    unit_amount: int | None
    interval: str = "month"
    interval_count: int = 1
    lookup_key: str | None = None
    nickname: str | None = None
    tiers_mode: str | None = None
    tiers: tuple[TierDef, ...] = ()
    default: bool = False  # the product's default_price

    @property
    def tiered(self) -> bool:
        return bool(self.tiers)


@dataclass(frozen=True)
class CouponDef:
    id: str
    name: str
    duration: str  # once | repeating | forever
    percent_off: float | None = None
    amount_off: int | None = None
    currency: str | None = None
    duration_in_months: int | None = None


PRODUCTS: tuple[ProductDef, ...] = (
    ProductDef("starter", "Starter Retainer", "Monthly marketing retainer: essentials"),
    ProductDef("growth", "Growth Retainer", "Monthly marketing retainer: campaigns and content"),
    ProductDef("scale", "Scale Retainer", "Full-service retainer with a dedicated team"),
    ProductDef("seats", "Client Portal Seats", "Per-seat access to the reporting portal", "seat"),
    ProductDef("hosting", "Hosting & Care", "Managed website hosting and maintenance"),
    ProductDef("seo", "SEO Landing Pages", "Landing pages maintained per month", "page"),
    ProductDef("analytics", "Analytics Dashboard", "Custom analytics dashboard"),
)

_SEO_TIERS = (
    TierDef(10, 2000, 10000),
    TierDef(50, 1500),
    TierDef(None, 1000),
)

PRICES: tuple[PriceDef, ...] = (
    PriceDef("starter_usd", "starter", "usd", 120000, lookup_key="starter_monthly", default=True),
    PriceDef("starter_eur", "starter", "eur", 110000, nickname="Starter EUR"),
    PriceDef("starter_gbp", "starter", "gbp", 95000, nickname="Starter GBP"),
    PriceDef("growth_usd", "growth", "usd", 250000, lookup_key="growth_monthly", default=True),
    PriceDef("growth_eur", "growth", "eur", 230000, nickname="Growth EUR"),
    PriceDef("growth_gbp", "growth", "gbp", 200000, nickname="Growth GBP"),
    PriceDef("growth_usd_yearly", "growth", "usd", 2700000, "year", lookup_key="growth_yearly"),
    PriceDef("scale_usd", "scale", "usd", 600000, lookup_key="scale_monthly", default=True),
    PriceDef(
        "scale_usd_quarterly", "scale", "usd", 1650000, "month", 3, nickname="Scale - Quarterly"
    ),
    PriceDef("seats_usd", "seats", "usd", 4500, lookup_key="portal_seat", default=True),
    PriceDef("hosting_usd", "hosting", "usd", 30000, nickname="Hosting & Care", default=True),
    PriceDef("hosting_gbp", "hosting", "gbp", 25000, nickname="Hosting GBP"),
    PriceDef(
        "seo_graduated",
        "seo",
        "usd",
        None,
        lookup_key="seo_pages_graduated",
        tiers_mode="graduated",
        tiers=_SEO_TIERS,
        default=True,
    ),
    PriceDef("analytics_usd", "analytics", "usd", 40000, nickname="Analytics", default=True),
)

COUPONS: tuple[CouponDef, ...] = (
    CouponDef(
        "LOYAL20", "Loyalty 20% off (3 months)", "repeating", percent_off=20, duration_in_months=3
    ),
    CouponDef("SAVE250", "$250 off every month", "forever", amount_off=25000, currency="usd"),
)

PRICE_BY_KEY = {p.key: p for p in PRICES}
PRODUCT_BY_KEY = {p.key: p for p in PRODUCTS}
COUPON_BY_ID = {c.id: c for c in COUPONS}


def tiered_amount(price: PriceDef, quantity: int) -> int:
    """The amount a tiered price charges for ``quantity`` (graduated or volume)."""
    if price.tiers_mode == "volume":
        for tier in price.tiers:
            if tier.up_to is None or quantity <= tier.up_to:
                return tier.unit_amount * quantity + (tier.flat_amount or 0)
        return 0
    total, lower = 0, 0
    for tier in price.tiers:
        if quantity <= lower:
            break
        upper = quantity if tier.up_to is None else min(quantity, tier.up_to)
        total += tier.unit_amount * (upper - lower) + (tier.flat_amount or 0)
        lower = upper
    return total


def line_amount(price: PriceDef, quantity: int) -> int:
    """Undiscounted charge for one full period of ``quantity`` units."""
    if price.tiered:
        return tiered_amount(price, quantity)
    return (price.unit_amount or 0) * quantity
