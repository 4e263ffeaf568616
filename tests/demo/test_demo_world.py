"""The bundled demo Stripe world: deterministic, consistent, parseable, full of scenarios."""

from __future__ import annotations

import csv
import io
import itertools
import json
import time
from collections import defaultdict
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from demo import FILES, accounts_csv, generate_world, write_world
from sync.readers import (
    read_coupon,
    read_customer,
    read_discount,
    read_event,
    read_invoice,
    read_price,
    read_product,
    read_subscription,
)
from tests.support.paths import STRIPE_WORLD

Obj = dict[str, Any]
AS_OF = datetime(2027, 2, 15, 12, 0, tzinfo=UTC)
# Month ends and a leap day exercise Stripe's day-of-month clamping.
OTHER_AS_OF = (datetime(2026, 3, 31, 9, 30, tzinfo=UTC), datetime(2028, 2, 29, 23, 0, tzinfo=UTC))
DAY = 86400


@cache
def _world(as_of: datetime = AS_OF, seed: int = 7) -> dict[str, list[Obj]]:
    return generate_world(as_of, seed)


def world(as_of: datetime = AS_OF, seed: int = 7) -> dict[str, list[Obj]]:
    # A fresh copy so no test can disturb another through the cache.
    return json.loads(json.dumps(_world(as_of, seed)))


def now_of(as_of: datetime) -> int:
    return int(as_of.timestamp())


def by_id(objs: list[Obj]) -> dict[str, Obj]:
    return {o["id"]: o for o in objs}


def sub_of(invoice: Obj) -> str:
    return invoice["parent"]["subscription_details"]["subscription"]


def line_details(line: Obj) -> Obj:
    return line["parent"]["subscription_item_details"]


def companies() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(accounts_csv())))


def customer_named(w: dict[str, list[Obj]], name: str) -> Obj:
    found = [c for c in w["customers"] if c["name"] == name]
    assert len(found) == 1, name
    return found[0]


def subs_of(w: dict[str, list[Obj]], customer: Obj) -> list[Obj]:
    return sorted(
        (s for s in w["subscriptions"] if s["customer"] == customer["id"]),
        key=lambda s: s["created"],
    )


def invoices_of(w: dict[str, list[Obj]], sub: Obj) -> list[Obj]:
    return sorted((i for i in w["invoices"] if sub_of(i) == sub["id"]), key=lambda i: i["created"])


# -- determinism and speed ------------------------------------------------------------


def test_same_seed_gives_identical_world() -> None:
    first = generate_world(AS_OF, seed=7)
    second = generate_world(AS_OF, seed=7)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_other_seed_changes_ids_but_not_the_story() -> None:
    a, b = _world(AS_OF, 7), _world(AS_OF, 8)
    assert {s["id"] for s in a["subscriptions"]}.isdisjoint({s["id"] for s in b["subscriptions"]})
    assert sorted(c["name"] for c in a["customers"]) == sorted(c["name"] for c in b["customers"])
    assert len(a["subscriptions"]) == len(b["subscriptions"])


def test_generation_is_fast() -> None:
    started = time.process_time()  # CPU time: the suite shares 2 cores with other work
    generate_world(AS_OF)
    # The brief asks for < 1 s; leave slack for slow CI machines.
    assert time.process_time() - started < 2.0


def test_naive_as_of_is_taken_as_utc() -> None:
    naive = generate_world(AS_OF.replace(tzinfo=None))
    assert json.dumps(naive, sort_keys=True) == json.dumps(_world(AS_OF), sort_keys=True)


# -- shapes and parsing ---------------------------------------------------------------


def test_every_object_parses_with_the_readers() -> None:
    w = world()
    assert w["account"][0]["object"] == "account"
    products = [read_product(o) for o in w["products"]]
    prices = [read_price(o) for o in w["prices"]]
    coupons = [read_coupon(o) for o in w["coupons"]]
    customers = [read_customer(o) for o in w["customers"]]
    subs = [read_subscription(o) for o in w["subscriptions"]]
    invoices = [read_invoice(o) for o in w["invoices"]]
    discounts = [read_discount(o) for o in w["discounts"]]
    events = [read_event(o) for o in w["events"]]
    assert all(d is not None for d in discounts)
    assert len(products) == 7 and len(coupons) == 2 and len(customers) >= 41
    assert {p.currency for p in prices} == {"USD", "EUR", "GBP"}
    assert all(s.items and s.current_period_end for s in subs)
    for sub in subs:
        for item in sub.items:
            assert item.current_period_start < item.current_period_end
    assert all(i.subscription_id for i in invoices)
    for invoice in invoices:
        for line in invoice.lines:
            assert line.price_id and line.subscription_item_id and line.kind == "subscription"
    assert {e.object_type for e in events} == {"invoice", "subscription", "customer"}


def test_objects_use_current_api_shapes() -> None:
    w = world()
    for invoice in w["invoices"]:
        assert "subscription" not in invoice  # only parent.subscription_details
        assert invoice["parent"]["type"] == "subscription_details"
        for line in invoice["lines"]["data"]:
            assert line["pricing"]["type"] == "price_details"
            assert isinstance(line_details(line)["proration"], bool)
            assert "price" not in line and "plan" not in line
    for sub in w["subscriptions"]:
        assert "current_period_end" not in sub
        for item in sub["items"]["data"]:
            assert {"current_period_start", "current_period_end", "price", "plan"} <= set(item)
        for discount in sub["discounts"]:
            assert discount["source"]["type"] == "coupon"
            assert discount["source"]["coupon"]["object"] == "coupon"
    tiered = [p for p in w["prices"] if p["billing_scheme"] == "tiered"]
    assert tiered and all(p["tiers"] and p["tiers_mode"] == "graduated" for p in tiered)
    assert all("recurring" in p and p["recurring"]["usage_type"] == "licensed" for p in w["prices"])


def test_sample_world_keys_match_when_available() -> None:
    sample = STRIPE_WORLD
    w = world()
    for resource in ("customers", "subscriptions", "invoices", "products", "coupons"):
        reference = json.loads((sample / f"{resource}.json").read_text())[0]
        assert set(w[resource][0]) == set(reference), resource
    ref_invoice = json.loads((sample / "invoices.json").read_text())[0]
    assert set(w["invoices"][0]["lines"]["data"][0]) == set(ref_invoice["lines"]["data"][0])
    ref_sub = json.loads((sample / "subscriptions.json").read_text())[0]
    ours = w["subscriptions"][0]["items"]["data"][0]
    assert set(ours) == set(ref_sub["items"]["data"][0])
    ref_price = next(
        p for p in json.loads((sample / "prices.json").read_text()) if p.get("tiers") is None
    )
    plain = next(p for p in w["prices"] if p["billing_scheme"] == "per_unit")
    assert set(plain) == set(ref_price)


# -- references -----------------------------------------------------------------------


def test_every_reference_resolves() -> None:
    w = world()
    customers, prices, products = by_id(w["customers"]), by_id(w["prices"]), by_id(w["products"])
    subs, invoices = by_id(w["subscriptions"]), by_id(w["invoices"])
    discounts, coupons = by_id(w["discounts"]), by_id(w["coupons"])
    for product in w["products"]:
        assert product["default_price"] in prices
    for price in w["prices"]:
        assert price["product"] in products
    for sub in w["subscriptions"]:
        assert sub["customer"] in customers
        assert sub["latest_invoice"] in invoices
        assert invoices[sub["latest_invoice"]]["customer"] == sub["customer"]
        for item in sub["items"]["data"]:
            assert item["subscription"] == sub["id"]
            assert item["price"]["id"] in prices and item["plan"]["id"] == item["price"]["id"]
            assert item["price"]["currency"] == sub["currency"]
        for discount in sub["discounts"]:
            assert discount["id"] in discounts and discount["subscription"] == sub["id"]
            assert discount["source"]["coupon"]["id"] in coupons
    for discount in w["discounts"]:
        assert discount["subscription"] in subs and discount["customer"] in customers
    for invoice in w["invoices"]:
        sub = subs[sub_of(invoice)]
        assert invoice["customer"] == sub["customer"] in customers
        assert invoice["currency"] == sub["currency"]
        item_ids = {i["id"] for i in sub["items"]["data"]}
        for discount_id in invoice["discounts"]:
            assert discount_id in discounts
        for line in invoice["lines"]["data"]:
            details = line_details(line)
            assert line["invoice"] == invoice["id"]
            assert details["subscription"] == sub["id"] == line["subscription"]
            assert details["subscription_item"] in item_ids
            price = prices[line["pricing"]["price_details"]["price"]]
            assert line["pricing"]["price_details"]["product"] == price["product"]
            for amount in line["discount_amounts"]:
                assert amount["discount"] in invoice["discounts"]
    for event in w["events"]:
        obj = event["data"]["object"]
        pool = {"invoice": invoices, "subscription": subs, "customer": customers}[obj["object"]]
        assert obj["id"] in pool


def test_ids_are_unique_and_stripe_like() -> None:
    w = world()
    prefixes = {
        "products": "prod_",
        "prices": "price_",
        "customers": "cus_",
        "subscriptions": "sub_",
        "invoices": "in_",
        "discounts": "di_",
        "events": "evt_",
    }
    seen: set[str] = set()
    for resource, prefix in prefixes.items():
        for obj in w[resource]:
            assert obj["id"].startswith(prefix) and obj["id"] not in seen
            seen.add(obj["id"])
    lines = [line["id"] for i in w["invoices"] for line in i["lines"]["data"]]
    assert len(lines) == len(set(lines)) and all(x.startswith("il_") for x in lines)
    numbers = [i["number"] for i in w["invoices"]]
    assert len(numbers) == len(set(numbers))


# -- arithmetic and time --------------------------------------------------------------


def graduated(tiers: list[Obj], quantity: int) -> int:
    total, lower = 0, 0
    for tier in tiers:
        upper = quantity if tier["up_to"] is None else min(quantity, tier["up_to"])
        if upper <= lower:
            break
        total += tier["unit_amount"] * (upper - lower) + (tier["flat_amount"] or 0)
        lower = upper
    return total


@pytest.mark.parametrize("as_of", [AS_OF, *OTHER_AS_OF])
def test_invoice_arithmetic_holds(as_of: datetime) -> None:
    w = world(as_of)
    prices = by_id(w["prices"])
    for invoice in w["invoices"]:
        lines = invoice["lines"]["data"]
        discount = sum(d["amount"] for d in invoice["total_discount_amounts"])
        assert invoice["subtotal"] == sum(line["amount"] for line in lines)
        assert invoice["total"] == invoice["subtotal"] - discount
        assert discount == sum(d["amount"] for line in lines for d in line["discount_amounts"])
        assert invoice["amount_due"] == invoice["total"] >= 0
        if invoice["status"] in ("open", "uncollectible"):
            assert invoice["amount_remaining"] == invoice["amount_due"] - invoice["amount_paid"]
            assert invoice["amount_remaining"] > 0
        elif invoice["status"] == "paid":
            assert invoice["amount_paid"] == invoice["amount_due"]
            assert invoice["amount_remaining"] == 0
        for line in lines:
            price = prices[line["pricing"]["price_details"]["price"]]
            if line_details(line)["proration"] or line["description"].startswith("Trial"):
                continue
            if price["billing_scheme"] == "tiered":
                assert line["amount"] == graduated(price["tiers"], line["quantity"])
                assert line["pricing"]["unit_amount_decimal"] is None
            else:
                assert line["amount"] == line["quantity"] * price["unit_amount"]
                assert line["pricing"]["unit_amount_decimal"] == str(price["unit_amount"])


@pytest.mark.parametrize("as_of", [AS_OF, *OTHER_AS_OF])
def test_periods_are_consecutive_and_current(as_of: datetime) -> None:
    w, now = world(as_of), now_of(as_of)
    window_start = now - 366 * DAY
    for sub in w["subscriptions"]:
        invoices = invoices_of(w, sub)
        assert all(window_start <= i["created"] <= now for i in invoices)
        for item in sub["items"]["data"]:
            periods = sorted(
                (line["period"]["start"], line["period"]["end"])
                for i in invoices
                for line in i["lines"]["data"]
                if not line_details(line)["proration"]
                and line_details(line)["subscription_item"] == item["id"]
            )
            assert periods, sub["id"]
            for (_, end), (start, _) in itertools.pairwise(periods):
                assert start == end, sub["id"]
            last = periods[-1]
            assert (item["current_period_start"], item["current_period_end"]) == last
            if sub["status"] not in ("canceled",):
                assert item["current_period_start"] <= now < item["current_period_end"]
        for invoice in invoices:
            transitions = invoice["status_transitions"]
            assert invoice["created"] <= transitions["finalized_at"] <= now
            if invoice["status"] == "paid":
                assert transitions["finalized_at"] <= transitions["paid_at"] <= now
            else:
                assert transitions["paid_at"] is None


def test_payment_fields_follow_collection_method() -> None:
    w, now = world(), now_of(AS_OF)
    for invoice in w["invoices"]:
        if invoice["collection_method"] == "send_invoice":
            terms = invoice["due_date"] - invoice["status_transitions"]["finalized_at"]
            assert terms in (14 * DAY, 30 * DAY)
            assert invoice["attempt_count"] == 0 and not invoice["attempted"]
        else:
            assert invoice["due_date"] is None
            if invoice["status"] == "open":
                assert invoice["attempted"] and invoice["attempt_count"] >= 1
                nxt = invoice["next_payment_attempt"]
                assert nxt is None or nxt > now
            elif invoice["status"] == "paid" and invoice["amount_due"] > 0:
                assert invoice["attempted"] and invoice["attempt_count"] >= 1


# -- companies and the client list ----------------------------------------------------


def test_about_forty_companies_and_the_csv_matches_them() -> None:
    w = world()
    rows = companies()
    assert list(rows[0]) == ["name", "domain", "external_id", "aliases", "owner"]
    assert 38 <= len(rows) <= 42
    assert len({r["name"] for r in rows}) == len(rows) == len({r["domain"] for r in rows})
    by_domain = {r["domain"]: r for r in rows}
    by_external = {r["external_id"]: r for r in rows if r["external_id"]}
    names = {
        n.lower(): r for r in rows for n in [r["name"], *filter(None, r["aliases"].split(";"))]
    }
    matched: dict[str, list[str]] = defaultdict(list)
    unmatched = []
    for customer in w["customers"]:
        domain = customer["email"].split("@")[1]
        row = (
            by_external.get(customer["metadata"].get("client_id", ""))
            or by_domain.get(domain)
            or names.get(customer["name"].lower())
        )
        if row is None:
            unmatched.append(customer["name"])
        else:
            matched[row["name"]].append(customer["id"])
    assert unmatched == ["Jordan Blake"]
    assert set(matched) == {r["name"] for r in rows}  # every company has a customer
    assert [n for n, ids in matched.items() if len(ids) == 2] == ["Globex Corporation"]


def test_customer_matching_paths_are_all_present() -> None:
    w = world()
    rows = {r["name"]: r for r in companies()}
    domains = {r["domain"] for r in rows.values()}
    initech = [c for c in w["customers"] if c["metadata"].get("client_id")]
    assert len(initech) == 1
    assert initech[0]["metadata"]["client_id"] == rows["Initech"]["external_id"]
    assert initech[0]["email"].split("@")[1] not in domains
    assert initech[0]["name"] not in rows
    gmail = [c for c in w["customers"] if c["email"].endswith("@gmail.com")]
    assert len(gmail) >= 3


# -- scenarios ------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [AS_OF, *OTHER_AS_OF])
def test_every_scenario_is_present(as_of: datetime) -> None:
    w, now = world(as_of), now_of(as_of)
    subs, prices = w["subscriptions"], by_id(w["prices"])
    currencies = {s["currency"] for s in subs}
    assert currencies == {"usd", "eur", "gbp"}
    assert sum(s["currency"] == "usd" for s in subs) > len(subs) / 2
    intervals = {
        (i["price"]["recurring"]["interval"], i["price"]["recurring"]["interval_count"])
        for s in subs
        for i in s["items"]["data"]
    }
    assert {("month", 1), ("month", 3), ("year", 1)} <= intervals
    # Tiered (graduated) price in use.
    assert any(
        prices[i["price"]["id"]]["tiers_mode"] == "graduated"
        for s in subs
        for i in s["items"]["data"]
    )
    # Per-seat upgrade invoiced at once with proration lines, and a seat downgrade.
    updates = [i for i in w["invoices"] if i["billing_reason"] == "subscription_update"]
    assert updates and all(
        all(line_details(line)["proration"] for line in i["lines"]["data"]) for i in updates
    )
    seat_lines = [
        line
        for i in w["invoices"]
        for line in i["lines"]["data"]
        if line_details(line)["proration"]
        and prices[line["pricing"]["price_details"]["price"]]["lookup_key"] == "portal_seat"
    ]
    assert any(line["amount"] > 0 for line in seat_lines)
    downgrades = [
        i
        for i in w["invoices"]
        if i["billing_reason"] == "subscription_cycle"
        and any(line_details(x)["proration"] for x in i["lines"]["data"])
        and sum(x["amount"] for x in i["lines"]["data"] if line_details(x)["proration"]) < 0
    ]
    assert downgrades
    # Coupons: repeating percent and amount_off, both applied on invoices.
    coupons = {d["source"]["coupon"]["id"]: d["source"]["coupon"] for d in w["discounts"]}
    assert any(c["percent_off"] and c["duration"] == "repeating" for c in coupons.values())
    assert any(c["amount_off"] for c in coupons.values())
    discounted = {d for i in w["invoices"] for d in i["discounts"]}
    assert discounted == {d["id"] for d in w["discounts"]}
    # Trials: one ending within 3 days, one converted.
    trialing = [s for s in subs if s["status"] == "trialing"]
    assert any(0 < s["trial_end"] - now <= 3 * DAY for s in trialing)
    assert any(s["status"] == "active" and s["trial_end"] and s["trial_end"] < now for s in subs)
    # Cancellations: immediate, at period end (ended), and scheduled.
    canceled = [s for s in subs if s["status"] == "canceled"]
    assert any(not s["cancel_at_period_end"] for s in canceled)
    assert any(s["cancel_at_period_end"] and s["ended_at"] == s["cancel_at"] for s in canceled)
    scheduled = [s for s in subs if s["status"] == "active" and s["cancel_at_period_end"]]
    assert scheduled and all(s["cancel_at"] > now for s in scheduled)
    # Past due with failed automatic payments.
    failed = [
        i
        for i in w["invoices"]
        if i["status"] == "open" and i["collection_method"] == "charge_automatically"
    ]
    past_due = {s["id"] for s in subs if s["status"] == "past_due"}
    assert any(sub_of(i) in past_due and i["attempt_count"] >= 2 for i in failed)
    assert any(i["next_payment_attempt"] for i in failed)
    # Recovered after a failed attempt.
    assert any(i["status"] == "paid" and i["attempt_count"] >= 2 for i in w["invoices"])
    # Overdue send_invoice invoices (one partly paid); uncollectible one.
    overdue = [
        i
        for i in w["invoices"]
        if i["status"] == "open"
        and i["collection_method"] == "send_invoice"
        and i["due_date"] < now
    ]
    assert overdue and any(0 < i["amount_paid"] < i["amount_due"] for i in overdue)
    assert any(i["status"] == "uncollectible" for i in w["invoices"])
    # Paused collection, with its cycle invoice voided.
    paused = [s for s in subs if s["pause_collection"]]
    assert paused and paused[0]["status"] == "active"
    assert any(i["status"] == "void" and sub_of(i) == paused[0]["id"] for i in w["invoices"])
    # Churned then reactivated: a customer with an ended and a later live subscription.
    by_customer: dict[str, list[Obj]] = defaultdict(list)
    for s in subs:
        by_customer[s["customer"]].append(s)
    assert any(
        any(a["ended_at"] and b["created"] > a["ended_at"] and not b["ended_at"] for b in group)
        for group in by_customer.values()
        for a in group
    )
    # Renewals: monthly ones within 14 days and a yearly one within 14 days.
    live = [s for s in subs if s["status"] in ("active", "past_due") and not s["cancel_at"]]
    ends = [(s, s["items"]["data"][0]["current_period_end"] - now) for s in live]
    assert sum(0 < left <= 14 * DAY for _, left in ends) >= 5
    assert any(
        s["items"]["data"][0]["price"]["recurring"]["interval"] == "year" and 0 < left <= 14 * DAY
        for s, left in ends
    )
    # A brand-new customer this month.
    assert any(now - s["created"] <= 30 * DAY and s["status"] == "active" for s in subs)


def test_scenarios_belong_to_the_named_companies() -> None:
    """The companies the demo script talks about hold their stories."""
    w, now = world(), now_of(AS_OF)

    def only_sub(name: str) -> Obj:
        found = subs_of(w, customer_named(w, name))
        assert len(found) == 1, name
        return found[0]

    assert only_sub("Nimbus Payroll")["status"] == "trialing"
    assert only_sub("Quantum Freight")["status"] == "past_due"
    assert only_sub("Marlow & Finch")["status"] == "past_due"
    foxglove = only_sub("Foxglove Interiors")
    assert foxglove["cancel_at_period_end"] and foxglove["currency"] == "gbp"
    assert only_sub("Redwood Legal")["status"] == "canceled"
    assert only_sub("Sandpiper Travel")["status"] == "canceled"
    assert only_sub("Kestrel Events")["pause_collection"]["behavior"] == "void"
    assert only_sub("Summit Outdoor Co")["items"]["data"][0]["quantity"] == 35
    assert only_sub("Brightline Health")["items"]["data"][0]["quantity"] == 18
    assert only_sub("Copperleaf Media")["items"]["data"][0]["quantity"] == 15
    oakridge = only_sub("Oakridge Partners")
    assert oakridge["discounts"][0]["source"]["coupon"]["id"] == "LOYAL20"
    assert oakridge["discounts"][0]["end"] > now
    lumos = only_sub("Lumos Labs")
    assert lumos["discounts"] == []  # the repeating coupon has run out
    assert any(i["discounts"] for i in invoices_of(w, lumos))
    assert invoices_of(w, lumos)[-1]["discounts"] == []
    stellar = invoices_of(w, only_sub("Stellar Logistics"))
    assert all(i["total"] == i["subtotal"] - 25000 for i in stellar)
    ironclad = invoices_of(w, only_sub("Ironclad Security"))
    assert any(i["status"] == "open" and i["due_date"] < now - 14 * DAY for i in ironclad)
    blue_fern = invoices_of(w, only_sub("Blue Fern Cafe"))
    assert blue_fern[-1]["status"] == "uncollectible"
    tidewater = invoices_of(w, only_sub("Tidewater Brewing"))
    assert tidewater[-1]["status"] == "paid" and tidewater[-1]["attempt_count"] == 2
    cobalt = subs_of(w, customer_named(w, "Cobalt Fitness"))
    assert [s["status"] for s in cobalt] == ["canceled", "active"]
    vertex = invoices_of(w, only_sub("Vertex Analytics"))
    assert any(any(line_details(x)["proration"] for x in i["lines"]["data"]) for i in vertex)
    harborview = invoices_of(w, only_sub("Harborview Realty"))
    assert harborview[0]["total"] > harborview[-1]["total"]  # Growth -> Starter
    evergreen = only_sub("Evergreen Capital")
    assert evergreen["items"]["data"][0]["price"]["lookup_key"] == "growth_yearly"


# -- events ---------------------------------------------------------------------------


def test_events_cover_the_last_thirty_days_newest_first() -> None:
    w, now = world(), now_of(AS_OF)
    created = [e["created"] for e in w["events"]]
    assert created == sorted(created, reverse=True)
    assert all(now - 30 * DAY <= c <= now for c in created)
    kinds = {e["type"] for e in w["events"]}
    expected = {
        "invoice.created",
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_succeeded",
        "invoice.payment_failed",
        "invoice.overdue",
        "invoice.voided",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.trial_will_end",
        "customer.created",
    }
    assert expected <= kinds
    assert all(e["api_version"] == "2026-10-28.endive" for e in w["events"])


def test_newest_event_of_each_object_carries_its_final_state() -> None:
    w = world()
    finals = {o["id"]: o for r in ("invoices", "subscriptions", "customers") for o in w[r]}
    newest: dict[str, Obj] = {}
    for event in w["events"]:  # newest first
        newest.setdefault(event["data"]["object"]["id"], event["data"]["object"])
    assert newest
    for object_id, obj in newest.items():
        assert obj == finals[object_id], object_id


def test_failed_payment_events_count_attempts() -> None:
    w = world()
    failures: dict[str, list[int]] = defaultdict(list)
    for event in reversed(w["events"]):
        if event["type"] == "invoice.payment_failed":
            obj = event["data"]["object"]
            failures[obj["id"]].append(obj["attempt_count"])
    assert failures
    for counts in failures.values():
        assert counts == sorted(counts) and len(set(counts)) == len(counts)


# -- files ----------------------------------------------------------------------------


def test_write_world_writes_the_sample_layout(tmp_path: Path) -> None:
    paths = write_world(tmp_path / "demo", AS_OF, seed=7)
    names = {p.name for p in paths.values()}
    assert {
        "account.json",
        "products.json",
        "prices.json",
        "coupons.json",
        "customers.json",
        "subscriptions.json",
        "invoices.json",
        "events.json",
        "accounts.csv",
    } <= names
    w = world()
    assert json.loads((tmp_path / "demo" / "account.json").read_text()) == w["account"][0]
    for resource, name in FILES.items():
        if resource != "account":
            assert json.loads((tmp_path / "demo" / name).read_text()) == w[resource], resource
    assert (tmp_path / "demo" / "accounts.csv").read_text() == accounts_csv()
