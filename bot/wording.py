"""Counts in words, shared by the CLI and Slack: "1 deleted customer", "12 invoices".

Storage and sync key their counts for machines (``customers_deleted``); a person
reads a noun that agrees with its number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from storage.coupons import UnresolvedCoupon

# count key -> (one, many); keys not listed read as their words ("foo_bar" -> "foo bar").
NOUNS: dict[str, tuple[str, str]] = {
    "products": ("product", "products"),
    "prices": ("price", "prices"),
    "customers": ("customer", "customers"),
    "customers_deleted": ("deleted customer", "deleted customers"),
    "subscriptions": ("subscription", "subscriptions"),
    "subscriptions_outside_window": (
        "subscription outside the window",
        "subscriptions outside the window",
    ),
    "invoices": ("invoice", "invoices"),
    "coupons": ("coupon", "coupons"),
    "events": ("event", "events"),
}


def unresolved_coupon_text(coupon: UnresolvedCoupon) -> str:
    """ "coupon ADDON10 could not be read from Stripe: Acme's figures are before its discount"."""
    owners = [*coupon.accounts, *coupon.customers]
    whose = f"{', '.join(owners)}'s figures are" if owners else "figures are"
    return (
        f"coupon {coupon.coupon_id} could not be read from Stripe (deleted, and no list "
        f"reaches it): {whose} before its discount"
    )


def counted(count: int, key: str) -> str:
    """ "1 deleted customer", "1,204 invoices"."""
    one, many = NOUNS.get(key, (key.replace("_", " "),) * 2)
    return f"{count:,} {one if count == 1 else many}"


def counts_text(
    counts: Mapping[str, int], keys: Iterable[str] | None = None, sep: str = ", "
) -> str:
    """The counts of ``keys`` (all, in order, when omitted) in words, joined by ``sep``."""
    chosen = list(counts) if keys is None else list(keys)
    return sep.join(counted(counts.get(k, 0), k) for k in chosen)
