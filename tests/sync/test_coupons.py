"""Coupons joined by id: listed in full, deleted ones expanded where Stripe allows, none guessed.

At the pinned API version a discount's ``source.coupon`` is an id unless
expanded. The sample world holds five coupons: ``LOYAL20`` and ``SAVE150Q`` on
subscriptions, ``ADDON10`` on an item (and named by invoice lines). Deleting a
coupon in Stripe removes it from ``/v1/coupons`` while its discounts keep it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from billing.ledger import Ledger
from billing.models import Coupon, Discount
from bot.cli.status_command import card_lines
from storage.accounts import customer_accounts
from storage.connections import ensure_file_connection
from storage.coupons import unresolved_by_customer, unresolved_coupon_ids, unresolved_coupons
from storage.db import Database
from storage.ledger_reads import load_ledger
from sync.backfill import run_backfill
from sync.readers import read_discount
from testkit.stripe_server import StripeTestServer, StripeWorld
from testkit.stripe_server.pages import minimum_pages
from tests.stripe_server.helpers import make_client, settings
from usecases import overview
from usecases.accounts import CONTRACT_FIELDS, account_list
from usecases.asking import ask
from usecases.backend import Backend

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
WINDOW_START = datetime(2026, 2, 15, 12, tzinfo=UTC)
ITEM_DISCOUNT = "di_1w4yYKczr3M4y4uwcfbOilpR"  # ADDON10 on an item, named by invoice lines


def _sync(db: Database, world: StripeWorld) -> tuple[Ledger, list[str]]:
    """Backfill ``world`` through the API (as few requests as possible); ledger and paths."""
    with StripeTestServer(world) as server:
        report = run_backfill(db, "local", make_client(server), settings(), NOW)
        assert report.request_count == len(server.requests)
        assert report.request_count == minimum_pages(world, WINDOW_START)
        paths = [r.path for r in server.requests]
    with db.session() as session:
        return load_ledger(session, "local", WINDOW_START), paths


def _without_coupon(world: StripeWorld, coupon_id: str) -> StripeWorld:
    world.coupons = [c for c in world.coupons if c["id"] != coupon_id]
    return world


def _coupons(ledger: Ledger) -> dict[str, Coupon]:
    return {d.coupon.id: d.coupon for d in ledger.discounts.values()}


def test_reader_keeps_a_coupon_known_by_id_in_both_shapes() -> None:
    current = {"id": "di_1", "source": {"type": "coupon", "coupon": "SAVE20"}, "start": 1}
    expanded = {
        "id": "di_2",
        "source": {"coupon": {"id": "SAVE20", "duration": "forever", "percent_off": 20}},
    }
    legacy = {"id": "di_3", "coupon": {"id": "OLD5", "duration": "once", "amount_off": 500}}
    by_id = read_discount(current)
    assert isinstance(by_id, Discount) and by_id.coupon == Coupon.unknown("SAVE20")
    assert not by_id.coupon.known
    full = read_discount(expanded)
    assert full is not None and full.coupon.known and full.coupon.percent_off == Decimal(20)
    old = read_discount(legacy)
    assert old is not None and old.coupon.amount_off == 500 and old.coupon.duration == "once"
    assert read_discount("di_4") is None  # type: ignore[arg-type]  # a discount id alone


def test_listed_coupons_are_joined_by_id(db: Database, stripe_world: StripeWorld) -> None:
    ledger, paths = _sync(db, stripe_world)
    listed = {c["id"] for c in stripe_world.coupons}
    assert paths.count("/v1/coupons") == 1 and "/v1/subscription_items" not in paths
    coupons = _coupons(ledger)
    assert set(coupons) == listed and all(c.known for c in coupons.values())
    assert coupons["ADDON10"].percent_off == Decimal(10)
    item_discounts = [
        d for s in ledger.subscriptions.values() for i in s.items for d in i.discounts
    ]
    assert [d.coupon.id for d in item_discounts] == ["ADDON10"]
    with db.session() as session:
        assert unresolved_coupon_ids(session, "local") == []


def test_a_deleted_subscription_coupon_comes_from_the_expanded_list(
    db: Database, stripe_world: StripeWorld
) -> None:
    ledger, paths = _sync(db, _without_coupon(stripe_world, "LOYAL20"))
    coupon = _coupons(ledger)["LOYAL20"]
    assert coupon.known and coupon.percent_off == Decimal(20) and coupon.duration == "forever"
    assert "/v1/subscription_items" not in paths  # no request beyond the lists


def test_a_deleted_item_coupon_comes_from_the_items_list(
    db: Database, stripe_world: StripeWorld
) -> None:
    with StripeTestServer(_without_coupon(stripe_world, "ADDON10")) as server:
        run_backfill(db, "local", make_client(server), settings(), NOW)
        asked = [r for r in server.requests if r.path == "/v1/subscription_items"]
    assert len(asked) == 1
    assert asked[0].params["expand"] == ["data.discounts.source.coupon"]
    with db.session() as session:
        ledger = load_ledger(session, "local", WINDOW_START)
        assert unresolved_coupon_ids(session, "local") == []
    coupon = ledger.discounts[ITEM_DISCOUNT].coupon
    assert coupon.known and coupon.percent_off == Decimal(10)


def test_a_deleted_coupon_only_invoice_lines_name_comes_from_one_invoices_lines(
    db: Database, stripe_world: StripeWorld
) -> None:
    world = _without_coupon(stripe_world, "ADDON10")
    for sub in world.subscriptions:  # the discount was removed from the item since
        for item in sub["items"]["data"]:
            item["discounts"] = []
    with StripeTestServer(world) as server:
        report = run_backfill(db, "local", make_client(server), settings(), NOW)
        assert report.request_count == minimum_pages(world, WINDOW_START)
        asked = [
            r.path
            for r in server.requests
            if r.params.get("expand") == ["data.discounts.source.coupon"]
        ]
    assert len(asked) == 1 and asked[0].endswith("/lines")  # one invoice's lines
    with db.session() as session:
        ledger = load_ledger(session, "local", WINDOW_START)
    assert ledger.discounts[ITEM_DISCOUNT].coupon.percent_off == Decimal(10)


def _unreachable_item_coupon(world: StripeWorld) -> tuple[StripeWorld, str]:
    """``world`` with ADDON10 deleted and reachable from no list; the customer it discounts."""
    world = _without_coupon(world, "ADDON10")
    world.discounts = [d for d in world.discounts if d["id"] != ITEM_DISCOUNT]
    for sub in world.subscriptions:
        for item in sub["items"]["data"]:
            for discount in item["discounts"]:
                discount["source"]["coupon"] = "ADDON10"  # not expandable anywhere
    customer = next(
        s["customer"]
        for s in world.subscriptions
        if any(i["discounts"] for i in s["items"]["data"])
    )
    return world, customer


def test_a_coupon_no_list_reaches_is_named_not_guessed(
    db: Database, stripe_world: StripeWorld
) -> None:
    """Item discounts whose coupon is gone from Stripe entirely stay unknown and are named."""
    world, customer = _unreachable_item_coupon(stripe_world)
    with StripeTestServer(world) as server:
        run_backfill(db, "local", make_client(server), settings(), NOW)
    with db.session() as session:
        assert unresolved_coupon_ids(session, "local") == ["ADDON10"]
        assert unresolved_by_customer(session, "local") == {customer: ["ADDON10"]}
        ledger = load_ledger(session, "local", WINDOW_START)
    assert not ledger.discounts[ITEM_DISCOUNT].coupon.known


def test_figures_on_an_unresolved_coupon_say_so_wherever_they_are_shown(
    db: Database, stripe_world: StripeWorld
) -> None:
    """The account answer, ``accounts list --json`` and the status card name the coupon whose
    discount the figures leave out; the other accounts' objects keep the exact contract."""
    world, customer = _unreachable_item_coupon(stripe_world)
    with StripeTestServer(world) as server:
        run_backfill(db, "local", make_client(server), settings(), NOW)
    with db.session() as session:  # so the status card shows the synced workspace
        ensure_file_connection(session, "local", NOW)
    backend = Backend(settings=settings(), db=db, clock=lambda: NOW)
    with db.session() as session:
        account_id = customer_accounts(session, "local")[customer]
    rows = {r["account"]["id"]: r for r in account_list(backend, "local")}
    flagged = {a for a, r in rows.items() if "unresolved_coupons" in r}
    assert flagged == {account_id} and rows[account_id]["unresolved_coupons"] == ["ADDON10"]
    assert all(set(r) == set(CONTRACT_FIELDS) for a, r in rows.items() if a != account_id)

    name = rows[account_id]["account"]["name"]
    answer = ask(backend, "local", f"how is {name} doing?", NOW)
    assert answer.result["account"]["id"] == account_id
    assert answer.result["unresolved_coupons"] == ["ADDON10"]
    assert "coupon ADDON10 could not be read from Stripe" in answer.text

    card = overview.card(backend, "local")
    assert [c.to_json() for c in card.unresolved_coupons] == [
        {"coupon": "ADDON10", "accounts": [name], "customers": []}
    ]
    assert card.to_json()["unresolved_coupons"][0]["coupon"] == "ADDON10"
    shown = "\n".join(card_lines(card))
    assert "coupon ADDON10 could not be read from Stripe" in shown and name in shown


def test_nothing_is_flagged_when_every_coupon_resolves(
    db: Database, stripe_world: StripeWorld
) -> None:
    _sync(db, _without_coupon(stripe_world, "LOYAL20"))  # deleted, yet expanded
    backend = Backend(settings=settings(), db=db, clock=lambda: NOW)
    assert all("unresolved_coupons" not in r for r in account_list(backend, "local"))
    with db.session() as session:
        assert unresolved_coupons(session, "local") == []
