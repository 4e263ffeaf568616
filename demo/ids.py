"""Deterministic Stripe-looking ids and small time helpers for the demo world.

Every id comes from the generator's own ``random.Random`` so one seed always
gives the same world; a set of issued ids guards against (unlikely) clashes.
"""

from __future__ import annotations

import random
import string
from datetime import datetime

_ALPHABET = string.ascii_letters + string.digits

# Stripe's long ids (objects created through the API) vs short ones (dashboard-era).
_LONG = {"sub", "in", "il", "price", "di", "evt", "ii"}


class IdMaker:
    """Issues unique ids like ``sub_1Xb…`` from one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued: set[str] = set()

    def new(self, prefix: str) -> str:
        length = 24 if prefix in _LONG else 14
        while True:
            body = "".join(self._rng.choice(_ALPHABET) for _ in range(length))
            candidate = f"{prefix}_{body}"
            if candidate not in self._issued:
                self._issued.add(candidate)
                return candidate

    def upper(self, length: int) -> str:
        """An upper-case code such as a customer's invoice prefix."""
        chars = string.ascii_uppercase + string.digits
        return "".join(self._rng.choice(chars) for _ in range(length))


def unix(moment: datetime) -> int:
    """A Stripe timestamp (whole seconds since the epoch)."""
    return int(moment.timestamp())
