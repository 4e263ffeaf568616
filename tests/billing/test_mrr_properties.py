"""Property tests: MRR is never negative; history's current point equals current MRR."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from billing.history import account_history
from billing.ledger import Ledger
from billing.models import Account, Discount, Price, Subscription, TransformQuantity
from billing.money import Money
from billing.mrr import nominal_mrr, subscription_mrr
from tests.billing.build import NOW, T0, coupon, discount, invoice, item, line, price, sub, tier

INTERVALS = st.sampled_from(["day", "week", "month", "year"])


@st.composite
def prices(draw: st.DrawFn) -> Price:
    interval = draw(INTERVALS)
    count = draw(st.integers(1, 12))
    usage = draw(st.sampled_from(["licensed", "licensed", "metered"]))
    if draw(st.booleans()):
        unit = draw(st.decimals(0, 10**7, places=3, allow_nan=False, allow_infinity=False))
        transform = draw(
            st.none()
            | st.builds(TransformQuantity, st.integers(1, 20), st.sampled_from(["up", "down"]))
        )
        return price(str(unit), interval=interval, count=count, usage=usage, transform=transform)
    bounds = sorted(set(draw(st.lists(st.integers(1, 100), min_size=1, max_size=3))))
    amounts = st.integers(0, 10**5)
    tiers = tuple(tier(b, draw(amounts), draw(st.none() | amounts)) for b in bounds)
    tiers += (tier(None, draw(amounts), draw(st.none() | amounts)),)
    mode = draw(st.sampled_from(["volume", "graduated"]))
    return price(
        None, scheme="tiered", mode=mode, tiers=tiers, interval=interval, count=count, usage=usage
    )


@st.composite
def discounts(draw: st.DrawFn, item_id: str | None) -> Discount:
    duration = draw(st.sampled_from(["forever", "repeating", "once"]))
    if draw(st.booleans()):
        c = coupon(duration, percent=draw(st.integers(0, 100)))
    else:
        c = coupon(duration, amount=draw(st.integers(0, 10**7)), currency="USD")
    start = T0 + timedelta(days=draw(st.integers(0, 800)))
    end = draw(st.none() | st.just(start + timedelta(days=draw(st.integers(1, 400)))))
    return discount(c, id=f"di_{draw(st.integers())}", start=start, end=end, item=item_id)


@st.composite
def subscriptions(draw: st.DrawFn) -> Subscription:
    n = draw(st.integers(1, 3))
    items = tuple(
        item(
            draw(prices()),
            draw(st.integers(0, 500)),
            id=f"si_{k}",
            discounts=tuple(draw(st.lists(discounts(f"si_{k}"), max_size=2))),
        )
        for k in range(n)
    )
    return sub(*items, discounts=tuple(draw(st.lists(discounts(None), max_size=2))))


@settings(max_examples=200, deadline=None)
@given(subscriptions(), st.integers(0, 900))
def test_mrr_is_never_negative(s: Subscription, day: int) -> None:
    at = T0 + timedelta(days=day)
    assert subscription_mrr(s, at).amount >= 0
    assert nominal_mrr(s, at).amount >= 0


@settings(max_examples=100, deadline=None)
@given(subscriptions())
def test_history_now_equals_current_mrr_for_unchanged_subscription(s: Subscription) -> None:
    ledger = Ledger(window_start=T0)
    ledger.accounts["acct"] = Account(id="acct", name="Acme")
    ledger.customer_accounts["cus_1"] = "acct"
    ledger.subscriptions[s.id] = s
    for it in s.items:
        ledger.prices[it.price.id] = it.price
    # The current period is billed with today's items.
    start = datetime(2027, 2, 1, tzinfo=UTC)
    lines = tuple(
        line(
            start,
            datetime(2027, 3, 1, tzinfo=UTC),
            id=f"il_{it.id}",
            price_id=it.price.id,
            quantity=it.quantity,
            item_id=it.id,
        )
        for it in s.items
    )
    ledger.invoices["in_now"] = invoice("in_now", created=start, lines=lines)
    history = account_history(ledger, "acct", NOW)
    current = subscription_mrr(s, NOW)
    expected = [current] if current.amount else []
    assert history[-1] == ("2027-02", expected)
    assert all(isinstance(m, Money) and m.amount > 0 for _, ms in history for m in ms)
