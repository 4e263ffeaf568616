"""The input of every account and workspace figure: one workspace's synced objects.

Storage loads a ``Ledger``; billing functions read it. It holds domain objects
only, so the rules can be tested on hand-built ledgers without a database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from billing.models import (
    Account,
    Customer,
    Discount,
    Invoice,
    Price,
    Product,
    Subscription,
)


@dataclass
class Ledger:
    """Synced Stripe objects plus the account mapping of one workspace.

    ``customer_accounts`` maps a Stripe customer id to its account id; customers
    absent from it are unassigned (unmatched, ambiguous or deleted).
    ``window_start`` is where synced history begins (SPEC §7b).
    """

    window_start: datetime
    accounts: dict[str, Account] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    customer_accounts: dict[str, str] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    prices: dict[str, Price] = field(default_factory=dict)
    discounts: dict[str, Discount] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    invoices: dict[str, Invoice] = field(default_factory=dict)
    # Results billing functions derive from the ledger (e.g. a subscription's MRR at an
    # instant), shared by figures, facts and timelines. Assigning a field empties it; like
    # the indexes below it assumes the dicts are not changed in place once computed from.
    memo: dict[object, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __setattr__(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)
        if name != "memo" and "memo" in self.__dict__:
            self.memo.clear()

    @cached_property
    def customers_by_account(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for customer_id, account_id in sorted(self.customer_accounts.items()):
            out[account_id].append(customer_id)
        return dict(out)

    @cached_property
    def subscriptions_by_customer(self) -> dict[str, list[Subscription]]:
        out: dict[str, list[Subscription]] = defaultdict(list)
        for sub in self.subscriptions.values():
            out[sub.customer_id].append(sub)
        return dict(out)

    @cached_property
    def invoices_by_customer(self) -> dict[str, list[Invoice]]:
        out: dict[str, list[Invoice]] = defaultdict(list)
        for invoice in self.invoices.values():
            out[invoice.customer_id].append(invoice)
        return dict(out)

    @cached_property
    def invoices_by_subscription(self) -> dict[str, list[Invoice]]:
        out: dict[str, list[Invoice]] = defaultdict(list)
        for invoice in self.invoices.values():
            if invoice.subscription_id:
                out[invoice.subscription_id].append(invoice)
        return dict(out)

    @cached_property
    def discounts_by_subscription(self) -> dict[str, list[Discount]]:
        """``discounts`` by ``subscription_id`` (attached or not), in ``discounts`` order."""
        out: dict[str, list[Discount]] = defaultdict(list)
        for discount in self.discounts.values():
            if discount.subscription_id:
                out[discount.subscription_id].append(discount)
        return dict(out)

    def account_subscriptions(self, account_id: str) -> list[Subscription]:
        return [
            sub
            for customer_id in self.customers_by_account.get(account_id, [])
            for sub in self.subscriptions_by_customer.get(customer_id, [])
        ]

    def account_invoices(self, account_id: str) -> list[Invoice]:
        return [
            inv
            for customer_id in self.customers_by_account.get(account_id, [])
            for inv in self.invoices_by_customer.get(customer_id, [])
        ]

    def account_of_customer(self, customer_id: str) -> Account | None:
        account_id = self.customer_accounts.get(customer_id)
        return self.accounts.get(account_id) if account_id else None
