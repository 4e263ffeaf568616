"""Failed retries dated by their events: Stripe lists no attempt history, but keeps 30 days
of ``invoice.payment_failed`` events, and the backfill reads them.

In the sample world Paragon Fitness's invoice ``in_1xuRiy…`` first failed on Jan 31 and
its retries failed on Feb 2, 3 and 5 (attempt_count 4); the backfill runs on Feb 15.
"""

from __future__ import annotations

from datetime import UTC, datetime

from storage import queries
from storage.db import Database
from sync.backfill import run_backfill
from testkit.stripe_server import StripeTestServer, StripeWorld
from tests.stripe_server.helpers import make_client, settings
from usecases.asking import ask
from usecases.backend import Backend

NOW = datetime(2027, 2, 15, 12, tzinfo=UTC)
PARAGON_INVOICE = "in_1xuRiyczr3M4y4uwttcYdcHl"
FEB_1, FEB_8 = datetime(2027, 2, 1, tzinfo=UTC), datetime(2027, 2, 8, tzinfo=UTC)


def _backfill(db: Database, world: StripeWorld) -> list[dict[str, object]]:
    with StripeTestServer(world) as server:
        run_backfill(db, "local", make_client(server), settings(), NOW)
        return [r.params for r in server.requests if r.path == "/v1/events"]


def test_retries_that_failed_in_a_week_count_in_that_week(
    db: Database, stripe_world: StripeWorld
) -> None:
    asked = _backfill(db, stripe_world)
    since = str(int(NOW.timestamp()) - 30 * 86400)
    assert asked[1]["type"] == "invoice.payment_failed" and asked[1]["created"] == {"gte": since}
    with db.session() as session:
        rows = {f.object_id: f for f in queries.failed_payments(session, "local", FEB_1, FEB_8)}
    assert PARAGON_INVOICE in rows  # its first failure (Jan 31) is outside that week
    assert [t.isoformat() for t in rows[PARAGON_INVOICE].failure_instants()] == [
        "2027-01-31T11:00:01+00:00",
        "2027-02-02T11:00:00+00:00",
        "2027-02-03T11:00:00+00:00",
        "2027-02-05T11:00:00+00:00",
    ]
    backend = Backend(settings=settings(), db=db, clock=lambda: NOW)
    answer = ask(
        backend, "local", "declined charges last week", datetime(2027, 2, 9, 12, tzinfo=UTC)
    )
    invoices = {row["invoice"] for row in answer.result["rows"]}
    assert PARAGON_INVOICE in invoices, answer.text


def test_without_events_an_invoice_counts_only_where_its_first_failure_falls(
    db: Database, stripe_world: StripeWorld
) -> None:
    """The control: a world whose events are gone dates only first failures (what the
    backfill knew before reading events), so the week above would miss the retries."""
    stripe_world.events = []
    assert _backfill(db, stripe_world) == [{"limit": "1"}]  # no cursor: nothing more to read
    with db.session() as session:
        rows = {f.object_id for f in queries.failed_payments(session, "local", FEB_1, FEB_8)}
    assert PARAGON_INVOICE not in rows
