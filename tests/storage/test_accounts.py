"""Accounts, match outcomes and manual mappings in the database (SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.models import Customer
from storage import accounts as store
from storage.db import Database
from storage.models import AccountRow, CustomerRow, StripeConnection
from storage.workspaces import ensure_workspace
from sync.accounts import find_account, import_accounts, map_customer, rematch_workspace
from sync.accounts_csv import load_accounts_csv, parse_accounts_csv
from sync.matching_keys import email_domain
from sync.readers import read_customer
from tests.support.world import WORLD, load_json, truth

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
LATER = datetime(2027, 2, 16, 12, tzinfo=UTC)


def add_customers(session: Session, workspace_id: str, customers: Iterable[Customer]) -> None:
    ensure_workspace(session, workspace_id, NOW)
    for c in customers:
        session.merge(
            CustomerRow(
                workspace_id=workspace_id,
                id=c.id,
                name=c.name,
                email=c.email,
                email_domain=email_domain(c.email),
                metadata_=dict(c.metadata),
                created=c.created,
                currency=c.currency,
                deleted=c.deleted,
                description=c.description,
            )
        )
    session.flush()


def world_customers() -> list[Customer]:
    return [
        read_customer(obj)
        for obj in load_json("customers.json") + load_json("customers_deleted.json")
    ]


def world_rows() -> tuple:
    parsed = load_accounts_csv(WORLD / "accounts.csv")
    assert parsed.ok
    return parsed.rows


def names_by_id(session: Session, workspace_id: str) -> dict[str, str]:
    return {a.id: a.name for a in store.list_accounts(session, workspace_id)}


def test_world_import_and_match_agree_with_truth(db: Database) -> None:
    expected = truth()["matching"]
    with db.session() as session:
        add_customers(session, "local", world_customers())
        summary = import_accounts(session, "local", world_rows(), now=NOW)
        assert (summary.created, summary.updated, summary.removed) == (60, 0, 0)
    with db.session() as session:
        names = names_by_id(session, "local")
        mapping = store.customer_accounts(session, "local")
        assert {c: names[a] for c, a in mapping.items()} == {
            c: e["account"] for c, e in expected.items() if e["outcome"] == "matched"
        }
        counts = store.match_counts(session, "local")
        want = {k: 0 for k in counts}
        for e in expected.values():
            want[e["outcome"]] += 1
        assert counts == want == summary.match_counts
        review = {i.customer_id: i for i in store.unmatched(session, "local")}
        assert set(review) == {
            c for c, e in expected.items() if e["outcome"] in {"unmatched", "ambiguous", "skipped"}
        }
        hank = review["cus_b3aKc3XSKnmGBD"]
        assert hank.outcome == "ambiguous"
        assert [c["name"] for c in hank.candidates] == ["Globex Corporation", "Globex Europe"]
        assert hank.name == "Hank Scorpio" and hank.email == "hank@globex.com"
        assert hank.to_json()["candidates"][0]["domain"] == "globex.com"
        deleted = store.review_list(session, "local", ("deleted",))
        assert [i.customer_id for i in deleted] == ["cus_nEsYSuhsVe88lo"]
        accounts = store.list_accounts(session, "local")
        soylent = next(a for a in accounts if a.name == "Soylent Foods")
        assert soylent.aliases == ("Soylent", "Soylent Co") and soylent.owner == "Aisha Bello"


def test_manual_mapping_survives_rematch_and_reimport(db: Database) -> None:
    jane = "cus_8GVa7w8Q7VgpT1"  # gmail, skipped
    with db.session() as session:
        add_customers(session, "local", world_customers())
        import_accounts(session, "local", world_rows(), now=NOW)
        initech = find_account(session, "local", "initech")
        assert initech is not None
        counts = map_customer(session, "local", jane, initech.id, actor="U1", now=NOW)
        assert counts["skipped"] == 1
    for _ in range(2):
        with db.session() as session:
            rematch_workspace(session, "local", "client_id", LATER)
            import_accounts(session, "local", world_rows(), now=LATER)
    with db.session() as session:
        outcome = store.match_outcome(session, "local", jane)
        assert outcome is not None
        assert (outcome.outcome, outcome.account_id, outcome.via) == (
            "matched",
            initech.id,
            "manual",
        )
        assert store.manual_mappings(session, "local") == {jane: initech.id}
        assert store.customer_accounts(session, "local")[jane] == initech.id
        # Clearing the mapping puts the customer back where the rules place it.
        map_customer(session, "local", jane, None, actor="U1", now=LATER)
        outcome = store.match_outcome(session, "local", jane)
        assert outcome is not None and outcome.outcome == "skipped"
        assert not store.clear_manual_mapping(session, "local", jane)


def test_manual_mapping_rejects_unknown_customer_or_account(db: Database) -> None:
    with db.session() as session:
        add_customers(session, "local", [Customer("cus_1", "A", "a@acme.com")])
        import_accounts(
            session, "local", parse_accounts_csv("name,domain\nAcme,acme.com\n").rows, now=NOW
        )
        (acme,) = store.list_accounts(session, "local")
        with pytest.raises(store.MappingError, match="no Stripe customer cus_404"):
            store.set_manual_mapping(session, "local", "cus_404", acme.id, actor="U", now=NOW)
        with pytest.raises(store.MappingError, match="no account acc_404"):
            store.set_manual_mapping(session, "local", "cus_1", "acc_404", actor="U", now=NOW)
        assert store.manual_mappings(session, "local") == {}


def test_reimport_keeps_ids_by_external_id_then_name_and_removes_the_rest(db: Database) -> None:
    first = "name,domain,external_id\nAcme,acme.com,CL-1\nBeta,beta.io,\nGamma,gamma.io,\n"
    second = (
        "name,domain,external_id\nAcme Corporation,acme.com,CL-1\nbeta,beta.io,B-2\nDelta,d.io,\n"
    )
    with db.session() as session:
        import_accounts(session, "local", parse_accounts_csv(first).rows, now=NOW)
        before = {a.name: a.id for a in store.list_accounts(session, "local")}
    with db.session() as session:
        summary = import_accounts(session, "local", parse_accounts_csv(second).rows, now=LATER)
        assert (summary.created, summary.updated, summary.unchanged, summary.removed) == (
            1,
            2,
            0,
            1,
        )
        after = {a.name: a for a in store.list_accounts(session, "local")}
        assert after["Acme Corporation"].id == before["Acme"]  # renamed, same external_id
        assert after["beta"].id == before["Beta"] and after["beta"].external_id == "B-2"
        assert "Gamma" not in after and after["Delta"].id not in before.values()
        created = session.get(AccountRow, ("local", before["Acme"]))
        assert created is not None and created.created_at == NOW and created.source == "import"


def test_auto_accounts_when_no_list_and_stable_across_resyncs(db: Database) -> None:
    customers = [
        Customer("cus_1", "Acme Inc", "a@acme.com"),
        Customer("cus_2", "Acme Inc", "b@acme.com"),
        Customer("cus_3", "Jane Doe", "jane@gmail.com"),
    ]
    with db.session() as session:
        add_customers(session, "local", customers)
        counts = rematch_workspace(session, "local", "client_id", NOW)
        assert counts["matched"] == 3
        first = store.list_accounts(session, "local")
        assert [(a.name, a.domain) for a in first] == [("Acme Inc", "acme.com"), ("Jane Doe", None)]
        assert store.account_source_counts(session, "local") == {"auto": 2}
    with db.session() as session:
        # Re-sync: a new company customer appears and Jane is deleted in Stripe.
        add_customers(
            session,
            "local",
            [Customer("cus_4", "Beta", "x@beta.io"), Customer("cus_3", deleted=True)],
        )
        rematch_workspace(session, "local", "client_id", LATER)
        second = {a.name: a.id for a in store.list_accounts(session, "local")}
        assert second == {"Acme Inc": first[0].id, "Beta": second["Beta"]}
        mapping = store.customer_accounts(session, "local")
        assert mapping == {"cus_1": first[0].id, "cus_2": first[0].id, "cus_4": second["Beta"]}
        match = store.match_outcome(session, "local", "cus_1")
        assert match is not None and match.via == "auto"
    with db.session() as session:
        # Importing a list replaces the automatic accounts.
        rows = parse_accounts_csv("name,domain\nAcme,acme.com\n").rows
        summary = import_accounts(session, "local", rows, now=LATER)
        assert summary.removed == 2
        assert store.account_source_counts(session, "local") == {"import": 1}
        assert summary.match_counts["matched"] == 2 and summary.match_counts["unmatched"] == 1


def test_personal_email_toggle_comes_from_the_workspace(db: Database) -> None:
    rows = parse_accounts_csv("name,domain\nSolo Consulting,gmail.com\n").rows
    with db.session() as session:
        add_customers(session, "local", [Customer("cus_1", "Jane", "jane@gmail.com")])
        assert import_accounts(session, "local", rows, now=NOW).match_counts["skipped"] == 1
        ensure_workspace(session, "local", NOW).match_personal_emails = True
        assert rematch_workspace(session, "local", "client_id", NOW)["matched"] == 1


def test_match_counts_shown_on_the_connection_card(db: Database) -> None:
    with db.session() as session:
        add_customers(session, "local", [Customer("cus_1", "A", "a@acme.com")])
        session.add(
            StripeConnection(
                workspace_id="local",
                mode="test",
                key_kind="restricted",
                connected_at=NOW,
                updated_at=NOW,
                record_counts={},
                match_counts={},
            )
        )
        session.flush()
        rematch_workspace(session, "local", "client_id", NOW)
    with db.session() as session:
        connection = session.scalars(select(StripeConnection)).one()
        assert connection.match_counts["matched"] == 1


def test_two_workspaces_never_see_each_other(db: Database) -> None:
    list_a = "name,domain,external_id\nAcme,acme.com,CL-1\nShared,shared.com,\n"
    list_b = "name,domain,external_id\nAcme,other-acme.com,CL-1\nBeta,beta.io,\n"
    same_ids = [
        Customer("cus_1", "Acme", "x@acme.com"),
        Customer("cus_2", "Nobody", "y@beta.io"),
    ]
    with db.session() as session:
        add_customers(session, "T_A", same_ids)
        add_customers(session, "T_B", same_ids)
        import_accounts(session, "T_A", parse_accounts_csv(list_a).rows, now=NOW)
        import_accounts(session, "T_B", parse_accounts_csv(list_b).rows, now=NOW)
        a_acme = find_account(session, "T_A", "Acme")
        b_beta = find_account(session, "T_B", "Beta")
        assert a_acme is not None and b_beta is not None
        # Same name and external_id in both lists: same deterministic id, separate rows.
        assert a_acme.id == find_account(session, "T_B", "acme").id  # type: ignore[union-attr]
        map_customer(session, "T_A", "cus_2", a_acme.id, actor="U", now=NOW)
        # T_B cannot map to an account that only T_A has.
        shared = find_account(session, "T_A", "Shared")
        assert shared is not None and find_account(session, "T_B", "Shared") is None
        with pytest.raises(store.MappingError):
            store.set_manual_mapping(session, "T_B", "cus_1", shared.id, actor="U", now=NOW)
    with db.session() as session:
        assert [a.name for a in store.list_accounts(session, "T_A")] == ["Acme", "Shared"]
        assert [a.name for a in store.list_accounts(session, "T_B")] == ["Acme", "Beta"]
        assert store.customer_accounts(session, "T_A") == {"cus_1": a_acme.id, "cus_2": a_acme.id}
        # In T_B, cus_1 matches by name (its domain acme.com is not T_B's Acme domain).
        assert store.customer_accounts(session, "T_B") == {"cus_1": a_acme.id, "cus_2": b_beta.id}
        assert store.manual_mappings(session, "T_B") == {}
        assert store.match_counts(session, "T_A")["matched"] == 2
        assert store.unmatched(session, "T_A") == store.unmatched(session, "T_B") == []
        b_via = store.match_outcome(session, "T_B", "cus_1")
        assert b_via is not None and b_via.via == "name"
        rematch_workspace(session, "T_B", "client_id", LATER)
        assert store.manual_mappings(session, "T_A") == {"cus_2": a_acme.id}


def test_find_account(db: Database) -> None:
    text = (
        "name,domain,aliases\nBlue Harbor Capital,bh.com,BH\n"
        "Globex,globex.com,\nGlobex EU,globex.com,\n"
    )
    with db.session() as session:
        import_accounts(session, "local", parse_accounts_csv(text).rows, now=NOW)
        blue = find_account(session, "local", "  blue harbor CAPITAL ")
        assert blue is not None and blue.name == "Blue Harbor Capital"
        assert find_account(session, "local", "bh") == blue
        assert find_account(session, "local", blue.id) == blue
        assert find_account(session, "local", "BH.com") == blue
        assert find_account(session, "local", "globex.com") is None  # two accounts: ambiguous
        assert find_account(session, "local", "nothing") is None
