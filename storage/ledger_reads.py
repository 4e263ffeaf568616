"""Synced Stripe objects out: a workspace's rows read back as a billing ``Ledger``.

:func:`load_ledger` builds the ledger every billing rule reads (the whole
workspace, or the customers of a :class:`~storage.ledger_scope.CustomerScope`);
``lean=True`` leaves out the columns no billing rule reads. The writes are
:mod:`storage.stripe_objects`. Every statement is scoped by ``workspace_id``.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, func, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from billing.ledger import Ledger
from billing.models import (
    Account,
    Coupon,
    Customer,
    Discount,
    DiscountAmount,
    Invoice,
    InvoiceLine,
    PauseCollection,
    Price,
    Product,
    Recurring,
    Subscription,
    SubscriptionItem,
    Tier,
    TransformQuantity,
)
from storage.base import Base
from storage.ledger_scope import CustomerScope
from storage.models import (
    CouponRow,
    CustomerRow,
    DiscountRow,
    InvoiceLineRow,
    InvoiceRow,
    PriceRow,
    ProductRow,
    SubscriptionItemRow,
    SubscriptionRow,
)
from storage.stripe_objects import INVOICE_FIELDS, table_of
from storage.types import UTCDateTime, text_decimal


# -- rows -> domain (the Ledger) ------------------------------------------------------
# Core selects of plain tuples: building ORM instances cost most of the load time. Datetime
# and JSON columns are fetched raw and converted here, several times cheaper than the
# generic type processors (SQLite hands back text, PostgreSQL's driver parsed values).
def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _json(value: Any) -> Any:
    if isinstance(value, str):
        return [] if value == "[]" else json.loads(value)
    return value


def _converter(column: Any) -> Callable[[Any], Any] | None:
    if isinstance(column.type, UTCDateTime):
        return _utc
    if isinstance(column.type, JSON):
        return _json
    return None


def _select(
    session: Session,
    model: type[Base],
    ws: str,
    names: str,
    *order: str,
    shared: str = "",
    scope: CustomerScope | None = None,
) -> Iterator[Sequence[Any]]:
    """Rows of ``names`` (datetimes and JSON converted), streamed in batches.

    Values of the ``shared`` columns (statuses, currencies, parent ids) are
    interned: a 120k-invoice ledger otherwise holds a fresh copy per row.
    ``scope`` keeps only the rows a few customers' objects need.
    """
    table = table_of(model)
    columns = [table.c[n] for n in names.split()]
    converters = [(i, f) for i, c in enumerate(columns) if (f := _converter(c)) is not None]
    wanted = set(shared.split())
    converters += [(i, _share) for i, c in enumerate(columns) if c.name in wanted]
    raw = [type_coerce(c, NullType()) if _converter(c) else c for c in columns]
    stmt = select(*raw).where(table.c.workspace_id == ws)
    if scope is not None:
        stmt = stmt.where(scope.clause(model))
    if order:
        stmt = stmt.order_by(*(table.c[n] for n in order))
    result = session.execute(stmt.execution_options(yield_per=_YIELD_PER))
    for partition in result.partitions():
        if not converters:
            yield from partition
            continue
        # column by column: one ``map`` per converted column beats a loop per value
        values = list(zip(*partition, strict=True))
        for index, convert in converters:
            values[index] = tuple(map(convert, values[index]))
        yield from zip(*values, strict=True)


_YIELD_PER = 2000


def _share(value: Any) -> Any:
    return value if value is None else sys.intern(value)


def _tiers(raw: Any) -> tuple[Tier, ...]:
    return tuple(
        Tier(
            up_to=tier["up_to"],
            unit_amount_decimal=text_decimal(tier["unit_amount_decimal"]),
            flat_amount_decimal=text_decimal(tier["flat_amount_decimal"]),
        )
        for tier in raw or ()
    )


_PRICE_COLUMNS = (
    "id currency product_id billing_scheme unit_amount_decimal tiers_mode tiers interval"
    " interval_count usage_type transform_divide_by transform_round lookup_key nickname"
    " active created"
)


def _load_prices(session: Session, ws: str, scope: CustomerScope | None = None) -> dict[str, Price]:
    out: dict[str, Price] = {}
    for (
        id_,
        currency,
        product_id,
        scheme,
        unit,
        tiers_mode,
        tiers,
        interval,
        interval_count,
        usage_type,
        divide_by,
        rounding,
        lookup_key,
        nickname,
        active,
        created,
    ) in _select(session, PriceRow, ws, _PRICE_COLUMNS, scope=scope):
        out[id_] = Price(
            id=id_,
            currency=currency,
            product_id=product_id,
            billing_scheme=scheme,
            unit_amount_decimal=text_decimal(unit),
            tiers_mode=tiers_mode,
            tiers=_tiers(tiers),
            recurring=(
                Recurring(interval, interval_count or 1, usage_type or "licensed")
                if interval
                else None
            ),
            transform_quantity=(
                TransformQuantity(divide_by, rounding or "up") if divide_by else None
            ),
            lookup_key=lookup_key,
            nickname=nickname,
            active=active,
            created=created,
        )
    return out


def _load_customers(
    session: Session, ws: str, scope: CustomerScope | None = None
) -> dict[str, Customer]:
    columns = "id name email metadata created currency deleted description"
    return {
        id_: Customer(id_, name, email, dict(meta or {}), created, currency, deleted, text)
        for id_, name, email, meta, created, currency, deleted, text in _select(
            session, CustomerRow, ws, columns, scope=scope
        )
    }


def _load_coupons(
    session: Session, ws: str, scope: CustomerScope | None = None
) -> dict[str, Coupon]:
    columns = "id duration percent_off amount_off currency duration_in_months name"
    return {
        id_: Coupon(id_, duration, text_decimal(percent), amount, currency, months, name)
        for id_, duration, percent, amount, currency, months, name in _select(
            session, CouponRow, ws, columns, scope=scope
        )
    }


@dataclass
class _Discounts:
    """Every stored discount by id, and the attached ones by subscription and by item."""

    all: dict[str, Discount] = field(default_factory=dict)
    by_sub: dict[str, list[Discount]] = field(default_factory=lambda: defaultdict(list))
    by_item: dict[str, list[Discount]] = field(default_factory=lambda: defaultdict(list))


def _load_discounts(session: Session, ws: str, scope: CustomerScope | None = None) -> _Discounts:
    coupons = _load_coupons(session, ws, scope)
    out = _Discounts()
    placed: list[tuple[int, str, Discount]] = []
    columns = (
        "id coupon_id start end customer_id subscription_id subscription_item_id attached position"
    )
    for id_, coupon_id, start, end, customer, sub, item, attached, position in _select(
        session, DiscountRow, ws, columns, "start", "id", scope=scope
    ):
        coupon = coupons.get(coupon_id) or Coupon.unknown(coupon_id)
        discount = Discount(id_, coupon, start, end, customer, sub, item)
        out.all[id_] = discount
        if attached:
            placed.append((position or 0, id_, discount))
    # Stable sort: discounts keep their order on the subscription (or item).
    for _, _, discount in sorted(placed, key=lambda p: p[0]):
        if discount.subscription_item_id:
            out.by_item[discount.subscription_item_id].append(discount)
        elif discount.subscription_id:
            out.by_sub[discount.subscription_id].append(discount)
    return out


def _load_items(
    session: Session,
    ws: str,
    prices: dict[str, Price],
    discounts: _Discounts,
    scope: CustomerScope | None = None,
) -> dict[str, list[SubscriptionItem]]:
    items: dict[str, list[SubscriptionItem]] = defaultdict(list)
    columns = "id subscription_id price_id quantity current_period_start current_period_end created"
    for id_, sub_id, price_id, quantity, period_start, period_end, created in _select(
        session, SubscriptionItemRow, ws, columns, "subscription_id", "position", scope=scope
    ):
        items[sub_id].append(
            SubscriptionItem(
                id=id_,
                price=prices.get(price_id) or Price(id=price_id, currency=""),
                quantity=quantity,
                current_period_start=period_start,
                current_period_end=period_end,
                discounts=tuple(discounts.by_item.get(id_, ())),
                created=created,
            )
        )
    return items


_SUBSCRIPTION_COLUMNS = (
    "id customer_id status currency created start_date ended_at canceled_at cancel_at"
    " cancel_at_period_end pause_behavior pause_resumes_at trial_start trial_end"
    " collection_method latest_invoice_id metadata livemode"
)


def _load_subscriptions(
    session: Session,
    ws: str,
    items: dict[str, list[SubscriptionItem]],
    discounts: _Discounts,
    scope: CustomerScope | None = None,
) -> dict[str, Subscription]:
    out: dict[str, Subscription] = {}
    for (
        id_,
        customer_id,
        status,
        currency,
        created,
        start_date,
        ended_at,
        canceled_at,
        cancel_at,
        cancel_at_period_end,
        pause_behavior,
        pause_resumes_at,
        trial_start,
        trial_end,
        collection_method,
        latest_invoice_id,
        metadata,
        livemode,
    ) in _select(session, SubscriptionRow, ws, _SUBSCRIPTION_COLUMNS, scope=scope):
        out[id_] = Subscription(
            id=id_,
            customer_id=customer_id,
            status=status,
            currency=currency,
            created=created,
            start_date=start_date,
            ended_at=ended_at,
            canceled_at=canceled_at,
            cancel_at=cancel_at,
            cancel_at_period_end=cancel_at_period_end,
            pause_collection=(
                PauseCollection(pause_behavior, pause_resumes_at) if pause_behavior else None
            ),
            trial_start=trial_start,
            trial_end=trial_end,
            collection_method=collection_method,
            items=tuple(items.get(id_, ())),
            discounts=tuple(discounts.by_sub.get(id_, ())),
            latest_invoice_id=latest_invoice_id,
            metadata=dict(metadata or {}),
            livemode=livemode,
        )
    return out


_LINE_COLUMNS = (
    "invoice_id id amount currency period_start period_end price_id quantity proration"
    " subscription_id subscription_item_id discount_amounts discount_ids unit_amount_decimal"
    " description kind"
)


def _load_lines(
    session: Session, ws: str, scope: CustomerScope | None = None
) -> dict[str, list[InvoiceLine]]:
    lines: dict[str, list[InvoiceLine]] = defaultdict(list)
    amounts: dict[tuple[int, str | None], DiscountAmount] = {}  # many lines share these
    for (
        invoice_id,
        id_,
        amount,
        currency,
        period_start,
        period_end,
        price_id,
        quantity,
        proration,
        sub_id,
        item_id,
        discount_amounts,
        discount_ids,
        unit,
        description,
        kind,
    ) in _select(session, InvoiceLineRow, ws, _LINE_COLUMNS, "invoice_id", "position", scope=scope):
        shares: tuple[DiscountAmount, ...] = ()
        if discount_amounts:
            keys = [(int(d["amount"]), d.get("discount")) for d in discount_amounts]
            shares = tuple(amounts.setdefault(k, DiscountAmount(*k)) for k in keys)
        lines[invoice_id].append(
            InvoiceLine(
                id_,
                amount,
                currency,
                period_start,
                period_end,
                price_id,
                quantity,
                proration,
                sub_id,
                item_id,
                shares,
                tuple(discount_ids) if discount_ids else (),
                text_decimal(unit),
                description,
                kind,
            )
        )
    return lines


def _load_invoices(
    session: Session, ws: str, scope: CustomerScope | None = None
) -> dict[str, Invoice]:
    lines = _load_lines(session, ws, scope)
    columns = " ".join(["id", "discount_ids", *INVOICE_FIELDS])
    out: dict[str, Invoice] = {}
    for row in _select(session, InvoiceRow, ws, columns, scope=scope):
        id_, discount_ids = row[0], row[1]
        values = dict(zip(INVOICE_FIELDS, row[2:], strict=True))
        out[id_] = Invoice(
            id=id_,
            lines=tuple(lines.get(id_, ())),
            discount_ids=tuple(discount_ids) if discount_ids else (),
            **values,
        )
    return out


# The billing ledger (sync step 6) leaves out what no billing rule reads: line
# descriptions, discount amounts and unit amounts; invoice totals, tax, billing
# reason, URLs, invoice periods and void/next-attempt times. At 120k invoices
# that is a third of the ledger's memory and load time.
_LEAN_LINE_COLUMNS = (
    "position invoice_id id amount currency period_start period_end price_id quantity proration"
    " subscription_id subscription_item_id discount_ids kind"
)
_LEAN_LINE_SHARED = "invoice_id currency price_id subscription_id subscription_item_id kind"
_LEAN_INVOICE_COLUMNS = (
    "id customer_id subscription_id status currency created collection_method number"
    " amount_due amount_paid amount_remaining post_payment_credit_notes_amount due_date"
    " finalized_at paid_at marked_uncollectible_at attempted attempt_count livemode discount_ids"
)
_LEAN_INVOICE_SHARED = "customer_id subscription_id status currency collection_method"


def _lean_lines(
    session: Session, ws: str, scope: CustomerScope | None = None
) -> dict[str, tuple[InvoiceLine, ...]]:
    placed: dict[str, list[tuple[int, InvoiceLine]]] = defaultdict(list)
    line = InvoiceLine
    # No ORDER BY: sorting 180k rows in SQLite cost more than ordering each invoice's few.
    for (
        position,
        invoice_id,
        id_,
        amount,
        currency,
        period_start,
        period_end,
        price_id,
        quantity,
        proration,
        sub_id,
        item_id,
        discount_ids,
        kind,
    ) in _select(
        session, InvoiceLineRow, ws, _LEAN_LINE_COLUMNS, shared=_LEAN_LINE_SHARED, scope=scope
    ):
        placed[invoice_id].append(
            (
                position or 0,
                line(
                    id_,
                    amount,
                    currency,
                    period_start,
                    period_end,
                    price_id,
                    quantity,
                    proration,
                    sub_id,
                    item_id,
                    (),
                    tuple(discount_ids) if discount_ids else (),
                    None,
                    None,
                    kind,
                ),
            )
        )
    lines: dict[str, Any] = placed  # replaced in place: the pairs are freed as we go
    for invoice_id, pairs in placed.items():
        if len(pairs) > 1:
            pairs.sort(key=_position)
        lines[invoice_id] = tuple(pair[1] for pair in pairs)
    return lines


def _position(pair: tuple[int, InvoiceLine]) -> int:
    return pair[0]


def _lean_invoices(
    session: Session, ws: str, scope: CustomerScope | None = None
) -> dict[str, Invoice]:
    lines = _lean_lines(session, ws, scope)
    out: dict[str, Invoice] = {}
    for (
        id_,
        customer_id,
        sub_id,
        status,
        currency,
        created,
        method,
        number,
        due,
        paid,
        remaining,
        credited,
        due_date,
        finalized_at,
        paid_at,
        uncollectible_at,
        attempted,
        attempt_count,
        livemode,
        discount_ids,
    ) in _select(
        session, InvoiceRow, ws, _LEAN_INVOICE_COLUMNS, shared=_LEAN_INVOICE_SHARED, scope=scope
    ):
        out[id_] = Invoice(
            id=id_,
            customer_id=customer_id,
            status=status,
            currency=currency,
            created=created,
            collection_method=method,
            subscription_id=sub_id,
            number=number,
            amount_due=due,
            amount_paid=paid,
            amount_remaining=remaining,
            post_payment_credit_notes_amount=credited,
            due_date=due_date,
            finalized_at=finalized_at,
            paid_at=paid_at,
            marked_uncollectible_at=uncollectible_at,
            attempted=attempted,
            attempt_count=attempt_count,
            lines=lines.pop(id_, ()),
            discount_ids=tuple(discount_ids) if discount_ids else (),
            livemode=livemode,
        )
    return out


def load_ledger(
    session: Session,
    ws: str,
    window_start: datetime,
    *,
    accounts: dict[str, Account] | None = None,
    customer_accounts: dict[str, str] | None = None,
    lean: bool = False,
    scope: CustomerScope | None = None,
) -> Ledger:
    """Every synced object of workspace ``ws`` as a ``Ledger`` (item prices resolved).

    ``ledger.discounts`` holds every stored discount (history needs the expired
    ones invoices name); subscriptions and items carry only those attached now.
    ``lean`` leaves out the invoice and line fields no billing rule reads (they
    keep their defaults): what sync step 6 loads. ``scope`` loads only what the
    objects of a few customers need (an incremental recompute of their accounts).
    """
    ledger = Ledger(
        window_start=window_start,
        accounts=dict(accounts or {}),
        customer_accounts=dict(customer_accounts or {}),
    )
    ledger.products = {
        id_: Product(id_, name, active, deleted)
        for id_, name, active, deleted in _select(
            session, ProductRow, ws, "id name active deleted", scope=scope
        )
    }
    ledger.prices = _load_prices(session, ws, scope)
    ledger.customers = _load_customers(session, ws, scope)
    discounts = _load_discounts(session, ws, scope)
    ledger.discounts = discounts.all
    items = _load_items(session, ws, ledger.prices, discounts, scope)
    ledger.subscriptions = _load_subscriptions(session, ws, items, discounts, scope)
    load = _lean_invoices if lean else _load_invoices
    ledger.invoices = load(session, ws, scope)
    return ledger


def record_counts(session: Session, ws: str) -> dict[str, int]:
    """How many objects of each kind the workspace holds (for the status card)."""

    def count(model: Any, *where: Any) -> int:
        stmt = select(func.count()).select_from(model).where(model.workspace_id == ws, *where)
        return int(session.execute(stmt).scalar_one())

    return {
        "products": count(ProductRow),
        "prices": count(PriceRow),
        "customers": count(CustomerRow, CustomerRow.deleted.is_(False)),
        "customers_deleted": count(CustomerRow, CustomerRow.deleted.is_(True)),
        "subscriptions": count(SubscriptionRow),
        "invoices": count(InvoiceRow),
    }
