"""An invented account list, unlike the sample world, to prove the engine generalises.

The accounts live with the held-out tables' worlds (tests/data/heldout/worlds.json,
world ``invented``).
"""

from __future__ import annotations

from datetime import date

from questions.accounts import AccountIndex
from questions.query import AccountRef
from tests.questions.heldout import world_accounts, world_index

AS_OF = date(2027, 2, 15)  # a Monday


def invented_accounts() -> tuple[AccountRef, ...]:
    return world_accounts("invented")


def invented_index() -> AccountIndex:
    return world_index("invented")
