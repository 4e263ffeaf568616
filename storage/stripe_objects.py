"""Synced Stripe objects: idempotent bulk upserts in, a ``Ledger`` out.

Writes use the dialect's ``INSERT … ON CONFLICT DO UPDATE`` with executemany
(SQLite and PostgreSQL), so re-running a sync leaves identical rows. Child
rows (subscription items, discounts, invoice lines) are replaced per parent,
so an item or line removed in Stripe disappears here too. Deleted customers
are marked, never dropped. Every statement is scoped by ``workspace_id``.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Table, func, select, type_coerce, update
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
from storage.bulk import delete_by_parent, execute_upsert, set_by_parent
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
from storage.types import UTCDateTime, decimal_text, text_decimal

Row = dict[str, Any]
CHUNK = 500


# -- generic upsert -----------------------------------------------------------------
def _table(model: type[Base]) -> Table:
    return model.__table__  # type: ignore[return-value]


def upsert_rows(
    session: Session, model: type[Base], rows: Sequence[Row], *, update_existing: bool = True
) -> None:
    """Insert ``rows`` (column-name dicts), updating the given columns on conflict."""
    execute_upsert(session, _table(model), rows, update_existing=update_existing)


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


# -- domain -> rows ---------------------------------------------------------------------
def product_row(ws: str, p: Product) -> Row:
    return {
        "workspace_id": ws,
        "id": p.id,
        "name": p.name,
        "active": p.active,
        "deleted": p.deleted,
    }


def price_row(ws: str, p: Price) -> Row:
    rec, tq = p.recurring, p.transform_quantity
    return {
        "workspace_id": ws,
        "id": p.id,
        "product_id": p.product_id,
        "currency": p.currency,
        "billing_scheme": p.billing_scheme,
        "unit_amount_decimal": decimal_text(p.unit_amount_decimal),
        "tiers_mode": p.tiers_mode,
        "tiers": [
            {
                "up_to": tier.up_to,
                "unit_amount_decimal": decimal_text(tier.unit_amount_decimal),
                "flat_amount_decimal": decimal_text(tier.flat_amount_decimal),
            }
            for tier in p.tiers
        ],
        "interval": rec.interval if rec else None,
        "interval_count": rec.interval_count if rec else None,
        "usage_type": rec.usage_type if rec else None,
        "transform_divide_by": tq.divide_by if tq else None,
        "transform_round": tq.round if tq else None,
        "lookup_key": p.lookup_key,
        "nickname": p.nickname,
        "active": p.active,
        "created": p.created,
    }


def coupon_row(ws: str, c: Coupon) -> Row:
    return {
        "workspace_id": ws,
        "id": c.id,
        "duration": c.duration,
        "percent_off": decimal_text(c.percent_off),
        "amount_off": c.amount_off,
        "currency": c.currency,
        "duration_in_months": c.duration_in_months,
        "name": c.name,
    }


def discount_row(ws: str, d: Discount, *, attached: bool = True, position: int = 0) -> Row:
    return {
        "workspace_id": ws,
        "id": d.id,
        "coupon_id": d.coupon.id,
        "start": d.start,
        "end": d.end,
        "customer_id": d.customer_id,
        "subscription_id": d.subscription_id,
        "subscription_item_id": d.subscription_item_id,
        "attached": attached,
        "position": position,
    }


def customer_row(ws: str, c: Customer) -> Row:
    domain = c.email.rsplit("@", 1)[1].strip().lower() if c.email and "@" in c.email else None
    return {
        "workspace_id": ws,
        "id": c.id,
        "name": c.name,
        "email": c.email,
        "email_domain": domain,
        "metadata": dict(c.metadata),
        "created": c.created,
        "currency": c.currency,
        "deleted": c.deleted,
        "description": c.description,
    }


def subscription_row(ws: str, s: Subscription) -> Row:
    pause = s.pause_collection
    return {
        "workspace_id": ws,
        "id": s.id,
        "customer_id": s.customer_id,
        "status": s.status,
        "currency": s.currency,
        "created": s.created,
        "start_date": s.start_date,
        "ended_at": s.ended_at,
        "canceled_at": s.canceled_at,
        "cancel_at": s.cancel_at,
        "cancel_at_period_end": s.cancel_at_period_end,
        "pause_behavior": pause.behavior if pause else None,
        "pause_resumes_at": pause.resumes_at if pause else None,
        "trial_start": s.trial_start,
        "trial_end": s.trial_end,
        "collection_method": s.collection_method,
        "latest_invoice_id": s.latest_invoice_id,
        "metadata": dict(s.metadata),
        "livemode": s.livemode,
    }


def item_row(ws: str, sub_id: str, position: int, i: SubscriptionItem) -> Row:
    return {
        "workspace_id": ws,
        "id": i.id,
        "subscription_id": sub_id,
        "price_id": i.price.id,
        "quantity": i.quantity,
        "current_period_start": i.current_period_start,
        "current_period_end": i.current_period_end,
        "created": i.created,
        "position": position,
    }


_INVOICE_FIELDS = [
    "customer_id",
    "subscription_id",
    "status",
    "currency",
    "created",
    "collection_method",
    "number",
    "amount_due",
    "amount_paid",
    "amount_remaining",
    "post_payment_credit_notes_amount",
    "subtotal",
    "total",
    "tax",
    "due_date",
    "finalized_at",
    "paid_at",
    "voided_at",
    "marked_uncollectible_at",
    "attempted",
    "attempt_count",
    "next_payment_attempt",
    "billing_reason",
    "period_start",
    "period_end",
    "hosted_invoice_url",
    "livemode",
]


def invoice_row(ws: str, inv: Invoice) -> Row:
    row: Row = {"workspace_id": ws, "id": inv.id}
    row.update({name: getattr(inv, name) for name in _INVOICE_FIELDS})
    row["discount_ids"] = list(inv.discount_ids)
    return row


def line_row(ws: str, invoice_id: str, position: int, line: InvoiceLine) -> Row:
    return {
        "workspace_id": ws,
        "id": line.id,
        "invoice_id": invoice_id,
        "position": position,
        "amount": line.amount,
        "currency": line.currency,
        "period_start": line.period_start,
        "period_end": line.period_end,
        "price_id": line.price_id,
        "quantity": line.quantity,
        "proration": line.proration,
        "subscription_id": line.subscription_id,
        "subscription_item_id": line.subscription_item_id,
        "discount_amounts": [
            {"amount": d.amount, "discount": d.discount_id} for d in line.discount_amounts
        ],
        "discount_ids": list(line.discount_ids),
        "unit_amount_decimal": decimal_text(line.unit_amount_decimal),
        "description": line.description,
        "kind": line.kind,
    }


# -- upserts by kind ------------------------------------------------------------------
def upsert_products(session: Session, ws: str, products: Iterable[Product]) -> int:
    rows = [product_row(ws, p) for p in products]
    upsert_rows(session, ProductRow, rows)
    return len(rows)


def upsert_prices(session: Session, ws: str, prices: Iterable[Price]) -> int:
    rows = [price_row(ws, p) for p in prices]
    upsert_rows(session, PriceRow, rows)
    return len(rows)


def upsert_coupons(session: Session, ws: str, coupons: Iterable[Coupon]) -> int:
    """Coupons whose terms are known; one known by id only never replaces a stored one."""
    rows = list({c.id: coupon_row(ws, c) for c in coupons if c.known}.values())
    upsert_rows(session, CouponRow, rows)
    return len(rows)


def upsert_customers(session: Session, ws: str, customers: Iterable[Customer]) -> int:
    rows = [customer_row(ws, c) for c in customers]
    upsert_rows(session, CustomerRow, rows)
    return len(rows)


def _attached_discount_rows(ws: str, subs: Sequence[Subscription]) -> list[Row]:
    """Discounts attached now, each with its position on the subscription or item."""
    rows: dict[str, Row] = {}
    for s in subs:
        for n, d in enumerate(s.discounts):
            rows.setdefault(d.id, discount_row(ws, d, position=n))
        for item in s.items:
            for n, d in enumerate(item.discounts):
                rows.setdefault(d.id, discount_row(ws, d, position=n))
    return list(rows.values())


def upsert_subscriptions(session: Session, ws: str, subs: Sequence[Subscription]) -> int:
    """Subscriptions with their items, discounts and coupons (children replaced).

    Item prices missing from the catalogue (e.g. an archived plan) are added
    without overwriting listed prices, so items always resolve to a price.
    Discounts no longer on a listed subscription or item are kept, marked
    detached: invoices of past periods may still name them (SPEC §7 history).
    """
    if not subs:
        return 0
    sub_ids = [s.id for s in subs]
    item_ids = [i.id for s in subs for i in s.items]
    discounts = [
        d for s in subs for d in (*s.discounts, *(d for i in s.items for d in i.discounts))
    ]
    upsert_coupons(session, ws, (d.coupon for d in discounts))
    upsert_rows(
        session,
        PriceRow,
        list({i.price.id: price_row(ws, i.price) for s in subs for i in s.items}.values()),
        update_existing=False,
    )
    discounts_table = _table(DiscountRow)
    delete_by_parent(session, _table(SubscriptionItemRow), ws, "subscription_id", sub_ids)
    detach = ("attached", False)
    set_by_parent(session, discounts_table, ws, "subscription_id", sub_ids, detach)
    set_by_parent(session, discounts_table, ws, "subscription_item_id", item_ids, detach)
    upsert_rows(session, SubscriptionRow, [subscription_row(ws, s) for s in subs])
    upsert_rows(
        session,
        SubscriptionItemRow,
        [item_row(ws, s.id, n, i) for s in subs for n, i in enumerate(s.items)],
    )
    upsert_rows(session, DiscountRow, _attached_discount_rows(ws, subs))
    return len(subs)


def upsert_referenced_discounts(
    session: Session, ws: str, discounts: Iterable[tuple[Discount, int]]
) -> int:
    """Discounts invoices name, with their position there; stored detached unless known.

    A discount already stored (attached to a subscription, or seen before)
    is left as it is, so the order of steps never flips ``attached``.
    """
    pairs = list(discounts)
    rows = {d.id: discount_row(ws, d, attached=False, position=n) for d, n in pairs}
    if not rows:
        return 0
    upsert_coupons(session, ws, {d.coupon.id: d.coupon for d, _ in pairs}.values())
    upsert_rows(session, DiscountRow, list(rows.values()), update_existing=False)
    return len(rows)


def upsert_invoices(session: Session, ws: str, invoices: Sequence[Invoice]) -> int:
    """Invoices with their lines (lines replaced per invoice)."""
    if not invoices:
        return 0
    ids = [inv.id for inv in invoices]
    delete_by_parent(session, _table(InvoiceLineRow), ws, "invoice_id", ids)
    upsert_rows(session, InvoiceRow, [invoice_row(ws, inv) for inv in invoices])
    lines = {
        line.id: line_row(ws, inv.id, n, line)
        for inv in invoices
        for n, line in enumerate(inv.lines)
    }
    upsert_rows(session, InvoiceLineRow, list(lines.values()))
    return len(invoices)


def customer_ids(session: Session, ws: str) -> set[str]:
    return set(
        session.execute(select(CustomerRow.id).where(CustomerRow.workspace_id == ws)).scalars()
    )


def mark_customers_deleted(session: Session, ws: str, ids: Iterable[str]) -> int:
    """Mark customers deleted, adding a bare row for ones never seen alive."""
    wanted = sorted(set(ids))
    if not wanted:
        return 0
    known = customer_ids(session, ws)
    for chunk in _chunks([i for i in wanted if i in known]):
        session.execute(
            update(CustomerRow)
            .where(CustomerRow.workspace_id == ws, CustomerRow.id.in_(chunk))
            .values(deleted=True)
        )
    fresh = [i for i in wanted if i not in known]
    upsert_rows(
        session,
        CustomerRow,
        [customer_row(ws, Customer(id=i, deleted=True)) for i in fresh],
        update_existing=False,
    )
    return len(wanted)


def mark_unlisted_customers_deleted(session: Session, ws: str, listed: set[str]) -> int:
    """After a full customer listing: whoever Stripe no longer lists was deleted."""
    gone = customer_ids(session, ws) - listed
    return mark_customers_deleted(session, ws, gone)


# An invoice's copy of its customer's contact: (customer_name, customer_email).
Contact = tuple[str | None, str | None]


def add_referenced_customers(
    session: Session, ws: str, contacts: Mapping[str, Contact] | None = None
) -> int:
    """Customers referenced by subscriptions/invoices but never listed are deleted ones.

    Stripe answers a deleted customer with its id alone; ``contacts`` (what their
    invoices recorded) name those still without a name or email, so a person can
    tell which customer it was."""
    known = customer_ids(session, ws)
    referenced = set(
        session.execute(
            select(SubscriptionRow.customer_id).where(SubscriptionRow.workspace_id == ws)
        ).scalars()
    ) | set(
        session.execute(
            select(InvoiceRow.customer_id).where(InvoiceRow.workspace_id == ws)
        ).scalars()
    )
    missing = {c for c in referenced - known if c}
    added = mark_customers_deleted(session, ws, missing)
    if contacts:
        _name_deleted_customers(session, ws, contacts)
    return added


def _name_deleted_customers(session: Session, ws: str, contacts: Mapping[str, Contact]) -> None:
    nameless = session.scalars(
        select(CustomerRow.id).where(
            CustomerRow.workspace_id == ws,
            CustomerRow.deleted.is_(True),
            CustomerRow.name.is_(None),
            CustomerRow.email.is_(None),
        )
    ).all()
    for cid in nameless:
        name, email = contacts.get(cid, (None, None))
        if name or email:
            row = customer_row(ws, Customer(id=cid, name=name, email=email, deleted=True))
            session.execute(
                update(CustomerRow)
                .where(CustomerRow.workspace_id == ws, CustomerRow.id == cid)
                .values(name=name, email=email, email_domain=row["email_domain"])
            )


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
    table = _table(model)
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
    columns = " ".join(["id", "discount_ids", *_INVOICE_FIELDS])
    out: dict[str, Invoice] = {}
    for row in _select(session, InvoiceRow, ws, columns, scope=scope):
        id_, discount_ids = row[0], row[1]
        values = dict(zip(_INVOICE_FIELDS, row[2:], strict=True))
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
