"""The bundled demo Stripe world: a year of billing history for 40 client companies.

``generate_world(as_of, seed)`` returns Stripe JSON lists per resource (the
same shapes the API returns at 2026-10-28), deterministic for a seed and
relative to ``as_of`` (no wall clock). ``write_world`` writes them as the file
source's folder layout (one JSON file per resource, like the shared sample
world); ``accounts_csv`` is the matching client list for
``revbot accounts import``.
"""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from demo.catalog import COUPONS, PRICES, PRODUCTS
from demo.companies import COMPANIES, CUSTOMERS, SUBSCRIPTIONS
from demo.context import WorldContext
from demo.events import build_events
from demo.ids import IdMaker, unix
from demo.shapes import (
    account_obj,
    coupon_obj,
    customer_obj,
    price_obj,
    product_obj,
)
from demo.simulate import SubResult, simulate

Obj = dict[str, Any]

AGENCY_NAME = "Northbeam Studio"
AGENCY_DOMAIN = "northbeam.studio"

# Resource name -> file name written by ``write_world``.
FILES = {
    "account": "account.json",
    "products": "products.json",
    "prices": "prices.json",
    "coupons": "coupons.json",
    "customers": "customers.json",
    "subscriptions": "subscriptions.json",
    "invoices": "invoices.json",
    "discounts": "discounts.json",
    "events": "events.json",
}


def generate_world(as_of: datetime, seed: int = 7) -> dict[str, list[dict[str, Any]]]:
    """Every resource of the demo Stripe account as of ``as_of`` (aware or UTC)."""
    moment = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    rng = random.Random(seed)
    ctx = WorldContext(rng=rng, ids=IdMaker(rng), as_of=moment)
    opened = unix((moment - relativedelta(months=30)).replace(hour=9, minute=0, second=0))
    ctx.account = account_obj(ctx.ids.new("acct"), AGENCY_NAME, AGENCY_DOMAIN, opened)
    products, prices = _catalog(ctx, opened)
    coupons = {c.id: coupon_obj(c, opened + 86400, 0) for c in COUPONS}
    ctx.coupons = coupons
    _customers(ctx)
    results = [simulate(ctx, spec) for spec in SUBSCRIPTIONS]
    _finish_customers(ctx, results)
    _count_redemptions(coupons, results)
    kept = [r for r in results if r.included]
    customer_list = list(ctx.customers.values())
    world: dict[str, list[Obj]] = {
        "account": [ctx.account],
        "products": _newest_first(products),
        "prices": _newest_first(prices),
        "coupons": _newest_first(list(coupons.values())),
        "customers": _newest_first(customer_list),
        "subscriptions": _newest_first([r.subscription for r in kept]),
        "invoices": _newest_first([i for r in kept for i in r.invoices]),
        "discounts": _newest_first([r.discount for r in kept if r.discount], key="start"),
        "events": build_events(ctx, customer_list, kept),
    }
    # One JSON round trip: plain JSON types and no object shared between lists.
    loaded: dict[str, list[Obj]] = json.loads(json.dumps(world))
    return loaded


def _newest_first(objs: list[Obj], key: str = "created") -> list[Obj]:
    return sorted(objs, key=lambda o: (-int(o[key]), o["id"]))


def _catalog(ctx: WorldContext, opened: int) -> tuple[list[Obj], list[Obj]]:
    product_ids = {p.key: ctx.ids.new("prod") for p in PRODUCTS}
    price_ids = {p.key: ctx.ids.new("price") for p in PRICES}
    ctx.product_ids = product_ids
    ctx.product_names = {p.key: p.name for p in PRODUCTS}
    ctx.price_defs = {p.key: p for p in PRICES}
    defaults = {p.product: price_ids[p.key] for p in PRICES if p.default}
    products = [
        product_obj(product_ids[p.key], p, opened + 3600 * (n + 1), defaults.get(p.key))
        for n, p in enumerate(PRODUCTS)
    ]
    created = {p["id"]: p["created"] for p in products}
    prices = []
    for n, spec in enumerate(PRICES):
        when = created[product_ids[spec.product]] + 60 * (n + 1)
        obj = price_obj(price_ids[spec.key], spec, product_ids[spec.product], when, with_tiers=True)
        ctx.prices[spec.key] = obj
        prices.append(obj)
    return products, prices


def _customers(ctx: WorldContext) -> None:
    for spec in CUSTOMERS:
        ctx.customers[spec.key] = customer_obj(
            ctx.ids.new("cus"),
            name=spec.name,
            email=spec.email,
            currency=spec.currency,
            country=spec.country,
            created=0,  # set once its first subscription is known
            invoice_prefix=ctx.ids.upper(8),
            next_invoice_sequence=1,
            delinquent=False,
            metadata=spec.metadata,
        )


def _finish_customers(ctx: WorldContext, results: list[SubResult]) -> None:
    for key, customer in ctx.customers.items():
        mine = [r for r in results if r.spec.customer == key]
        customer["created"] = min(r.subscription["created"] for r in mine) - 600
        customer["next_invoice_sequence"] = ctx.invoice_counters.get(key, 0) + 1
        customer["delinquent"] = any(r.subscription["status"] == "past_due" for r in mine)


def _count_redemptions(coupons: dict[str, Obj], results: list[SubResult]) -> None:
    # Discounts embed these same coupon dicts, so their copies stay in step.
    for result in results:
        if result.discount:
            coupons[result.discount["source"]["coupon"]["id"]]["times_redeemed"] += 1


def accounts_csv() -> str:
    """The client list (SPEC §10b: name, domain, external_id, aliases, owner)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "domain", "external_id", "aliases", "owner"])
    for company in COMPANIES:
        writer.writerow(
            [
                company.name,
                company.domain,
                company.external_id or "",
                ";".join(company.aliases),
                company.owner or "",
            ]
        )
    return out.getvalue()


def write_world(folder: Path, as_of: datetime, seed: int = 7) -> dict[str, Path]:
    """Write the world as ``folder/<resource>.json`` plus ``accounts.csv``; returns the paths.

    Lists are written one object per line, newest first, like the sample world;
    ``account.json`` holds the single account object.
    """
    folder.mkdir(parents=True, exist_ok=True)
    world = generate_world(as_of, seed)
    written: dict[str, Path] = {}
    for resource, name in FILES.items():
        path = folder / name
        if resource == "account":
            path.write_text(json.dumps(world["account"][0], indent=1) + "\n")
        else:
            rows = ",\n".join(json.dumps(o, separators=(",", ":")) for o in world[resource])
            path.write_text(f"[\n{rows}\n]\n" if rows else "[]\n")
        written[resource] = path
    csv_path = folder / "accounts.csv"
    csv_path.write_text(accounts_csv())
    written["accounts_csv"] = csv_path
    return written
