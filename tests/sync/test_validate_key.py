"""Key validation (SPEC §4): prefixes, 401, 403 naming the permission, account identity."""

from __future__ import annotations

import pytest

from sync.errors import InvalidApiKey, KeyFormatError, MissingPermission
from sync.validate import REQUIRED_READS, validate_key
from testkit.stripe_server import StripeTestServer, StripeWorld
from testkit.stripe_server.server import ALL_PERMISSIONS, PERMISSIONS
from tests.stripe_server.helpers import make_client


def _validate(server: StripeTestServer, key: str):  # type: ignore[no-untyped-def]
    return validate_key(key, None, client_factory=lambda k: make_client(server, k))


@pytest.mark.parametrize("key", ["pk_test_abc", "whsec_abc", "rk_prod_abc", "", "sk_"])
def test_wrong_prefixes_are_refused_before_any_request(
    stripe_server: StripeTestServer, key: str
) -> None:
    with pytest.raises(KeyFormatError) as exc:
        _validate(stripe_server, key)
    assert all(p in str(exc.value) for p in ("rk_live_", "rk_test_", "sk_live_", "sk_test_"))
    assert stripe_server.requests == []


def test_restricted_key_passes_with_account_identity(stripe_server: StripeTestServer) -> None:
    result = _validate(stripe_server, "rk_live_51abc1234")
    assert (result.mode, result.key_kind, result.warnings) == ("live", "restricted", [])
    assert (result.account_id, result.account_name) == (
        "acct_1kPcJZosDYo9PgpE",
        "Brightwave Digital",
    )
    paths = [r.path for r in stripe_server.requests]
    assert paths == ["/v1/account"] + [f"/v1/{r}" for r in REQUIRED_READS]
    assert all(r.params.get("limit") == "1" for r in stripe_server.requests[1:])


def test_secret_key_is_accepted_with_a_warning(stripe_server: StripeTestServer) -> None:
    result = _validate(stripe_server, "sk_test_51abc1234")
    assert result.mode == "test" and result.key_kind == "secret"
    assert result.warnings and "restricted" in result.warnings[0]


def test_401_is_invalid_key(stripe_world: StripeWorld) -> None:
    with (
        StripeTestServer(stripe_world, keys={"rk_test_good": ALL_PERMISSIONS}) as server,
        pytest.raises(InvalidApiKey) as exc,
    ):
        _validate(server, "rk_test_revoked0000")
    assert exc.value.user_message == "Invalid Stripe API key"


@pytest.mark.parametrize(
    "missing", ["products", "prices", "customers", "subscriptions", "invoices", "events", "coupons"]
)
def test_403_names_exactly_the_missing_read_permission(
    stripe_world: StripeWorld, missing: str
) -> None:
    key = "rk_test_51partial4321"
    with (
        StripeTestServer(
            stripe_world, keys={key: ALL_PERMISSIONS - {PERMISSIONS[missing]}}
        ) as server,
        pytest.raises(MissingPermission) as exc,
    ):
        _validate(server, key)
    named = missing.capitalize()  # as the Dashboard's restricted-key form names it
    assert exc.value.user_message == (
        f"Missing permission: {named} (read) — Stripe permission {PERMISSIONS[missing]}"
    )
