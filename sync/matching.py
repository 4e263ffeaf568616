"""Customer-to-account matching (SPEC §6, §7b "Matching"): pure functions, no I/O.

With an imported client list, :func:`match_customers` tries, in order:

1. an admin's manual mapping (``via="manual"``);
2. ``metadata[<key>]`` equal to an account's external_id (``via="metadata"``);
3. the email domain equal to an account's domain — exact and case-insensitive,
   no subdomain folding; personal domains (gmail.com, …) skip this step unless
   "match personal emails" is on (``via="domain"``);
4. the customer name equal to an account name or alias, ignoring case and
   spacing (``via="name"``).

The first step that yields any account decides: one account -> ``matched``,
two or more -> ``ambiguous`` with the candidates (never merged). A customer no
step places is ``skipped`` when its personal email domain was skipped, else
``unmatched``. Deleted customers are ``deleted`` and match nothing.

Without a list, :func:`auto_accounts` derives one account per company email
domain, and one per remaining customer (personal domain or no email);
:func:`match_auto` places every customer on its automatic account
(``via="auto"``) unless a manual mapping says otherwise. Ids are derived from
the domain / customer id, so re-syncs keep them stable.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from billing.models import Account, Customer
from sync.matching_keys import email_domain, is_personal_domain, name_key

OUTCOMES = ("matched", "unmatched", "ambiguous", "skipped", "deleted")
DELETED_REASON = "deleted in Stripe: matches nothing, its invoices belong to no account"


@dataclass(frozen=True)
class MatchOutcome:
    """Where one Stripe customer belongs, and why (a sentence an admin can read)."""

    customer_id: str
    outcome: str  # matched | unmatched | ambiguous | skipped | deleted
    account_id: str | None = None
    via: str | None = None  # manual | metadata | domain | name | auto
    reason: str = ""
    candidates: tuple[str, ...] = ()  # account ids, when ambiguous


@dataclass
class _Index:
    """Accounts by each key a matching step compares."""

    by_id: dict[str, Account] = field(default_factory=dict)
    by_external_id: dict[str, dict[str, Account]] = field(default_factory=dict)
    by_domain: dict[str, dict[str, Account]] = field(default_factory=dict)
    by_name: dict[str, dict[str, Account]] = field(default_factory=dict)

    @classmethod
    def of(cls, accounts: Iterable[Account]) -> _Index:
        index = cls()
        for account in accounts:
            index.by_id[account.id] = account
            if account.external_id and account.external_id.strip():
                key = account.external_id.strip().casefold()
                index.by_external_id.setdefault(key, {})[account.id] = account
            if account.domain:
                index.by_domain.setdefault(account.domain.lower(), {})[account.id] = account
            for name in (account.name, *account.aliases):
                if name_key(name):
                    index.by_name.setdefault(name_key(name), {})[account.id] = account
        return index


def _ordered(accounts: Mapping[str, Account]) -> list[Account]:
    return sorted(accounts.values(), key=lambda a: (a.name.casefold(), a.id))


def _decide(
    customer_id: str, hits: Mapping[str, Account] | None, via: str, reason: str, note: str
) -> MatchOutcome | None:
    """The outcome of one step: None when it yields no account."""
    if not hits:
        return None
    if len(hits) == 1:
        (account,) = hits.values()
        return MatchOutcome(customer_id, "matched", account.id, via, reason + note)
    accounts = _ordered(hits)
    names = ", ".join(a.name for a in accounts)
    return MatchOutcome(
        customer_id,
        "ambiguous",
        None,
        via,
        f"{reason}: {len(accounts)} accounts ({names}){note}",
        tuple(a.id for a in accounts),
    )


def _or_list(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def match_customer(
    customer: Customer,
    index: _Index,
    manual_account_id: str | None = None,
    metadata_key: str = "client_id",
    match_personal_emails: bool = False,
) -> MatchOutcome:
    """Run the matching steps for one customer against an indexed list."""
    cid = customer.id
    if customer.deleted:
        return MatchOutcome(cid, "deleted", reason=DELETED_REASON)
    note = ""
    if manual_account_id is not None:
        account = index.by_id.get(manual_account_id)
        if account is not None:
            return MatchOutcome(
                cid, "matched", account.id, "manual", f"manual mapping to {account.name}"
            )
        note = f" (manual mapping to removed account {manual_account_id} ignored)"
    value = (customer.metadata.get(metadata_key) or "").strip()
    if value:
        hits = index.by_external_id.get(value.casefold())
        decided = _decide(
            cid, hits, "metadata", f"metadata.{metadata_key} {value} = external_id", note
        )
        if decided:
            return decided
    domain = email_domain(customer.email)
    skipped_domain = None
    if domain and is_personal_domain(domain) and not match_personal_emails:
        skipped_domain = domain
    elif domain:
        decided = _decide(
            cid, index.by_domain.get(domain), "domain", f"email domain {domain}", note
        )
        if decided:
            return decided
    key = name_key(customer.name)
    if key:
        reason = f"customer name '{customer.name}' = account name/alias"
        decided = _decide(cid, index.by_name.get(key), "name", reason, note)
        if decided:
            return decided
    if skipped_domain:
        reason = f"personal email domain {skipped_domain} (match personal emails is off)"
        return MatchOutcome(cid, "skipped", reason=f"{reason}; no name match{note}")
    tried = [f"external_id {value}" if value else "this external_id"]
    if domain:
        tried.append(f"domain {domain}")
    if key:
        tried.append(f"name '{customer.name}'")
    return MatchOutcome(cid, "unmatched", reason=f"no account has {_or_list(tried)}{note}")


def match_customers(
    customers: Sequence[Customer],
    accounts: Sequence[Account],
    manual: Mapping[str, str] | None = None,
    metadata_key: str = "client_id",
    match_personal_emails: bool = False,
) -> list[MatchOutcome]:
    """One outcome per customer (input order) against an imported client list."""
    index = _Index.of(accounts)
    manual = manual or {}
    return [
        match_customer(c, index, manual.get(c.id), metadata_key, match_personal_emails)
        for c in customers
    ]


# --- automatic accounts (no imported list) ---------------------------------------------


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def company_domain(customer: Customer) -> str | None:
    """The customer's email domain when it names a company (not a webmail)."""
    domain = email_domain(customer.email)
    return domain if domain and not is_personal_domain(domain) else None


def auto_account_id(customer: Customer) -> str:
    """The automatic account id of a customer: by company domain, else its own."""
    domain = company_domain(customer)
    if domain:
        return "acc_" + _short_hash("domain:" + domain)
    return "acc_" + _short_hash("customer:" + customer.id)


_NEVER = datetime.max.replace(tzinfo=UTC)


def _domain_account_name(domain: str, customers: Sequence[Customer]) -> str:
    """The most common customer name on the domain; ties go to the oldest customer."""
    named = [c for c in customers if c.name and c.name.strip()]
    if not named:
        return domain
    counts = Counter(name_key(c.name) for c in named)
    best = min(named, key=lambda c: (-counts[name_key(c.name)], c.created or _NEVER, c.id))
    return " ".join((best.name or "").split())


def auto_accounts(customers: Sequence[Customer]) -> list[Account]:
    """The accounts to create when no client list was imported (sorted by name, id)."""
    by_domain: dict[str, list[Customer]] = defaultdict(list)
    accounts: list[Account] = []
    for customer in customers:
        if customer.deleted:
            continue
        domain = company_domain(customer)
        if domain:
            by_domain[domain].append(customer)
            continue
        name = " ".join((customer.name or "").split()) or customer.email or customer.id
        accounts.append(Account(id=auto_account_id(customer), name=name))
    for domain, members in by_domain.items():
        accounts.append(
            Account(
                id=auto_account_id(members[0]),
                name=_domain_account_name(domain, members),
                domain=domain,
            )
        )
    return sorted(accounts, key=lambda a: (a.name.casefold(), a.id))


def match_auto(
    customers: Sequence[Customer],
    accounts: Sequence[Account],
    manual: Mapping[str, str] | None = None,
) -> list[MatchOutcome]:
    """Outcomes when accounts are automatic: manual mapping, else the customer's own."""
    by_id = {a.id: a for a in accounts}
    manual = manual or {}
    out: list[MatchOutcome] = []
    for customer in customers:
        cid = customer.id
        if customer.deleted:
            out.append(MatchOutcome(cid, "deleted", reason=DELETED_REASON))
            continue
        mapped = by_id.get(manual.get(cid, ""))
        if mapped is not None:
            reason = f"manual mapping to {mapped.name}"
            out.append(MatchOutcome(cid, "matched", mapped.id, "manual", reason))
            continue
        account = by_id.get(auto_account_id(customer))
        if account is None:
            out.append(MatchOutcome(cid, "unmatched", reason="no automatic account"))
            continue
        out.append(MatchOutcome(cid, "matched", account.id, "auto", _auto_reason(customer)))
    return out


def _auto_reason(customer: Customer) -> str:
    domain = company_domain(customer)
    if domain:
        return f"automatic account for email domain {domain}"
    own = email_domain(customer.email)
    if own:
        return f"own automatic account (personal email domain {own})"
    return "own automatic account (no email)"


def count_outcomes(outcomes: Iterable[MatchOutcome]) -> dict[str, int]:
    """Counts per outcome, every kind present (zeros included)."""
    counts = dict.fromkeys(OUTCOMES, 0)
    for outcome in outcomes:
        counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
    return counts
