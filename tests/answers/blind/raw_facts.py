"""Facts of a generated blind world read straight off its Stripe objects (SPEC §7), for writing
blind questions' ``expect`` without the engine: ``python -m tests.answers.blind.raw_facts WORLD``.

Deliberately independent of sync/, storage/ and billing/: current MRR per account (per_unit and
tiered prices, interval-normalised, forever/repeating discounts), overdue invoices and days,
trials, scheduled cancellations, renewal dates, cancellations with their dates, plan labels.
Customers go to accounts by metadata client id, then email domain, then name or alias.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from demo import write_world
from tests.answers.blind.rename import rename_csv, rename_folder, rename_pairs
from tests.answers.blind.worlds import world_now
from tests.support.paths import STRIPE_WORLD, WORLD

MONTHLY = {
    "day": Decimal(365) / 12,
    "week": Decimal(52) / 12,
    "month": Decimal(1),
    "year": Decimal(1) / 12,
}


def world_files(name: str, folder: Path) -> tuple[Path, Path]:
    base, _, renamed = name.partition("~")
    src, csv_path = STRIPE_WORLD, WORLD / "accounts.csv"
    if base != "sample":
        src = folder / "base"
        write_world(src, world_now(name), int(base.rpartition(":")[2]))
        csv_path = src / "accounts.csv"
    if renamed:
        pairs = rename_pairs(renamed)
        rename_folder(src, folder / "renamed", pairs)
        rename_csv(csv_path, folder / "renamed" / "accounts.csv", pairs)
        src, csv_path = folder / "renamed", folder / "renamed" / "accounts.csv"
    return src, csv_path


def _load(folder: Path, resource: str) -> list[dict[str, Any]]:
    path = folder / f"{resource}.json"
    return json.loads(path.read_text()) if path.exists() else []


def _account_of(customer: dict[str, Any], accounts: list[dict[str, str]]) -> str | None:
    client = (customer.get("metadata") or {}).get("client_id")
    for row in accounts:
        if client and row["external_id"] == client:
            return row["name"]
    domain = (customer.get("email") or "").rpartition("@")[2].lower()
    hits = [r["name"] for r in accounts if domain and r["domain"].lower() == domain]
    if len(hits) == 1:
        return hits[0]
    name = " ".join((customer.get("name") or "").lower().split())
    for row in accounts:
        names = [row["name"], *[a for a in row["aliases"].split(";") if a]]
        if name in {" ".join(n.lower().split()) for n in names}:
            return row["name"]
    return None


def _item_amount(item: dict[str, Any], prices: dict[str, dict[str, Any]]) -> Decimal:
    price, qty = prices.get(item["price"]["id"], item["price"]), int(item.get("quantity") or 0)
    if (price.get("recurring") or {}).get("usage_type") == "metered":
        return Decimal(0)
    if price.get("billing_scheme") == "tiered":
        tiers, total, lower = price["tiers"], Decimal(0), 0
        if price.get("tiers_mode") == "volume":
            tier = next(t for t in tiers if t["up_to"] is None or qty <= t["up_to"])
            return Decimal(tier.get("unit_amount_decimal") or 0) * qty + (
                tier.get("flat_amount") or 0
            )
        for tier in tiers:
            upper = tier["up_to"] if tier["up_to"] is not None else qty
            used = max(0, min(qty, upper) - lower)
            if used:
                total += Decimal(tier.get("unit_amount_decimal") or 0) * used + (
                    tier.get("flat_amount") or 0
                )
            lower = upper
        return total
    return Decimal(price.get("unit_amount_decimal") or 0) * qty


def _sub_mrr(sub: dict[str, Any], now: int, prices: dict[str, dict[str, Any]]) -> Decimal:
    if sub["status"] not in ("active", "past_due") or sub.get("pause_collection"):
        return Decimal(0)
    total = Decimal(0)
    for item in sub["items"]["data"]:
        rec = item["price"]["recurring"]
        total += (
            _item_amount(item, prices) * MONTHLY[rec["interval"]] / rec.get("interval_count", 1)
        )
    for discount in sub.get("discounts") or []:
        d = discount if isinstance(discount, dict) else None
        if not d or d.get("start", 0) > now or (d.get("end") and d["end"] <= now):
            continue
        coupon = d.get("coupon") or (d.get("source") or {}).get("coupon") or {}
        if coupon.get("duration") == "once":
            continue
        if coupon.get("percent_off"):
            total -= total * Decimal(str(coupon["percent_off"])) / 100
        elif coupon.get("amount_off"):
            rec = sub["items"]["data"][0]["price"]["recurring"]
            total -= (
                Decimal(coupon["amount_off"])
                * MONTHLY[rec["interval"]]
                / rec.get("interval_count", 1)
            )
    return max(total, Decimal(0))


def _day(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).date().isoformat()


def raw_facts(name: str) -> dict[str, Any]:
    now_dt = world_now(name)
    now = int(now_dt.timestamp())
    with tempfile.TemporaryDirectory() as tmp:
        folder, csv_path = world_files(name, Path(tmp))
        accounts = list(csv.DictReader(io.StringIO(csv_path.read_text())))
        customers = _load(folder, "customers")
        subs, invoices = _load(folder, "subscriptions"), _load(folder, "invoices")
        prices = {p["id"]: p for p in _load(folder, "prices")}
    owner = {c["id"]: _account_of(c, accounts) for c in customers}
    out: dict[str, Any] = defaultdict(lambda: defaultdict(list))
    mrr: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for sub in subs:
        acc = owner.get(sub["customer"]) or f"(unmatched {sub['customer']})"
        cur = sub["items"]["data"][0]["price"]["currency"].upper()
        mrr[acc][cur] += _sub_mrr(sub, now, prices) / 100
        label = sub["items"]["data"][0]["price"].get("lookup_key")
        if sub["status"] == "trialing":
            out["trials"][acc].append((_day(sub["trial_end"]), label))
        if sub["status"] != "canceled" and (
            sub.get("cancel_at_period_end") or sub.get("cancel_at")
        ):
            out["scheduled"][acc].append(
                _day(sub.get("cancel_at") or sub["items"]["data"][0]["current_period_end"])
            )
        if sub["status"] == "canceled":
            out["canceled"][acc].append(_day(sub.get("canceled_at") or sub["ended_at"]))
        if sub["status"] in ("active", "past_due", "unpaid", "trialing"):
            end = sub.get("cancel_at") or sub["items"]["data"][0]["current_period_end"]
            out["renews"][acc].append(_day(end))
            out["plan"][acc].append(label)
        if sub["status"] in ("past_due",):
            out["past_due"][acc].append(sub["id"])
    for inv in invoices:
        acc = owner.get(inv["customer"]) or f"(unmatched {inv['customer']})"
        if inv["status"] != "open" or inv["amount_remaining"] <= 0:
            continue
        if inv.get("due_date") and inv["due_date"] < now:
            since = inv["due_date"]
        elif (
            inv.get("collection_method") == "charge_automatically"
            and inv.get("attempted")
            and inv.get("attempt_count", 0) >= 1
        ):
            since = (inv.get("status_transitions") or {}).get("finalized_at") or inv["created"]
        else:
            continue
        out["overdue"][acc].append(
            (
                str(Decimal(inv["amount_remaining"]) / 100),
                inv["currency"].upper(),
                (now - since) // 86400,
            )
        )
    out["mrr"] = {a: {c: f"{v:.2f}" for c, v in m.items() if v} for a, m in mrr.items()}
    return {k: dict(v) for k, v in out.items()}


if __name__ == "__main__":
    json.dump(raw_facts(sys.argv[1]), sys.stdout, indent=1, ensure_ascii=False, default=str)
