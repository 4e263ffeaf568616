"""Customer-to-account matching rules (SPEC §6, §7b), table by table, and the sample world."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from billing.models import Account, Customer
from sync.accounts_csv import load_accounts_csv
from sync.matching import (
    DELETED_REASON,
    MatchOutcome,
    auto_account_id,
    auto_accounts,
    count_outcomes,
    match_auto,
    match_customers,
)
from sync.matching_keys import email_domain, is_personal_domain, name_key
from sync.readers import read_customer
from tests.support.world import WORLD, load_json, truth

ACME = Account("a_acme", "Acme Inc", domain="acme.com", external_id="CL-1")
ACME_LABS = Account("a_labs", "Acme Labs", domain="acme.com", external_id="CL-2")
BLUE = Account(
    "a_blue", "Blue Harbor Capital", domain="blueharborcap.com", aliases=("Blue Harbor",)
)
BLUE_FOODS = Account("a_bfoods", "Blue Harbor Foods", domain="blueharborfoods.com")
GLOBEX = Account("a_globex", "Globex", domain="globex.com", external_id="GLX")
INITECH = Account("a_ini", "Initech", domain="initech.com", aliases=("Initrode",))
INITRODE = Account("a_initrode", "Initrode", domain="initrode.com")


def one(
    customer: Customer,
    accounts: list[Account],
    manual: dict[str, str] | None = None,
    **kwargs: object,
) -> MatchOutcome:
    (outcome,) = match_customers([customer], accounts, manual, **kwargs)  # type: ignore[arg-type]
    return outcome


def cus(
    email: str | None = None,
    name: str | None = None,
    metadata: dict[str, str] | None = None,
    deleted: bool = False,
    cid: str = "cus_1",
) -> Customer:
    return Customer(id=cid, name=name, email=email, metadata=metadata or {}, deleted=deleted)


# (customer, accounts, manual, expected outcome, account, via)
CASES = [
    pytest.param(
        cus("x@globex.com", metadata={"client_id": "CL-1"}),
        [ACME, GLOBEX, BLUE],
        {"cus_1": "a_blue"},
        "matched",
        "a_blue",
        "manual",
        id="manual-wins-over-metadata-and-domain",
    ),
    pytest.param(
        cus("x@globex.com", "Globex", {"client_id": "CL-1"}),
        [ACME, GLOBEX],
        {},
        "matched",
        "a_acme",
        "metadata",
        id="metadata-wins-over-domain-and-name",
    ),
    pytest.param(
        cus("x@globex.com", metadata={"client_id": " cl-1 "}),
        [ACME, GLOBEX],
        {},
        "matched",
        "a_acme",
        "metadata",
        id="metadata-ignores-case-and-spaces",
    ),
    pytest.param(
        cus("x@globex.com", metadata={"client_id": "CL-404"}),
        [ACME, GLOBEX],
        {},
        "matched",
        "a_globex",
        "domain",
        id="unknown-metadata-falls-through-to-domain",
    ),
    pytest.param(
        cus("Billing@GLOBEX.COM", "Someone Else"),
        [ACME, GLOBEX],
        {},
        "matched",
        "a_globex",
        "domain",
        id="domain-case-insensitive",
    ),
    pytest.param(
        cus("x@acme.com", "Acme Labs"),
        [ACME, ACME_LABS],
        {},
        "ambiguous",
        None,
        "domain",
        id="shared-domain-ambiguous-even-if-name-would-decide",
    ),
    pytest.param(
        cus("x@eu.globex.com"),
        [GLOBEX],
        {},
        "unmatched",
        None,
        None,
        id="subdomain-not-folded",
    ),
    pytest.param(
        cus("x@globex.com.au"),
        [GLOBEX],
        {},
        "unmatched",
        None,
        None,
        id="longer-domain-not-folded",
    ),
    pytest.param(
        cus("x@eu.globex.com", "  GLOBEX "),
        [GLOBEX],
        {},
        "matched",
        "a_globex",
        "name",
        id="subdomain-then-name",
    ),
    pytest.param(
        cus("ap@outsourced.io", "blue   HARBOR"),
        [BLUE, BLUE_FOODS],
        {},
        "matched",
        "a_blue",
        "name",
        id="alias-ignoring-case-and-spacing",
    ),
    pytest.param(
        cus("ap@outsourced.io", "BlueHarbor Capital"),
        [BLUE, BLUE_FOODS],
        {},
        "matched",
        "a_blue",
        "name",
        id="name-ignoring-inner-spacing",
    ),
    pytest.param(
        cus("ap@outsourced.io", "Blue Harbor Capital, Inc."),
        [BLUE],
        {},
        "unmatched",
        None,
        None,
        id="name-punctuation-counts",
    ),
    pytest.param(
        cus("ap@outsourced.io", "Initrode"),
        [INITECH, INITRODE],
        {},
        "ambiguous",
        None,
        "name",
        id="name-and-alias-of-two-accounts-ambiguous",
    ),
    pytest.param(
        cus("jane@gmail.com", "Jane Doe"),
        [ACME],
        {},
        "skipped",
        None,
        None,
        id="personal-domain-no-name-skipped",
    ),
    pytest.param(
        cus("jane@gmail.com", "acme inc"),
        [ACME],
        {},
        "matched",
        "a_acme",
        "name",
        id="personal-domain-still-tries-name",
    ),
    pytest.param(
        cus("sam@gmail.com", "Sam", {"client_id": "CL-2"}),
        [ACME, ACME_LABS],
        {},
        "matched",
        "a_labs",
        "metadata",
        id="personal-domain-metadata",
    ),
    pytest.param(
        cus(None, None),
        [ACME],
        {},
        "unmatched",
        None,
        None,
        id="nothing-to-match-on",
    ),
    pytest.param(
        cus("x@acme.com", "Acme Inc", {"client_id": "CL-1"}, deleted=True),
        [ACME],
        {"cus_1": "a_acme"},
        "deleted",
        None,
        None,
        id="deleted-matches-nothing-even-manual",
    ),
    pytest.param(
        cus("x@globex.com"),
        [GLOBEX],
        {"cus_1": "a_removed"},
        "matched",
        "a_globex",
        "domain",
        id="manual-to-removed-account-ignored",
    ),
]


@pytest.mark.parametrize(("customer", "accounts", "manual", "outcome", "account_id", "via"), CASES)
def test_matching_rules(
    customer: Customer,
    accounts: list[Account],
    manual: dict[str, str],
    outcome: str,
    account_id: str | None,
    via: str | None,
) -> None:
    result = one(customer, accounts, manual)
    assert (result.outcome, result.account_id, result.via) == (outcome, account_id, via)
    assert result.customer_id == customer.id
    assert result.reason


def test_personal_toggle_lets_the_domain_step_run() -> None:
    gmail_account = Account("a_g", "Freelancer", domain="gmail.com")
    customer = cus("jane@gmail.com", "Jane Doe")
    off = one(customer, [gmail_account])
    on = one(customer, [gmail_account], match_personal_emails=True)
    assert off.outcome == "skipped"
    assert off.reason == (
        "personal email domain gmail.com (match personal emails is off); no name match"
    )
    assert (on.outcome, on.account_id, on.via) == ("matched", "a_g", "domain")
    # With the toggle on and no account on the domain, it is plainly unmatched.
    assert one(customer, [ACME], match_personal_emails=True).outcome == "unmatched"


def test_ambiguous_names_candidates_and_never_picks_one() -> None:
    result = one(cus("hank@acme.com", "Hank"), [ACME_LABS, ACME])
    assert result.outcome == "ambiguous"
    assert result.account_id is None
    assert result.candidates == ("a_acme", "a_labs")  # sorted by name
    assert result.reason == "email domain acme.com: 2 accounts (Acme Inc, Acme Labs)"


def test_ambiguous_metadata_when_two_accounts_share_an_external_id() -> None:
    twin = Account("a_twin", "Acme Twin", external_id="cl-1")
    result = one(cus("x@globex.com", metadata={"client_id": "CL-1"}), [ACME, twin, GLOBEX])
    assert (result.outcome, result.via) == ("ambiguous", "metadata")
    assert set(result.candidates) == {"a_acme", "a_twin"}


def test_metadata_key_is_configurable() -> None:
    customer = cus("x@globex.com", metadata={"client_id": "CL-1", "crm_id": "CL-2"})
    assert one(customer, [ACME, ACME_LABS, GLOBEX]).account_id == "a_acme"
    result = one(customer, [ACME, ACME_LABS, GLOBEX], metadata_key="crm_id")
    assert (result.account_id, result.reason) == ("a_labs", "metadata.crm_id CL-2 = external_id")


def test_reasons_read_like_sentences() -> None:
    assert one(cus("x@globex.com"), [GLOBEX]).reason == "email domain globex.com"
    assert one(cus(None, "blue harbor"), [BLUE]).reason == (
        "customer name 'blue harbor' = account name/alias"
    )
    assert one(cus("x@a.io"), [GLOBEX], {"cus_1": "a_globex"}).reason == "manual mapping to Globex"
    unmatched = one(cus("ap@x.io", "Nobody", {"client_id": "Z9"}), [GLOBEX])
    assert unmatched.reason == "no account has external_id Z9, domain x.io or name 'Nobody'"
    assert one(cus(deleted=True), [GLOBEX]).reason == DELETED_REASON


def test_outcomes_keep_input_order_and_count() -> None:
    customers = [
        cus("a@acme.com", cid="c1"),
        cus("b@globex.com", cid="c2"),
        cus("c@gmail.com", "C", cid="c3"),
        cus(deleted=True, cid="c4"),
        cus("d@nowhere.io", cid="c5"),
    ]
    outcomes = match_customers(customers, [ACME, ACME_LABS, GLOBEX])
    assert [o.customer_id for o in outcomes] == ["c1", "c2", "c3", "c4", "c5"]
    assert count_outcomes(outcomes) == {
        "matched": 1,
        "unmatched": 1,
        "ambiguous": 1,
        "skipped": 1,
        "deleted": 1,
    }


@pytest.mark.parametrize(
    ("domain", "personal"),
    [
        ("gmail.com", True),
        ("GoogleMail.com", True),
        ("proton.me", True),
        ("gmx.de", True),
        ("gmx.net", True),
        ("yandex.ru", True),
        ("yahoo.co.uk", True),
        ("hotmail.fr", True),
        ("icloud.com", True),
        ("outlook.acme.com", False),
        ("gmail.company.com", False),
        ("acme.com", False),
        ("", False),
        (None, False),
    ],
)
def test_personal_domains(domain: str | None, personal: bool) -> None:
    assert is_personal_domain(domain) is personal


def test_keys() -> None:
    assert email_domain("  Jane.Doe@Example.COM. ") == "example.com"
    assert email_domain("not-an-email") is None
    assert email_domain(None) is None
    assert email_domain("a@café.fr") == "xn--caf-dma.fr"
    assert name_key("  Blue   Harbor\tCapital ") == name_key("blueharborcapital")
    assert name_key("Café Lumière") != name_key("Cafe Lumiere")  # accents count
    assert name_key(None) == ""


# --- automatic accounts ----------------------------------------------------------------


def _at(day: int) -> datetime:
    return datetime(2026, 1, day, tzinfo=UTC)


def test_auto_accounts_one_per_company_domain_and_own_for_personal() -> None:
    customers = [
        Customer("c1", "Acme GmbH", "eu@acme.com", created=_at(3)),
        Customer("c2", "Acme Inc", "us@ACME.com", created=_at(1)),
        Customer("c3", "Acme Inc", "ap@acme.com", created=_at(5)),
        Customer("c4", "Jane Doe", "jane@gmail.com"),
        Customer("c5", "Walk-in", None),
        Customer("c6", None, "x@eu.acme.com"),
        Customer("c7", "Gone", "gone@acme.com", deleted=True),
        Customer("c8", "Jane Doe", "jane.doe@gmail.com"),
    ]
    accounts = auto_accounts(customers)
    by_domain = {a.domain: a for a in accounts if a.domain}
    assert set(by_domain) == {"acme.com", "eu.acme.com"}
    assert by_domain["acme.com"].name == "Acme Inc"  # most common name
    assert by_domain["eu.acme.com"].name == "eu.acme.com"  # nobody named: the domain
    own = sorted(a.name for a in accounts if a.domain is None)
    assert own == ["Jane Doe", "Jane Doe", "Walk-in"]  # personal and email-less: one each
    assert len({a.id for a in accounts}) == len(accounts) == 5
    # Deterministic: same ids from a re-sync, in any order.
    assert auto_accounts(list(reversed(customers))) == accounts

    outcomes = {o.customer_id: o for o in match_auto(customers, accounts, {})}
    assert outcomes["c1"].account_id == outcomes["c2"].account_id == by_domain["acme.com"].id
    assert outcomes["c1"].via == "auto"
    assert outcomes["c4"].account_id != outcomes["c8"].account_id  # same name, not merged
    assert outcomes["c7"].outcome == "deleted"
    assert all(o.outcome == "matched" for cid, o in outcomes.items() if cid != "c7")


def test_auto_name_tie_goes_to_oldest_customer() -> None:
    customers = [
        Customer("c1", "Newer Name", "a@acme.com", created=_at(9)),
        Customer("c2", "Older Name", "b@acme.com", created=_at(2)),
    ]
    (account,) = auto_accounts(customers)
    assert account.name == "Older Name"
    assert account.id == auto_account_id(customers[0]) == auto_account_id(customers[1])


def test_auto_manual_mapping_wins() -> None:
    customers = [Customer("c1", "Acme", "a@acme.com"), Customer("c2", "Jane", "jane@gmail.com")]
    accounts = auto_accounts(customers)
    acme = next(a for a in accounts if a.domain == "acme.com")
    outcomes = match_auto(customers, accounts, {"c2": acme.id})
    assert [(o.account_id, o.via) for o in outcomes] == [(acme.id, "auto"), (acme.id, "manual")]


# --- the sample world ------------------------------------------------------------------


def test_sample_world_matches_truth_for_every_customer() -> None:
    parsed = load_accounts_csv(WORLD / "accounts.csv")
    assert parsed.ok, parsed.errors
    accounts = [
        Account(f"acc{r.line}", r.name, r.domain, r.external_id, r.aliases, r.owner)
        for r in parsed.rows
    ]
    names = {a.id: a.name for a in accounts}
    customers = [
        read_customer(obj)
        for obj in load_json("customers.json") + load_json("customers_deleted.json")
    ]
    expected = truth()["matching"]
    outcomes = match_customers(customers, accounts, {})
    assert {o.customer_id for o in outcomes} == set(expected)
    mismatches = []
    for outcome in outcomes:
        want = expected[outcome.customer_id]
        got = (
            outcome.outcome,
            names.get(outcome.account_id or ""),
            outcome.via,
            outcome.reason,
            [names[c] for c in outcome.candidates],
        )
        exp = (
            want["outcome"],
            want["account"],
            want["via"],
            want["reason"],
            want.get("candidates", []),
        )
        if got != exp:
            mismatches.append((outcome.customer_id, got, exp))
    assert mismatches == []
