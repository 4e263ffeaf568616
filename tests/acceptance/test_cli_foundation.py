"""Acceptance: connect, sync, accounts and status through the CLI (SPEC §4, §5, §6, §10b).

The shared world is served by the Stripe test server in both API shapes (the
current one and the pre-2025 one); the flow (``tests/acceptance/flow.py``) runs
``db upgrade``, ``accounts import``, refused and accepted ``connect`` and
``sync`` once per shape, and every test checks one promise against the world
files and truth.json.
"""

from __future__ import annotations

import math
from collections import Counter

from tests.acceptance.expected import (
    WINDOW_START,
    all_lines,
    invoice_facts,
    invoice_in_window,
    line_details,
    price_facts,
    stored_invoice_facts,
    stored_ledger,
    stored_price_facts,
    stored_subscription_facts,
    subscription_facts,
    subscription_in_window,
    truth,
    world,
)
from tests.acceptance.flow import BAD_KEY, GOOD_KEY, NO_INVOICES_KEY, Flow, connection_count
from tests.stripe_server.helpers import dump_tables

CONTRACT_FIELDS = {
    "account",
    "stripe_customer_ids",
    "mrr",
    "arr",
    "payment_status",
    "overdue",
    "max_days_overdue",
    "lifetime_revenue",
    "last_invoice_date",
    "plan",
    "renewal_date",
    "lifecycle",
    "scheduled_to_cancel",
    "mrr_history",
}
# --unmatched lists every customer without an account, deleted ones included.
WITHOUT_ACCOUNT = {"unmatched", "ambiguous", "skipped", "deleted"}


def _ok(flow: Flow, step: str) -> str:
    result = flow.results[step]
    assert result.exit_code == 0, f"{step}: {result.stdout}{result.stderr}"
    return str(result.stdout)


# --- connect -------------------------------------------------------------------------------


def test_onboarding_commands_succeed(flow: Flow) -> None:
    _ok(flow, "db upgrade")
    assert "imported 60 accounts" in _ok(flow, "import")
    connected = _ok(flow, "connect")
    assert "test mode" in connected and GOOD_KEY[-4:] in connected
    assert GOOD_KEY not in connected + flow.results["connect"].stderr
    synced = _ok(flow, "sync")
    assert f"{len(world('products'))} products" in synced
    assert "2 skipped" in synced


def test_bad_key_is_refused_and_nothing_is_stored(flow: Flow) -> None:
    result = flow.results["connect bad key"]
    assert result.exit_code != 0
    assert "Invalid Stripe API key" in result.stderr
    assert BAD_KEY not in result.stdout + result.stderr
    assert flow.connections_after_refusals == 0


def test_key_without_invoice_read_names_the_permission_and_stores_nothing(flow: Flow) -> None:
    result = flow.results["connect no invoices"]
    assert result.exit_code != 0
    message = result.stderr
    assert "Missing permission: Invoices" in message and "rak_invoice_read" in message
    assert NO_INVOICES_KEY not in result.stdout + message
    assert flow.connections_after_refusals == 0


def test_a_refused_key_on_another_workspace_leaves_no_connection_there(flow: Flow) -> None:
    before = connection_count(flow.db)
    result = flow.cli("connect", "--key", BAD_KEY, "--workspace", "T0OTHER")
    assert result.exit_code != 0 and "Invalid Stripe API key" in result.stderr
    assert connection_count(flow.db) == before == 1


# --- what sync stores ----------------------------------------------------------------------


def test_catalogue_and_customers_are_stored_in_full(flow: Flow) -> None:
    ledger = stored_ledger(flow)
    products = world("products")
    assert set(ledger.products) == {p["id"] for p in products}
    assert all(ledger.products[p["id"]].name == p["name"] for p in products)
    prices = world("prices")
    assert set(ledger.prices) == {p["id"] for p in prices}
    for price in prices:
        assert stored_price_facts(ledger, price["id"]) == price_facts(price), price["id"]
    alive = world("customers")
    for customer in alive:
        stored = ledger.customers[customer["id"]]
        assert (stored.name, stored.email, stored.deleted) == (
            customer["name"],
            customer["email"],
            False,
        )
        assert stored.metadata == customer["metadata"]
    for gone in world("customers_deleted"):
        assert ledger.customers[gone["id"]].deleted
    assert set(ledger.customers) == {c["id"] for c in alive + world("customers_deleted")}


def test_subscriptions_of_the_window_are_stored_with_items_and_discounts(flow: Flow) -> None:
    ledger = stored_ledger(flow)
    expected = {s["id"]: s for s in world("subscriptions") if subscription_in_window(s)}
    assert set(ledger.subscriptions) == set(expected)
    for sub_id, sub in expected.items():
        got = stored_subscription_facts(ledger.subscriptions[sub_id])
        assert got == subscription_facts(sub), sub_id


def test_invoices_of_the_window_are_stored_with_all_their_lines(flow: Flow) -> None:
    ledger = stored_ledger(flow)
    expected = {i["id"]: i for i in world("invoices") if invoice_in_window(i)}
    assert set(ledger.invoices) == set(expected)
    assert any(len(all_lines(i)) > 10 for i in expected.values())  # a paged invoice
    for invoice_id, invoice in expected.items():
        got = stored_invoice_facts(ledger.invoices[invoice_id])
        assert got == invoice_facts(invoice), invoice_id


def test_discounts_named_by_invoices_are_stored_even_when_ended(flow: Flow) -> None:
    """Ended discounts live only on the invoices that billed them; history needs them."""
    ledger = stored_ledger(flow)
    discounts = {d["id"]: d for d in world("discounts")}
    named = {
        d
        for invoice in filter(invoice_in_window, world("invoices"))
        for holder in (invoice, *all_lines(invoice))
        for d in [
            *holder.get("discounts", ()),
            *(a["discount"] for a in holder.get("discount_amounts", ())),
        ]
    }
    assert named and named <= set(discounts)
    for discount_id in named:
        stored = ledger.discounts[discount_id]
        source = discounts[discount_id]
        assert stored.coupon.id == source["source"]["coupon"]["id"], discount_id
        assert (stored.subscription_id, stored.subscription_item_id) == (
            source["subscription"],
            source["subscription_item"],
        )


def test_invoice_item_lines_keep_their_subscription(flow: Flow) -> None:
    """An invoice item billed on a subscription's invoice belongs to that subscription."""
    ledger = stored_ledger(flow)
    checked = 0
    for invoice in filter(invoice_in_window, world("invoices")):
        stored = {line.id: line for line in ledger.invoices[invoice["id"]].lines}
        for line in all_lines(invoice):
            kind, details = line_details(line)
            if kind == "invoiceitem":
                checked += 1
                assert stored[line["id"]].subscription_id == details.get("subscription"), line["id"]
    assert checked


# --- how sync reads Stripe -----------------------------------------------------------------


def _pages(count: int) -> int:
    return max(1, math.ceil(count / 100))


def test_list_requests_equal_the_pages_required(flow: Flow) -> None:
    invoices = [i for i in world("invoices") if invoice_in_window(i)]
    wide = [i for i in invoices if len(all_lines(i)) > 10]
    expected = Counter(
        {
            "/v1/products": _pages(len(world("products"))),
            "/v1/prices": _pages(len(world("prices"))),
            "/v1/coupons": _pages(len(world("coupons"))),
            "/v1/customers": _pages(len(world("customers"))),
            "/v1/subscriptions": _pages(
                sum(subscription_in_window(s) for s in world("subscriptions"))
            ),
            "/v1/invoices": _pages(len(invoices)),
            "/v1/events": 1,  # the newest event: the catch-up cursor
        }
    )
    for invoice in wide:
        expected[f"/v1/invoices/{invoice['id']}/lines"] = math.ceil(
            (len(all_lines(invoice)) - 10) / 100
        )
    assert Counter(r.path for r in flow.sync_requests) == expected
    assert all(r.status == 200 for r in flow.sync_requests)
    listed = [r for r in flow.sync_requests if r.path != "/v1/events"]
    assert all(r.params.get("limit") == "100" for r in listed)


def test_subscriptions_are_listed_with_status_all_and_expanded_discounts(flow: Flow) -> None:
    (request,) = [r for r in flow.sync_requests if r.path == "/v1/subscriptions"]
    assert request.params["status"] == "all"
    assert set(request.params["expand"]) == {
        "data.discounts",
        "data.discounts.source.coupon",
        "data.items.data.discounts",
    }
    (prices,) = [r for r in flow.sync_requests if r.path == "/v1/prices"]
    assert prices.params["expand"] == ["data.tiers"]
    invoices = [r for r in flow.sync_requests if r.path == "/v1/invoices"]
    start = int(WINDOW_START.timestamp())
    assert all(int(r.params["created"]["gte"]) == start for r in invoices)


def test_no_request_but_get_is_ever_sent(flow: Flow) -> None:
    requests = flow.connect_requests + flow.sync_requests + flow.server.requests
    assert requests and {r.method for r in requests} == {"GET"}
    # Validation reads each resource sync needs with limit=1; a refused key stops at the
    # first failure (the bad key at /v1/account, the other one at /v1/invoices).
    reads = Counter(r.path for r in flow.connect_requests if r.params.get("limit") == "1")
    assert reads["/v1/products"] == 2 and reads["/v1/invoices"] == 2 and reads["/v1/events"] == 1


# --- accounts and matching ----------------------------------------------------------------


def test_accounts_list_objects_have_exactly_the_contract_fields(flow: Flow) -> None:
    rows = flow.json("accounts", "list", "--json")
    expected = truth()["accounts"]
    assert len(rows) == len(expected)
    for row in rows:
        assert set(row) == CONTRACT_FIELDS, row["account"]
        account = row["account"]
        assert set(account) == {"id", "name", "domain"} and account["id"]
        facts = expected[account["name"]]
        assert account["domain"] == facts["account"]["domain"]
        assert row["stripe_customer_ids"] == sorted(facts["stripe_customer_ids"]), account
    assert len({row["account"]["id"] for row in rows}) == len(rows)


def test_unmatched_lists_every_customer_without_an_account_with_reasons(flow: Flow) -> None:
    items = flow.json("accounts", "list", "--unmatched", "--json")
    matching = truth()["matching"]
    expected = {cid: m for cid, m in matching.items() if m["outcome"] in WITHOUT_ACCOUNT}
    assert "deleted" in {m["outcome"] for m in expected.values()}  # the world holds one
    assert {i["customer_id"] for i in items} == set(expected)
    for item in items:
        facts = expected[item["customer_id"]]
        assert item["outcome"] == facts["outcome"]
        assert item["reason"] == facts["reason"]
        assert item["name"] == facts["name"] and item["email"] == facts["email"]
        names = sorted(c["name"] for c in item["candidates"])
        assert names == sorted(facts.get("candidates") or [])


def test_status_json_shows_record_and_match_counts(flow: Flow) -> None:
    card = flow.json("status", "--json")
    assert card["connected"] is True and card["status"] == "connected"
    assert card["mode"] == "test" and card["key_last4"] == GOOD_KEY[-4:]
    assert card["error"] is None and card["last_sync_at"].startswith("2027-02-15T12:0")
    assert card["window_start"] == WINDOW_START.isoformat().replace("+00:00", "Z")
    assert card["records"] == {
        "products": len(world("products")),
        "prices": len(world("prices")),
        "customers": len(world("customers")),
        "subscriptions": sum(subscription_in_window(s) for s in world("subscriptions")),
        "invoices": sum(invoice_in_window(i) for i in world("invoices")),
    }
    outcomes = Counter(m["outcome"] for m in truth()["matching"].values())
    assert card["matching"] == {k: outcomes.get(k, 0) for k in card["matching"]}
    assert set(card["matching"]) >= {"matched", "unmatched", "ambiguous", "skipped"}
    assert GOOD_KEY not in str(card)


# --- re-running sync -------------------------------------------------------------------------


def test_a_second_sync_and_a_full_backfill_keep_the_state_identical(flow: Flow) -> None:
    before = dump_tables(flow.db, "local")
    listed = flow.json("accounts", "list", "--json")
    flow.server.reset_requests()
    caught_up = flow.cli("sync")
    assert caught_up.exit_code == 0, caught_up.stdout + caught_up.stderr
    assert [r.path for r in flow.server.requests] == ["/v1/events"]
    assert dump_tables(flow.db, "local") == before
    full = flow.cli("sync", "--full")
    assert full.exit_code == 0, full.stdout + full.stderr
    assert dump_tables(flow.db, "local") == before
    assert flow.json("accounts", "list", "--json") == listed
    assert {r.method for r in flow.server.requests} == {"GET"}
