"""A tiny multi-account ledger builder for workspace-list tests.

``Book`` adds accounts with monthly subscriptions billed by one full invoice
line per month, so history (and so movements, changes, new customers) can be
driven by a list of monthly quantities.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from billing.ledger import Ledger
from billing.models import Account, Discount, Invoice, InvoiceLine, Price, Subscription
from tests.billing.build import item, price

WINDOW = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 7, 15, 12, tzinfo=UTC)


def at(month: int, day: int = 1, hour: int = 10, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def month_start(index: int, day: int = 5) -> datetime:
    """The ``day`` of month ``index`` counted from January 2026 (0 = Jan 2026)."""
    return datetime(2026 + index // 12, index % 12 + 1, day, 10, tzinfo=UTC)


class Book:
    def __init__(self, window: datetime = WINDOW) -> None:
        self.ledger = Ledger(window_start=window)
        self._n = 0

    def account(self, name: str) -> str:
        account_id = "acct_" + name.lower()
        self.ledger.accounts[account_id] = Account(id=account_id, name=name, domain=None)
        self.ledger.customer_accounts["cus_" + name.lower()] = account_id
        return account_id

    def add_price(self, p: Price) -> Price:
        self.ledger.prices[p.id] = p
        return p

    def monthly(
        self,
        name: str,
        quantities: list[int],
        *,
        first: int = 0,
        day: int = 5,
        unit: int = 10000,
        currency: str = "USD",
        sub_id: str | None = None,
        discount: Discount | None = None,
        line_discounts: dict[int, tuple[str, ...]] | None = None,
        invoice_status: str = "paid",
        **sub_fields: object,
    ) -> Subscription:
        """A monthly subscription of ``name`` starting month ``first``; one invoice per
        entry of ``quantities`` (0 = no line that month)."""
        if "acct_" + name.lower() not in self.ledger.accounts:
            self.account(name)
        self._n += 1
        sid = sub_id or f"sub_{name.lower()}_{self._n}"
        p = self.add_price(price(unit, id=f"price_{currency.lower()}_{unit}", currency=currency))
        start = month_start(first, day)
        last_qty = next((q for q in reversed(quantities) if q), 1)
        period_end = month_start(first + len(quantities), day)
        subscription = Subscription(
            id=sid,
            customer_id="cus_" + name.lower(),
            status="active",
            currency=currency,
            created=start,
            start_date=start,
            items=(replace(item(p, last_qty, id=f"si_{sid}", period_end=period_end)),),
            discounts=(discount,) if discount else (),
        )
        subscription = replace(subscription, **sub_fields)  # type: ignore[arg-type]
        self.ledger.subscriptions[sid] = subscription
        for k, qty in enumerate(quantities):
            if not qty:
                continue
            begin, end = month_start(first + k, day), month_start(first + k + 1, day)
            line = InvoiceLine(
                id=f"il_{sid}_{k}",
                amount=unit * qty,
                currency=currency,
                period_start=begin,
                period_end=end,
                price_id=p.id,
                quantity=qty,
                subscription_id=sid,
                subscription_item_id=f"si_{sid}",
                discount_ids=(line_discounts or {}).get(k, ()),
            )
            self.invoice(
                Invoice(
                    id=f"in_{sid}_{k}",
                    customer_id="cus_" + name.lower(),
                    status=invoice_status,
                    currency=currency,
                    created=begin,
                    subscription_id=sid,
                    amount_due=unit * qty,
                    amount_paid=unit * qty if invoice_status == "paid" else 0,
                    finalized_at=begin,
                    paid_at=begin if invoice_status == "paid" else None,
                    lines=(line,),
                )
            )
        return subscription

    def invoice(self, inv: Invoice) -> Invoice:
        self.ledger.invoices[inv.id] = inv
        return inv

    def done(self) -> Ledger:
        """The ledger, with its cached indexes rebuilt."""
        fresh = Ledger(window_start=self.ledger.window_start)
        for name in (
            "accounts",
            "customers",
            "customer_accounts",
            "products",
            "prices",
            "discounts",
            "subscriptions",
            "invoices",
        ):
            setattr(fresh, name, dict(getattr(self.ledger, name)))
        return fresh
