"""The account index a workspace's questions are parsed against.

Names, domains and aliases of the account list, plus the names of the Stripe
customers matched to each account (people type "Initech AP" as often as "Initech").
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from questions.accounts import AccountIndex, index_for
from questions.query import AccountRef
from storage.models import AccountRow, CustomerMatch, CustomerRow


def account_refs(session: Session, workspace_id: str) -> tuple[AccountRef, ...]:
    names: dict[str, list[str]] = defaultdict(list)
    rows = session.execute(
        select(CustomerMatch.account_id, CustomerRow.name)
        .join(
            CustomerRow,
            (CustomerRow.workspace_id == CustomerMatch.workspace_id)
            & (CustomerRow.id == CustomerMatch.customer_id),
        )
        .where(CustomerMatch.workspace_id == workspace_id, CustomerMatch.outcome == "matched")
    )
    for account_id, name in rows:
        if account_id and name:
            names[account_id].append(name)
    accounts = session.execute(
        select(AccountRow.id, AccountRow.name, AccountRow.domain, AccountRow.aliases)
        .where(AccountRow.workspace_id == workspace_id)
        .order_by(AccountRow.id)
    )
    refs = []
    for acc_id, name, domain, aliases in accounts:
        extra = [n for n in sorted(set(names.get(acc_id, []))) if n != name]
        refs.append(
            AccountRef(
                id=acc_id,
                name=name,
                domain=domain,
                aliases=tuple(dict.fromkeys([*(aliases or []), *extra])),
            )
        )
    return tuple(refs)


def account_index(session: Session, workspace_id: str) -> AccountIndex:
    """The (cached per distinct account list) index of the workspace's accounts."""
    return index_for(account_refs(session, workspace_id))
